// Issue 11's goals (src/sim/goals.ts) on hand-made reports: each goal at its edge and just past it.
import { describe, expect, it } from 'vitest';
import { bandActions, goalsMet, outdone } from '../../src/sim/goals.js';
import type { ReportAction } from '../../src/sim/run.js';

const up = (rule: ReportAction['rule']): ReportAction => ({ minute: 0, kind: 'set-desired', from: 2, to: 3, instance: null, decrement: null, rule, reason: '' });
const kill: ReportAction = { minute: 0, kind: 'terminate', from: 3, to: 2, instance: 'i-1', decrement: true, rule: 'runaway', reason: '' };
const actions = (count: number): ReportAction[] => Array.from({ length: count }, () => up('high-band'));
/** Target tracking's report: 1,000 instance-minutes, 10 unserved, 20 overload minutes, 8 actions. */
const tt = { instanceMinutes: 1000, unservedUnitMinutes: 10, overloadMinutes: 20, actions: actions(8) };
/** An oracle that serves everything with 900 (1.15 × 900 = 1,035). */
const oracle = { instanceMinutes: 900, unservedUnitMinutes: 0, overloadMinutes: 0, actions: [] };
const all = { instanceMinutes: true, unserved: true, overload: true, actions: true, oracle: true };

describe('goalsMet', () => {
  it.each<{ what: string; watchdog: Partial<typeof tt>; allowance?: number; oracleUnserved?: number; expected: Partial<typeof all> }>([
    { what: 'the same as target tracking', watchdog: {}, expected: {} },
    { what: 'one instance-minute more', watchdog: { instanceMinutes: 1001 }, expected: { instanceMinutes: false } },
    { what: 'one more, within an allowance of 5', watchdog: { instanceMinutes: 1005 }, allowance: 5, expected: {} },
    // Within a hundredth of a unit-minute (SAME_FIGURE) is the same.
    { what: 'a hundredth of a unit-minute more unserved', watchdog: { unservedUnitMinutes: 10.01 }, expected: {} },
    { what: 'a tenth more unserved', watchdog: { unservedUnitMinutes: 10.1 }, expected: { unserved: false } },
    { what: 'overload minutes 20 + 5', watchdog: { overloadMinutes: 25 }, expected: {} },
    { what: 'overload minutes 20 + 6', watchdog: { overloadMinutes: 26 }, expected: { overload: false } },
    { what: '10 actions (1.25 × 8)', watchdog: { actions: actions(10) }, expected: {} },
    { what: '11 actions', watchdog: { actions: actions(11) }, expected: { actions: false } },
    // 1,000 instance-minutes against the oracle's 900: 1.11 ×; 1,040 would be 1.156 ×.
    { what: 'past 1.15 × an oracle that serves everything', watchdog: { instanceMinutes: 1040 }, allowance: 40, expected: { oracle: false } },
    { what: 'an oracle that leaves some unserved is no measure', watchdog: { instanceMinutes: 1040 }, allowance: 40, oracleUnserved: 0.5, expected: {} },
  ])('$what', ({ watchdog, allowance, oracleUnserved, expected }) => {
    const reports = { watchdog: { ...tt, ...watchdog }, targetTracking: tt, oracle: { ...oracle, unservedUnitMinutes: oracleUnserved ?? 0 } };
    expect(goalsMet(reports, allowance)).toEqual({ ...all, ...expected });
  });

  it('band actions leave out the emergency +1s (a runaway\'s, a dead one\'s) and the kills', () => {
    expect(bandActions({ actions: [up('runaway'), kill, up('dead'), up('high-band'), up('n-minus-1')] })).toBe(2);
  });
});

describe('outdone: target tracking as good on every count and better on one', () => {
  it.each<{ what: string; watchdog: Partial<typeof tt>; expected: boolean }>([
    { what: 'the same', watchdog: {}, expected: false },
    { what: 'dearer, all else the same', watchdog: { instanceMinutes: 1010 }, expected: true },
    { what: 'dearer and more overload', watchdog: { instanceMinutes: 1010, overloadMinutes: 30 }, expected: true },
    { what: 'dearer for less unserved: a trade', watchdog: { instanceMinutes: 1010, unservedUnitMinutes: 5 }, expected: false },
    { what: 'cheaper for more overload: a trade', watchdog: { instanceMinutes: 990, overloadMinutes: 30 }, expected: false },
    // Within a hundredth of a unit-minute is the same, either way.
    { what: 'dearer for a hundredth less unserved', watchdog: { instanceMinutes: 1010, unservedUnitMinutes: 9.99 }, expected: true },
    { what: 'a hundredth more unserved, all else the same', watchdog: { unservedUnitMinutes: 10.01 }, expected: false },
  ])('$what', ({ watchdog, expected }) => expect(outdone({ ...tt, ...watchdog }, tt)).toBe(expected));
});
