import { createHash } from 'node:crypto';
import { DEFAULT_TYPE, zoneName, type Fleet } from '../sim/fleet.js';
import { AwsError, integer, list, required, validation, type Params } from './protocol.js';
import { DEFAULT_ZONES, type World } from './world.js';

// EC2 Auto Scaling, the operations the watchdog calls, as the API reference describes them.

function groupOf(world: World, name: string): Fleet {
  const fleet = world.groups.get(name);
  if (!fleet) throw validation(`AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
  return fleet;
}

function describeGroup(world: World, name: string, fleet: Fleet): Params {
  const g = fleet.scenario.group;
  return {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: `arn:aws:autoscaling:${world.region}:${world.account}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${name}`,
    MinSize: g.min,
    MaxSize: g.max,
    DesiredCapacity: fleet.desired,
    DefaultCooldown: 300,
    AvailabilityZones: Array.from({ length: g.zones ?? DEFAULT_ZONES }, (_, zone) => zoneName(zone, world.region)),
    LoadBalancerNames: g.loadBalancer === 'classic' ? [world.loadBalancerName(fleet)] : [],
    TargetGroupARNs: g.loadBalancer === 'target-group' ? [world.targetGroupArn(fleet)] : [],
    HealthCheckType: g.loadBalancer === 'none' ? 'EC2' : 'ELB',
    HealthCheckGracePeriod: 300,
    Instances: fleet.live.map((i) => {
      const d = world.details(fleet, i);
      return {
        InstanceId: i.id,
        InstanceType: d.type,
        AvailabilityZone: d.zone,
        LifecycleState: i.lifecycle,
        HealthStatus: 'Healthy',
        LaunchTemplate: { LaunchTemplateId: 'lt-0123456789abcdef0', LaunchTemplateName: `${name}-template`, Version: '1' },
        ProtectedFromScaleIn: false,
      };
    }),
    CreatedTime: new Date(world.timeOf(-60)),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
  };
}

/** The page a NextToken (the offset, base64url) asks for, MaxRecords long, and the token of the next one. */
function pageOf<T>(all: readonly T[], params: Params, maxRecords: number): { page: T[]; next: string | undefined } {
  const start = params['NextToken'] === undefined ? 0 : Number(Buffer.from(String(params['NextToken']), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0 || start > all.length) throw new AwsError('InvalidNextToken', 'The token is invalid.');
  const next = start + maxRecords < all.length ? Buffer.from(String(start + maxRecords)).toString('base64url') : undefined;
  return { page: all.slice(start, start + maxRecords), next };
}

function describeAutoScalingGroups(world: World, params: Params): Params {
  const names = list(params, 'AutoScalingGroupNames').map(String);
  const maxRecords = integer(params, 'MaxRecords', { min: 1, max: 100 }) ?? 50;
  const all = [...world.groups.keys()].sort().filter((n) => names.length === 0 || names.includes(n));
  const { page, next } = pageOf(all, params, maxRecords);
  return { AutoScalingGroups: page.map((n) => describeGroup(world, n, world.groups.get(n)!)), NextToken: next };
}

function setDesiredCapacity(world: World, params: Params): null {
  const name = required(params, 'AutoScalingGroupName');
  const desired = integer(params, 'DesiredCapacity', { min: 0 });
  if (desired === undefined) required(params, 'DesiredCapacity');
  const fleet = groupOf(world, name);
  const { min, max } = fleet.scenario.group;
  if (desired! > max) throw validation(`New SetDesiredCapacity value ${desired} is above max value ${max} for the AutoScalingGroup.`);
  if (desired! < min) throw validation(`New SetDesiredCapacity value ${desired} is below min value ${min} for the AutoScalingGroup.`);
  fleet.setDesired(desired!);
  fleet.reconcile();
  return null;
}

function terminateInstance(world: World, params: Params, requestId: string): Params {
  const id = required(params, 'InstanceId');
  const flag = required(params, 'ShouldDecrementDesiredCapacity');
  if (flag !== 'true' && flag !== 'false') throw validation(`Value '${flag}' at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must be a boolean`);
  const found = world.findInstance(id);
  if (!found) throw validation(`Instance Id not found - No managed instance found for instance ID: ${id}`);
  const { fleet } = found;
  const min = fleet.scenario.group.min;
  if (flag === 'true' && fleet.desired - 1 < min) {
    throw validation(`Currently, desiredSize equals minSize (${min}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`);
  }
  fleet.terminate(id, flag === 'true');
  fleet.reconcile();
  const name = fleet.scenario.group.name;
  return {
    Activity: {
      ActivityId: requestId,
      AutoScalingGroupName: name,
      Description: `Terminating EC2 instance: ${id}`,
      Cause: `At ${new Date(world.virtualNow()).toISOString()} instance ${id} was taken out of service in response to a user request${flag === 'true' ? ', shrinking the capacity' : ''}.`,
      StartTime: new Date(world.virtualNow()),
      StatusCode: 'InProgress',
      Progress: 0,
    },
  };
}

function describeLoadBalancers(world: World, params: Params): Params {
  const fleet = groupOf(world, required(params, 'AutoScalingGroupName'));
  const lbs = fleet.scenario.group.loadBalancer === 'classic' ? [{ LoadBalancerName: world.loadBalancerName(fleet), State: 'InService' }] : [];
  return { LoadBalancers: lbs };
}

function describeLoadBalancerTargetGroups(world: World, params: Params): Params {
  const fleet = groupOf(world, required(params, 'AutoScalingGroupName'));
  const tgs = fleet.scenario.group.loadBalancer === 'target-group' ? [{ LoadBalancerTargetGroupARN: world.targetGroupArn(fleet), State: 'InService' }] : [];
  return { LoadBalancerTargetGroups: tgs };
}

// The group's own scaling policies as its scenario lists them (group.scalingPolicies): enabled,
// each with its alarm, and never run (the fleet answers to the policy under test alone).
function describePolicies(world: World, params: Params): Params {
  const name = params['AutoScalingGroupName'];
  const types = list(params, 'PolicyTypes').map(String);
  const fleets = name === undefined ? [...world.groups.values()] : [world.groups.get(String(name))].filter((f): f is Fleet => f !== undefined);
  const policies = fleets.flatMap((fleet) => {
    const group = fleet.scenario.group.name;
    return (fleet.scenario.group.scalingPolicies ?? [])
      .filter((p) => types.length === 0 || types.includes(p.type))
      .map((p) => ({
        AutoScalingGroupName: group,
        PolicyName: p.name,
        PolicyARN: `arn:aws:autoscaling:${world.region}:${world.account}:scalingPolicy:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${group}:policyName/${p.name}`,
        PolicyType: p.type,
        Alarms: [{ AlarmName: `${group}-${p.name}-alarm`, AlarmARN: `arn:aws:cloudwatch:${world.region}:${world.account}:alarm:${group}-${p.name}-alarm` }],
        Enabled: true,
      }));
  });
  return { ScalingPolicies: policies };
}

/**
 * The group's scaling activities, newest first, as far as the simulated fleet knows them: each
 * instance's launch and termination, and a failed launch for each minute a `launch-failure` left
 * it short of desired (AWS tries again and again; its message is the one for capacity). Paged.
 */
function describeScalingActivities(world: World, params: Params): Params {
  const name = params['AutoScalingGroupName'];
  const maxRecords = integer(params, 'MaxRecords', { min: 1, max: 100 }) ?? 100;
  const fleets = name === undefined ? [...world.groups.values()] : [world.groups.get(String(name))].filter((f): f is Fleet => f !== undefined);
  const all = fleets.flatMap((fleet) => activitiesOf(world, fleet)).sort((a, b) => b.at - a.at);
  const { page, next } = pageOf(all, params, maxRecords);
  return { Activities: page.map((a) => a.activity), NextToken: next };
}

interface Listed {
  at: number;
  activity: Params;
}

function activitiesOf(world: World, fleet: Fleet): Listed[] {
  const group = fleet.scenario.group.name;
  const listed = (minute: number, key: string, fields: { Description: string; StatusCode: string; StatusMessage?: string }, cause: string): Listed => {
    const at = world.timeOf(minute);
    // A UUID of its own, the same at every call.
    const hex = createHash('sha256').update(`${group}/${key}`).digest('hex');
    const activityId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    return { at, activity: { ActivityId: activityId, AutoScalingGroupName: group, Cause: `At ${new Date(at).toISOString()} ${cause}.`, StartTime: new Date(at), EndTime: new Date(at + 30_000), Progress: 100, ...fields } };
  };
  const started = 'an instance was started in response to a difference between desired and actual capacity';
  const type = fleet.scenario.group.types?.[0] ?? DEFAULT_TYPE;
  const reason = `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${zoneName(0, world.region)}). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.`;
  return [
    ...fleet.instances.flatMap((i) => [
      listed(i.launchedAt, `launch/${i.id}`, { Description: `Launching a new EC2 instance: ${i.id}`, StatusCode: 'Successful' }, started),
      ...(i.removedAt === null ? [] : [listed(i.removedAt, `terminate/${i.id}`, { Description: `Terminating EC2 instance: ${i.id}`, StatusCode: 'Successful' }, `instance ${i.id} was taken out of service`)]),
    ]),
    ...fleet.failedLaunches.map((minute) => listed(minute, `failed/${minute}`, { Description: `Launching a new EC2 instance.  Status Reason: ${reason}`, StatusCode: 'Failed', StatusMessage: reason }, started)),
  ];
}

export const autoScalingOperations: Record<string, (world: World, params: Params, requestId: string) => Params | null> = {
  DescribeAutoScalingGroups: describeAutoScalingGroups,
  SetDesiredCapacity: setDesiredCapacity,
  TerminateInstanceInAutoScalingGroup: terminateInstance,
  DescribeLoadBalancers: describeLoadBalancers,
  DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
  DescribePolicies: describePolicies,
  DescribeScalingActivities: describeScalingActivities,
};
