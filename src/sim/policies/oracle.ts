import type { Fleet } from '../fleet.js';
import { demandAt, serveMinutes } from '../scenario.js';
import { clampToGroup, setDesired, type Policy, type SimAction } from './policy.js';

/** Instances that carry `demand` units at `high` % CPU each. */
export const instancesNeeded = (demand: number, high: number): number => Math.ceil(demand / (high / 100) - 1e-9);

/**
 * Knows the future. An instance ordered now serves a launch from now (`launchMinutes`, and the
 * balancer's first health checks: serveMinutes), and one removed now
 * takes that long to come back, so at every minute it holds the most that any minute of the coming
 * launch window needs at the high mark: each instance is ordered exactly one launch before the
 * first minute that needs it, and kept through any dip shorter than a launch. Nothing can hold the
 * band for less (docs/simulation.md, "The oracle"; test/sim/oracle.property.test.ts).
 */
export class OraclePolicy implements Policy {
  readonly name = 'oracle' as const;
  constructor(private readonly high: number) {}

  tick(fleet: Fleet): SimAction[] {
    const launch = serveMinutes(fleet.scenario.group);
    let need = 0;
    let peak = fleet.minute;
    for (let t = fleet.minute; t <= fleet.minute + launch; t++) {
      const n = instancesNeeded(demandAt(fleet.scenario, t), this.high);
      if (n > need) [need, peak] = [n, t];
    }
    const to = clampToGroup(fleet, need);
    if (to === fleet.desired) return [];
    const demand = demandAt(fleet.scenario, peak);
    return [setDesired(fleet, to, 'oracle', `minute ${peak} needs ${to} at ${this.high} % for ${demand.toFixed(2)} units`)];
  }
}
