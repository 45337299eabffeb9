// Small scenarios built in code for the fleet-model and policy tests, and the parts of random ones.
import fc from 'fast-check';
import { parseScenario, type Scenario } from '../../src/sim/scenario.js';

export function scenario(overrides: Record<string, unknown> = {}, group: Record<string, unknown> = {}): Scenario {
  return parseScenario(
    {
      version: 1,
      name: 'test',
      durationMinutes: 30,
      seed: 1,
      group: { name: 'web', min: 1, max: 10, desired: 2, launchMinutes: 3, loadBalancer: 'classic', ...group },
      demand: [[0, 1.2]],
      noise: 0,
      faults: [],
      ...overrides,
    },
    'test scenario',
  );
}

/** Instance types of mixed sizes a random fleet launches in turn. */
const mixedTypes = fc.constantFrom(['c5.large', 'c5.xlarge'], ['m5.xlarge', 'c5.large'], ['c5.large', 'c5.xlarge', 'c5.2xlarge'], ['m6g.medium', 'c5.large'], ['c5.large', 'c7g.large']);

/**
 * The fleet of a random scenario in the property tests: its seed, desired count, balancer, and
 * its layout (spread into the group): one instance type in one zone; mixed sizes in turn behind
 * round robin, where the smaller run hotter than the rest and one of each size is judged against
 * the others; or two or three zones, with the balancer balancing across them or not (then the
 * instances of a smaller zone run hotter, and more so while one launched into it joins); or both.
 * And whether the watchdog reads its instances' NetworkOut (engine network.ts), or judges the
 * outliers by CPU alone, as where the read fails; and how the balancer picks (fleetGroup).
 */
export const randomFleet = {
  seed: fc.integer({ min: 0, max: 10_000 }),
  desired: fc.integer({ min: 2, max: 8 }),
  lb: fc.constantFrom('classic', 'target-group', 'none'),
  networkOut: fc.boolean(),
  balancing: fc.constantFrom('round-robin', 'least-outstanding-requests'),
  layout: fc.oneof(
    { arbitrary: fc.constant({}), weight: 1 },
    { arbitrary: fc.record({ types: mixedTypes }), weight: 2 },
    { arbitrary: fc.record({ zones: fc.integer({ min: 2, max: 3 }), crossZone: fc.boolean() }), weight: 2 },
    { arbitrary: fc.record({ zones: fc.integer({ min: 2, max: 3 }), crossZone: fc.boolean(), types: mixedTypes }), weight: 1 },
  ),
};

/**
 * The group's fields a random fleet sets: its balancer and layout, NetworkOut read or not, and its
 * balancing, by least outstanding requests only behind a balancer and of one type (the model's).
 * Where zones split the traffic too (drawn since 2026-12-07), a hang that answers nothing is sent
 * none and the others in its zone carry the zone without it: the zones counted without the quiet
 * ones explain them (engine signals.ts, zoneSplits).
 */
export function fleetGroup(s: { lb: string; networkOut: boolean; balancing: string; layout: object }): Record<string, unknown> {
  const balancing = s.lb === 'none' || 'types' in s.layout ? 'round-robin' : s.balancing;
  return { loadBalancer: s.lb, networkOut: s.networkOut, balancing, ...s.layout };
}

/** Demand points (units, to the hundredth) spread evenly over `minutes`, the first at 0 and the last at the end. */
export function spreadOver(minutes: number, units: readonly number[]): Array<[number, number]> {
  return units.map((u, i) => [Math.round((i * minutes) / (units.length - 1)), Math.round(u * 100) / 100]);
}
