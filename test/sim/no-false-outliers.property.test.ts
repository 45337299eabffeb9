// Over random traffic with nothing wrong in the fleet (surges, heavy noise a minute, instances
// launched and measured mid-surge, zones of unequal counts), no instance is taken for a runaway or
// a dead one (nor far below its share): no emergency +1, no kill, no mail for a sick instance
// that is not there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sim/random.js';
import { WatchdogPolicy } from '../../src/sim/policies/watchdog.js';
import { runPolicy } from '../../src/sim/run.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { fleetGroup, randomFleet, scenario, spreadOver } from './scenarios.js';

const trafficArb = fc
  .record({
    ...randomFleet,
    demand: fc.array(fc.double({ min: 0.5, max: 14, noNaN: true }), { minLength: 2, maxLength: 8 }),
    // The whole fleet's demand, minute by minute, × or ÷ e^(σ × a normal draw).
    sigma: fc.double({ min: 0, max: 0.4, noNaN: true }),
  })
  .map((s): Scenario => {
    const base = scenario(
      {
        name: 'random, nothing wrong',
        durationMinutes: 180,
        seed: s.seed,
        demand: spreadOver(180, s.demand),
        noise: 0.02,
      },
      { min: 2, max: 24, desired: s.desired, ...fleetGroup(s) },
    );
    const random = seededRandom(s.seed + 1);
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return { ...base, perMinute: base.perMinute.map((units) => units * Math.exp(s.sigma * normal())) };
  });

describe('no sick instance is seen where there is none', () => {
  it('over random surges and noise, with no fault', () => {
    fc.assert(
      fc.property(trafficArb, (traffic) => {
        // Told far below its share (rule 4: a mail, no action) is a sickness too.
        const cold: string[] = [];
        const policy = new WatchdogPolicy(traffic.config, (decision) => cold.push(...decision.alerts.filter((a) => a.key.startsWith('cold:')).map((a) => a.key)));
        const { report } = runPolicy(traffic, 'watchdog', policy);
        // Pinned by a smaller zone's share is no sickness: its +1 (launched there) evens the zones, and says so.
        const sick = report.actions.filter((a) => (a.rule === 'runaway' && !a.reason.includes('without cross-zone balancing')) || a.rule === 'dead' || a.rule === 'detached');
        expect({ sick, cold }).toEqual({ sick: [], cold: [] });
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
