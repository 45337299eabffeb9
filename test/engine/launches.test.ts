// The group's own launch time, learned tick by tick, and the rise lead it calls for (src/engine/launches.ts).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { launchMinutes, observeLaunches, riseLeadFor } from '../../src/engine/launches.js';
import { initialState } from '../../src/engine/index.js';
import { at, fleet, pointsAt, type InstanceSpec } from './fleet.js';
import { tickMinutes } from './timeline.js';

describe('observeLaunches', () => {
  // The tick at minute 10; the instance under test is `i-new`, launched `age` minutes before it.
  const now = at(10);
  const newOne = (spec: InstanceSpec): InstanceSpec => ({ id: 'i-new', load: null, ...spec });
  it.each<{ what: string; lastTick: number | null; launching: string[]; kept?: number[]; instance: InstanceSpec; expected: { launching: string[]; launches: number[] } }>([
    // Seen Pending at minute 9, serving at 10: it arrived at 9.5, 7.5 minutes after its launch at 2.
    { what: 'Pending at the last tick, serving now', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 8 }), expected: { launching: [], launches: [450] } },
    { what: 'the same, the group without a balancer', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 8, lb: 'none' }), expected: { launching: [], launches: [450] } },
    { what: 'still Pending', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 8, lifecycle: 'Pending' }), expected: { launching: ['i-new'], launches: [] } },
    { what: 'Pending:Wait (a lifecycle hook)', lastTick: at(9), launching: [], instance: newOne({ age: 1, lifecycle: 'Pending:Wait' }), expected: { launching: ['i-new'], launches: [] } },
    { what: 'InService, the balancer not yet passing it', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 8, lb: 'out' }), expected: { launching: ['i-new'], launches: [] } },
    { what: 'InService and Unhealthy: not arrived, not on its way', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 8, health: 'Unhealthy' }), expected: { launching: [], launches: [] } },
    // A target group's initial health checks read `unknown`: on its way still, if it was.
    { what: 'the balancer unknown, on its way at the last tick', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 8, lb: 'unknown' }), expected: { launching: ['i-new'], launches: [] } },
    { what: 'the balancer unknown, serving at the last tick', lastTick: at(9), launching: [], instance: newOne({ age: 8, lb: 'unknown' }), expected: { launching: [], launches: [] } },
    // Serving before the watchdog saw it on its way: how long it took is not known.
    { what: 'serving, not seen on its way', lastTick: at(9), launching: [], instance: newOne({ age: 8 }), expected: { launching: [], launches: [] } },
    { what: 'the first tick ever', lastTick: null, launching: [], instance: newOne({ age: 2, lifecycle: 'Pending' }), expected: { launching: ['i-new'], launches: [] } },
    // Four minutes since the last tick (over maxTickGapSeconds 180): it may have served for three.
    { what: 'arrived across a gap in the ticks', lastTick: at(6), launching: ['i-new'], instance: newOne({ age: 8 }), expected: { launching: [], launches: [] } },
    // An instance out of the balancer long after its launch is detached, not launching.
    // Out after it served (deregistered, or failing its checks): detached, not on its way again.
    { what: 'out of the balancer, serving at the last tick', lastTick: at(9), launching: [], instance: newOne({ age: 8, lb: 'out' }), expected: { launching: [], launches: [] } },
    { what: 'out of the balancer, launched an hour ago', lastTick: at(9), launching: [], instance: newOne({ age: 60, lb: 'out' }), expected: { launching: [], launches: [] } },
    { what: 'arrived 31 minutes after its launch', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 31 }), expected: { launching: [], launches: [] } },
    // A launch time after the last tick: AWS's clock ahead, or not read (the collector says now).
    { what: 'launched, by its launch time, after the tick that saw it Pending', lastTick: at(9), launching: ['i-new'], instance: newOne({ age: 0 }), expected: { launching: [], launches: [] } },
    // The newest five are kept.
    { what: 'a sixth launch', lastTick: at(9), launching: ['i-new'], kept: [180, 190, 200, 210, 220], instance: newOne({ age: 4 }), expected: { launching: [], launches: [190, 200, 210, 220, 210] } },
  ])('$what', ({ lastTick, launching, kept, instance, expected }) => {
    const previous = { lastTickAt: lastTick, launching, launches: kept ?? [] };
    expect(observeLaunches(previous, fleet(now, [60, instance], { lb: instance.lb !== 'none' }), now, defaultConfig)).toEqual(expected);
  });
});

describe('observeLaunches tick by tick, through decide', () => {
  // Launched at minute 0 into a target group: Pending to minute 3, InService in its initial health
  // checks (`unknown`) at 4 and 5, healthy from 6. It began to serve between 5 and 6: 330 s.
  const lifeAt = (minute: number): InstanceSpec =>
    minute <= 3 ? { id: 'i-new', load: null, lifecycle: 'Pending', age: minute } : { id: 'i-new', load: 60, lb: minute <= 5 ? 'unknown' : 'in', age: minute };
  it('learns the launch once, when it serves', () => {
    const states = tickMinutes(8, (now, minute) => fleet(now, [60, 60, lifeAt(minute)])).map((d) => d.state);
    expect(states.map((s) => `${s.launching.join(',') || '-'} ${s.launches.join(',') || '-'}`)).toEqual([
      'i-new -', // 0
      'i-new -',
      'i-new -',
      'i-new -',
      'i-new -', // 4: InService, unknown to the target group
      'i-new -',
      '- 330', // 6: healthy
      '- 330',
      '- 330',
    ]);
  });
});

describe('launchMinutes and riseLeadFor', () => {
  it.each<{ what: string; launches: number[]; riseLeadMinutes: number; minutes: number | null; lead: number }>([
    { what: 'none seen yet: the lead as configured', launches: [], riseLeadMinutes: 12, minutes: null, lead: 12 },
    // 150 s rounds to 3 minutes: the launch the default lead counts.
    { what: 'a 3-minute launch', launches: [150], riseLeadMinutes: 12, minutes: 3, lead: 12 },
    { what: 'a 1-minute launch never shortens it', launches: [60, 70], riseLeadMinutes: 12, minutes: 1, lead: 12 },
    // Sorted 180, 470, 480: the median 470 s rounds to 8 minutes, 5 beyond 3.
    { what: 'an 8-minute launch, one fast outlier', launches: [480, 180, 470], riseLeadMinutes: 12, minutes: 8, lead: 17 },
    // Sorted 100, 200, 300, 400: the upper median, 300 s.
    { what: 'an even count: the upper median', launches: [400, 100, 300, 200], riseLeadMinutes: 12, minutes: 5, lead: 14 },
    { what: 'one slow launch among fast ones', launches: [180, 1500, 170], riseLeadMinutes: 12, minutes: 3, lead: 12 },
    { what: 'a lead of 0 (size for the newest minute)', launches: [480], riseLeadMinutes: 0, minutes: 8, lead: 5 },
    // A hand-edited state: no launch is taken as longer than the 30 minutes one is learned from.
    { what: 'a day-long launch in the state', launches: [86_400], riseLeadMinutes: 12, minutes: 30, lead: 39 },
  ])('$what → $minutes min, lead $lead', ({ launches, riseLeadMinutes, minutes, lead }) => {
    expect({ minutes: launchMinutes(launches), lead: riseLeadFor({ riseLeadMinutes }, launches) }).toEqual({ minutes, lead });
  });
});

describe('decide with a measured launch', () => {
  // Eight instances on one straight climb, 60.25 + 0.5 p % at period p (the fleet 4 points a
  // minute). At the tick of minute m the newest period is m − 3, so the load the lead L ahead is
  // 8 × (60.25 + 0.5 (m − 3)) + 4 L, above 85 % of 8 (680) from the first m with 0.5 (m − 3) >
  // 18.75 − 0.5 L: m = 41 with L = 12 (634 + 48 = 682), m = 36 with L = 17 (614 + 68 = 682).
  // Min 8: no scale-in on the way up.
  const climbing = (now: number, minute: number) => fleet(now, Array.from({ length: 8 }, () => ({ points: pointsAt(minute, (p) => 60.25 + 0.5 * p) })), { min: 8, max: 20 });
  it.each<{ what: string; launches: number[]; expected: string }>([
    { what: 'no launch seen', launches: [], expected: '41: high-band: fleet load 682 % (rising, 12 min ahead) on 8 = 85.3 % > 85.0 %; desired 8 → 9' },
    { what: 'the group launches in 8 minutes', launches: [470, 480, 490], expected: '36: high-band: fleet load 682 % (rising, 17 min ahead) on 8 = 85.3 % > 85.0 %; desired 8 → 9' },
  ])('$what: $expected', ({ launches, expected }) => {
    const decisions = tickMinutes(60, climbing, { state: { ...initialState(), launches } });
    const minute = decisions.findIndex((d) => d.action !== null);
    expect(`${minute}: ${decisions[minute]?.action?.reason}`).toEqual(expected);
  });
});
