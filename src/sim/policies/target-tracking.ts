import { METRIC_DELAY_MINUTES, type Fleet } from '../fleet.js';
import { groupAverages, warmedUp } from './metrics.js';
import { clampToGroup, setDesired, type Policy, type SimAction } from './policy.js';

const WARMUP_MINUTES = 5;
const IN_FRACTION = 0.9;

/** How target tracking sees the metric: how late, and how many minutes its two alarms wait. */
export interface Resolution {
  name: 'target-tracking' | 'target-tracking-fast';
  /** Minutes after a period ends before its datapoint is visible. */
  delayMinutes: number;
  /** Minutes above target before the scale-out alarm fires. */
  outMinutes: number;
  /** Minutes below 0.9 × target before the scale-in alarm fires. */
  inMinutes: number;
}

/** EC2's basic one-minute CPUUtilization: 2 minutes late; 3 datapoints out, 15 in. */
export const ONE_MINUTE: Resolution = { name: 'target-tracking', delayMinutes: METRIC_DELAY_MINUTES, outMinutes: 3, inMinutes: 15 };

/**
 * Since 2024: target tracking on a high-resolution metric (the CloudWatch agent's CPU, 10 s
 * periods). The same alarms counted in 10 s datapoints: 3 (30 s) out, 15 (150 s) in. Modelled at
 * the simulator's one minute: the minute just served is visible (the agent publishes within
 * seconds), one minute above target scales out, 3 minutes below scale in.
 */
export const TEN_SECONDS: Resolution = { name: 'target-tracking-fast', delayMinutes: 0, outMinutes: 1, inMinutes: 3 };
/** The group's default cooldown (300 s), which target tracking honours before a scale-in. */
const SCALE_IN_COOLDOWN_MINUTES = 5;

/**
 * AWS EC2 Auto Scaling target tracking on average CPU (its documented behaviour): at one-minute
 * resolution the high alarm after 3 averages above target, the low alarm after 15 below 90 % of it; new capacity
 * ceil(n × avg / target), which rounds towards fewer changes on scale-in; instances in their
 * 300 s warm-up are left out of the average but count as capacity (a scale-out only adds what
 * the desired count lacks), and no scale-in happens while any is warming up nor within the group's
 * default cooldown (300 s) of the last scaling.
 */
export class TargetTrackingPolicy implements Policy {
  readonly name: Resolution['name'];
  private lastActivity = Number.NEGATIVE_INFINITY;
  constructor(
    private readonly target: number,
    private readonly resolution: Resolution = ONE_MINUTE,
  ) {
    this.name = resolution.name;
  }

  tick(fleet: Fleet): SimAction[] {
    const { outMinutes, inMinutes, delayMinutes } = this.resolution;
    const averages = groupAverages(fleet, inMinutes, WARMUP_MINUTES, delayMinutes);
    const latest = averages[0];
    if (latest === null || latest === undefined) return []; // INSUFFICIENT_DATA: no scaling
    // The metric's population; instances still warming up count as capacity already on its way.
    const measured = warmedUp(fleet, WARMUP_MINUTES, fleet.minute - 1 - delayMinutes).length;
    const warming = fleet.live.length - measured;
    const needed = Math.ceil((measured * latest) / this.target - 1e-9);
    const recent = averages.slice(0, outMinutes);
    if (recent.every((v) => v !== null && v > this.target)) {
      const to = clampToGroup(fleet, needed);
      if (to <= fleet.desired) return [];
      this.lastActivity = fleet.minute;
      return [setDesired(fleet, to, 'scale-out', `average ${latest.toFixed(1)} % > target ${this.target} % for ${outMinutes} min`)];
    }
    const cooled = fleet.minute - this.lastActivity >= SCALE_IN_COOLDOWN_MINUTES;
    if (cooled && warming === 0 && averages.every((v) => v !== null && v < IN_FRACTION * this.target)) {
      const to = clampToGroup(fleet, needed);
      if (to >= fleet.desired) return [];
      this.lastActivity = fleet.minute;
      return [setDesired(fleet, to, 'scale-in', `average ${latest.toFixed(1)} % < ${(IN_FRACTION * this.target).toFixed(1)} % for ${inMinutes} min`)];
    }
    return [];
  }
}
