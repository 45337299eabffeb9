import type { Fleet } from '../fleet.js';
import { groupAverages, warmedUp } from './metrics.js';
import { clampToGroup, setDesired, type Policy, type SimAction } from './policy.js';

const WARMUP_MINUTES = 5;
const OUT_DATAPOINTS = 3;
const IN_DATAPOINTS = 15;
const IN_FRACTION = 0.9;
/** The group's default cooldown (300 s), which target tracking honours before a scale-in. */
const SCALE_IN_COOLDOWN_MINUTES = 5;

/**
 * AWS EC2 Auto Scaling target tracking on average CPU (its documented behaviour): the high alarm
 * after 3 one-minute averages above target, the low alarm after 15 below 90 % of it; new capacity
 * ceil(n × avg / target), which rounds towards fewer changes on scale-in; instances in their
 * 300 s warm-up are left out of the average but count as capacity (a scale-out only adds what
 * the desired count lacks), and no scale-in happens while any is warming up nor within the group's
 * default cooldown (300 s) of the last scaling.
 */
export class TargetTrackingPolicy implements Policy {
  readonly name = 'target-tracking' as const;
  private lastActivity = Number.NEGATIVE_INFINITY;
  constructor(private readonly target: number) {}

  tick(fleet: Fleet): SimAction[] {
    const averages = groupAverages(fleet, IN_DATAPOINTS, WARMUP_MINUTES);
    const latest = averages[0];
    if (latest === null || latest === undefined) return []; // INSUFFICIENT_DATA: no scaling
    // The metric's population; instances still warming up count as capacity already on its way.
    const measured = warmedUp(fleet, WARMUP_MINUTES).length;
    const warming = fleet.live.length - measured;
    const needed = Math.ceil((measured * latest) / this.target - 1e-9);
    const recent = averages.slice(0, OUT_DATAPOINTS);
    if (recent.every((v) => v !== null && v > this.target)) {
      const to = clampToGroup(fleet, needed);
      if (to <= fleet.desired) return [];
      this.lastActivity = fleet.minute;
      return [setDesired(fleet, to, 'scale-out', `average ${latest.toFixed(1)} % > target ${this.target} % for 3 min`)];
    }
    const cooled = fleet.minute - this.lastActivity >= SCALE_IN_COOLDOWN_MINUTES;
    if (cooled && warming === 0 && averages.every((v) => v !== null && v < IN_FRACTION * this.target)) {
      const to = clampToGroup(fleet, needed);
      if (to >= fleet.desired) return [];
      this.lastActivity = fleet.minute;
      return [setDesired(fleet, to, 'scale-in', `average ${latest.toFixed(1)} % < ${(IN_FRACTION * this.target).toFixed(1)} % for 15 min`)];
    }
    return [];
  }
}
