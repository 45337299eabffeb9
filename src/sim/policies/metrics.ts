import { METRIC_DELAY_MINUTES, type Fleet, type SimInstance } from '../fleet.js';

// What CloudWatch shows the AWS-side policies: the same late 1-minute datapoints the watchdog reads.

/** The newest period whose datapoint is visible at the fleet's current minute, `delay` minutes after it ends. */
export function newestVisiblePeriod(fleet: Fleet, delay = METRIC_DELAY_MINUTES): number {
  return fleet.minute - 1 - delay;
}

/** InService instances launched at least `warmupMinutes` before the period. */
export function warmedUp(fleet: Fleet, warmupMinutes: number, period = newestVisiblePeriod(fleet)): SimInstance[] {
  return fleet.inService.filter((i) => i.launchedAt + warmupMinutes <= period);
}

/**
 * The group's average CPU for the last `count` visible periods, newest first, over instances
 * past warm-up (AWS target tracking leaves warming instances out). Null where no datapoint.
 */
export function groupAverages(fleet: Fleet, count: number, warmupMinutes: number, delay = METRIC_DELAY_MINUTES): Array<number | null> {
  if (!fleet.metricsReadable()) return Array(count).fill(null);
  const newest = newestVisiblePeriod(fleet, delay);
  const out: Array<number | null> = [];
  for (let p = newest; p > newest - count; p--) {
    const values = warmedUp(fleet, warmupMinutes, p)
      .map((i) => i.cpu.get(p))
      .filter((v): v is number => v !== undefined);
    out.push(values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
  }
  return out;
}
