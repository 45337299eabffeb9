// The fleet's one line (src/render/fleet.ts): the watch log, `status`, the alert mail's table and `instances` say it.
import { describe, expect, it } from 'vitest';
import type { LbState, UnmeasuredWhy } from '../../src/engine/index.js';
import { fleetLine, fleetSummary, notCarrying, type FleetView } from '../../src/render/fleet.js';

// The parts in parentheses: each where the command knows it (status has the counts its history kept, instances no Pending count).
describe('the serving instances without a load, and those on their way', () => {
  const line = { n: 3, min: 2, max: 10, desired: 3, avg: 50, projection1: 75 };
  /** The counts from each instance's reason for no load (null: measured), in its balancer unless said. */
  const counts = (measured: number, whys: Array<UnmeasuredWhy | null>, lbs: LbState[] = []) => notCarrying(3, measured, whys.map((why, i) => ({ why, lb: lbs[i] ?? ('in' as const) })));
  it.each([
    { what: 'all measured', parts: { notCarrying: counts(3, [null, null, null]) }, expected: '3 in service (min 2, max 10, desired 3), average 50.0 %, with one fewer 75.0 %' },
    { what: 'one in warm-up', parts: { notCarrying: counts(2, [null, null, 'warming-up']) }, expected: '3 in service (min 2, max 10, desired 3, 1 unmeasured), average 50.0 %, with one fewer 75.0 %' },
    { what: 'one joining its balancer', parts: { notCarrying: counts(2, [null, null, 'joining']) }, expected: '3 in service (min 2, max 10, desired 3, 1 joining), average 50.0 %, with one fewer 75.0 %' },
    // 3 serving, 0 measured: 2 joining, 1 other (no datapoints).
    { what: 'both', parts: { notCarrying: counts(0, ['joining', 'joining', 'no-datapoints']) }, expected: '3 in service (min 2, max 10, desired 3, 2 joining, 1 unmeasured), average 50.0 %, with one fewer 75.0 %' },
    // 3 serving, 0 measured: 1 joining, 1 capped at its baseline, 1 warming up.
    { what: 'one out of CPU credits', parts: { notCarrying: counts(0, ['joining', 'out-of-credits', 'warming-up']) }, expected: '3 in service (min 2, max 10, desired 3, 1 joining, 1 out of CPU credits, 1 unmeasured), average 50.0 %, with one fewer 75.0 %' },
    // A Pending instance is not serving: its reason counts for nothing here; the tick counts it launching.
    { what: 'a launch pending', parts: { launching: 1, notCarrying: counts(3, [null, null, null, 'not-serving'], ['in', 'in', 'in', 'out']) }, expected: '3 in service (min 2, max 10, desired 3, 1 launching), average 50.0 %, with one fewer 75.0 %' },
    // Measured, serving, but dropped by its balancer: it carries nothing (a joining one is said so already).
    { what: 'one out of the balancer', parts: { notCarrying: counts(3, [null, null, null], ['in', 'in', 'out']) }, expected: '3 in service (min 2, max 10, desired 3, 1 out of the balancer), average 50.0 %, with one fewer 75.0 %' },
    { what: 'one joining, out of it', parts: { notCarrying: counts(2, [null, null, 'joining'], ['in', 'in', 'out']) }, expected: '3 in service (min 2, max 10, desired 3, 1 joining), average 50.0 %, with one fewer 75.0 %' },
    // status, from a tick recorded before the history kept the counts: none said.
    { what: 'status: no counts, none launching', parts: { launching: 0 }, expected: '3 in service (min 2, max 10, desired 3), average 50.0 %, with one fewer 75.0 %' },
    { what: 'the group named', parts: { group: 'web' }, expected: 'web: 3 in service (min 2, max 10, desired 3), average 50.0 %, with one fewer 75.0 %' },
  ])('$what', ({ parts, expected }) => expect(fleetLine({ ...line, ...parts })).toBe(expected));
});

// What desired has not launched beside it: one Pending is launched; fewer than desired is AWS's not launching (yet).
describe('the fleet’s one line', () => {
  const view = { group: 'web', time: '2026-12-05T12:00:00.000Z', min: 2, max: 10, n: 4, measured: 4, avg: 90, projection1: 120, instances: [] } satisfies Omit<FleetView, 'desired' | 'launched'>;
  it.each([
    { what: 'all launched', desired: 4, launched: 4, expected: 'web: 4 in service (min 2, max 10, desired 4), average 90.0 %, with one fewer 120.0 %' },
    { what: 'one Pending', desired: 5, launched: 5, expected: 'web: 4 in service (min 2, max 10, desired 5), average 90.0 %, with one fewer 120.0 %' },
    { what: 'two not launched', desired: 6, launched: 4, expected: 'web: 4 in service (min 2, max 10, desired 6, 2 not launched), average 90.0 %, with one fewer 120.0 %' },
    // A scale-in AWS has not carried out yet: more launched than desired says nothing.
    { what: 'one more than desired', desired: 3, launched: 4, expected: 'web: 4 in service (min 2, max 10, desired 3), average 90.0 %, with one fewer 120.0 %' },
  ])('$what', ({ desired, launched, expected }) => expect(fleetSummary({ ...view, desired, launched })).toBe(expected));
});
