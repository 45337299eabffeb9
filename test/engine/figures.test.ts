import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { madOf, medianWithoutOf, SortedLoads } from '../../src/engine/figures.js';
import { computeFigures, mean, median, metricWindow, trimmedMean } from '../../src/engine/index.js';
import { at, fleet, MIN } from './fleet.js';

const now = at(0);

describe('arithmetic', () => {
  it.each([
    [[], Number.NaN],
    [[5], 5],
    [[1, 9], 5],
    [[1, 2, 9], 2],
    [[10, 1, 5, 3], 4],
  ])('median(%j) = %d', (values, expected) => expect(median(values)).toBe(expected));

  it.each([
    [[50, 60], 55],
    [[10, 50, 90], 50],
    [[0, 50, 60, 100], 55],
  ])('trimmed mean of %j drops one highest and one lowest from 3 on: %d', (values, expected) =>
    expect(trimmedMean(values)).toBe(expected),
  );

  it('mean of nothing is NaN, never 0', () => expect(mean([])).toBeNaN());

  it.each<{ values: number[]; without: number; expected: number }>([
    { values: [7], without: 7, expected: Number.NaN },
    { values: [3, 9], without: 9, expected: 3 },
    // Without 1: [5, 6, 9], median 6; without 9: [1, 5, 6], median 5.
    { values: [9, 1, 6, 5], without: 1, expected: 6 },
    { values: [9, 1, 6, 5], without: 9, expected: 5 },
    // Without 5 of five: [1, 6, 8, 9], (6 + 8) / 2.
    { values: [8, 1, 9, 5, 6], without: 5, expected: 7 },
    // Without one 2 of [2, 2, 2, 100]: [2, 2, 100], median 2.
    { values: [2, 100, 2, 2], without: 2, expected: 2 },
  ])('the median of $values without one $without is $expected', ({ values, without, expected }) =>
    expect(medianWithoutOf(Float64Array.from(values))(without)).toBe(expected),
  );

  // The lower median (the dead rule's "at least half the others"): of two middle ranks, the lower.
  it.each<{ values: number[]; without: number; expected: number }>([
    { values: [7], without: 7, expected: Number.NaN },
    // Without 3: [40]; without 40: [3].
    { values: [3, 40], without: 3, expected: 40 },
    { values: [40, 3], without: 40, expected: 3 },
    // Without 1: [2, 40], the lower 2 (the median, 21, would read one climbing peer as half at work).
    { values: [1, 2, 40], without: 1, expected: 2 },
    // Without 1: [2, 40, 40], 40.
    { values: [40, 1, 40, 2], without: 1, expected: 40 },
    // Without one 2 of [2, 2, 100]: [2, 100], the lower 2.
    { values: [2, 100, 2], without: 2, expected: 2 },
  ])('the lower median of $values without one $without is $expected', ({ values, without, expected }) =>
    expect(new SortedLoads(values).lowerMedianWithout(without)).toBe(expected),
  );

  it('selects the medians a sort gives: of all, and of all but one of them', () => {
    const load = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 4 })).map((v) => v + 0);
    fc.assert(
      fc.property(fc.array(load, { minLength: 1, maxLength: 200 }), (values) => {
        const sorted = Float64Array.from(values).sort();
        const mid = sorted.length >> 1;
        expect(median(values)).toBe(sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2);
        const withoutOne = medianWithoutOf(Float64Array.from(values));
        for (const value of values) expect(withoutOne(value)).toBe(new SortedLoads(values).medianWithout(value));
      }),
      { numRuns: 300 },
    );
  });

  // The median absolute deviation: the median of each value's distance from the values' median.
  it.each<{ values: number[]; expected: number }>([
    { values: [5], expected: 0 },
    // Median 50; distances [10, 0, 10]: 10.
    { values: [60, 50, 40], expected: 10 },
    // Median (2 + 4) / 2 = 3; distances [2, 1, 1, 97]: (1 + 2) / 2.
    { values: [1, 2, 4, 100], expected: 1.5 },
    // Median 70; distances [0, 0, 1, 2, 30]: 1 (one far value moves it by a rank only).
    { values: [70, 70, 71, 72, 100], expected: 1 },
  ])('the MAD of $values is $expected', ({ values, expected }) => expect(madOf(Float64Array.from(values))).toBe(expected));

  it('selects the MAD a sort gives, and without one value as the sort of the others gives it', () => {
    const load = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 4 })).map((v) => v + 0);
    const madBySort = (values: readonly number[]) => {
      const m = median(values);
      const deviations = Float64Array.from(values, (v) => Math.abs(v - m)).sort();
      const mid = deviations.length >> 1;
      return deviations.length % 2 === 1 ? deviations[mid]! : (deviations[mid - 1]! + deviations[mid]!) / 2;
    };
    fc.assert(
      fc.property(fc.array(load, { minLength: 2, maxLength: 200 }), (values) => {
        expect(madOf(Float64Array.from(values))).toBe(madBySort(values));
        const sorted = new SortedLoads(values);
        for (const value of values) expect(sorted.madWithout(value)).toBe(madBySort(values.toSpliced(values.indexOf(value), 1)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the metric window', () => {
  it('ends metricLagSeconds ago on a period boundary and spans windowMinutes', () => {
    const w = metricWindow(now + 30_000, defaultConfig, 60);
    expect(w.end).toBe(now - 2 * MIN);
    expect(w.end - w.start).toBe(5 * MIN);
  });
  it('widens to 15 minutes with basic monitoring', () => {
    const w = metricWindow(now, defaultConfig, 300);
    expect(w.end - w.start).toBe(15 * MIN);
    expect(w.end % (5 * MIN)).toBe(0);
  });
});

describe('who is measured', () => {
  it.each([
    ['a healthy instance with datapoints', { load: 40 }, 40, null],
    ['a new instance in warm-up', { load: 40, age: 4 }, null, 'warming-up'],
    ['an instance just past warm-up', { load: 40, age: 5 }, 40, null],
    ['an instance with no datapoints', { load: null }, null, 'no-datapoints'],
    ['an instance with one datapoint', { points: [40] }, null, 'too-few-datapoints'],
    ['an instance with two datapoints', { points: [40, 20] }, 30, null],
    ['an instance whose newest datapoint is 3 minutes late', { load: 40, staleBy: 3 }, 40, null],
    ['an instance whose newest datapoint is 4 minutes late', { load: 40, staleBy: 4 }, null, 'stale'],
    ['a Standby instance', { load: 40, lifecycle: 'Standby' }, null, 'not-serving'],
    ['an Unhealthy instance', { load: 40, health: 'Unhealthy' as const }, null, 'not-serving'],
    // Burstable: under 1 credit and none spent beyond it, EC2 caps its CPU at its baseline (20 % here).
    ['a burstable instance with credits', { load: 20, credits: { balance: 40, surplus: 0 } }, 20, null],
    ['a burstable instance out of credits', { load: 20, credits: { balance: 0, surplus: 0 } }, null, 'out-of-credits'],
    ['a burstable instance with under one credit', { load: 20, credits: { balance: 0.6, surplus: 0 } }, null, 'out-of-credits'],
    ['a burstable instance with one credit', { load: 20, credits: { balance: 1, surplus: 0 } }, 20, null],
    ['an unlimited one spending surplus credits (not capped)', { load: 70, credits: { balance: 0, surplus: 12 } }, 70, null],
    ['one out of credits in its warm-up', { load: 20, age: 4, credits: { balance: 0, surplus: 0 } }, null, 'warming-up'],
  ])('%s', (_, spec, load, why) => {
    const f = computeFigures(fleet(now, [spec]), now, defaultConfig);
    expect(f.instances[0]).toMatchObject({ load, unmeasured: why });
  });

  // The group's launches take 6 minutes to serve (launchMs), and i-0 was launched 8 minutes ago:
  // it took traffic from minute −2, and the window (periods −7 to −3, newest first) holds its
  // first health checks, idle, before then.
  it.each([
    { what: 'nothing known of the launches: its newest three', joining: { launching: new Set<string>(), launchMs: null }, load: 34, unmeasured: null }, // (50 + 50 + 2) / 3
    { what: 'only the periods since it joined', joining: { launching: new Set<string>(), launchMs: 4 * MIN }, load: 50, unmeasured: null }, // joined at −4: periods −3, −4
    { what: 'one period since it joined is too few', joining: { launching: new Set<string>(), launchMs: 5 * MIN }, load: null, unmeasured: 'too-few-datapoints' }, // joined at −3
    { what: 'none since it joined', joining: { launching: new Set<string>(), launchMs: 6 * MIN }, load: null, unmeasured: 'no-datapoints' },
    { what: 'still on its way (a target group’s initial checks)', joining: { launching: new Set(['i-0']), launchMs: null }, load: null, unmeasured: 'joining' },
    { what: 'still on its way (a classic balancer still registering it)', lb: 'out' as const, joining: { launching: new Set(['i-0']), launchMs: null }, load: null, unmeasured: 'joining' },
    // Out of its balancer and not on its way (it served, then left): the detached rule must see it.
    { what: 'out of its balancer after it served', lb: 'out' as const, joining: { launching: new Set<string>(), launchMs: null }, load: 34, unmeasured: null },
  ])('a new instance, $what', ({ joining, load, unmeasured, lb }) => {
    const f = computeFigures(fleet(now, [{ points: [50, 50, 2, 2, 2], age: 8, lb: lb ?? 'unknown' }]), now, defaultConfig, joining);
    expect(f.instances[0]).toMatchObject({ load, unmeasured });
  });

  it('load is the mean of the newest three datapoints', () => {
    const f = computeFigures(fleet(now, [{ points: [90, 60, 30, 0, 0] }]), now, defaultConfig);
    expect(f.instances[0]!.load).toBe(60);
  });

  // The outlier rules ask for it again (a runaway stands out on its newest minute too): kept as found.
  it('keeps the newest datapoint its load begins with, in whatever order CloudWatch gave them', () => {
    const snapshot = fleet(now, [{ points: [90, 60, 30, 0, 0] }]);
    const [newest, ...older] = snapshot.instances[0]!.cpu;
    const scrambled = { ...snapshot, instances: [{ ...snapshot.instances[0]!, cpu: [...older.reverse(), { at: newest!.at + MIN, value: Number.NaN }, newest!] }] };
    const f = computeFigures(scrambled, now, defaultConfig);
    expect(f.instances[0]).toMatchObject({ load: 60, newest: { at: now - 3 * MIN, value: 90 } });
  });

  it('a failed metrics read leaves every instance unmeasured', () => {
    const f = computeFigures(fleet(now, [50, 50], { metricsOk: false }), now, defaultConfig);
    expect(f).toMatchObject({ n: 2, measured: 0, coverage: 0, avg: null });
  });
});

describe('fleet figures', () => {
  it('counts serving, measured, coverage, total and projection', () => {
    const f = computeFigures(fleet(now, [60, 60, 60, { lifecycle: 'Pending', load: null }]), now, defaultConfig);
    expect(f).toMatchObject({ n: 3, measured: 3, coverage: 1, avg: 60, total: 180, projection1: 90, pending: 1 });
  });
  it('has no projection while any serving instance is unmeasured', () => {
    const f = computeFigures(fleet(now, [60, 60, null]), now, defaultConfig);
    expect(f.projection1).toBeNull();
    expect(f.coverage).toBeCloseTo(2 / 3);
  });
  it('narrows the bounds by minInstances / maxInstances', () => {
    const config = { ...defaultConfig, minInstances: 3, maxInstances: 5 };
    const f = computeFigures(fleet(now, [60], { min: 1, max: 10 }), now, config);
    expect([f.min, f.max]).toEqual([3, 5]);
  });
});
