// The fleet's one line (src/render/fleet.ts): the watch log, the alert mail and `instances` say it.
import { describe, expect, it } from 'vitest';
import { fleetSummary, notMeasured, type FleetView } from '../../src/render/fleet.js';

describe('the serving instances without a load', () => {
  it.each([
    { what: 'all measured', n: 3, measured: 3, whys: [null, null, null], expected: '' },
    { what: 'one in warm-up', n: 3, measured: 2, whys: [null, null, 'warming-up' as const], expected: ', 1 unmeasured' },
    { what: 'one joining its balancer', n: 3, measured: 2, whys: [null, null, 'joining' as const], expected: ', 1 joining' },
    // 5 serving, 1 measured: 2 joining, and 2 others (no datapoints, stale).
    { what: 'both', n: 5, measured: 1, whys: [null, 'joining' as const, 'joining' as const, 'no-datapoints' as const, 'stale' as const], expected: ', 2 joining, 2 unmeasured' },
    // 4 serving, 1 measured: 1 joining, 1 capped at its baseline, 1 warming up.
    { what: 'one out of CPU credits', n: 4, measured: 1, whys: [null, 'joining' as const, 'out-of-credits' as const, 'warming-up' as const], expected: ', 1 joining, 1 out of CPU credits, 1 unmeasured' },
    // A Pending instance is not serving: its reason counts for nothing here.
    { what: 'a launch pending', n: 2, measured: 2, whys: [null, null, 'not-serving' as const], expected: '' },
  ])('$what: "$expected"', ({ n, measured, whys, expected }) => expect(notMeasured(n, measured, whys)).toBe(expected));
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
