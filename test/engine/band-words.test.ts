// Where a sizing load comes from, in the words of every reason (src/engine/band-words.ts).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { loadSource } from '../../src/engine/band-words.js';
import type { Sizing } from '../../src/engine/index.js';

/**
 * A sizing read at p75 on both sides unless told: windowOut and recentOut follow window and
 * recent, out is the lower of the two and in the higher; the recent minutes are 10, or as many as
 * the window holds if fewer.
 */
const sizing = (s: Partial<Sizing>): Sizing => {
  const base = { window: 500, windowAlongLine: false, recent: 500, newest: 500, outQuantile: 0.75, minutes: 30, recentMinutes: Math.min(10, s.minutes ?? 30), trend: null, moving: null, size: null, ...s };
  const [windowOut, recentOut] = [s.windowOut ?? base.window, s.recentOut ?? base.recent];
  const out = Math.min(windowOut, recentOut);
  return { out, level: out, in: Math.max(base.window, base.recent), windowOut, recentOut, ...base };
};

describe('loadSource', () => {
  it.each<{ what: string; sizing: Partial<Sizing>; side: 'out' | 'in'; expected: string }>([
    // Scale-out: the lower of the two; scale-in: the higher.
    { what: 'out: the recent minutes lower', sizing: { recent: 480 }, side: 'out', expected: 'p75 of the last 10 min' },
    { what: 'out: the window lower', sizing: { window: 480 }, side: 'out', expected: 'p75 of the last 30 min' },
    { what: 'in: the window higher, read along its line', sizing: { window: 520, windowAlongLine: true }, side: 'in', expected: 'p75 of the last 30 min along their line' },
    { what: 'in: the recent minutes higher', sizing: { recent: 520, windowAlongLine: true }, side: 'in', expected: 'p75 of the last 10 min' },
    // The level moved down: the recent minutes alone, though the window is higher.
    { what: 'in: shifted down', sizing: { window: 600, recent: 450, moving: 'shifted' }, side: 'in', expected: 'p75 of the last 10 min' },
    { what: 'out: shifted up', sizing: { window: 450, recent: 600, moving: 'shifted' }, side: 'out', expected: 'p75 of the last 10 min' },
    // Small noise: the scale-out reads p90, each window at it; the scale-in stays at p75.
    { what: 'out: p90 where the noise is small', sizing: { outQuantile: 0.9, windowOut: 530, recentOut: 520 }, side: 'out', expected: 'p90 of the last 10 min' },
    { what: 'in: p75 whatever the out side reads', sizing: { outQuantile: 0.9, window: 520 }, side: 'in', expected: 'p75 of the last 30 min' },
    { what: 'out: a clear rise', sizing: { moving: 'rising' }, side: 'out', expected: 'rising, 12 min ahead' },
    // Of mixed sizes, taken at its hottest size's CPU (fleet-load.ts).
    { what: 'out: at the hottest size', sizing: { recent: 480, size: 'large' }, side: 'out', expected: "p75 of the last 10 min, at the large instances' CPU" },
    { what: 'out: a clear rise at the hottest size', sizing: { moving: 'rising', size: 'large' }, side: 'out', expected: "rising, 12 min ahead, at the large instances' CPU" },
    { what: 'in: a clear fall', sizing: { moving: 'falling' }, side: 'in', expected: 'falling, 10 min ahead' },
    // A clear fall caps the scale-out load at its line at the newest minute, under both windows.
    { what: 'out: capped by a clear fall', sizing: { window: 720, recent: 710, out: 500, moving: 'falling' }, side: 'out', expected: 'falling, at the newest minute' },
    { what: 'out: a fall whose line is not under the windows', sizing: { window: 410, recent: 480, moving: 'falling' }, side: 'out', expected: 'p75 of the last 30 min' },
    // A clear climb caps the scale-in load at its line ahead, under both windows; or at the recent minutes.
    { what: 'in: capped by a clear climb', sizing: { window: 800, recent: 370, in: 510, moving: 'rising' }, side: 'in', expected: 'rising, 12 min ahead' },
    { what: 'in: a climb below the recent minutes', sizing: { window: 800, recent: 520, in: 520, moving: 'rising' }, side: 'in', expected: 'p75 of the last 10 min' },
    // The window's line cut by a capped minute ran under its own percentile, which the scale-in reads.
    { what: 'in: the window\'s own percentile over its cut line', sizing: { window: 902, windowAlongLine: true, recent: 926, in: 1022 }, side: 'in', expected: 'p75 of the last 30 min' },
    // Fewer minutes known than the window: the minutes there are.
    { what: 'a young window', sizing: { window: 480, minutes: 7 }, side: 'out', expected: 'p75 of the last 7 min' },
    // Noisy minutes: both spans grew (sizingSpans), and say how far.
    { what: 'a window grown on noisy minutes', sizing: { window: 480, minutes: 52, recentMinutes: 18 }, side: 'out', expected: 'p75 of the last 52 min' },
    { what: 'recent minutes grown on noisy minutes', sizing: { recent: 480, minutes: 52, recentMinutes: 18 }, side: 'out', expected: 'p75 of the last 18 min' },
  ])('$what', ({ sizing: s, side, expected }) => expect(loadSource(sizing(s), side, defaultConfig)).toBe(expected));
});
