// The other half of the promise, as a property: in a fleet behind a balancer, a runaway, detached
// or hung instance does not stay. It is terminated (or leaves with a scale-in) within 20 minutes
// (of its full hold, for a runaway whose process grows over minutes), by day or at night, when
// its peers idle.
// (Behind one that does not balance across zones, a runaway in a smaller zone may be held as its
// zone's doing: docs/algorithm.md, rule 2, zones that hold fewer.)
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runPolicy } from '../../src/sim/run.js';
import { parseScenario } from '../../src/sim/scenario.js';

const MAX_MINUTES = 20;

describe('the watchdog removes the sick instance', () => {
  it(`a runaway, detached or hung instance is gone within ${MAX_MINUTES} minutes`, () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 9999 }),
          desired: fc.integer({ min: 2, max: 10 }),
          lb: fc.constantFrom('classic', 'target-group'),
          // Night (peers idling below coldLoad, or a little above) or day.
          utilisation: fc.oneof(fc.double({ min: 0.01, max: 0.2, noNaN: true }), fc.double({ min: 0.2, max: 0.8, noNaN: true })),
          kind: fc.constantFrom('runaway', 'detach', 'hang'),
          rampMinutes: fc.option(fc.integer({ min: 2, max: 30 }), { nil: undefined }),
          atMinute: fc.integer({ min: 5, max: 30 }),
          instance: fc.integer({ min: 0, max: 1 }),
          // Spread over zones behind a balancer that balances across them: the zones change nothing.
          zones: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
        }),
        (r) => {
          const scenario = parseScenario(
            {
              version: 1,
              name: 'sick',
              durationMinutes: 90,
              seed: r.seed,
              group: { name: 'web', min: 2, max: 30, desired: r.desired, launchMinutes: 3, loadBalancer: r.lb, ...(r.zones !== undefined && { zones: r.zones, crossZone: true }) },
              demand: [[0, Math.round(r.desired * r.utilisation * 100) / 100]],
              noise: 0.05,
              faults: [{ kind: r.kind, atMinute: r.atMinute, instance: r.instance, ...(r.kind === 'runaway' && r.rampMinutes !== undefined && { rampMinutes: r.rampMinutes }) }],
            },
            'sick scenario',
          );
          const { report } = runPolicy(scenario, 'watchdog');
          const fault = report.faults[0]!;
          expect(fault.instance).not.toBeNull();
          expect(fault.removedAtMinute).not.toBeNull();
          const fullAt = fault.atMinute + (r.kind === 'runaway' ? (r.rampMinutes ?? 1) - 1 : 0);
          expect(fault.removedAtMinute! - fullAt).toBeLessThanOrEqual(MAX_MINUTES);
          expect(report.terminations.healthy).toBe(0);
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);
});
