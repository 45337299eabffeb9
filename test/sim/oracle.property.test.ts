// The true oracle is a floor: over random traffic, smooth or as spiky as a real trace, no policy
// holds the fleet for fewer instance-minutes without running it hotter than the band allows.
// Without noise between instances: the oracle sizes the demand, which it knows, not the noise,
// which nobody does, and with it a noisy minute can take the oracle over the mark where a rival
// that saved an instance elsewhere happens to stay under (a seed in the suite found target
// tracking at 10 s at 300 instance-minutes to the oracle's 301, each a minute above the mark).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPolicy } from '../../src/sim/run.js';
import { parseScenario, type Scenario } from '../../src/sim/scenario.js';
import type { PolicyName } from '../../src/sim/policies/policy.js';

const MINUTES = 150;
const round2 = (x: number) => Math.round(x * 100) / 100;
// A few points, interpolated: days, ramps, flash crowds.
const smooth = fc.array(fc.double({ min: 0.2, max: 14, noNaN: true }), { minLength: 2, maxLength: 8 }).map((levels) => levels.map((units, i) => [Math.round((i * (MINUTES - 1)) / (levels.length - 1)), round2(units)]));
// One value a minute around a wandering level: the minute-to-minute noise of a real trace.
const spiky = fc
  .record({ base: fc.double({ min: 1, max: 10, noNaN: true }), swings: fc.array(fc.double({ min: 0.4, max: 1.8, noNaN: true }), { minLength: MINUTES, maxLength: MINUTES }) })
  .map(({ base, swings }) => swings.map((swing, m) => [m, round2(base * swing * (1 + Math.sin(m / 20) / 3))]));

const scenarioArb = fc
  .record({
    seed: fc.integer({ min: 0, max: 10_000 }),
    desired: fc.integer({ min: 2, max: 10 }),
    launchMinutes: fc.integer({ min: 0, max: 6 }),
    demand: fc.oneof(smooth, spiky),
    // Of one type, or of mixed sizes in turn behind round robin (the smaller run hotter).
    types: fc.option(fc.constantFrom(['c5.large', 'c5.xlarge'], ['c5.2xlarge', 'c5.large'], ['m5.large', 'm5.2xlarge', 'c5.xlarge']), { nil: undefined }),
  })
  .map((s) => (high: number) =>
    parseScenario(
      {
        version: 1,
        name: 'random',
        durationMinutes: MINUTES,
        seed: s.seed,
        group: { name: 'web', min: 2, max: 24, desired: s.desired, launchMinutes: s.launchMinutes, loadBalancer: 'target-group', ...(s.types && { types: s.types }) },
        demand: s.demand,
        noise: 0,
        config: { high },
      },
      'random scenario',
    ),
  );

// Each policy against the oracle at the mark it is meant to hold: the seed keeps its own
// published band (70-90 %), the others the scenario's (high 85 %).
const RIVALS: Array<{ policy: PolicyName; high: number }> = [
  { policy: 'watchdog', high: 85 },
  { policy: 'target-tracking', high: 85 },
  { policy: 'target-tracking-fast', high: 85 },
  { policy: 'hpa', high: 85 },
  { policy: 'seed', high: 90 },
];

describe('the oracle is a floor', () => {
  it('no policy uses fewer instance-minutes without more minutes above the high mark', () => {
    fc.assert(
      fc.property(scenarioArb, (at: (high: number) => Scenario) => {
        for (const { policy, high } of RIVALS) {
          const oracle = runPolicy(at(high), 'oracle').report;
          const rival = runPolicy(at(high), policy).report;
          expect({ policy, cheaper: rival.instanceMinutes < oracle.instanceMinutes, hotter: rival.overloadMinutes > oracle.overloadMinutes }).not.toMatchObject({ cheaper: true, hotter: false });
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
