import { valueAtRank } from './sizing.js';
import type { Config, Datapoint, Figures, InstanceFigures, InstanceView, Joining, Snapshot, UnmeasuredWhy } from './types.js';

const SECOND = 1000;

/** Nothing known of the group's launches (the `instances` command, a first tick): an instance is measured from its warm-up's end on all its datapoints. */
export const NOTHING_JOINING: Joining = { launching: new Set(), launchMs: null };

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

export function median(values: ArrayLike<number>): number {
  return medianInPlace(Float64Array.from(values));
}

/** The median of `a` as its sort gives it, by selection rather than a sort. Reorders `a`. */
function medianInPlace(a: Float64Array): number {
  if (a.length === 0) return Number.NaN;
  const mid = a.length >> 1;
  const upper = valueAtRank(a, mid);
  return a.length % 2 === 1 ? upper : (highestOf(a, 0, mid) + upper) / 2;
}

/** The highest of a[from] … a[to − 1] (NaN if one is). */
function highestOf(a: Float64Array, from: number, to: number): number {
  let highest = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) highest = Math.max(highest, a[i]!);
  return highest;
}

/** The mean without the single highest and single lowest value, once there are 3 or more. */
export function trimmedMean(values: readonly number[]): number {
  if (values.length < 3) return mean(values);
  let sum = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return (sum - lo - hi) / (values.length - 2);
}

/**
 * Loads sorted once, so that "the median of the others" costs a binary search, not a sort: the
 * dead rule's, once one is below coldLoad, and the runaway rule's MAD of a few dozen peers (of
 * more, medianWithoutOf and madOf select rather than sort).
 */
export class SortedLoads {
  readonly values: Float64Array;
  constructor(values: ArrayLike<number>) {
    this.values = Float64Array.from(values).sort();
  }
  get length(): number {
    return this.values.length;
  }
  /** Index of the first value not below `value`. */
  lowerBound(value: number): number {
    const v = this.values;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** The median after removing one occurrence of `value` (which must be present). */
  medianWithout(value: number): number {
    const v = this.values;
    const size = v.length - 1;
    if (size <= 0) return Number.NaN;
    const removed = this.lowerBound(value);
    const at = (rank: number) => v[rank < removed ? rank : rank + 1]!;
    const mid = size >> 1;
    return size % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  }
  /** The lower median after removing one occurrence of `value` (which must be present): of two middle ranks, the lower. */
  lowerMedianWithout(value: number): number {
    const v = this.values;
    const size = v.length - 1;
    if (size <= 0) return Number.NaN;
    const removed = this.lowerBound(value);
    const rank = (size - 1) >> 1;
    return v[rank < removed ? rank : rank + 1]!;
  }
  /** Median absolute deviation without one occurrence of `value` (which must be present). */
  madWithout(value: number): number {
    const v = this.values;
    const skip = this.lowerBound(value);
    const m = this.medianWithout(value);
    const deviations = new Float64Array(v.length - 1);
    let k = 0;
    for (let i = 0; i < v.length; i++) if (i !== skip) deviations[k++] = Math.abs(v[i]! - m);
    return medianInPlace(deviations);
  }
}

/** Median absolute deviation of `values`, as their sort gives it, by selection rather than a sort. Reorders `values`. */
export function madOf(values: Float64Array): number {
  const m = medianInPlace(values);
  for (let i = 0; i < values.length; i++) values[i] = Math.abs(values[i]! - m);
  return medianInPlace(values);
}

/**
 * The median of `values` without one occurrence of the value asked (which must be among them),
 * as `new SortedLoads(values).medianWithout(value)` gives it, from three middle ranks found by
 * selection rather than a sort: without a value below the middle the median moves up a rank,
 * without one above it stays. NaN with fewer than two values. Reorders `values`.
 */
export function medianWithoutOf(values: Float64Array): (value: number) => number {
  const size = values.length - 1;
  if (size <= 0) return () => Number.NaN;
  const mid = size >> 1;
  // Sorted, the values at ranks mid − 1, mid and mid + 1 (the selection leaves the lower ranks below).
  const middle = valueAtRank(values, mid);
  const below = highestOf(values, 0, mid);
  let above = Number.POSITIVE_INFINITY;
  for (let i = mid + 1; i < values.length; i++) above = Math.min(above, values[i]!);
  const sorted = [below, middle, above];
  // The rank's value once `value` is gone: the next one up if the removed one was at or below it.
  const at = (rank: number, value: number) => (sorted[rank - mid + 1]! < value ? sorted[rank - mid + 1]! : sorted[rank - mid + 2]!);
  return (value) => (size % 2 === 1 ? at(mid, value) : (at(mid - 1, value) + at(mid, value)) / 2);
}

/**
 * The CloudWatch window one tick reads: periods ending at or before `now - metricLag`, over
 * `windowMinutes` (three times as long with basic monitoring's 5-minute periods).
 */
export function metricWindow(now: number, config: Config, periodSeconds: number): { start: number; end: number } {
  const period = periodSeconds * SECOND;
  const end = Math.floor((now - config.metricLagSeconds * SECOND) / period) * period;
  const span = config.windowMinutes * 60 * SECOND * (periodSeconds >= 300 ? 3 : 1);
  return { start: end - Math.max(span, period), end };
}

export function isServing(instance: InstanceView): boolean {
  return instance.lifecycle === 'InService' && instance.health === 'Healthy';
}

export function isPending(instance: InstanceView): boolean {
  return instance.lifecycle.startsWith('Pending');
}

/** Launched, as the group counts them against desired: InService, or on its way (Pending, lifecycle hooks too). */
function launchedOf(instances: readonly InstanceView[]): number {
  return countOf(instances, (i) => i.lifecycle === 'InService' || isPending(i));
}

/** How many of the items pass the test (as filter(test).length, without the array). */
function countOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  let count = 0;
  for (const item of items) if (test(item)) count++;
  return count;
}

/**
 * An instance's size, the part of its type after the family (`large` of c5.large): instances of
 * one size have as many vCPUs (t2, t3, t4g aside), whatever their family; '' where unknown.
 */
export function sizeOf(type: string | undefined): string {
  return type === undefined ? '' : type.slice(type.indexOf('.') + 1);
}

/**
 * An instance's family, the part of its type before the size (`c5` of c5.large, `c5a` of
 * c5a.large): its sizes share one processor, alike a vCPU; '' where unknown.
 */
export function familyOf(type: string | undefined): string {
  const dot = type?.indexOf('.') ?? -1;
  return dot <= 0 ? '' : type!.slice(0, dot);
}

/**
 * The vCPUs of a type from its size, as in most families, to compare instances across sizes:
 * medium 1 (2 in the burstable t families), large 2, xlarge 4, Nxlarge 4N; null for the others
 * (nano to small are burstable sizes, whose vCPUs vary by family, metal by machine).
 */
export function vcpusOf(type: string | undefined): number | null {
  const size = sizeOf(type);
  if (size === 'medium') return /^t\d/.test(type ?? '') ? 2 : 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const times = /^(\d+)xlarge$/.exec(size);
  return times === null ? null : 4 * Number(times[1]);
}

/** Finite datapoints, newest first; CloudWatch usually hands them over already in order. */
function newestFirst(cpu: readonly Datapoint[]): readonly Datapoint[] {
  let descending = true;
  let finite = true;
  for (let i = 0; i < cpu.length; i++) {
    if (!Number.isFinite(cpu[i]!.value)) finite = false;
    if (i > 0 && cpu[i]!.at > cpu[i - 1]!.at) descending = false;
  }
  if (descending && finite) return cpu;
  return cpu.filter((p) => Number.isFinite(p.value)).sort((a, b) => b.at - a.at);
}

/** InService and on its way since its launch (launches.ts): not yet passed by its balancer. */
function stillJoining(instance: InstanceView, joining: Joining): boolean {
  return joining.launching.has(instance.id);
}

/** The datapoints of the periods since the instance began to take traffic, as long after its launch as the group's launches take. */
function servingPoints(points: readonly Datapoint[], instance: InstanceView, joining: Joining): readonly Datapoint[] {
  if (joining.launchMs === null || points.length === 0) return points;
  const joined = instance.launchTime + joining.launchMs;
  return points[points.length - 1]!.at >= joined ? points : points.filter((p) => p.at >= joined);
}

/**
 * Below this many credits a burstable instance is out of them: EC2 caps its CPU at its baseline
 * (standard mode), and its CPUUtilization reads the cap, not its load. Less than a minute of
 * one vCPU: it may have been capped within the period.
 */
export const CREDITS_EXHAUSTED = 1;

/**
 * Out of credits and spending none beyond them: capped at its baseline. An unlimited instance
 * spends surplus credits instead and is not capped; one at its baseline with no balance looks
 * the same as a capped one, and is taken for capped (the careful side: no scale-in on it).
 */
function isOutOfCredits(instance: InstanceView): boolean {
  return instance.credits !== undefined && instance.credits.balance < CREDITS_EXHAUSTED && instance.credits.surplus <= 0;
}

/**
 * The warm-up of this group's instances: the config's, or the group's own default instance
 * warmup where that is longer. An operator who set it has told AWS how long a new instance's CPU
 * says nothing of the traffic (an application that compiles or fills its caches at start).
 */
export function warmupFor(config: Pick<Config, 'warmupSeconds'>, snapshot: Snapshot): number {
  return Math.max(config.warmupSeconds, snapshot.group.instanceWarmupSeconds ?? 0);
}

/**
 * Without detailed monitoring EC2 publishes an instance's CPU every 5 minutes: one datapoint in a
 * window of 1-minute ones, or none, or one too old, for good (docs/operations.md, "One-minute
 * CPU"). Said beside an instance that lacks them (lacksOneMinuteCpu) wherever CloudWatch answered.
 */
export const ONE_MINUTE_CPU = 'CPU every minute needs detailed monitoring';

/**
 * No datapoints, too few or stale: what an instance without detailed monitoring shows, by turns
 * (its datapoint is stamped at the start of its 5 minutes, and in only after them).
 */
export function lacksOneMinuteCpu(why: UnmeasuredWhy | null): boolean {
  return why === 'no-datapoints' || why === 'too-few-datapoints' || why === 'stale';
}

/** Why an instance has no load, in words: the `instances` table, the tick's lines and the alerts say these. */
export const UNMEASURED_WORDS: Readonly<Record<UnmeasuredWhy, string>> = {
  'not-serving': 'not serving',
  'warming-up': 'warming up',
  joining: 'joining its balancer',
  'out-of-credits': 'out of CPU credits',
  'no-datapoints': 'no datapoints',
  'too-few-datapoints': 'too few datapoints',
  stale: 'stale',
};

/** A CPU datapoint as load: within 0 to 100 %, whatever the datapoint says. */
export function clampCpu(value: number): number {
  return Math.min(100, Math.max(0, value));
}

/**
 * An instance's load and the newest datapoint it averages, or why it has none. Missing data is
 * never 0 % and never 100 %; a capped CPU is no load.
 */
function measureInstance(instance: InstanceView, now: number, config: Config, periodSeconds: number, joining: Joining): { load: number; newest: Datapoint } | UnmeasuredWhy {
  if (!isServing(instance)) return 'not-serving';
  if (stillJoining(instance, joining)) return 'joining';
  if (now < instance.launchTime + config.warmupSeconds * SECOND) return 'warming-up';
  if (isOutOfCredits(instance)) return 'out-of-credits';
  const points = servingPoints(newestFirst(instance.cpu), instance, joining);
  if (points.length === 0) return 'no-datapoints';
  const newestEnd = points[0]!.at + periodSeconds * SECOND;
  // With 5-minute periods a datapoint is naturally five times older; the limit scales with it.
  const staleLimit = config.staleSeconds * SECOND * Math.max(1, periodSeconds / 60);
  if (now - newestEnd > staleLimit) return 'stale';
  if (points.length < config.minDatapoints) return 'too-few-datapoints';
  const count = Math.min(config.loadDatapoints, points.length);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += clampCpu(points[i]!.value);
  return { load: sum / count, newest: points[0]! };
}

/** The figures of docs/algorithm.md for one snapshot. */
export function computeFigures(snapshot: Snapshot, now: number, config: Config, joining: Joining = NOTHING_JOINING): Figures {
  const instances: InstanceFigures[] = snapshot.instances.map((instance) => {
    const serving = isServing(instance);
    const measured = snapshot.metricsOk ? measureInstance(instance, now, config, snapshot.periodSeconds, joining) : serving ? 'no-datapoints' : 'not-serving';
    const measuredLoad = typeof measured !== 'string';
    return {
      id: instance.id,
      lifecycle: instance.lifecycle,
      health: instance.health,
      lb: instance.lb,
      serving,
      load: measuredLoad ? measured.load : null,
      newest: measuredLoad ? measured.newest : null,
      unmeasured: measuredLoad ? null : measured,
    };
  });
  const loads = measuredLoads(instances);
  const n = countOf(instances, (i) => i.serving);
  let total = 0;
  for (const load of loads) total += load;
  const { min, max } = effectiveBounds(snapshot, config);
  return {
    n,
    measured: loads.length,
    coverage: n === 0 ? 0 : loads.length / n,
    avg: loads.length === 0 ? null : trimmedMean(loads),
    total,
    projection1: projectionWithout(1, { n, measured: loads.length, total }),
    pending: countOf(snapshot.instances, isPending),
    launched: launchedOf(snapshot.instances),
    desired: snapshot.group.desired,
    min,
    max,
    instances,
  };
}

export function measuredLoads(instances: readonly InstanceFigures[]): number[] {
  const loads: number[] = [];
  for (const i of instances) if (i.load !== null) loads.push(i.load);
  return loads;
}

/**
 * The average the fleet would have with k instances fewer. Defined only when every serving
 * instance is measured: an unmeasured instance's load is unknown, so it blocks scale-in.
 */
export function projectionWithout(k: number, f: { n: number; measured: number; total: number }): number | null {
  if (f.n === 0 || f.measured !== f.n || f.n - k <= 0) return null;
  return f.total / (f.n - k);
}

/** The group's bounds narrowed by the optional minInstances / maxInstances of the config. */
export function effectiveBounds(snapshot: Snapshot, config: Config): { min: number; max: number } {
  return {
    min: Math.max(snapshot.group.min, config.minInstances ?? 0),
    max: Math.min(snapshot.group.max, config.maxInstances ?? Number.POSITIVE_INFINITY),
  };
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)} %`;
}
