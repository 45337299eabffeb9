import type { Fleet, SimInstance } from '../sim/fleet.js';
import { AwsError, list, required, type Params } from './protocol.js';
import type { World } from './world.js';

// Elastic Load Balancing (classic) DescribeInstanceHealth and ELBv2 DescribeTargetHealth.
// A detached instance is deregistered (absent); a hung one stays registered but fails checks.

type Registration = 'healthy' | 'unhealthy' | 'initial' | null;

function registration(fleet: Fleet, instance: SimInstance): Registration {
  if (instance.lifecycle === 'Pending') return null;
  if (instance.sick?.kind === 'detach') return null;
  return fleet.lbState(instance) === 'out' ? 'unhealthy' : 'healthy';
}

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
    InstanceStates: shown.map((i) =>
      registration(fleet, i) === 'healthy'
        ? { InstanceId: i.id, State: 'InService', ReasonCode: 'N/A', Description: 'N/A' }
        : { InstanceId: i.id, State: 'OutOfService', ReasonCode: 'Instance', Description: 'Instance has failed at least the UnhealthyThreshold number of health checks consecutively.' },
    ),
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
      TargetHealth:
        registration(fleet, i) === 'healthy'
          ? { State: 'healthy' }
          : { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
    })),
  };
}

export const elbOperations: Record<string, (world: World, params: Params) => Params> = { DescribeInstanceHealth: describeInstanceHealth };
export const elbv2Operations: Record<string, (world: World, params: Params) => Params> = { DescribeTargetHealth: describeTargetHealth };
