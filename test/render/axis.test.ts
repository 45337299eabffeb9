// The time axis (src/render/axis.ts) of the page and of simulate --chart: labelled at round times, at most as many as the frame has room for.
import { describe, expect, it } from 'vitest';
import { axisTicks } from '../../src/render/axis.js';

const H = 60; // scenario minutes in an hour
const at = (iso: string) => Date.parse(iso);
describe('the time axis', () => {
  it.each([
    // An hour of scenario minutes, 0 to 59: every 15 (4 ≤ 5); on a phone every 30 (2 ≤ 3).
    { what: 'an hour, wide', x0: 0, x1: 59, most: 5, minute: 1, expected: [0, 15, 30, 45] },
    { what: 'an hour, narrow', x0: 0, x1: 59, most: 3, minute: 1, expected: [0, 30] },
    // A day, 0 to 1439: 6 h steps give 4 (0, 360, 720, 1080); on a phone 12 h, 2.
    { what: 'a day, wide', x0: 0, x1: 24 * H - 1, most: 5, minute: 1, expected: [0, 360, 720, 1080] },
    { what: 'a day, narrow', x0: 0, x1: 24 * H - 1, most: 3, minute: 1, expected: [0, 720] },
    // A week, 0 to 10079: 2 days give 4 (0, 2880, 5760, 8640); on a phone 3 days, 3.
    { what: 'a week, wide', x0: 0, x1: 7 * 1440 - 1, most: 5, minute: 1, expected: [0, 2880, 5760, 8640] },
    { what: 'a week, narrow', x0: 0, x1: 7 * 1440 - 1, most: 3, minute: 1, expected: [0, 4320, 8640] },
    // Four weeks on a phone: past a week the step doubles (2 weeks: 0, 20160).
    { what: 'four weeks, narrow', x0: 0, x1: 28 * 1440 - 1, most: 3, minute: 1, expected: [0, 20160] },
    // status's hour of ticks at 07:21:37 to 08:20:37: the quarter hours within it.
    { what: 'a clock hour off the quarter', x0: at('2026-12-06T07:21:37Z'), x1: at('2026-12-06T08:20:37Z'), most: 5, minute: 60_000, expected: ['07:30', '07:45', '08:00', '08:15'].map((t) => at(`2026-12-06T${t}:00Z`)) },
    // One tick recorded: no round time within the instant, so the instant itself.
    { what: 'a single tick', x0: at('2026-12-06T07:21:37Z'), x1: at('2026-12-06T07:21:37Z'), most: 5, minute: 60_000, expected: [at('2026-12-06T07:21:37Z')] },
  ])('$what', ({ x0, x1, most, minute, expected }) => expect(axisTicks(x0, x1, most, minute)).toEqual(expected));
});
