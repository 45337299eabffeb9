// What the collector reads of a group's shape (src/aws/group-shape.ts): what its desired capacity
// counts (the watchdog's sizes are counts of instances: it leaves a group counted in anything else
// alone), which of its processes are suspended that its actions rely on (it holds them); and what
// a target group says of an instance (src/aws/collect.ts).
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import type { TargetHealth } from '@aws-sdk/client-elastic-load-balancing-v2';
import { targetView } from '../../src/aws/collect.js';
import { capacityUnitsOf, heldWhileSuspended, suspendedOf } from '../../src/aws/group-shape.js';

const overrides = (...weights: Array<string | undefined>) => ({
  MixedInstancesPolicy: { LaunchTemplate: { Overrides: weights.map((w, k) => ({ InstanceType: `c5.${k + 1}xlarge`, ...(w !== undefined && { WeightedCapacity: w }) })) } },
});

describe('what desired counts', () => {
  it.each<{ what: string; group: Partial<AutoScalingGroup>; expected: string | null }>([
    { what: 'a plain group', group: {}, expected: null },
    { what: 'units, said so', group: { DesiredCapacityType: 'units' }, expected: null },
    { what: 'vCPUs', group: { DesiredCapacityType: 'vcpu' }, expected: 'vcpu (its DesiredCapacityType)' },
    { what: 'memory', group: { DesiredCapacityType: 'memory-mib' }, expected: 'memory-mib (its DesiredCapacityType)' },
    { what: 'instance types without weights', group: overrides(undefined, undefined), expected: null },
    { what: 'every weight 1', group: overrides('1', '1'), expected: null },
    { what: 'a weight of 2', group: overrides('1', '2'), expected: 'units of weight (c5.2xlarge weighs 2)' },
    // An instance launched under a weight the policy no longer lists still counts as its weight.
    { what: 'an instance with a weight', group: { Instances: [{ InstanceId: 'i-1', InstanceType: 'm5.large', WeightedCapacity: '4', AvailabilityZone: 'a', LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false }] }, expected: 'units of weight (m5.large weighs 4)' },
  ])('$what → $expected', ({ group, expected }) => {
    expect(capacityUnitsOf(group as AutoScalingGroup)).toBe(expected);
  });
});

describe('processes suspended', () => {
  const suspending = (...names: string[]): Partial<AutoScalingGroup> => ({ SuspendedProcesses: names.map((ProcessName) => ({ ProcessName, SuspensionReason: 'User suspended at 2026-12-05T01:00:00Z' })) });
  it.each<{ what: string; group: Partial<AutoScalingGroup>; expected: string[] }>([
    { what: 'none', group: {}, expected: [] },
    // Suspended to stop the group's own scaling policies: what an operator does for the watchdog.
    { what: 'the group’s own policies stopped', group: suspending('AlarmNotification', 'ScheduledActions', 'AZRebalance'), expected: [] },
    { what: 'three it relies on, in any order', group: suspending('AddToLoadBalancer', 'HealthCheck', 'Terminate', 'Launch'), expected: ['Launch', 'Terminate', 'AddToLoadBalancer'] },
  ])('$what → $expected', ({ group, expected }) => {
    expect(suspendedOf(group as AutoScalingGroup)).toEqual(expected);
  });

  const up = { kind: 'set-desired' as const, from: 3, to: 4 };
  const down = { kind: 'set-desired' as const, from: 4, to: 3 };
  const kill = { kind: 'terminate' as const, from: 3, to: 3 };
  const launch = 'Launch suspended (a scale-out would launch nothing, a kill would not be replaced): the watchdog acts again once it is resumed';
  const terminate = 'Terminate suspended (a scale-in or a kill would remove nothing): the watchdog acts again once it is resumed';
  it.each<{ what: string; action: typeof up | typeof kill; suspended: string[]; expected: string | null }>([
    { what: 'a scale-out, Launch suspended', action: up, suspended: ['Launch'], expected: launch },
    // A fleet that needs more is not held by an operator keeping instances.
    { what: 'a scale-out, Terminate suspended', action: up, suspended: ['Terminate'], expected: null },
    { what: 'a scale-in, Launch suspended', action: down, suspended: ['Launch'], expected: null },
    { what: 'a scale-in, Terminate suspended', action: down, suspended: ['Terminate'], expected: terminate },
    { what: 'a kill, Terminate suspended', action: kill, suspended: ['Terminate'], expected: terminate },
    {
      what: 'a kill, all three suspended',
      action: kill,
      suspended: ['Launch', 'Terminate', 'AddToLoadBalancer'],
      expected:
        'Launch suspended (a scale-out would launch nothing, a kill would not be replaced), Terminate suspended (a scale-in or a kill would remove nothing), AddToLoadBalancer suspended (a new instance would take no traffic): the watchdog acts again once they are resumed',
    },
  ])('$what → held: $expected', ({ action, suspended, expected }) => {
    expect(heldWhileSuspended(action, suspended)).toBe(expected);
  });
});

describe('a target group’s view of an instance', () => {
  it.each<{ what: string; health: TargetHealth | undefined; expected: { state: string; why?: string } }>([
    { what: 'healthy', health: { State: 'healthy' }, expected: { state: 'in' } },
    { what: 'in its first checks', health: { State: 'initial', Reason: 'Elb.InitialHealthChecking' }, expected: { state: 'unknown' } },
    { what: 'health checks off', health: { State: 'unavailable', Reason: 'Target.HealthCheckDisabled' }, expected: { state: 'unknown' } },
    // Behind no balancer yet (or its zone not enabled there): that says nothing of the instance.
    { what: 'a target group behind no balancer', health: { State: 'unused', Reason: 'Target.NotInUse' }, expected: { state: 'unknown' } },
    // Someone's act (a deploy deregistering it), or a registration that never happened.
    { what: 'not registered', health: { State: 'unused', Reason: 'Target.NotRegistered' }, expected: { state: 'out', why: 'not-registered' } },
    { what: 'draining', health: { State: 'draining', Reason: 'Target.DeregistrationInProgress' }, expected: { state: 'out', why: 'not-registered' } },
    // The balancer's verdict.
    { what: 'stopped', health: { State: 'unused', Reason: 'Target.InvalidState' }, expected: { state: 'out', why: 'failing-checks' } },
    { what: 'unhealthy', health: { State: 'unhealthy', Reason: 'Target.Timeout' }, expected: { state: 'out', why: 'failing-checks' } },
    { what: 'no health given', health: undefined, expected: { state: 'out', why: 'failing-checks' } },
  ])('$what → $expected.state', ({ health, expected }) => {
    expect(targetView(health)).toEqual(expected);
  });
});
