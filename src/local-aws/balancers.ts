import type { Fleet, SimInstance } from '../sim/fleet.js';
import { AwsError, list, required, type Params } from './protocol.js';
import type { World } from './world.js';

// Elastic Load Balancing (classic) DescribeInstanceHealth and ELBv2 DescribeTargetHealth.
// A detached instance is deregistered (absent); a hung one stays registered but fails checks.

type Registration = 'healthy' | 'unhealthy' | 'initial' | null;

function registration(fleet: Fleet, instance: SimInstance): Registration {
  if (instance.lifecycle === 'Pending') return null;
  if (instance.sick?.kind === 'detach') return null;
  const at = fleet.registration(instance);
  return at === 'initial' ? 'initial' : at === 'out' ? 'unhealthy' : 'healthy';
}

const CLASSIC_STATE: Record<Exclude<Registration, null>, Params> = {
  healthy: { State: 'InService', ReasonCode: 'N/A', Description: 'N/A' },
  initial: { State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance registration is still in progress.' },
  unhealthy: { State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.' },
};

const TARGET_HEALTH: Record<Exclude<Registration, null>, Params> = {
  healthy: { State: 'healthy' },
  initial: { State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' },
  unhealthy: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
};

function fleetWith(world: World, kind: 'classic' | 'target-group', matches: (fleet: Fleet) => boolean): Fleet | undefined {
  return [...world.groups.values()].find((f) => f.scenario.group.loadBalancer === kind && matches(f));
}

function describeInstanceHealth(world: World, params: Params): Params {
  const name = required(params, 'LoadBalancerName');
  const fleet = fleetWith(world, 'classic', (f) => world.loadBalancerName(f) === name);
  if (!fleet) throw new AwsError('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${name}'`);
  const asked = list(params, 'Instances').map((i) => String((i as Params)['InstanceId']));
  const registered = fleet.live.filter((i) => registration(fleet, i) !== null);
  for (const id of asked) {
    if (!registered.some((i) => i.id === id)) throw new AwsError('InvalidInstance', `Could not find EC2 instance ${id}.`);
  }
  const shown = asked.length > 0 ? registered.filter((i) => asked.includes(i.id)) : registered;
  return {
    InstanceStates: shown.map((i) => ({ InstanceId: i.id, ...CLASSIC_STATE[registration(fleet, i)!] })),
  };
}

function describeTargetHealth(world: World, params: Params): Params {
  const arn = required(params, 'TargetGroupArn');
  const fleet = fleetWith(world, 'target-group', (f) => world.targetGroupArn(f) === arn);
  if (!fleet) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
  const registered = fleet.live.filter((i) => registration(fleet, i) !== null);
  return {
    TargetHealthDescriptions: registered.map((i) => ({
      Target: { Id: i.id, Port: 80 },
      HealthCheckPort: '80',
      TargetHealth: TARGET_HEALTH[registration(fleet, i)!],
    })),
  };
}

// Cross-zone load balancing as the scenario says (on unless `group.crossZone` is false): a classic
// balancer's attribute; a target group takes its application load balancer's setting, or turns it off.

function describeClassicAttributes(world: World, params: Params): Params {
  const name = required(params, 'LoadBalancerName');
  const fleet = fleetWith(world, 'classic', (f) => world.loadBalancerName(f) === name);
  if (!fleet) throw new AwsError('LoadBalancerNotFound', `There is no ACTIVE Load Balancer named '${name}'`);
  return {
    LoadBalancerAttributes: {
      CrossZoneLoadBalancing: { Enabled: fleet.scenario.group.crossZone },
      ConnectionDraining: { Enabled: true, Timeout: 300 },
      ConnectionSettings: { IdleTimeout: 60 },
      AccessLog: { Enabled: false },
    },
  };
}

function targetGroupOf(world: World, params: Params): Fleet {
  const arn = required(params, 'TargetGroupArn');
  const fleet = fleetWith(world, 'target-group', (f) => world.targetGroupArn(f) === arn);
  if (!fleet) throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
  return fleet;
}

function describeTargetGroupAttributes(world: World, params: Params): Params {
  const fleet = targetGroupOf(world, params);
  return {
    Attributes: [
      { Key: 'deregistration_delay.timeout_seconds', Value: '300' },
      { Key: 'load_balancing.cross_zone.enabled', Value: fleet.scenario.group.crossZone ? 'use_load_balancer_configuration' : 'false' },
      { Key: 'load_balancing.algorithm.type', Value: 'round_robin' },
    ],
  };
}

function describeTargetGroups(world: World, params: Params): Params {
  const arns = list(params, 'TargetGroupArns').map(String);
  const fleets = [...world.groups.values()].filter((f) => f.scenario.group.loadBalancer === 'target-group' && (arns.length === 0 || arns.includes(world.targetGroupArn(f))));
  if (arns.length > 0 && fleets.length < arns.length) throw new AwsError('TargetGroupNotFound', `One or more target groups not found`);
  return {
    TargetGroups: fleets.map((f) => ({
      TargetGroupArn: world.targetGroupArn(f),
      TargetGroupName: `${f.scenario.group.name}-tg`,
      Protocol: 'HTTP',
      Port: 80,
      TargetType: 'instance',
      LoadBalancerArns: [world.applicationLoadBalancerArn(f)],
    })),
  };
}

function describeLoadBalancerAttributes(world: World, params: Params): Params {
  const arn = required(params, 'LoadBalancerArn');
  if (!fleetWith(world, 'target-group', (f) => world.applicationLoadBalancerArn(f) === arn)) throw new AwsError('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
  return {
    Attributes: [
      { Key: 'idle_timeout.timeout_seconds', Value: '60' },
      { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
    ],
  };
}

export const elbOperations: Record<string, (world: World, params: Params) => Params> = {
  DescribeInstanceHealth: describeInstanceHealth,
  DescribeLoadBalancerAttributes: describeClassicAttributes,
};
export const elbv2Operations: Record<string, (world: World, params: Params) => Params> = {
  DescribeTargetHealth: describeTargetHealth,
  DescribeTargetGroupAttributes: describeTargetGroupAttributes,
  DescribeTargetGroups: describeTargetGroups,
  DescribeLoadBalancerAttributes: describeLoadBalancerAttributes,
};
