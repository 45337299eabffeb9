// A runaway at night, when the fleet idles: none of its peers works, so rule 2's working peers are
// none. Behind a balancer that has every idle peer in it, each gets its share of the requests and
// the idle ones show what a share costs: the runaway is found, its +1 launched, and it is killed
// once that instance idles beside it too (docs/algorithm.md, rule 2, beside peers that all idle).
// Before (2026-12-06): never killed, the fleet grown to its max for it; and one that grew over
// minutes through the peers' range made the idle healthy peer read as dead.
import { describe, expect, it } from 'vitest';
import { runPolicy } from '../../src/sim/run.js';
import { scenario } from './scenarios.js';

describe('a runaway at night', () => {
  // Two instances at 3 % each (0.06 units), min 2, max 6; the runaway strikes instance 0 at minute 10.
  const night = (fault: Record<string, unknown>, group: Record<string, unknown> = {}) =>
    scenario({ durationMinutes: 90, seed: 3, demand: [[0, 0.06]], noise: 0.05, faults: [{ atMinute: 10, kind: 'runaway', instance: 0, ...fault }] }, { min: 2, max: 6, ...group });

  it.each<{ what: string; fault: Record<string, unknown>; group?: Record<string, unknown>; expected: { actions: string[]; killedAt: number | null; healthy: number; instanceMinutes: number } }>([
    // Pinned at once: its load shows it from minute 15 (3 minutes through CloudWatch's 2 of lag);
    // the +1 launched then is measured idle past its warm-up, and the kill follows: 2 × 90 + 7.
    {
      what: 'pinned at once',
      fault: {},
      expected: { actions: ['15 desired 2→3 runaway', '22 terminate runaway -1'], killedAt: 22, healthy: 0, instanceMinutes: 187 },
    },
    // Growing over 30 minutes from minute 10: at 95 % from minute 38, seen at 42 (the load of 3 minutes).
    {
      what: 'growing over 30 minutes',
      fault: { rampMinutes: 30 },
      expected: { actions: ['42 desired 2→3 runaway', '49 terminate runaway -1'], killedAt: 49, healthy: 0, instanceMinutes: 187 },
    },
    // At the group's max no +1 can show the traffic light: never killed, told (the alert), and the
    // fleet not grown for it.
    {
      what: 'pinned at once, at the group\'s max',
      fault: {},
      group: { max: 2 },
      expected: { actions: [], killedAt: null, healthy: 0, instanceMinutes: 180 },
    },
  ])('$what', ({ fault, group, expected }) => {
    const { report } = runPolicy(night(fault, group), 'watchdog');
    expect({
      actions: report.actions.map((a) => `${a.minute} ${a.kind === 'terminate' ? `terminate ${a.rule}${a.decrement ? ' -1' : ''}` : `desired ${a.from}→${a.to} ${a.rule}`}`),
      killedAt: report.faults[0]!.terminatedAtMinute,
      healthy: report.terminations.healthy,
      instanceMinutes: report.instanceMinutes,
    }).toEqual(expected);
  });
});
