import { DEFAULT_TYPE, unitsOf, type Fleet } from '../fleet.js';
import { demandAt, serveMinutes, type Scenario } from '../scenario.js';
import { clampToGroup, setDesired, type Policy, type SimAction } from './policy.js';

/**
 * The fewest instances, `atLeast` or more, that carry `demand` units at `high` % CPU each. Of
 * types in turn (`typeUnits`: what each serves, in the scenario's order), n instances hold the first
 * min(n, k) of them, and each takes demand / n (round robin): the smallest of them must carry its
 * share at `high`. One xlarge may carry what an xlarge and a large cannot, so a group whose
 * minimum is 2 looks from 2 up.
 */
export function instancesNeeded(demand: number, high: number, typeUnits: readonly number[] = [1], atLeast = 0): number {
  const mark = high / 100;
  let n = Math.max(atLeast, Math.ceil(demand / (mark * Math.max(...typeUnits)) - 1e-9));
  while (n > 0 && demand / n > mark * Math.min(...typeUnits.slice(0, n)) + 1e-9) n++;
  return Math.max(0, n);
}

/** What each of the scenario's types serves at 100 %, in its order: one unit where it names none. */
export const typeUnitsOf = (scenario: Scenario): number[] => (scenario.group.types ?? [DEFAULT_TYPE]).map(unitsOf);

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
    const typeUnits = typeUnitsOf(fleet.scenario);
    let need = 0;
    let peak = fleet.minute;
    let most = 0;
    for (let t = fleet.minute; t <= fleet.minute + launch; t++) {
      const demand = demandAt(fleet.scenario, t);
      const n = instancesNeeded(demand, this.high, typeUnits);
      if (n > need) [need, peak] = [n, t];
      most = Math.max(most, demand);
    }
    // What carries the window's most at the mark carries each of its minutes; from the group's
    // minimum up, since the count cannot go below it (of mixed sizes it may need more there).
    const to = clampToGroup(fleet, instancesNeeded(most, this.high, typeUnits, fleet.scenario.group.min));
    if (to === fleet.desired) return [];
    const demand = demandAt(fleet.scenario, peak);
    return [setDesired(fleet, to, 'oracle', `minute ${peak} needs ${to} at ${this.high} % for ${demand.toFixed(2)} units`)];
  }
}
