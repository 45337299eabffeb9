// The promise operators care most about, as a property: over random traffic, fleet sizes and
// faults, the watchdog never terminates an instance that had nothing wrong with it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPolicy } from '../../src/sim/run.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { randomFleet, spreadOver } from './scenarios.js';

const faultArb = fc.oneof(
  fc.record({ kind: fc.constantFrom('runaway', 'detach', 'hang', 'crash'), atMinute: fc.integer({ min: 0, max: 100 }), instance: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('metrics-gap'), atMinute: fc.integer({ min: 0, max: 100 }), instance: fc.integer({ min: 0, max: 5 }), minutes: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('cloudwatch-outage'), atMinute: fc.integer({ min: 0, max: 100 }), minutes: fc.integer({ min: 1, max: 30 }) }),
);

const scenarioArb = fc
  .record({
    ...randomFleet,
    demand: fc.array(fc.double({ min: 0.05, max: 12, noNaN: true }), { minLength: 2, maxLength: 6 }),
    noise: fc.double({ min: 0, max: 0.2, noNaN: true }),
    faults: fc.array(faultArb, { maxLength: 3 }),
  })
  .map((s) =>
    parseScenario(
      {
        version: 1,
        name: 'random',
        durationMinutes: 120,
        seed: s.seed,
        group: { name: 'web', min: 2, max: 16, desired: s.desired, launchMinutes: 3, loadBalancer: s.lb, ...s.layout },
        demand: spreadOver(120, s.demand),
        noise: Math.round(s.noise * 100) / 100,
        faults: s.faults,
      },
      'random scenario',
    ),
  );

describe('the watchdog never terminates a healthy instance', () => {
  it('over random traffic and faults', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { report } = runPolicy(scenario, 'watchdog');
        expect(report.terminations.healthy).toBe(0);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
