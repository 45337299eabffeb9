// What a group's desired capacity counts (src/aws/collect.ts, capacityUnitsOf): the watchdog's
// sizes are counts of instances, and it leaves a group counted in anything else alone.
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { capacityUnitsOf } from '../../src/aws/collect.js';

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
