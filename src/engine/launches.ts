// How long the group's own launches take, measured tick by tick, and the rise lead that follows
// from it: a scale-out is sized for the load it will meet when its instances serve.
import { MINUTE, minutesSince } from './context.js';
import { heldMinutes } from './conditions.js';
import type { Config, InstanceView, Joining, LaunchFailure, Snapshot, State } from './types.js';

/** The launch the default `riseLeadMinutes` counts (docs/algorithm.md, the defaults). */
export const ASSUMED_LAUNCH_MINUTES = 3;
/** How many of the group's launches the measure keeps: the median of these is the launch time. */
export const LAUNCHES_KEPT = 5;
/** An instance still on its way this long after its launch is not a launch to learn from. */
export const LONGEST_LAUNCH_MINUTES = 30;

/** Ordered and not yet InService: Pending (lifecycle hooks too). */
function pending(i: InstanceView): boolean {
  return i.lifecycle.startsWith('Pending');
}

/** InService and not yet passed by the balancer: out of it, or in a target group's initial checks (`unknown`). */
function notYetIn(i: InstanceView): boolean {
  return i.lifecycle === 'InService' && (i.lb === 'out' || i.lb === 'unknown');
}

/** Taking traffic: InService, Healthy, and in every load balancer (or the group has none). */
function arrived(i: InstanceView): boolean {
  return i.lifecycle === 'InService' && i.health === 'Healthy' && (i.lb === 'in' || i.lb === 'none');
}

/**
 * The instances on their way at this tick, and the group's launches with those that arrived since
 * the last one: each from its launch time to the middle of the two ticks it arrived between. On
 * its way: Pending, or InService and not yet passed by the balancer (out, or `unknown`: a target
 * group's initial health checks, or the balancer not read) when it was on its way at the last
 * tick. So an instance is on its way only from its launch on, unbroken: one out of its balancer
 * after it served, or when the watchdog first saw it, is not (the detached rule's, signals.ts).
 * Learned only from consecutive ticks (no gap over `maxTickGapSeconds`) and from instances seen on
 * their way at the last one, so one that served before the watchdog first looked teaches nothing.
 */
export function observeLaunches(
  previous: Pick<State, 'lastTickAt' | 'launching' | 'launches'>,
  snapshot: Snapshot,
  now: number,
  config: Pick<Config, 'maxTickGapSeconds'>,
): { launching: string[]; launches: number[] } {
  const recent = (i: InstanceView) => now - i.launchTime <= LONGEST_LAUNCH_MINUTES * MINUTE;
  const seenOnItsWay = new Set(previous.launching);
  const stillOnItsWay = (i: InstanceView) => pending(i) || (notYetIn(i) && seenOnItsWay.has(i.id));
  const launching = snapshot.instances.filter((i) => stillOnItsWay(i) && recent(i)).map((i) => i.id);
  const last = previous.lastTickAt;
  if (last === null || now - last > config.maxTickGapSeconds * 1000) return { launching, launches: previous.launches };
  // A launch time after the tick that saw the instance on its way is no time to learn from: AWS's
  // clock ahead of this host's, or the launch time not read (the collector then says `now`).
  // None on its way at the last tick (most ticks): none arrived since.
  const took =
    seenOnItsWay.size === 0
      ? []
      : snapshot.instances.filter((i) => seenOnItsWay.has(i.id) && arrived(i) && recent(i) && i.launchTime <= last).map((i) => Math.round(((last + now) / 2 - i.launchTime) / 1000));
  return { launching, launches: [...previous.launches, ...took].slice(-LAUNCHES_KEPT) };
}

/**
 * The group's launch time in whole minutes (the upper median of its kept launches), or null before
 * one is seen; never over LONGEST_LAUNCH_MINUTES, whatever a hand-edited state says.
 */
export function launchMinutes(launches: readonly number[]): number | null {
  if (launches.length === 0) return null;
  const sorted = [...launches].sort((a, b) => a - b);
  return Math.min(LONGEST_LAUNCH_MINUTES, Math.max(0, Math.round(sorted[Math.floor(sorted.length / 2)]! / 60)));
}

/** The minutes the group's measured launch takes beyond the 3 `riseLeadMinutes` counts; 0 for a faster one or none seen. */
export function extraLeadMinutes(launches: readonly number[]): number {
  return Math.max(0, (launchMinutes(launches) ?? ASSUMED_LAUNCH_MINUTES) - ASSUMED_LAUNCH_MINUTES);
}

/** The rise lead for this group: `riseLeadMinutes` and what its launches take beyond 3 minutes. A faster launch never shortens it. */
export function riseLeadFor(config: Pick<Config, 'riseLeadMinutes'>, launches: readonly number[]): number {
  return config.riseLeadMinutes + extraLeadMinutes(launches);
}

/**
 * Fewer launched than desired this long, with Launch not suspended, is a group that does not
 * launch (a launch template or image gone, no capacity of the type in its zones, a quota, a subnet
 * out of addresses): AWS orders an instance within a minute of desired rising, and a replacement
 * follows a termination as soon. The watchdog counts what is missing as on its way, as its own
 * launches, and would otherwise say nothing while the fleet waits for instances that never come.
 */
export const NOT_LAUNCHING_MINUTES = 10;

/**
 * Whether the group has not launched for NOT_LAUNCHING_MINUTES by the conditions a tick held:
 * then, and only then, is AWS's reason worth a read (the collector's launchFailure), so an
 * ordinary scale-out, launched within a minute, asks nothing.
 */
export function notLaunchingLong(conditions: Readonly<Record<string, number>>, now: number): boolean {
  return heldMinutes(conditions, 'not-launching', now, NOT_LAUNCHING_MINUTES);
}

/** AWS's reason, as the group's last failed launch gives it: the not-launching alert and `instances` say it so. */
export function launchFailureWords(failure: LaunchFailure, now: number): string {
  // AWS's clock a little ahead of this host's reads as just now.
  return `AWS's last failed launch, ${Math.max(0, minutesSince(failure.at, now))} min ago: "${failure.message}"`;
}

/**
 * An instance on its way this many times as long as the group's launches take is overdue: it is no
 * longer held as joining, so one still out of its balancer is detached (a launch that never joins,
 * a bad image), and more than half the fleet so is the application's or the balancer's fault.
 */
export const OVERDUE_LAUNCHES = 2;

/**
 * The instances joining (on their way, not overdue) and the group's launch time, as figures,
 * signals and the fleet load read them. Before one launch is seen none is overdue until it is
 * no longer on its way, 30 minutes after its launch.
 */
export function joiningOf(seen: Pick<State, 'launching' | 'launches'>, snapshot: Snapshot, now: number): Joining {
  const minutes = launchMinutes(seen.launches);
  const launchMs = minutes === null ? null : minutes * MINUTE;
  if (launchMs === null) return { launching: new Set(seen.launching), launchMs };
  const onItsWay = new Set(seen.launching);
  const joining = snapshot.instances.filter((i) => onItsWay.has(i.id) && now - i.launchTime < OVERDUE_LAUNCHES * launchMs);
  return { launching: new Set(joining.map((i) => i.id)), launchMs };
}
