// The arithmetic of the frontier (src/sim/frontier.ts): where one curve lies against another.
import { describe, expect, it } from 'vitest';
import { dominance, figureAt, type FrontierCurve, type FrontierPoint } from '../../src/sim/frontier.js';

const point = (instanceMinutes: number, unservedUnitMinutes: number, knob: number | null = null, overloadMinutes = 0): FrontierPoint => ({
  knob,
  isDefault: false,
  instanceMinutes,
  unservedUnitMinutes,
  overloadMinutes,
  actions: 0,
});
const curve = (policy: FrontierCurve['policy'], points: FrontierPoint[], knob: FrontierCurve['knob'] = 'target'): FrontierCurve => ({ policy, knob, points });

describe('unserved demand along a curve', () => {
  // Points given out of order: the curve runs in order of instance-minutes.
  const points = [point(300, 0), point(100, 40), point(200, 10)];
  it.each<{ instanceMinutes: number; expected: number | null }>([
    { instanceMinutes: 100, expected: 40 },
    // A quarter of the way from (100, 40) to (200, 10): 40 − 0.25 × 30.
    { instanceMinutes: 125, expected: 32.5 },
    { instanceMinutes: 250, expected: 5 },
    { instanceMinutes: 300, expected: 0 },
    { instanceMinutes: 99, expected: null },
    { instanceMinutes: 301, expected: null },
  ])('at $instanceMinutes instance-minutes: $expected', ({ instanceMinutes, expected }) => expect(figureAt(points, instanceMinutes)).toBe(expected));

  it('any figure of the points, likewise', () => {
    // Overload minutes 90 at 100 and 30 at 200: a quarter of the way, 90 − 0.25 × 60.
    expect(figureAt([point(100, 40, null, 90), point(200, 10, null, 30)], 125, 'overloadMinutes')).toBe(75);
  });
});

describe('the watchdog against each swept rival', () => {
  const watchdog = curve('watchdog', [point(100, 40), point(200, 10), point(300, 0)], 'high');
  it.each<{ what: string; rival: FrontierCurve; expected: { compared: number; atOrBelow: number; outside: number } }>([
    // At 150 the watchdog leaves 25, the rival 30; at 250, 5 against 5.
    { what: 'below or level everywhere', rival: curve('target-tracking', [point(150, 30), point(250, 5)]), expected: { compared: 2, atOrBelow: 2, outside: 0 } },
    // At 150 the rival leaves 20, less than the watchdog's 25.
    { what: 'above at one point', rival: curve('hpa', [point(150, 20), point(250, 6)]), expected: { compared: 2, atOrBelow: 1, outside: 0 } },
    { what: 'cheaper and dearer than any of the watchdog’s', rival: curve('target-tracking-fast', [point(50, 90), point(350, 0)]), expected: { compared: 0, atOrBelow: 0, outside: 2 } },
  ])('$what', ({ rival, expected }) => expect(dominance(watchdog, [rival])).toEqual([{ rival: rival.policy, ...expected }]));

  it('on overload minutes instead', () => {
    // The watchdog: 120 overload minutes at 100, 20 at 300, so 70 at 200. The rival's 60 at 200 is
    // fewer; its 100 at 150 is not (the watchdog's 95).
    const ours = curve('watchdog', [point(100, 40, null, 120), point(300, 0, null, 20)], 'high');
    const rival = curve('hpa', [point(150, 30, null, 100), point(200, 10, null, 60)]);
    expect(dominance(ours, [rival], 'overloadMinutes')).toEqual([{ rival: 'hpa', compared: 2, atOrBelow: 1, outside: 0 }]);
  });

  it('a policy without a knob is no curve to lie against', () => {
    expect(dominance(watchdog, [watchdog, curve('oracle', [point(150, 0)], null)])).toEqual([]);
  });
});
