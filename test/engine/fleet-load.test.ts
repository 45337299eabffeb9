// The fleet's load of each minute (src/engine/fleet-load.ts): what the sizing windows remember.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { computeFigures, NOTHING_JOINING } from '../../src/engine/index.js';
import { fleetLoadOfWindow, mergeFleetLoad } from '../../src/engine/fleet-load.js';
import type { ActionRecord, Joining, LoadSample } from '../../src/engine/index.js';
import { at, fleet, MIN, type InstanceSpec } from './fleet.js';

const now = at(0);
/** The window's five periods, −7 to −3, oldest first, each with the given load. */
const window = (...loads: number[]): LoadSample[] => loads.map((load, i) => ({ at: at(i - 7), load }));

function loadOf(instances: Array<number | null | InstanceSpec>, options: { runaways?: string[]; serving?: string[]; cold?: string[]; lastAction?: ActionRecord; lb?: boolean; joining?: Joining } = {}): LoadSample[] {
  const snapshot = fleet(now, instances, { lb: options.lb ?? true });
  const joining = options.joining ?? NOTHING_JOINING;
  const figures = computeFigures(snapshot, now, defaultConfig, joining);
  return fleetLoadOfWindow(snapshot, figures, { runaways: new Set(options.runaways ?? []), serving: new Set(options.serving ?? []), cold: new Set(options.cold ?? []) }, options.lastAction ?? null, joining, now, defaultConfig);
}

describe('the fleet load of each minute', () => {
  it.each<{ what: string; instances: Array<number | null | InstanceSpec>; runaways?: string[]; serving?: string[]; cold?: string[]; expected: LoadSample[] }>([
    { what: 'the sum of the loads', instances: [60, 70, 80], expected: window(210, 210, 210, 210, 210) },
    // Points newest first: the oldest period (−7) is the last point.
    { what: 'minute by minute', instances: [{ points: [50, 40, 30, 20, 10] }, { points: [50, 40, 30, 20, 10] }], expected: window(20, 40, 60, 80, 100) },
    // A runaway's 100 % is not its share: it carries the others' mean, 60.
    { what: 'a runaway counts at its peers’ mean', instances: [100, 60, 60], runaways: ['i-0'], expected: window(180, 180, 180, 180, 180) },
    // Idle beside working ones behind one balancer: its share is the others' (dead, hung): 3 × 50.
    { what: 'an idle instance beside working ones carries their share', instances: [1, 50, 50], expected: window(150, 150, 150, 150, 150) },
    // Everybody idle at night: the mean of all.
    { what: 'a quiet night', instances: [1, 2, 3], expected: window(6, 6, 6, 6, 6) },
    // A runaway at night beside idle peers: it works at something else than its share, so theirs
    // is what they show, 2 each, and it carries their mean: 3 × 2 (before, none was a reference: no load at all).
    { what: 'a runaway beside idle peers counts at their mean', instances: [100, 2, 2], runaways: ['i-0'], expected: window(6, 6, 6, 6, 6) },
    // An idle one is taken for dead (its CPU no share) only where the dead rule would: two or more
    // at work, at least half of its others. One at work may be a runaway growing beside healthy
    // idle peers: every CPU is a share. (3 + 58) / 2 × 2 = 61; (1 + 2 + 40) / 3 × 3 = 43.
    { what: 'one at work beside one idle: both shares', instances: [3, 58], expected: window(61, 61, 61, 61, 61) },
    { what: 'one at work beside two idle: all shares', instances: [1, 2, 40], expected: window(43, 43, 43, 43, 43) },
    // Two at work, each idle one with half of its others at work: 4 × 60.
    { what: 'two at work beside two idle: the idle ones no share', instances: [1, 1, 60, 60], expected: window(240, 240, 240, 240, 240) },
    // The same two idle, each sending its share (what they send refused their dead readings:
    // signals.serving): their CPU is their share, and the two at work climbing runaways. 1 + 1 + 60 + 60.
    { what: 'two at work beside two idle that send their share: all shares', instances: [1, 1, 60, 60], serving: ['i-0', 'i-1'], expected: window(122, 122, 122, 122, 122) },
    // Far below its share above coldLoad (signals.cold: one failing fast on its error pages beside
    // two overloaded): no share either, 3 × 100 and capped; by its CPU, 206 on 3 read in the band.
    { what: 'two pinned beside one far below its share', instances: [6, 100, 100], cold: ['i-0'], expected: window(300, 300, 300, 300, 300).map((s) => ({ ...s, capped: true })) },
    { what: 'two pinned beside one at 6 % not read cold', instances: [6, 100, 100], expected: window(206, 206, 206, 206, 206) },
    // Two at work beside three idle: (1 + 1 + 1 + 60 + 60) = 123.
    { what: 'two at work beside three idle: all shares', instances: [1, 1, 1, 60, 60], expected: window(123, 123, 123, 123, 123) },
    { what: 'out of the balancer carries nothing', instances: [{ load: 1, lb: 'out' }, 50, 50], expected: window(100, 100, 100, 100, 100) },
    // Warming up: not a reference (its CPU may be its boot), but it carries its share.
    { what: 'an instance warming up carries the others’ mean', instances: [{ load: 90, age: 2 }, 50, 50], expected: window(150, 150, 150, 150, 150) },
    { what: 'a launch still pending carries nothing', instances: [{ lifecycle: 'Pending', load: null }, 50, 50], expected: window(100, 100, 100, 100, 100) },
    // i-0 publishes only its three oldest periods (a broken agent since): it still serves.
    { what: 'a gap in an instance’s metrics does not stop its traffic', instances: [{ load: 50, staleBy: 2 }, 50], expected: window(100, 100, 100, 100, 100) },
    // i-0 publishes nothing in the window, but was past its warm-up before it began: 3 × 50.
    { what: 'a broken agent all through the window does not stop its traffic', instances: [null, 50, 50], expected: window(150, 150, 150, 150, 150) },
    // A new instance, launched 6 minutes ago, from period −5 on (no datapoints before): it carries from then.
    { what: 'an instance carries from its first datapoint', instances: [{ points: [50, 50, 50], age: 6 }, 50], expected: window(50, 50, 100, 100, 100) },
    // Past its warm-up before the window began, its first datapoint late (an agent back from a gap).
    { what: 'an older instance carries before its first datapoint', instances: [{ points: [50, 50, 50] }, 50], expected: window(100, 100, 100, 100, 100) },
    { what: 'nothing measured, nothing known', instances: [null, null], expected: [] },
    // At urgent the fleet serves what it can: a floor, marked so that no trend is drawn through it.
    { what: 'a minute at urgent is capped', instances: [96, 98], expected: window(194, 194, 194, 194, 194).map((s) => ({ ...s, capped: true })) },
    // Mixed sizes: the mean of the size that runs hottest, shown by two or more: 80 × 4, at the larges' CPU.
    { what: 'of mixed sizes, the hottest size of two or more', instances: [{ load: 80, type: 'c5.large' }, { load: 80, type: 'c5.large' }, { load: 40, type: 'm5.xlarge' }, { load: 40, type: 'm5.xlarge' }], expected: window(320, 320, 320, 320, 320).map((s) => ({ ...s, size: 'large' })) },
    // A size shown by one instance alone, as far as its share explains its CPU: behind round robin
    // 40 % on 4 vCPUs is 80 % on 2, the large's own: 80 × 4, at its CPU.
    { what: 'of mixed sizes, one alone of its size at its share', instances: [{ load: 80, type: 'c5.large' }, { load: 40, type: 'm5.xlarge' }, { load: 40, type: 'm5.xlarge' }, { load: 40, type: 'm5.xlarge' }], expected: window(320, 320, 320, 320, 320).map((s) => ({ ...s, size: 'large' })) },
    // Beyond its share (100 % where 30 % on 4 vCPUs is 60 % on 2) it counts at its share: 60 × 4.
    { what: 'of mixed sizes, one alone above its share', instances: [{ load: 100, type: 'c5.large' }, { load: 30, type: 'm5.xlarge' }, { load: 30, type: 'm5.xlarge' }, { load: 30, type: 'm5.xlarge' }], expected: window(240, 240, 240, 240, 240).map((s) => ({ ...s, size: 'large' })) },
    // Running as its peers (a balancer that sends each what it can take): the mean, 60 × 4.
    { what: 'of mixed sizes, one alone running as the rest', instances: [{ load: 60, type: 'c5.large' }, { load: 60, type: 'm5.xlarge' }, { load: 60, type: 'm5.xlarge' }, { load: 60, type: 'm5.xlarge' }], expected: window(240, 240, 240, 240, 240) },
    // Its peers' share unknown (metal's vCPUs vary by machine): the mean, (100 + 3 × 50) / 4 × 4.
    { what: 'of mixed sizes, one alone beside a size of unknown vCPUs', instances: [{ load: 100, type: 'c5.large' }, { load: 50, type: 'c5.metal' }, { load: 50, type: 'c5.metal' }, { load: 50, type: 'c5.metal' }], expected: window(250, 250, 250, 250, 250) },
    // Every size alone (three types in turn): each at most its share, the median of the others':
    // the large's 100 % is 50 % on 4 and 25 % on 8 vCPUs, 100 × 3 at its CPU, pinned (capped).
    { what: 'of mixed sizes, each alone', instances: [{ load: 100, type: 'c5.large' }, { load: 50, type: 'c5.xlarge' }, { load: 25, type: 'c5.2xlarge' }], expected: window(300, 300, 300, 300, 300).map((s) => ({ ...s, capped: true, size: 'large' })) },
  ])('$what', ({ instances, runaways, serving, cold, expected }) => expect(loadOf(instances, { runaways: runaways ?? [], serving: serving ?? [], cold: cold ?? [] })).toEqual(expected));

  it('instances the N−1 rule removed since count back in the minutes before', () => {
    // Two of four removed at minute −5: periods −7 and −6 had four at 50 % (the two left show it).
    const lastAction: ActionRecord = { at: at(-5), kind: 'set-desired', rule: 'n-minus-1', from: 4, to: 2 };
    expect(loadOf([50, 50], { lastAction })).toEqual(window(200, 200, 100, 100, 100));
  });

  // i-0 was launched 8 minutes ago behind a target group whose first health checks kept it idle
  // (2 %) until the group's launch time, then took its share; i-1 carries 50 % all through.
  it.each<{ what: string; lb: 'in' | 'unknown'; joining: Joining; expected: LoadSample[] }>([
    // Nothing known: it carries from its first datapoint (−7), and its idle minutes pull the mean
    // down: (2 + 50) / 2 × 2 = 52 where the fleet carried 50.
    { what: 'nothing known of the launches: from its first datapoint', lb: 'in', joining: NOTHING_JOINING, expected: window(52, 52, 52, 100, 100) },
    // The group's launches take 4 minutes: it joined at −4; idle before, so not in the mean either.
    { what: 'from the group’s launch time after its launch', lb: 'in', joining: { launching: new Set<string>(), launchMs: 4 * MIN }, expected: window(50, 50, 50, 100, 100) },
    { what: 'nothing while still on its way', lb: 'unknown', joining: { launching: new Set(['i-0']), launchMs: 4 * MIN }, expected: window(50, 50, 50, 50, 50) },
  ])('a new instance behind a target group, $what', ({ lb, joining, expected }) =>
    expect(loadOf([{ id: 'i-0', points: [50, 50, 2, 2, 2], age: 8, lb }, 50], { joining })).toEqual(expected));

  it('a failed metrics read knows nothing', () => {
    const snapshot = fleet(now, [50, 50], { metricsOk: false });
    expect(fleetLoadOfWindow(snapshot, computeFigures(snapshot, now, defaultConfig), { runaways: new Set(), serving: new Set(), cold: new Set() }, null, NOTHING_JOINING, now, defaultConfig)).toEqual([]);
  });
});

describe('remembering the minutes', () => {
  const sample = (minute: number, load: number): LoadSample => ({ at: at(minute), load });
  it.each<{ what: string; remembered: LoadSample[]; fresh: LoadSample[]; expected: LoadSample[] }>([
    { what: 'new minutes join, oldest first', remembered: [sample(-9, 100), sample(-8, 110)], fresh: [sample(-7, 120)], expected: [sample(-9, 100), sample(-8, 110), sample(-7, 120)] },
    // A later tick may miss an instance gone since, never one that was not there.
    { what: 'a minute seen twice keeps its larger load', remembered: [sample(-7, 200)], fresh: [sample(-7, 150)], expected: [sample(-7, 200)] },
    // The window ends at minute −2: 60 minutes back (noisyWindowMinutes, the longest the window
    // grows to) is minute −62, the oldest kept.
    { what: 'minutes older than noisyWindowMinutes go', remembered: [sample(-63, 1), sample(-62, 2), sample(-33, 3)], fresh: [], expected: [sample(-62, 2), sample(-33, 3)] },
    { what: 'a minute from a clock that went back goes', remembered: [sample(5, 999)], fresh: [sample(-3, 100)], expected: [sample(-3, 100)] },
    { what: 'a minute seen capped stays capped', remembered: [{ ...sample(-7, 200), capped: true }], fresh: [sample(-7, 150)], expected: [{ ...sample(-7, 200), capped: true }] },
    // The size a load was taken at goes with the load that stands.
    { what: 'the larger load keeps its size', remembered: [{ ...sample(-7, 200), size: 'large' }, sample(-6, 100)], fresh: [sample(-7, 150), { ...sample(-6, 180), size: 'large' }], expected: [{ ...sample(-7, 200), size: 'large' }, { ...sample(-6, 180), size: 'large' }] },
    { what: 'a larger load of the fleet’s mean drops the size', remembered: [{ ...sample(-7, 200), size: 'large' }], fresh: [sample(-7, 250)], expected: [sample(-7, 250)] },
  ])('$what', ({ remembered, fresh, expected }) => expect(mergeFleetLoad(remembered, fresh, now, defaultConfig, 60)).toEqual(expected));

  // A fixed window (noisyWindowMinutes no longer than sizingWindowMinutes) keeps its own 30 minutes.
  it('a fixed window keeps sizingWindowMinutes', () => {
    const fixed = { ...defaultConfig, noisyWindowMinutes: 10 };
    expect(mergeFleetLoad([sample(-33, 1), sample(-32, 2)], [], now, fixed, 60)).toEqual([sample(-32, 2)]);
  });
});
