import type { Fleet } from '../fleet.js';
import { newestVisiblePeriod, warmedUp } from './metrics.js';
import { clampToGroup, setDesired, type Policy, type SimAction } from './policy.js';

const TOLERANCE = 0.1;
const STABILIZATION_MINUTES = 5;
const INITIALIZATION_MINUTES = 5;

/**
 * The Kubernetes HPA formula (its documented algorithm) applied to the group: desired =
 * ceil(n × avg / target) unless within the 0.1 tolerance; instances without a metric count as
 * 100 % when scaling down and 0 % when scaling up, as do not-yet-ready ones on scale-up; scale-down
 * takes the highest recommendation of the last 5 minutes (stabilization window), scale-up is at once.
 */
export class HpaPolicy implements Policy {
  readonly name = 'hpa' as const;
  private recommendations: Array<{ minute: number; replicas: number }> = [];
  constructor(private readonly target: number) {}

  tick(fleet: Fleet): SimAction[] {
    if (!fleet.metricsReadable()) return [];
    const period = newestVisiblePeriod(fleet);
    const ready = warmedUp(fleet, INITIALIZATION_MINUTES);
    const readyIds = new Set(ready.map((i) => i.id));
    const metrics = ready.map((i) => i.cpu.get(period)).filter((v): v is number => v !== undefined);
    if (metrics.length === 0) return [];
    const missing = ready.length - metrics.length;
    const notReady = fleet.live.filter((i) => !readyIds.has(i.id)).length;
    const sum = metrics.reduce((a, b) => a + b, 0);
    let ratio = sum / metrics.length / this.target;
    let pods = metrics.length;
    if (ratio > 1) {
      pods = metrics.length + missing + notReady; // the unknown count as 0 % on the way up
      ratio = sum / pods / this.target;
    } else if (ratio < 1 && missing > 0) {
      pods = metrics.length + missing; // and as 100 % on the way down
      ratio = (sum + 100 * missing) / pods / this.target;
    }
    const current = fleet.desired;
    const recommendation = Math.abs(ratio - 1) <= TOLERANCE ? current : clampToGroup(fleet, Math.ceil(ratio * pods - 1e-9));
    this.recommendations = this.recommendations.filter((r) => fleet.minute - r.minute < STABILIZATION_MINUTES);
    this.recommendations.push({ minute: fleet.minute, replicas: recommendation });
    const stabilized = recommendation > current ? recommendation : Math.max(...this.recommendations.map((r) => r.replicas));
    if (stabilized === current) return [];
    return [setDesired(fleet, stabilized, stabilized > current ? 'scale-up' : 'scale-down', `ratio ${ratio.toFixed(2)} over ${pods} instances`)];
  }
}
