// Right before acting the tick reads the group again (src/tick.ts, recheck): when a person moved
// it, the tick decides again on the group as it is now, with what it read elsewhere of each
// instance (src/aws/collect.ts, groupMoved and withGroupNow). Deciding again must not see less
// than the first decision saw: a capped burstable instance read as a quiet one is a scale-in.
import type { AutoScalingGroup, LifecycleState } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { groupMoved, withGroupNow } from '../../src/aws/collect.js';
import { decide } from '../../src/engine/index.js';
import type { InstanceView, Snapshot } from '../../src/engine/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { at, fleet, type InstanceSpec } from '../engine/fleet.js';
import { tickMinutes } from '../engine/timeline.js';

const NOW = at(6);

/** What DescribeAutoScalingGroups lists of the snapshot's group, with a person's changes. */
function listing(snapshot: Snapshot, change: (group: AutoScalingGroup) => void = () => undefined): AutoScalingGroup {
  const group: AutoScalingGroup = {
    AutoScalingGroupName: snapshot.group.name,
    DefaultCooldown: 300,
    AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    HealthCheckType: 'ELB',
    CreatedTime: new Date(0),
    MinSize: snapshot.group.min,
    MaxSize: snapshot.group.max,
    DesiredCapacity: snapshot.group.desired,
    Instances: snapshot.instances.map((i) => ({
      InstanceId: i.id,
      LifecycleState: i.lifecycle as LifecycleState,
      HealthStatus: i.health,
      ProtectedFromScaleIn: i.protectedFromScaleIn,
      AvailabilityZone: i.zone ?? 'us-east-1a',
      ...(i.type !== undefined && { InstanceType: i.type }),
    })),
  };
  change(group);
  return group;
}

// Four t3.small in three zones, one out of CPU credits (capped at its 20 % baseline), behind a balancer.
const t3 = (zone: string, load: number, credits = { balance: 40, surplus: 0 }): InstanceSpec => ({ type: 't3.small', zone, load, credits });
const FLEET: InstanceSpec[] = [t3('us-east-1a', 30), t3('us-east-1b', 30), t3('us-east-1c', 30), t3('us-east-1a', 20, { balance: 0, surplus: 0 })];
const snapshot = fleet(NOW, FLEET);
const first = snapshot.instances;

describe('what moved in the group while the tick ran', () => {
  it.each<{ what: string; change: (g: AutoScalingGroup) => void; moved: string | null }>([
    { what: 'nothing', change: () => undefined, moved: null },
    { what: 'a person raised the maximum', change: (g) => (g.MaxSize = 12), moved: 'bounds [1, 10] → [1, 12]' },
    { what: 'a person set desired', change: (g) => (g.DesiredCapacity = 5), moved: 'desired 4 → 5' },
    { what: 'an instance left', change: (g) => g.Instances!.pop(), moved: 'i-3 left the group' },
    { what: 'an instance went to Standby', change: (g) => (g.Instances![1]!.LifecycleState = 'Standby'), moved: 'i-1 InService → Standby' },
    // Serving counts healthy instances only: one fewer, and the fleet's load is spread on three.
    { what: 'an instance was marked unhealthy', change: (g) => (g.Instances![1]!.HealthStatus = 'Unhealthy'), moved: 'i-1 Healthy → Unhealthy' },
    // A kill by name ignores the protection: only the watchdog's rail spares the instance.
    { what: 'a person protected an instance', change: (g) => (g.Instances![2]!.ProtectedFromScaleIn = true), moved: 'i-2 protected from scale-in' },
    // A process the action relies on, suspended: the action decided again waits for it (src/tick.ts).
    { what: 'a person suspended Terminate', change: (g) => (g.SuspendedProcesses = [{ ProcessName: 'Terminate' }, { ProcessName: 'AZRebalance' }]), moved: 'Terminate suspended' },
  ])('$what: $moved', ({ change, moved }) => {
    expect(groupMoved({ snapshot, suspended: [] }, listing(snapshot, change))).toBe(moved);
  });
});

describe('the group as it is now, with what the tick read of each instance', () => {
  const joined = { InstanceId: 'i-new', LifecycleState: 'InService' as const, HealthStatus: 'Healthy', ProtectedFromScaleIn: false, InstanceType: 't3.small', AvailabilityZone: 'us-east-1b' };
  it.each<{ what: string; change: (g: AutoScalingGroup) => void; group: Partial<Snapshot['group']>; instances: InstanceView[] }>([
    // CPU, CPU credits, launch time, the balancer's view, type and zone: every field kept.
    { what: 'a person raised the maximum', change: (g) => (g.MaxSize = 12), group: { max: 12 }, instances: first },
    { what: 'an instance was marked unhealthy', change: (g) => (g.Instances![1]!.HealthStatus = 'Unhealthy'), group: {}, instances: [first[0]!, { ...first[1]!, health: 'Unhealthy' }, first[2]!, first[3]!] },
    { what: 'an instance left', change: (g) => g.Instances!.splice(0, 1), group: {}, instances: first.slice(1) },
    // A newcomer: what the group lists of it, launched now (in warm-up), no CPU, its balancer state unknown.
    {
      what: 'an instance joined',
      change: (g) => g.Instances!.push(joined),
      group: {},
      instances: [...first, { id: 'i-new', lifecycle: 'InService', health: 'Healthy', protectedFromScaleIn: false, type: 't3.small', zone: 'us-east-1b', launchTime: NOW, lb: 'unknown', cpu: [] }],
    },
  ])('$what', ({ change, group, instances }) => {
    const now = withGroupNow(snapshot, listing(snapshot, change), NOW);
    expect(now).toEqual({ ...snapshot, group: { ...snapshot.group, ...group }, instances });
  });

  // The tick decides again only when its first decision acts. Here it kills an instance its
  // balancer dropped; whether the group replaces it or desired goes down with it is the N−1 rule's
  // call, which a capped instance's CPU may not answer: read as a load, 20 + 30 + 30 % on 2 is 40 %.
  it('a kill decided again after a person raised the maximum: still replaced while one instance is capped', () => {
    const shape = (now: number) => fleet(now, [{ ...t3('us-east-1a', 10), lb: 'out' }, t3('us-east-1b', 20, { balance: 0, surplus: 0 }), t3('us-east-1c', 30), t3('us-east-1a', 30)]);
    const decisions = tickMinutes(5, shape);
    const seen = shape(at(5));
    const again = decide(withGroupNow(seen, listing(seen, (g) => (g.MaxSize = 12)), at(5)), decisions.at(-2)!.state, defaultConfig, at(5));
    expect({ first: decisions.at(-1)!.action, again: again.action }).toEqual({
      first: expect.objectContaining({ kind: 'terminate', instance: 'i-0', decrement: false, rule: 'detached' }),
      again: expect.objectContaining({ kind: 'terminate', instance: 'i-0', decrement: false, rule: 'detached' }),
    });
  });
});
