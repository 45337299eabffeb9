// The arithmetic of sizing (src/engine/sizing.ts) as properties: over random minutes of fleet
// load (noise, lines, steps, capped minutes, gaps), what the band rules size for never says
// "fewer" where the minutes do not, and the sizes it leads to stay inside their limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { instancesFor, scaleInSize, scaleOutSize, sizingOf } from '../../src/engine/sizing.js';
import type { LoadSample } from '../../src/engine/index.js';
import { at } from './fleet.js';

const load = fc.double({ min: 0, max: 3000, noNaN: true });
const often = <T,>(usual: T, ...rare: T[]) =>
  fc.oneof({ weight: 8, arbitrary: fc.constant(usual) }, { weight: 2, arbitrary: fc.constantFrom(...rare) });

/** Loads of some shape: pure noise, a line with noise on it (so trends fire) that may jump part way, or a step. */
const loadsArb: fc.Arbitrary<number[]> = fc.oneof(
  fc.array(load, { minLength: 1, maxLength: 45 }),
  fc
    .record({
      base: load,
      slope: fc.double({ min: -60, max: 60, noNaN: true }),
      noise: fc.constantFrom(0, 0.5, 5, 40),
      wobble: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 45 }),
      jump: often(0, -500, 300, 1000),
      from: fc.integer({ min: 0, max: 44 }),
    })
    .map(({ base, slope, noise, wobble, jump, from }) => wobble.map((w, i) => Math.max(0, base + slope * i + noise * w + (i >= from ? jump : 0)))),
  fc
    .record({ before: load, after: load, split: fc.integer({ min: 0, max: 40 }), length: fc.integer({ min: 1, max: 45 }) })
    .map(({ before, after, split, length }) => Array.from({ length }, (_, i) => (i < split ? before : after))),
);

/** Minutes of fleet load, oldest first: some capped, with now and then a few minutes missing. */
const samplesArb: fc.Arbitrary<LoadSample[]> = loadsArb.chain((loads) => {
  const each = { minLength: loads.length, maxLength: loads.length };
  return fc.record({ capped: fc.array(often(false, true), each), gap: fc.array(often(1, 2, 4), each) }).map(({ capped, gap }) => {
    let minute = 0;
    return loads.map((value, i) => ({ at: at((minute += gap[i]!)), load: value, ...(capped[i] ? { capped: true } : {}) }));
  });
});

const runs = { numRuns: 500 };

describe('sizingOf over random minutes', () => {
  it('the scale-out never sizes for less than both windows read but along a clear fall', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const sizing = sizingOf(samples, defaultConfig)!;
        expect(sizing.out >= Math.min(sizing.windowOut, sizing.recentOut) || sizing.moving === 'falling').toBe(true);
      }),
      runs,
    );
  });

  it('the scale-out load is the level but along a rise or a jump, and never below it', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const sizing = sizingOf(samples, defaultConfig)!;
        expect({
          // From the windows, or under them along a clear fall.
          levelFromWindows: sizing.level === Math.min(sizing.windowOut, sizing.recentOut) || sizing.level === sizing.recentOut || (sizing.moving === 'falling' && sizing.level < sizing.recentOut),
          notBelow: sizing.out >= sizing.level,
          aboveOnlyRising: sizing.out === sizing.level || sizing.moving === 'rising',
        }).toEqual({ levelFromWindows: true, notBelow: true, aboveOnlyRising: true });
      }),
      runs,
    );
  });

  it('the scale-in sizes for less than the recent minutes read only along a clear fall', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const sizing = sizingOf(samples, defaultConfig)!;
        expect(sizing.in >= sizing.recent || sizing.moving === 'falling').toBe(true);
      }),
      runs,
    );
  });

  it('both loads are finite, and the scale-in load never negative', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const sizing = sizingOf(samples, defaultConfig)!;
        expect([Number.isFinite(sizing.out), Number.isFinite(sizing.in), sizing.in >= 0]).toEqual([true, true, true]);
      }),
      runs,
    );
  });
});

const marks = { scaleIn: 75, high: 85 };
/** A fleet whose size fits the load: each of its instances carrying `perInstance` % of the scale-in load. */
const fleetArb = fc.record({ perInstance: fc.double({ min: 5, max: 120, noNaN: true }), min: fc.integer({ min: 0, max: 10 }), maxStep: fc.integer({ min: 1, max: 30 }) });
const sizeFor = (inLoad: number, perInstance: number) => Math.min(400, Math.max(1, Math.ceil(inLoad / perInstance)));

describe('the sizes the loads lead to', () => {
  it('the N−1 rule removes at most maxStep, never below min or one, and leaves carriers below the scale-in mark that neither the scale-out load nor the newest minute would call back', () => {
    fc.assert(
      fc.property(samplesArb, fleetArb, fc.integer({ min: 0, max: 3 }), (samples, { perInstance, min, maxStep }, outOfBalancer) => {
        const sizing = sizingOf(samples, defaultConfig)!;
        // Those out of the balancer serve too, carrying nothing.
        const n = sizeFor(sizing.in, perInstance) + outOfBalancer;
        const to = scaleInSize(sizing, { n, min, outOfBalancer }, marks, maxStep);
        const removed = to < n;
        // The group may remove any instance: those left to carry the load are at least to − outOfBalancer.
        const carriers = to - outOfBalancer;
        expect({
          withinStep: n - to <= maxStep,
          notMore: to <= n,
          // Removing only when above min and one carrier; the carriers left are below the mark and carry the scale-out load and the newest minute at or below high.
          floor: !removed || (to >= Math.max(1, min) && carriers >= 1),
          belowMark: !removed || sizing.in / carriers < marks.scaleIn,
          notCalledBack: !removed || carriers >= instancesFor(Math.max(sizing.out, sizing.newest), marks.high),
        }).toEqual({ withinStep: true, notMore: true, floor: true, belowMark: true, notCalledBack: true });
      }),
      runs,
    );
  });

  it('rule 6 adds at least one over desired, at most maxStep over n, never past max, and enough for the level at the band middle and the load ahead at the high mark unless a limit stops it', () => {
    const target = (defaultConfig.low + defaultConfig.high) / 2;
    fc.assert(
      fc.property(samplesArb, fleetArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 }), (samples, { perInstance, maxStep }, pending, room) => {
        const sizing = sizingOf(samples, defaultConfig)!;
        const n = sizeFor(sizing.out, perInstance);
        const [desired, max] = [n + pending, n + pending + room];
        const to = scaleOutSize(sizing, { n, desired, max }, defaultConfig, maxStep);
        const limit = Math.min(max, n + maxStep);
        expect({
          withinLimits: to <= limit,
          atLeastOneMore: to >= Math.min(limit, desired + 1),
          enough: to === limit || (sizing.level / to <= target + 1e-9 && sizing.out / to <= defaultConfig.high + 1e-9),
        }).toEqual({ withinLimits: true, atLeastOneMore: true, enough: true });
      }),
      runs,
    );
  });
});
