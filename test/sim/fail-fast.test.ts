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
});
