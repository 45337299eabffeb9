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
 * balancer's first health checks: serveMinutes), and one removed now takes that long to come
 * back, so at every minute it keeps what any minute of the coming launch window needs at the
 * high mark, and orders what the minute a launch ahead needs: each instance is ordered exactly
 * one launch before the first minute that needs it, and kept through any dip shorter than a
 * launch. A minute sooner than a launch that needs more than the fleet holds is lost to everyone:
 * nothing is ordered for it. Nothing can hold the band for less (docs/simulation.md, "The
 * oracle"; test/sim/oracle.property.test.ts).
 */
export class OraclePolicy implements Policy {
  readonly name = 'oracle' as const;
  constructor(private readonly high: number) {}

  tick(fleet: Fleet): SimAction[] {
    const launch = serveMinutes(fleet.scenario.group);
    const typeUnits = typeUnitsOf(fleet.scenario);
    // What carries a minute's demand at the mark; from the group's minimum up, since the count
    // cannot go below it (of mixed sizes it may need more there).
    const needed = (minute: number, atLeast = fleet.scenario.group.min) => instancesNeeded(demandAt(fleet.scenario, minute), this.high, typeUnits, atLeast);
    // What the window needs, and its busiest minute (the first that needs the most) to name.
    let [kept, most, held] = [fleet.minute, needed(fleet.minute, 0), needed(fleet.minute)];
    for (let t = fleet.minute + 1; t <= fleet.minute + launch; t++) {
      const n = needed(t, 0);
      if (n > most) [kept, most] = [t, n];
      held = Math.max(held, needed(t));
    }
    const ahead = fleet.minute + launch;
    const keep = Math.min(fleet.desired, held);
    const order = needed(ahead);
    const to = clampToGroup(fleet, Math.max(keep, order));
    if (to === fleet.desired) return [];
    const peak = order > keep ? ahead : kept;
    return [setDesired(fleet, to, 'oracle', `minute ${peak} needs ${to} at ${this.high} % for ${demandAt(fleet.scenario, peak).toFixed(2)} units`)];
  }
}
