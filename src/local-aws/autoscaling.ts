import { zoneName, type Fleet } from '../sim/fleet.js';
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

function describeAutoScalingGroups(world: World, params: Params): Params {
  const names = list(params, 'AutoScalingGroupNames').map(String);
  const maxRecords = integer(params, 'MaxRecords', { min: 1, max: 100 }) ?? 50;
  const all = [...world.groups.keys()].sort().filter((n) => names.length === 0 || names.includes(n));
  const start = params['NextToken'] === undefined ? 0 : Number(Buffer.from(String(params['NextToken']), 'base64url').toString());
  if (!Number.isInteger(start) || start < 0 || start > all.length) throw new AwsError('InvalidNextToken', 'The token is invalid.');
  const page = all.slice(start, start + maxRecords);
  const next = start + maxRecords < all.length ? Buffer.from(String(start + maxRecords)).toString('base64url') : undefined;
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

export const autoScalingOperations: Record<string, (world: World, params: Params, requestId: string) => Params | null> = {
  DescribeAutoScalingGroups: describeAutoScalingGroups,
  SetDesiredCapacity: setDesiredCapacity,
  TerminateInstanceInAutoScalingGroup: terminateInstance,
  DescribeLoadBalancers: describeLoadBalancers,
  DescribeLoadBalancerTargetGroups: describeLoadBalancerTargetGroups,
  DescribePolicies: describePolicies,
};
