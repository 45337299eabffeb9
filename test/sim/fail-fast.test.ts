// A hang whose web server answers every request at once with an error page (it fails fast), its
// health checks passing: the simulator's `hang` with `answers: "errors"` (docs/simulation.md). On
// its error pages alone it runs at 0.5 % + a fiftieth of what its share would cost. Round robin
// sends it its share: below coldLoad, dead by rule 4, killed. Least outstanding requests sends it
// more the busier its peers are (src/sim/balancer.ts): in a busy fleet of ten it runs above
// coldLoad, far below its share (signals.cold): told of, never killed, and no scale-in beside it.
import { describe, expect, it } from 'vitest';
import { WatchdogPolicy } from '../../src/sim/policies/watchdog.js';
import { runPolicy } from '../../src/sim/run.js';
import { scenario } from './scenarios.js';

const story = (balancing: string, size: number, units: number, max = 40) =>
  scenario(
    { durationMinutes: 90, seed: 7, demand: [[0, units]], noise: 0.05, faults: [{ kind: 'hang', atMinute: 10, instance: 2, healthChecks: 'pass', answers: 'errors' }] },
    { min: 2, max, desired: size, loadBalancer: 'target-group', balancing },
  );

describe('a hang that fails fast', () => {
  it.each<{ what: string; balancing: string; size: number; units: number; max?: number; expected: { removals: string[]; killedAt: number | null; firstToldAt: number | null; healthy: number } }>([
    // Its share of 0.75 at 2 %: dead beside peers at 75 %, killed once held 5 minutes (seen at 15).
    { what: 'four at 75 %, round robin', balancing: 'round-robin', size: 4, units: 3, expected: { removals: ['20 terminate dead'], killedAt: 20, firstToldAt: null, healthy: 0 } },
    // Least outstanding requests: 1.4 times its share, 48 % of the requests (peers at 52 %):
    // 3.4 %, still dead.
    { what: 'four at 75 %, least outstanding requests', balancing: 'least-outstanding-requests', size: 4, units: 3, expected: { removals: ['20 terminate dead'], killedAt: 20, firstToldAt: null, healthy: 0 } },
    // 2.6 times its share, 26 % of the requests (peers at 62 %): 4.4 %, far below its share.
    // Before 2026-12-07 the fleet load read its CPU as a share, and the N−1 rule scaled in beside
    // it (10 → 8 → 6), which sent it more.
    { what: 'ten at 75 %, least outstanding requests', balancing: 'least-outstanding-requests', size: 10, units: 7.5, expected: { removals: [], killedAt: null, firstToldAt: 20, healthy: 0 } },
    // An overload three times the fleet's capacity: the fleet grows for it, and the hang, at 2 %
    // once its share falls, goes as dead.
    { what: 'three at 300 %, round robin', balancing: 'round-robin', size: 3, units: 9, expected: { removals: ['33 terminate dead'], killedAt: 33, firstToldAt: null, healthy: 0 } },
    // The same at the group's max: round robin sends it 3 units, 6.5 %, beside two pinned, far
    // below its share (two at work beside it: CPU cannot tell, what it sends does from minute 16),
    // told of at 21. Before 2026-12-07 the two read as runaways beside it (their peers' median
    // the mean of 100 and 6.5), and one was killed at 20.
    { what: 'three at 300 %, round robin, at max', balancing: 'round-robin', size: 3, units: 9, max: 3, expected: { removals: [], killedAt: null, firstToldAt: 21, healthy: 0 } },
  ])('$what', ({ balancing, size, units, max, expected }) => {
    const told: number[] = [];
    const scenario = story(balancing, size, units, max);
    const policy = new WatchdogPolicy(scenario.config, (decision, minute) => {
      if (decision.alerts.some((a) => a.key.startsWith('cold:'))) told.push(minute);
    });
    const { report } = runPolicy(scenario, 'watchdog', policy);
    expect({
      removals: report.actions.filter((a) => a.kind === 'terminate' || a.from > a.to).map((a) => `${a.minute} ${a.kind === 'terminate' ? `terminate ${a.rule}` : `desired ${a.from}→${a.to}`}`),
      killedAt: report.faults[0]!.terminatedAtMinute,
      firstToldAt: told[0] ?? null,
      healthy: report.terminations.healthy,
    }).toEqual(expected);
  });

  // Its agent missing two minutes (4 and 5) as it began to fail, beside an overload (two at 265 %,
  // 20 % noise a minute, round robin): on a load of fewer minutes than its peers' it was a
  // working peer at 5 %, the healthy one pinned beside it and the one launched for the +1 read
  // runaways by the median of 100 and 5, and one was killed at minute 9 (before 2026-12-07; the
  // hang went as dead at 69, 45 minutes held, the fleet then of seven). No reading is held on
  // such a load, but it is no working peer: the fleet saturated, grown, and the hang dead at 19.
  it('its metrics missing two minutes as it began to fail, beside an overload', () => {
    const gap = scenario(
      {
        durationMinutes: 90,
        seed: 0,
        demand: [[0, 5.3]],
        noise: 0.2,
        faults: [
          { kind: 'hang', atMinute: 1, instance: 0, healthChecks: 'pass', answers: 'errors' },
          { kind: 'metrics-gap', atMinute: 4, instance: 0, minutes: 2 },
        ],
      },
      { min: 2, max: 16, desired: 2, loadBalancer: 'target-group' },
    );
    const { report } = runPolicy(gap, 'watchdog');
    expect({
      kills: report.actions.filter((a) => a.kind === 'terminate').map((a) => `${a.minute} ${a.rule}`),
      killedAt: report.faults[0]!.terminatedAtMinute,
      healthy: report.terminations.healthy,
    }).toEqual({ kills: ['19 dead'], killedAt: 19, healthy: 0 });
  });
});
