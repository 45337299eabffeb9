// The arithmetic of sizing (src/engine/sizing.ts), one table per function; the expected values
// are worked out in the comments.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import {
  fellOff,
  instancesFor,
  isClear,
  jumpAhead,
  levelOf,
  minuteNoise,
  quantile,
  saturatedSize,
  scaleInSize,
  scaleInWaitSeconds,
  scaleOutSize,
  sizingOf,
  sizingSpans,
  stepDownLimit,
  stepUpLimit,
  studentCentral,
  surgeOver,
  trendOf,
  valueAtRank,
  zonedCapacity,
} from '../../src/engine/sizing.js';
import type { LoadSample, Trend } from '../../src/engine/index.js';
import { at } from './fleet.js';
import { withConfig } from './timeline.js';

/** Samples a minute apart ending at minute 0, oldest first. */
const minutes = (loads: number[]): LoadSample[] => loads.map((load, i) => ({ at: at(i - loads.length + 1), load }));

describe('quantile', () => {
  it.each<{ values: number[]; q: number; expected: number }>([
    { values: [5], q: 0.75, expected: 5 },
    // Rank ⌊0.75 × 4⌋ = 3 of [1, 2, 3, 4].
    { values: [4, 1, 3, 2], q: 0.75, expected: 4 },
    // Rank ⌊0.75 × 10⌋ = 7 of 1..10.
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], q: 0.75, expected: 8 },
    { values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], q: 0.5, expected: 6 },
    { values: [1, 2, 3], q: 1, expected: 3 },
    // Ties: rank ⌊0.5 × 6⌋ = 3 of [1, 2, 2, 2, 2, 9].
    { values: [2, 9, 2, 1, 2, 2], q: 0.5, expected: 2 },
    // A NaN sorts after every number, as Float64Array's sort places it: rank 2 of [1, 3, NaN].
    { values: [Number.NaN, 3, 1], q: 0.5, expected: 3 },
    { values: [Number.NaN, 3, 1], q: 1, expected: Number.NaN },
  ])('$q-quantile of $values is $expected', ({ values, q, expected }) => expect(quantile(values, q)).toBe(expected));

  it('selects the value a sort puts at each rank, without sorting', () => {
    // -0 and 0 compare equal, so the selection may return either where the sort puts one: + 0 makes every zero 0.
    const value = fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 })).map((v) => v + 0);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.nat(), (values, at) => {
        const rank = at % values.length;
        const sorted = Float64Array.from(values).sort();
        const input = Float64Array.from(values);
        expect(valueAtRank(input, rank)).toBe(sorted[rank]);
        expect(Float64Array.from(input).sort()).toEqual(sorted); // reordered, nothing lost
      }),
      { numRuns: 500 },
    );
  });
});

describe('trendOf: the least-squares line through the recent minutes', () => {
  it.each<{ what: string; loads: number[]; slope: number; t: number; atNewest: number }>([
    { what: 'a straight climb: certain', loads: [100, 110, 120, 130, 140], slope: 10, t: Number.POSITIVE_INFINITY, atNewest: 140 },
    { what: 'flat: no slope', loads: [200, 200, 200, 200], slope: 0, t: 0, atNewest: 200 },
    // x = −3..0, y = 10, 14, 10, 14: Sxx = 5, Sxy = 4, slope 0.8, line at 0: 12 + 0.8 × 1.5 = 13.2;
    // residuals −0.8, 2.4, −2.4, 0.8: SSR 12.8, se = √(12.8 / 2 / 5) = 1.131, t = 0.707.
    { what: 'a zigzag: a slope no one should trust', loads: [10, 14, 10, 14], slope: 0.8, t: 0.7071, atNewest: 13.2 },
  ])('$what', ({ loads, slope, t, atNewest }) => {
    const trend = trendOf(minutes(loads))!;
    expect(trend.slope).toBeCloseTo(slope);
    expect(trend.atNewest).toBeCloseTo(atNewest);
    if (Number.isFinite(t)) expect(trend.t).toBeCloseTo(t, 3);
    else expect(trend.t).toBe(t);
  });

  it('three samples are no trend', () => expect(trendOf(minutes([1, 2, 3]))).toBeNull());
  // A minute at capacity shows what was served, not what was asked: the line starts after the last one.
  it.each<{ what: string; loads: number[]; capped: number[]; slope: number | null }>([
    { what: 'the newest minute capped: no line', loads: [100, 200, 300, 400], capped: [3], slope: null },
    // Three minutes after the cap are too few for a line.
    { what: 'three minutes since a cap: no line', loads: [100, 200, 300, 400, 500], capped: [1], slope: null },
    // The line through 200, 300, 400, 500 only: the capped 900 before them does not bend it.
    { what: 'four minutes since a cap: a line through them alone', loads: [900, 200, 300, 400, 500], capped: [0], slope: 100 },
  ])('$what', ({ loads, capped, slope }) => {
    const samples = minutes(loads).map((s, i) => (capped.includes(i) ? { ...s, capped: true as const } : s));
    expect(trendOf(samples)?.slope ?? null).toBe(slope);
  });
});

describe('studentCentral: P(|T| < t) of Student\'s t', () => {
  // The two-sided 95 % points of the published tables.
  it.each<{ t: number; df: number; expected: number }>([
    { t: 12.706, df: 1, expected: 0.95 },
    { t: 4.303, df: 2, expected: 0.95 },
    { t: 3.182, df: 3, expected: 0.95 },
    { t: 2.776, df: 4, expected: 0.95 },
    { t: 2.306, df: 8, expected: 0.95 },
    { t: 2.042, df: 30, expected: 0.95 },
    { t: 0, df: 5, expected: 0 },
  ])('t $t with $df degrees of freedom: $expected', ({ t, df, expected }) => expect(studentCentral(t, df)).toBeCloseTo(expected, 4));
});

describe('isClear: a line as unlikely by chance as the confidence through ten minutes', () => {
  const line = (t: number, minutes: number): Trend => ({ slope: 1, t, atNewest: 0, residuals: Array(minutes).fill(0) });
  it.each<{ what: string; t: number; minutes: number; clear: boolean }>([
    { what: 'ten minutes at the confidence', t: 6, minutes: 10, clear: true },
    { what: 'ten minutes just under it', t: 5.9, minutes: 10, clear: false },
    { what: 'thirty minutes: the confidence itself, never less', t: 6, minutes: 30, clear: true },
    { what: 'thirty minutes under it', t: 5, minutes: 30, clear: false },
    // Two degrees of freedom: a t of 6 is left by chance once in 75 lines; 55.6 is as rare as 6 through ten.
    { what: 'four minutes at a t of 21', t: 21, minutes: 4, clear: false },
    { what: 'four minutes at a t of 56', t: 56, minutes: 4, clear: true },
    { what: 'four minutes on a straight line', t: Number.POSITIVE_INFINITY, minutes: 4, clear: true },
    // Four degrees of freedom: 11.53.
    { what: 'six minutes at 11.5', t: 11.5, minutes: 6, clear: false },
    { what: 'six minutes at 11.6', t: 11.6, minutes: 6, clear: true },
  ])('$what: $clear', ({ t, minutes, clear }) => expect(isClear(line(t, minutes), 6)).toBe(clear));
});

describe('levelOf: the window\'s level, along its line when it clearly rises or falls', () => {
  const ramp = (from: number, step: number, count: number) => Array.from({ length: count }, (_, i) => from + step * i);
  it.each<{ what: string; loads: number[]; capped?: number[]; load: number; alongLine: boolean }>([
    { what: 'a steady load: its own percentile', loads: Array(30).fill(500), load: 500, alongLine: false },
    // Every pair goes up (z = 434 / 56.05 = 7.7); Sen's slope 10, the line at the newest minute 390,
    // the minutes on it. Their own p75 (rank 22) would be 320: 7 minutes back.
    { what: 'a ramp: the line at the newest minute', loads: ramp(100, 10, 30), load: 390, alongLine: true },
    { what: 'a fall likewise', loads: ramp(700, -10, 30), load: 410, alongLine: true },
    // 56 pairs go up (each earlier minute with each burst minute), the rest are ties:
    // z = (56 − 1) / √(30 × 29 × 65 / 18) = 0.98 < 2. Its own p75, rank 22 of 30: 400.
    { what: 'a burst of two minutes at the end is no ramp', loads: [...Array(28).fill(400), 800, 800], load: 400, alongLine: false },
    // The line starts after the capped 900: the 29 minutes of 110..390.
    { what: 'the line starts after a capped minute', loads: [900, ...ramp(110, 10, 29)], capped: [0], load: 390, alongLine: true },
  ])('$what', ({ loads, capped, load, alongLine }) => {
    const samples = minutes(loads).map((s, i) => ((capped ?? []).includes(i) ? { ...s, capped: true as const } : s));
    const level = levelOf(samples);
    expect({ load: level.at(0.75), alongLine: level.alongLine }).toEqual({ load, alongLine });
  });
});

describe('jumpAhead: a jump off the level, climbing or to capacity', () => {
  // Twelve older minutes around 100: highest 103, median (rank 6 of 12) 100, reach 3; the newest
  // must be 103 + 2 × 3 = 109 or more.
  const level = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100];
  it.each<{ what: string; loads: number[]; expected: number | null }>([
    // Slope (110 − 104) / 2 = 3 a minute, carried 12 minutes: 110 + 36.
    { what: 'three minutes climbing past the level', loads: [...level, 104, 107, 110], expected: 146 },
    { what: 'not far enough above its reach', loads: [...level, 104, 106, 108], expected: null },
    { what: 'not climbing every minute', loads: [...level, 110, 105, 112], expected: null },
    { what: 'one minute not above every older one', loads: [...level, 103, 107, 110], expected: null },
    // Highest 150, median 100: the newest must reach 250.
    { what: 'within a bursty window\'s own reach', loads: [...level.slice(1), 150, 160, 170, 180], expected: null },
    // Nine older minutes are fewer than the recent window's ten.
    { what: 'too few older minutes to judge', loads: [...level.slice(3), 104, 107, 110], expected: null },
  ])('$what → $expected', ({ loads, expected }) => expect(jumpAhead(minutes(loads), defaultConfig)).toBe(expected));

  // Four instances, capped from 380 (each at `urgent` or more), but for the row whose oldest
  // minute was capped at 195, when the fleet was two.
  const calm = [300, 306, 294, 303, 297, 300, 309, 291, 300, 303, 297, 300];
  const cappedFrom = (loads: number[], fleetOf2 = -1) => minutes(loads).map((s, i) => (s.load >= 380 || i === fleetOf2 ? { ...s, capped: true } : s));
  it.each<{ what: string; loads: number[]; fleetOf2?: number; expected: number | null }>([
    // Highest 309, median 300, reach 9: off the level from 327. From the last minute below
    // capacity (300) to the newest (400) in 2 minutes: 50 a minute, carried 12 ahead: 400 + 600.
    { what: 'two minutes at capacity off a calm level', loads: [...calm, 400, 400], expected: 1000 },
    // The three minutes' climb (jumpAhead's first way) does not hold: 300 is not above 309.
    { what: 'one minute at capacity', loads: [...calm, 300, 400], expected: null },
    // Capped already (two instances at 195): the saturated rule's business, not a new surge.
    { what: 'a capped minute earlier in the window', loads: [195, ...calm, 400, 400], fleetOf2: 0, expected: null },
    // Highest 360, median 300: off the level only from 480, above four instances' 400.
    { what: 'within a bursty window\'s own reach', loads: [360, ...calm, 400, 400], expected: null },
    { what: 'too few older minutes to judge', loads: [...calm.slice(3), 400, 400], expected: null },
    // The last surge's tail at 360 is older than the 15 minutes before the capped ones, which are
    // calm: the same jump as the first row.
    { what: 'a surge on the tail of the last one', loads: [360, 360, 360, 360, 360, ...calm, 300, 300, 300, 400, 400], expected: 1000 },
  ])('$what → $expected', ({ loads, fleetOf2, expected }) => expect(jumpAhead(cappedFrom(loads, fleetOf2), defaultConfig)).toBe(expected));
});

describe('fellOff: a fall off the level', () => {
  // Twelve older minutes around 100: lowest 97, median (rank 6 of 12) 100, reach down 3; every
  // newer minute must be below 97 − 2 × 3 = 91.
  const level = [100, 102, 98, 101, 99, 100, 103, 97, 100, 101, 99, 100];
  it.each<{ what: string; older: number[]; newer: number[]; expected: boolean }>([
    { what: 'five minutes below every older one by twice their reach', older: level, newer: [90, 85, 80, 88, 86], expected: true },
    { what: 'one of them not far enough below', older: level, newer: [90, 85, 91, 88, 86], expected: false },
    // Lowest 60, median 100: the newer minutes must be below 60 − 80.
    { what: 'within a bursty level\'s own reach', older: [...level.slice(1), 60], newer: [50, 45, 40, 48, 46], expected: false },
    // Nine older minutes are fewer than the recent window's ten.
    { what: 'too few older minutes to judge', older: level.slice(3), newer: [90, 85, 80, 88, 86], expected: false },
  ])('$what → $expected', ({ older, newer, expected }) => expect(fellOff(minutes(older), minutes(newer), defaultConfig)).toBe(expected));
});

describe('surgeOver: a surge to capacity that is over', () => {
  // The calm level of jumpAhead's rows: highest 309, median 300, reach 9, off it from 327; its
  // p75 (rank 9 of 12) is 303. Minutes of 380 or more are capped (four instances at capacity).
  const calm = [300, 306, 294, 303, 297, 300, 309, 291, 300, 303, 297, 300];
  const capped = (loads: number[]) => minutes(loads).map((s) => (s.load >= 380 ? { ...s, capped: true } : s));
  it.each<{ what: string; loads: number[]; stepAt?: number; expected: number | null }>([
    // The higher of the level's p75 (303) and the newest two (300, 303).
    { what: 'three minutes at capacity off a calm level, then two back on it', loads: [...calm, 400, 400, 400, 300, 303], expected: 303 },
    { what: 'the newest minute higher than the level\'s p75, within its reach', loads: [...calm, 400, 400, 300, 320], expected: 320 },
    { what: 'back for one minute only', loads: [...calm, 400, 400, 400, 300], expected: null },
    { what: 'settled higher, off the level', loads: [...calm, 400, 400, 400, 330, 330], expected: null },
    // The first two minutes after the level must both be capped off it, as a jump to capacity's are.
    { what: 'one minute at capacity, then another', loads: [...calm, 400, 300, 400, 300, 300], expected: null },
    // Highest 360, median 300: off the level only from 480.
    { what: 'within a bursty level\'s own reach', loads: [360, ...calm, 400, 400, 300, 300], expected: null },
    { what: 'too few calm minutes before it', loads: [...calm.slice(3), 400, 400, 300, 300], expected: null },
    { what: 'an earlier surge still in the window', loads: [400, 400, ...calm, 400, 400, 300, 300], expected: null },
    // The step came before the surge's first capped minute: it was not for this surge.
    { what: 'a step older than the surge', loads: [...calm, 400, 400, 300, 300], stepAt: at(-4), expected: null },
  ])('$what → $expected', ({ loads, stepAt, expected }) => expect(surgeOver(capped(loads), stepAt ?? at(0), defaultConfig)).toBe(expected));
});

describe('minuteNoise: a minute\'s noise, a fraction of the level', () => {
  // The median step between neighbours over √2 × 0.6745 = 0.953887, over the median load.
  it.each<{ what: string; samples: LoadSample[]; expected: number }>([
    { what: 'flat: none', samples: minutes(Array(10).fill(500)), expected: 0 },
    // Steps of 25 around a median of 100: 25 / 0.953887 / 100.
    { what: 'a zigzag of ±25 around 100', samples: minutes([100, 125, 100, 75, 100, 125, 100, 75, 100, 125, 100, 75]), expected: 0.26209 },
    // One step of 100 among fifteen of 0: the median step is 0.
    { what: 'a step is no noise', samples: minutes([...Array(8).fill(100), ...Array(8).fill(200)]), expected: 0 },
    // Neighbours at the samples' own spacing (5-minute datapoints): the same zigzag.
    { what: 'five-minute samples', samples: [100, 125, 100, 75, 100, 125, 100, 75].map((load, i) => ({ at: at(5 * (i - 7)), load })), expected: 0.26209 },
    // The pair across the gap (minutes −4 and −1: 75 → 500) is no neighbours: the rest step by 25.
    { what: 'a gap is not a step', samples: [...minutes([100, 125, 100, 75, 100, 125, 100, 75]).map((s) => ({ ...s, at: s.at - 3 * 60_000 })), { at: at(0), load: 500 }], expected: 0.26209 },
    // Pairs a minute apart step by 10 around a median of 110; the gaps between them jump by 190 to
    // 210 and would be the median step if counted: 10 / 0.953887 / 110.
    {
      what: 'only neighbours at the samples\' spacing count',
      samples: [[0, 100], [1, 110], [3, 300], [4, 310], [6, 100], [7, 110], [9, 300], [10, 310], [12, 100], [13, 110], [15, 300], [17, 100], [19, 300]].map(([m, load]) => ({ at: at(m! - 19), load: load! })),
      expected: 0.0953,
    },
  ])('$what', ({ samples, expected }) => expect(minuteNoise(samples)).toBeCloseTo(expected, 4));

  it.each<{ what: string; samples: LoadSample[] }>([
    { what: 'four minutes: too few neighbours', samples: minutes([100, 125, 100, 75]) },
    { what: 'no load: no level to weigh it by', samples: minutes(Array(10).fill(0)) },
  ])('$what: none', ({ samples }) => expect(minuteNoise(samples)).toBeNull());
});

describe('sizingSpans: the window and the recent minutes grow on noisy minutes', () => {
  const zigzag = (reach: number, count: number) => Array.from({ length: count }, (_, i) => 100 + [0, reach, 0, -reach][i % 4]!);
  // Both spans × (noise / 0.2)², the window at most noisyWindowMinutes (60) and the recent minutes
  // as many times their 10; 90 minutes known.
  it.each<{ what: string; loads: number[]; noisyWindowMinutes?: number; window: number; recent: number }>([
    { what: 'smooth: the base spans', loads: Array(90).fill(500), window: 30, recent: 10 },
    // 20 / 0.953887 / 100 = 0.20967, squared over 0.04: 1.0990; 30 × that = 32.97, 10 × = 10.99.
    { what: '21 % a minute', loads: zigzag(20, 90), window: 33, recent: 11 },
    // 0.26209: × 1.7173; 51.52 and 17.17.
    { what: '26 % a minute', loads: zigzag(25, 90), window: 52, recent: 18 },
    // 0.31451: × 2.4729, held at 60 / 30 = 2.
    { what: '31 % a minute: at most noisyWindowMinutes', loads: zigzag(30, 90), window: 60, recent: 20 },
    { what: 'a fixed window', loads: zigzag(25, 90), noisyWindowMinutes: 30, window: 30, recent: 10 },
    // The noise is judged on the base window: older noise alone does not grow them.
    { what: 'noisy an hour ago, calm now', loads: [...zigzag(30, 60), ...Array(30).fill(100)], window: 30, recent: 10 },
  ])('$what', ({ loads, noisyWindowMinutes, window, recent }) => {
    expect(sizingSpans(minutes(loads), withConfig({ noisyWindowMinutes: noisyWindowMinutes ?? 60 }))).toEqual({ window, recent });
  });

  // What sizingOf reads: as many minutes as the spans, or as many as are known if fewer.
  it.each<{ what: string; loads: number[]; minutes: number; recentMinutes: number }>([
    { what: 'smooth', loads: Array(90).fill(500), minutes: 30, recentMinutes: 10 },
    { what: '26 % a minute', loads: zigzag(25, 90), minutes: 52, recentMinutes: 18 },
    { what: 'a young history', loads: zigzag(30, 40), minutes: 40, recentMinutes: 20 },
  ])('sizingOf reads them: $what', ({ loads, minutes: window, recentMinutes }) => {
    const sizing = sizingOf(minutes(loads), defaultConfig)!;
    expect([sizing.minutes, sizing.recentMinutes]).toEqual([window, recentMinutes]);
  });
});

describe('sizingOf: what the band rules size for', () => {
  const flat = Array(20).fill(500);
  it.each<{ what: string; loads: number[]; level: number; out: number; in: number; moving: string | null }>([
    { what: 'a steady fleet', loads: flat, level: 500, out: 500, in: 500, moving: null },
    // Window (30 min) p75 of 20 samples: rank 15 of ten 400s and ten 600s is 600; recent (10) p75:
    // the ten newest alternate, rank 7 of five 400s and five 600s is 600. Both say 600.
    { what: 'noise: both windows see the peaks', loads: Array.from({ length: 20 }, (_, i) => (i % 2 ? 600 : 400)), level: 600, out: 600, in: 600, moving: null },
    // Ten minutes at 800 after twenty at 400: the window's p75 (rank 22 of twenty 400s and ten 800s)
    // is already 800, and so is the recent one: both say 800.
    { what: 'a level that moved up ten minutes ago', loads: [...Array(20).fill(400), ...Array(10).fill(800)], level: 800, out: 800, in: 800, moving: null },
    // Five minutes at 800 after 25 at 400: window p75 (rank 22 of 30) is 400, recent p75 (rank 7 of
    // 10) is 800; the newer five all above 400: shifted, out is the recent 800; in the higher, 800.
    { what: 'a level that moved up five minutes ago', loads: [...Array(25).fill(400), ...Array(5).fill(800)], level: 800, out: 800, in: 800, moving: 'shifted' },
    // Two minutes at 800: window p75 400, recent p75 (rank 7 of 10: eight 400s, two 800s) 400.
    { what: 'a burst of two minutes', loads: [...Array(28).fill(400), 800, 800], level: 400, out: 400, in: 400, moving: null },
    // A ramp off a flat level, three minutes old: no line is clear yet (t 3.6 over the ten) and the
    // newer five are not all above, but the three newest climb past every older minute (jumpAhead):
    // 650 + 50 × 12, above a level of 500 (the window's p75, under the recent minutes' 550). The
    // scale-in reads the recent minutes' p75, 550.
    { what: 'a ramp off a flat level is carried ahead after three minutes', loads: [...Array(27).fill(500), 550, 600, 650], level: 500, out: 1250, in: 550, moving: 'rising' },
    // A climb of 10 a minute (t = ∞): 12 minutes ahead of the newest, 790, is 910; the level, 790,
    // both spans at p90 (the recent minutes' 790 within 6 % of their p75); in, the higher of the
    // window along its line (790) and the recent p75 (rank 7 of 700..790: 770).
    { what: 'a clear rise is carried riseLeadMinutes ahead', loads: Array.from({ length: 20 }, (_, i) => 600 + 10 * i), level: 790, out: 910, in: 790, moving: 'rising' },
    // A fall of 10 a minute: 10 minutes ahead of the newest, 410, is 310; out, the lower of the
    // window along its line (410) and the recent p75 (rank 7 of 410..500: 480).
    { what: 'a clear fall is carried fallLeadMinutes ahead', loads: Array.from({ length: 20 }, (_, i) => 600 - 10 * i), level: 410, out: 410, in: 310, moving: 'falling' },
    // Twenty minutes at 800, then a fall of 30 a minute to 500. The window along its line (Sen's
    // slope −5) reads 720 and the recent minutes' p75 (rank 7 of 500..770) 710: both still hold
    // the level it fell from. The fall is clear (t = ∞): in, 10 minutes ahead, 500 − 300 = 200;
    // out and level, capped at the line at the newest minute, 500, not the lower window's 710.
    { what: 'a clear fall caps the scale-out load at its line now', loads: [...Array(20).fill(800), ...Array.from({ length: 10 }, (_, i) => 770 - 30 * i)], level: 500, out: 500, in: 200, moving: 'falling' },
    // Twenty minutes at 800, then a drop and a climb of 10 a minute from 300 (t = ∞). The window
    // still reads 800 (rank 22 of 30), the recent minutes 370 (p75) and 390 (p90, within 6 %, so
    // out reads it): the level, the lower, 390. Out, the climb 12 minutes ahead: 390 + 120 = 510;
    // in, no more than that, where the higher of the two windows would say 800.
    { what: 'a climb after a drop is not held at the old level', loads: [...Array(20).fill(800), ...Array.from({ length: 10 }, (_, i) => 300 + 10 * i)], level: 390, out: 510, in: 510, moving: 'rising' },
  ])('$what', ({ loads, level, out, in: inLoad, moving }) => {
    const sizing = sizingOf(minutes(loads), defaultConfig)!;
    expect({ level: sizing.level, out: sizing.out, in: sizing.in, moving: sizing.moving }).toEqual({ level, out, in: inLoad, moving });
  });

  it('a slow climb under noise is clear over the window when the recent minutes are not', () => {
    // +2 a minute under ±10 of zigzag: over the 10 recent minutes t = 2.2, over the 30 of the window 9.5.
    const loads = Array.from({ length: 30 }, (_, i) => 500 + 2 * i + (i % 2 ? 10 : -10));
    const sizing = sizingOf(minutes(loads), defaultConfig)!;
    expect([trendOf(minutes(loads.slice(-10)))!.t < 6, trendOf(minutes(loads))!.t > 6, sizing.moving]).toEqual([true, true, 'rising']);
  });

  it.each<{ what: string; loads: number[]; out: number; in: number; moving: string | null }>([
    // Window sorted: five 400s, three 600s, 22 800s: p75 800, p25 (rank 7) 600. The newer five,
    // 400, all below 600: the level moved down, and in is the recent p75 (rank 7 of five 400s,
    // three 600s, two 800s): 600, where the higher of the two would say 800.
    { what: 'a level that moved down', loads: [...Array(22).fill(800), ...Array(3).fill(600), ...Array(5).fill(400)], out: 600, in: 600, moving: 'shifted' },
    // Eight minutes at 300 after 22 at 800: the window's p25 (rank 7 of 30) is 300 now, and the
    // newer five are not below it; but they are all below the twenty minutes before the recent ten
    // (all 800, reach 0): the level fell off. In is the recent p75 (rank 7 of eight 300s, two 800s),
    // 300, where the higher of the two would say the window's 800; out, the lower, 300.
    { what: 'a level that stepped down eight minutes ago', loads: [...Array(22).fill(800), ...Array(8).fill(300)], out: 300, in: 300, moving: 'shifted' },
    // Two minutes at 300 after 28 at 500: the window's p25 is 500, and three of the newer five sit at it.
    { what: 'a dip of two minutes', loads: [...Array(28).fill(500), 300, 300], out: 500, in: 500, moving: null },
    // A fall of 20 a minute from 900 that levels off at 500 for ten minutes: Sen's line through the
    // 30 reads 370 at the newest minute (its p75 of the distances included), below the 500s, but
    // the window's own p75 (rank 22 of eleven 500s, 520..880) is 740: the level did not move up.
    // Out, the lower of 370 and the recent 500: 370; in, the higher: 500.
    { what: 'a fall that levels off is no rise', loads: [...Array.from({ length: 20 }, (_, i) => 900 - 20 * i), ...Array(10).fill(500)], out: 370, in: 500, moving: null },
  ])('$what (no fall look-ahead)', ({ loads, out, in: inLoad, moving }) => {
    const sizing = sizingOf(minutes(loads), withConfig({ fallConfidence: 1e9 }))!;
    expect({ out: sizing.out, in: sizing.in, moving: sizing.moving }).toEqual({ out, in: inLoad, moving });
  });

  it('a fall read after a capped minute does not lower the scale-in below the window\'s own level', () => {
    // Five minutes at 1200, one capped at 1600, then 24 falling 6 a minute under ±40 of zigzag
    // (960, 1034, 948, 1022, … 828, 902). Sen's line through the 24 alone (z −3.7) reads 902 at the
    // newest minute; the window's own p75 (rank 22 of 30: the 24's second largest) is 1022; the
    // recent p75 (rank 7 of 828 … 950) is 926; the newer five (926, 840, 914, 828, 902) are not all
    // below the window's own p25 (rank 7: 902), so the level did not move down. In, the higher of
    // 1022 and 926, where the line alone would have let the recent 926 decide; out, the lower of
    // 902 and 926.
    const loads = [...Array(5).fill(1200), 1600, ...Array.from({ length: 24 }, (_, i) => 1000 - 6 * i + (i % 2 ? 40 : -40))];
    const samples = minutes(loads).map((s, i) => (i === 5 ? { ...s, capped: true as const } : s));
    const sizing = sizingOf(samples, withConfig({ fallConfidence: 1e9 }))!;
    expect({ window: sizing.window, in: sizing.in, out: sizing.out, moving: sizing.moving }).toEqual({ window: 902, in: 1022, out: 902, moving: null });
  });

  // The scale-out reads the 90th percentile where it lies within 6 % of the 75th in both windows.
  // Each pattern three times: no trend (t < 1, Mann–Kendall's z < 2), so every reading is the minutes' own.
  it.each<{ what: string; pattern: number[]; outQuantile: number; out: number; in: number }>([
    // Sorted, three of each: p75 (rank 22) 515, p90 (rank 27) 530 ≤ 515 × 1.06 = 545.9; the recent
    // ten, one of each: p75 (rank 7) 515, p90 (rank 9) 530. Out is p90, 530; in stays at p75, 515.
    { what: 'small noise: the 90th percentile', pattern: [500, 520, 480, 530, 490, 510, 485, 515, 495, 505], outQuantile: 0.9, out: 530, in: 515 },
    // Seven 400s, a 500, a 600, a 700: p75 (rank 22 of 30) 500, p90 (rank 27) 700 > 530: bursts.
    // Out and in both read the 75th: 500.
    { what: 'bursts: the 75th percentile', pattern: [400, 400, 700, 400, 400, 500, 400, 600, 400, 400], outQuantile: 0.75, out: 500, in: 500 },
  ])('$what', ({ pattern, outQuantile, out, in: inLoad }) => {
    const sizing = sizingOf(minutes([...pattern, ...pattern, ...pattern]), defaultConfig)!;
    expect({ outQuantile: sizing.outQuantile, out: sizing.out, in: sizing.in }).toEqual({ outQuantile, out, in: inLoad });
  });

  it('reads only the last sizingWindowMinutes', () => {
    const sizing = sizingOf(minutes([...Array(40).fill(900), ...Array(30).fill(300)]), defaultConfig)!;
    expect([sizing.window, sizing.minutes]).toEqual([300, 30]);
  });

  // A climb of 2 a minute under ±6 of zigzag, with a burst of +150 every 7 minutes (i % 7 = 4):
  // the bursts hide it from least squares (t 0.6 over the recent 10 minutes, 1.8 over the 30) but
  // not from Mann–Kendall (z 4.9 ≥ 4, Sen's slope 2).
  const climb = (i: number, stop = 30) => 500 + 2 * Math.min(i, stop) + (i % 2 ? 6 : -6) + (i % 7 === 4 ? 150 : 0);
  it.each<{ what: string; loads: number[]; out: number; in: number; moving: string | null }>([
    // The window along its line reads 564 at the newest minute (the p75 of the distances from it
    // included); carried 12 minutes ahead at 2 a minute: 588. In, the higher of 564 and the recent
    // p75, 560: 564.
    { what: 'a slow climb through bursts is carried ahead', loads: Array.from({ length: 30 }, (_, i) => climb(i)), out: 588, in: 564, moving: 'rising' },
    // The same climb stopping 10 minutes ago (z 4.2, Sen's slope 12 / 7): the recent minutes' own
    // Sen's slope, 0, is under half of it, so nothing is carried. Out, the lower of the window along
    // its line (3918 / 7 = 559.7) and the recent p75 (546): 546; in, the higher.
    { what: 'a climb that stopped is not', loads: Array.from({ length: 30 }, (_, i) => climb(i, 20)), out: 546, in: 3918 / 7, moving: null },
  ])('$what', ({ loads, out, in: inLoad, moving }) => {
    const sizing = sizingOf(minutes(loads), defaultConfig)!;
    expect({ out: sizing.out, in: sizing.in, moving: sizing.moving }).toEqual({ out, in: inLoad, moving });
  });

  // 25 minutes at 1000, one capped at 1500, then four after it: the line starts after the cap.
  const afterCap = (four: number[]) => minutes([...Array(25).fill(1000), 1500, ...four]).map((m, i) => (i === 25 ? { ...m, capped: true as const } : m));
  it.each<{ what: string; four: number[]; out: number; moving: string | null }>([
    // Through 600, 800, 1000, 1150: slope 185, residuals −10, 5, 20, −15, t = 185 / √(750 / 2 / 5)
    // = 21.4: more than 6, but with two degrees of freedom short of the 55.6 as rare as 6 through
    // ten minutes. Nothing is carried: out is the lower of the window p75 (rank 22: 1000) and the
    // recent one (rank 7 of 600, 800, 1000 × 6, 1150, 1500: 1000). It was 3405, 12 minutes ahead.
    { what: 'four noisy minutes after a cap are no clear rise', four: [600, 800, 1000, 1150], out: 1000, moving: null },
    // A straight climb of 200 a minute (t = ∞) is: 1200 + 12 × 200.
    { what: 'four straight ones are', four: [600, 800, 1000, 1200], out: 3600, moving: 'rising' },
  ])('$what', ({ four, out, moving }) => {
    const sizing = sizingOf(afterCap(four), defaultConfig)!;
    expect({ out: sizing.out, moving: sizing.moving }).toEqual({ out, moving });
  });

  it('a rise below riseConfidence is not carried forward', () => {
    // t of the zigzag climb is about 1.6: under a confidence of 6, the windows alone decide.
    const loads = [400, 440, 410, 450, 420, 460, 430, 470, 440, 480];
    expect(sizingOf(minutes(loads), defaultConfig)!.moving).toBeNull();
    expect(sizingOf(minutes(loads), withConfig({ riseConfidence: 1 }))!.moving).toBe('rising');
  });

  it('nothing known, nothing sized', () => expect(sizingOf([], defaultConfig)).toBeNull());
});

describe('instances for a load', () => {
  it.each<{ load: number; percent: number; expected: number }>([
    { load: 310, percent: 77.5, expected: 4 },
    // A hundred minutes' 3.1 % added up is 310.00000000000006 in floating point: still 4.
    { load: Array(100).fill(3.1).reduce((a: number, b: number) => a + b, 0), percent: 77.5, expected: 4 },
    { load: 311, percent: 77.5, expected: 5 },
    { load: 0, percent: 77.5, expected: 0 },
  ])('$load % at $percent % each: $expected', ({ load, percent, expected }) => expect(instancesFor(load, percent)).toBe(expected));
});

// Without cross-zone balancing, n instances in z zones (within one of each other) carry the load
// at the CPU of the smallest zone's, as z × ⌊n / z⌋ would; as n while each is alone in its zone.
describe('zoned capacity', () => {
  it.each<{ zones: number; count: number; expected: number }>([
    { zones: 3, count: 2, expected: 2 },
    { zones: 3, count: 3, expected: 3 },
    { zones: 3, count: 4, expected: 3 }, // 2, 1, 1: the lone ones carry a third each
    { zones: 3, count: 5, expected: 3 },
    { zones: 3, count: 6, expected: 6 },
    { zones: 3, count: 7, expected: 6 },
    { zones: 2, count: 5, expected: 4 }, // 3, 2: the two carry a half
    { zones: 2, count: 0, expected: 0 },
  ])('$count instances in $zones zones: $expected', ({ zones, count, expected }) => expect(zonedCapacity(zones).of(count)).toBe(expected));

  it.each<{ load: number; percent: number; expected: number }>([
    { load: 310, percent: 77.5, expected: 4 }, // 4 shares, one a zone
    { load: 311, percent: 77.5, expected: 8 }, // 5 shares: 5 to 7 instances carry 4, 8 carry 8
    { load: 700, percent: 77.5, expected: 12 }, // 10 shares: 10 and 11 carry 8, 12 carry 12
  ])('$load % at $percent % each in 4 zones: $expected', ({ load, percent, expected }) => expect(instancesFor(load, percent, zonedCapacity(4))).toBe(expected));
});

describe('the step limits', () => {
  it.each<{ n: number; maxStepUp: number | null; maxStepDown: number | null; up: number; down: number }>([
    // By default a step at most doubles the fleet or halves it.
    { n: 10, maxStepUp: null, maxStepDown: null, up: 10, down: 5 },
    { n: 7, maxStepUp: null, maxStepDown: null, up: 7, down: 3 },
    // Never less than one either way, even with nothing serving.
    { n: 1, maxStepUp: null, maxStepDown: null, up: 1, down: 1 },
    { n: 0, maxStepUp: null, maxStepDown: null, up: 1, down: 1 },
    // The operator's limits win.
    { n: 10, maxStepUp: 2, maxStepDown: 1, up: 2, down: 1 },
  ])('$n serving, maxStepUp $maxStepUp, maxStepDown $maxStepDown → up $up, down $down', ({ n, maxStepUp, maxStepDown, up, down }) =>
    expect([stepUpLimit(n, { maxStepUp }), stepDownLimit(n, { maxStepDown })]).toEqual([up, down]),
  );
});

describe('scaleInWaitSeconds: a small step waits twice the cooldown', () => {
  it.each<{ what: string; n: number; remove: number; expected: number }>([
    // 1 < 0.1 × 20 = 2.
    { what: 'one of 20', n: 20, remove: 1, expected: 1200 },
    { what: 'two of 20: a tenth', n: 20, remove: 2, expected: 600 },
    // 1 ≥ 0.1 × 10: in a fleet of ten or fewer no step is small.
    { what: 'one of 10', n: 10, remove: 1, expected: 600 },
    { what: 'five of 100', n: 100, remove: 5, expected: 1200 },
  ])('$what → $expected s', ({ n, remove, expected }) => expect(scaleInWaitSeconds(n, remove, { cooldownSeconds: 600 })).toBe(expected));
});

describe('saturatedSize: rule 3', () => {
  it.each<{ what: string; load: number; n: number; proven: number; idle: number; max: number; maxStep: number; expected: number }>([
    // ⌈1.3 × 10⌉ = 13 beats ⌈900 / 77.5⌉ = 12 and 10 + 1.
    { what: 'grows by saturatedGrowth', load: 900, n: 10, proven: 10, idle: 0, max: 50, maxStep: 10, expected: 13 },
    // A line ahead of 1500 %: ⌈1500 / 77.5⌉ = 20.
    { what: 'or to the load at the band middle', load: 1500, n: 10, proven: 10, idle: 0, max: 50, maxStep: 10, expected: 20 },
    // 2 working of 3: max(3, ⌈2.6⌉, ⌈200 / 77.5⌉) = 3, plus the idle one back.
    { what: 'one more than the proven, idle ones added back', load: 200, n: 3, proven: 2, idle: 1, max: 50, maxStep: 3, expected: 4 },
    // 3000 would need 39; at most 10 + 10.
    { what: 'at most maxStep above the serving count', load: 3000, n: 10, proven: 10, idle: 0, max: 50, maxStep: 10, expected: 20 },
    { what: 'never above max', load: 1000, n: 10, proven: 10, idle: 0, max: 12, maxStep: 10, expected: 12 },
  ])('$what', ({ load, n, proven, idle, max, maxStep, expected }) => expect(saturatedSize(load, { n, proven, idle, max }, defaultConfig, maxStep)).toBe(expected));
});

describe('scaleOutSize: rule 6', () => {
  it.each<{ level: number; out: number; n: number; desired: number; max: number; maxStep: number; expected: number }>([
    // No lead: the level at the middle of the band, ⌈400 / 77.5⌉ = 6.
    { level: 400, out: 400, n: 4, desired: 4, max: 20, maxStep: 2, expected: 6 },
    // A climb 12 minutes ahead at the high mark: ⌈416 / 85⌉ = 5, the level ⌈380 / 77.5⌉ = 5
    // (at the middle the lead would buy ⌈416 / 77.5⌉ = 6).
    { level: 380, out: 416, n: 4, desired: 4, max: 20, maxStep: 2, expected: 5 },
    // The lead is far: ⌈500 / 85⌉ = 6 over the level's ⌈300 / 77.5⌉ = 4.
    { level: 300, out: 500, n: 4, desired: 4, max: 20, maxStep: 2, expected: 6 },
    // The level already needs more than the lead: ⌈400 / 77.5⌉ = 6 over ⌈420 / 85⌉ = 5.
    { level: 400, out: 420, n: 4, desired: 4, max: 20, maxStep: 2, expected: 6 },
    // At least one more than desired: ⌈80 / 77.5⌉ = 2 = desired + 1.
    { level: 80, out: 80, n: 1, desired: 1, max: 20, maxStep: 1, expected: 2 },
    // A lead under the high mark on desired still adds one: ⌈90 / 85⌉ = 2.
    { level: 70, out: 90, n: 1, desired: 1, max: 20, maxStep: 1, expected: 2 },
    // At most maxStep above the serving count.
    { level: 1000, out: 1000, n: 4, desired: 4, max: 20, maxStep: 2, expected: 6 },
    { level: 400, out: 400, n: 4, desired: 4, max: 5, maxStep: 2, expected: 5 },
  ])('level $level %, $out % ahead, on $n (desired $desired, max $max, step $maxStep) → $expected', ({ level, out, n, desired, max, maxStep, expected }) =>
    expect(scaleOutSize({ level, out }, { n, desired, max }, defaultConfig, maxStep)).toBe(expected),
  );
});

describe('scaleInSize: the N−1 rule', () => {
  const marks = { scaleIn: 75, high: 85 };
  it.each<{ what: string; inLoad: number; out: number; newest: number; n: number; outOfBalancer?: number; min: number; maxStep: number; expected: number }>([
    // 1000 on 14 is 71.4 % < 75 %, on 13 it is 76.9 %.
    { what: 'the surplus in one step', inLoad: 1000, out: 1000, newest: 1000, n: 20, min: 1, maxStep: 10, expected: 14 },
    { what: 'never below min', inLoad: 1000, out: 1000, newest: 1000, n: 20, min: 16, maxStep: 10, expected: 16 },
    { what: 'at most maxStep', inLoad: 1000, out: 1000, newest: 1000, n: 20, min: 1, maxStep: 3, expected: 17 },
    // in says 14, but the scale-out load, 1300, on 14 is 92.9 %: ⌈1300 / 85⌉ = 16.
    { what: 'not so far that the scale-out load would call them back', inLoad: 1000, out: 1300, newest: 1000, n: 20, min: 1, maxStep: 10, expected: 16 },
    // A fall that stopped at 1046: its line says 887 (on 12, 73.9 %) and the windows read along
    // it 1015 (⌈1015 / 85⌉ = 12), but the newest minute's 1046 on 12 is 87.2 %: ⌈1046 / 85⌉ = 13.
    { what: 'not so far that the newest minute would be above the high mark', inLoad: 887, out: 1015, newest: 1046, n: 14, min: 2, maxStep: 7, expected: 13 },
    // 150 on 2 is exactly 75 %: not below.
    { what: 'a projection at the mark is not below it', inLoad: 150, out: 150, newest: 150, n: 3, min: 1, maxStep: 1, expected: 3 },
    { what: 'never below one instance', inLoad: 10, out: 10, newest: 10, n: 2, min: 0, maxStep: 1, expected: 1 },
    // Out of the balancer, an instance carries nothing, and the group may remove any: 270 on the
    // 4 carriers left of 5 would be 67.5 % < 75 %, but on 3 (with the one out) 90 %. Without it, 4.
    { what: 'an instance out of the balancer carries nothing', inLoad: 270, out: 270, newest: 270, n: 10, outOfBalancer: 1, min: 1, maxStep: 10, expected: 5 },
    // 240 on 4 carriers is 60 %; on 3 (one of them removed, the one out kept) 80 %.
    { what: 'four carry, one out: none may go', inLoad: 240, out: 240, newest: 240, n: 5, outOfBalancer: 1, min: 1, maxStep: 2, expected: 5 },
    // One carries 40 %, two are out: a lower count may remove the one that carries.
    { what: 'one carries, two out: none may go', inLoad: 40, out: 40, newest: 40, n: 3, outOfBalancer: 2, min: 1, maxStep: 1, expected: 3 },
    // 60 on 1 carrier is 60 % < 75 % (desired 2, with the one out), but the scale-out load, 90,
    // needs ⌈90 / 85⌉ = 2 carriers, + the one out.
    { what: 'the scale-out load is on carriers too', inLoad: 60, out: 90, newest: 60, n: 4, outOfBalancer: 1, min: 1, maxStep: 2, expected: 3 },
  ])('$what', ({ inLoad, out, newest, n, outOfBalancer = 0, min, maxStep, expected }) =>
    expect(scaleInSize({ in: inLoad, out, newest }, { n, min, outOfBalancer }, marks, maxStep)).toBe(expected),
  );
});
