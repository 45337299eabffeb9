// What a group's own settings say about what the watchdog may do to it: whether its desired
// capacity counts instances (the watchdog's sizes do), and which of its processes an operator has
// suspended that its actions rely on. Read from DescribeAutoScalingGroups by the collector.
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';

/** What an action asks of the group: more instances, fewer, or one replaced (or gone, with a decrement). */
type Move = 'scale-out' | 'scale-in' | 'kill';

/**
 * The group's processes the watchdog's actions rely on, which moves each one holds while it is
 * suspended (an operator's maintenance, usually), and why: without Launch nothing is launched,
 * without Terminate nothing is removed (and an instance an operator keeps is not the watchdog's to
 * kill), without AddToLoadBalancer a new instance takes no traffic (and would be killed as
 * detached once overdue). The others (AlarmNotification, which stops the group's own scaling
 * policies, among them) hold nothing.
 */
const RELIED_ON: Record<string, { holds: readonly Move[]; why: string }> = {
  Launch: { holds: ['scale-out', 'kill'], why: 'a scale-out would launch nothing, a kill would not be replaced' },
  Terminate: { holds: ['scale-in', 'kill'], why: 'a scale-in or a kill would remove nothing' },
  AddToLoadBalancer: { holds: ['scale-out', 'kill'], why: 'a new instance would take no traffic' },
};

/** The processes of RELIED_ON the group has suspended, in that order. */
export function suspendedOf(group: AutoScalingGroup): string[] {
  const names = new Set((group.SuspendedProcesses ?? []).map((p) => p.ProcessName));
  return Object.keys(RELIED_ON).filter((name) => names.has(name));
}

/** `Launch suspended (a scale-out would launch nothing, a kill would not be replaced)`, for each. */
export function whileSuspended(suspended: readonly string[]): string {
  return suspended.map((name) => `${name} suspended (${RELIED_ON[name]!.why})`).join(', ');
}

/**
 * Why the action waits while those processes are suspended, or null when none of them concerns
 * it: a scale-out goes on with Terminate suspended, a scale-in with Launch suspended.
 */
export function heldWhileSuspended(action: { kind: 'set-desired' | 'terminate'; from: number; to: number }, suspended: readonly string[]): string | null {
  const move: Move = action.kind === 'terminate' ? 'kill' : action.to > action.from ? 'scale-out' : 'scale-in';
  const holding = suspended.filter((name) => RELIED_ON[name]!.holds.includes(move));
  if (holding.length === 0) return null;
  return `${whileSuspended(holding)}: the watchdog acts again once ${holding.length === 1 ? 'it is' : 'they are'} resumed`;
}

/**
 * What the group's desired capacity counts when it is not instances: vCPUs or memory
 * (DesiredCapacityType, with attribute-based instance types), or units where its instance types
 * carry weights (a mixed instances policy's WeightedCapacity); null when it counts instances.
 * The watchdog's sizes are counts of instances: set as desired on such a group, 5 would be read
 * as 5 vCPUs (one or two instances) or 5 units, and a +1 could be a scale-in.
 */
export function capacityUnitsOf(group: AutoScalingGroup): string | null {
  const type = group.DesiredCapacityType;
  if (type !== undefined && type !== 'units') return `${type} (its DesiredCapacityType)`;
  const weighted = [
    ...(group.MixedInstancesPolicy?.LaunchTemplate?.Overrides ?? []).map((o) => ({ what: o.InstanceType, weight: o.WeightedCapacity })),
    ...(group.Instances ?? []).map((i) => ({ what: i.InstanceType, weight: i.WeightedCapacity })),
  ].find((w) => w.weight !== undefined && w.weight !== '1');
  return weighted === undefined ? null : `units of weight (${weighted.what ?? 'an instance type'} weighs ${weighted.weight})`;
}

/** `web: desired counts vcpu (its DesiredCapacityType), not instances`: why the watchdog leaves a group alone. */
export function notCountingInstances(group: string, units: string): string {
  return `${group}: desired counts ${units}, not instances`;
}
