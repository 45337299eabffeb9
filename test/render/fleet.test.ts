// The fleet's one line (src/render/fleet.ts): the watch log, the alert mail and `instances` say it.
import { describe, expect, it } from 'vitest';
import { notMeasured } from '../../src/render/fleet.js';

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
