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

/**
 * One sick instance's story: a fleet behind a balancer at night (peers idling below coldLoad, or a
 * little above) or by day, up to `busiest` of its capacity, one fault, 90 minutes.
 */
const storyArb = (busiest: number, types: fc.Arbitrary<readonly string[] | undefined>) =>
  fc.record({
    seed: fc.integer({ min: 0, max: 9999 }),
    desired: fc.integer({ min: 2, max: 10 }),
    lb: fc.constantFrom('classic', 'target-group'),
    utilisation: fc.oneof(fc.double({ min: 0.01, max: 0.2, noNaN: true }), fc.double({ min: 0.2, max: busiest, noNaN: true })),
    kind: fc.constantFrom<'runaway' | 'detach' | 'hang'>('runaway', 'detach', 'hang'),
    healthChecks: fc.constant<'fail' | 'pass'>('fail'),
    rampMinutes: fc.option(fc.integer({ min: 2, max: 30 }), { nil: undefined }),
    atMinute: fc.integer({ min: 5, max: 30 }),
    instance: fc.integer({ min: 0, max: 1 }),
    // Spread over zones behind a balancer that balances across them: the zones change nothing.
    zones: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
    types,
  });

type Story = ReturnType<typeof storyArb> extends fc.Arbitrary<infer T> ? T : never;

function sickGoes(r: Story): void {
  const scenario = parseScenario(
    {
      version: 1,
      name: 'sick',
      durationMinutes: 90,
      seed: r.seed,
      group: { name: 'web', min: 2, max: 30, desired: r.desired, launchMinutes: 3, loadBalancer: r.lb, ...(r.zones !== undefined && { zones: r.zones, crossZone: true }), ...(r.types !== undefined && { types: r.types }) },
      demand: [[0, Math.round(r.desired * r.utilisation * 100) / 100]],
      noise: 0.05,
      faults: [{ kind: r.kind, atMinute: r.atMinute, instance: r.instance, ...(r.kind === 'runaway' && r.rampMinutes !== undefined && { rampMinutes: r.rampMinutes }), ...(r.kind === 'hang' && { healthChecks: r.healthChecks }) }],
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
}

describe('the watchdog removes the sick instance', () => {
  it(`a runaway, detached or hung instance is gone within ${MAX_MINUTES} minutes`, () => {
    fc.assert(fc.property(storyArb(0.8, fc.constant(undefined)), sickGoes), { numRuns: 400 });
  }, 120_000);

  // Hung behind a web server that still answers the balancer's checks: never marked out, it is
  // the dead rule's alone, here 2 to 10 at 25 to 80 % busy. Two others at work at least
  // (DEAD_WITNESSES), or in a fleet of two the single other where what it sends says it serves
  // nothing (the simulator reads NetworkOut by default): an emergency +1, and the kill once the
  // one launched works. Read dead, it holds the N−1 rule off until the dead rule acts (three at
  // 25 %: test/sim/night.test.ts); with the others below coldOthersMin (20 %) it is not read dead
  // (docs/algorithm.md, rule 4).
  it(`hung while its health checks pass, 2 or more at 25 to 80 % busy, it is gone within ${MAX_MINUTES} minutes`, () => {
    const story = storyArb(0.8, fc.constant(undefined)).map((r) => ({ ...r, kind: 'hang' as const, healthChecks: 'pass' as const, utilisation: 0.25 + (r.utilisation % 0.55) }));
    fc.assert(fc.property(story, sickGoes), { numRuns: 200 });
  }, 120_000);

  // Sizes of one family, launched in turn (round robin: a c5.large at twice a c5.xlarge's CPU),
  // up to 60 % busy: alike a vCPU, a runaway is rule 2's against the others' shares, and one
  // pinned beside an idle one of its size is judged against the others at work (before
  // 2026-12-06: a suspect only, or kept until a scale-in took it). At 80 %, three of three sizes
  // hold a runaway only 20 points above what the others make its share, and it may go later.
  it(`of one family's sizes, up to 60 % busy, it is gone within ${MAX_MINUTES} minutes`, () => {
    const oneFamily = fc.constantFrom(['c5.large', 'c5.xlarge'], ['c5.large', 'c5.xlarge', 'c5.2xlarge'], ['c5.large', 'c5.4xlarge'], ['m5.2xlarge', 'm5.large', 'm5.xlarge']);
    // A runaway at night beside a c5.xlarge at the idle mark's edge (4-5 %): each minute it crossed
    // moved the runaway between rule 2's two readings, a new hold each time, and it went 25
    // minutes after it was pinned (2026-12-07; now its hold goes on: signals.ts, continuedKeys).
    const edge: Story = { seed: 0, desired: 6, lb: 'classic', utilisation: 0.03083333333333333, kind: 'runaway', healthChecks: 'fail', rampMinutes: 2, atMinute: 26, instance: 1, zones: 3, types: ['c5.large', 'c5.xlarge'] };
    fc.assert(fc.property(storyArb(0.6, oneFamily), sickGoes), { numRuns: 200, examples: [[edge]] });
  }, 120_000);
});
