// One table per rule of decision-rules.md: each row is a fleet held for some minutes and what the
// engine must do then. Loads are CPU percent of each serving instance.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { decide, initialState } from '../../src/engine/index.js';
import type { Config, Decision, State } from '../../src/engine/index.js';
import { at, fleet, MIN, type FleetSpec, type InstanceSpec } from './fleet.js';
import { afterHolding, tickMinutes, withConfig } from './timeline.js';

type Fleet = Array<number | null | InstanceSpec>;
const hold = (minutes: number, instances: Fleet, group: FleetSpec = {}, state?: State, config = defaultConfig): Decision =>
  afterHolding(minutes, (now) => fleet(now, instances, group), { config, ...(state && { state }) });

const actionOf = (d: Decision) =>
  d.action === null
    ? null
    : d.action.kind === 'terminate'
      ? `terminate ${d.action.instance}${d.action.decrement ? ' -1' : ''}`
      : `desired ${d.action.from}→${d.action.to}`;
const blockOf = (d: Decision) => d.blocked.map((b) => `${b.rule}:${b.why}`);

/** A state whose last action was a scale-up `minutesAgo` before minute `atMinute`. */
function afterScaleUp(minutesAgo: number, atMinute = 0): State {
  const when = at(atMinute) - minutesAgo * MIN;
  return { ...initialState(), lastAction: { at: when, kind: 'set-desired', rule: 'high-band', from: 2, to: 3 }, lastScaleUpAt: when };
}

describe('rule 1, blind', () => {
  it.each<[string, Fleet, FleetSpec, boolean]>([
    ['2 of 5 measured', [100, 50, null, null, null], {}, true],
    ['half measured is enough', [40, 40, null, null], {}, false],
    ['metrics read failed', [50, 50], { metricsOk: false }, true],
    ['nothing serving is not blind', [{ lifecycle: 'Pending', load: null }], {}, false],
  ])('%s → blind %s', (_, instances, group, blind) => {
    const d = hold(6, instances, group);
    expect(blockOf(d).includes('blind:blind')).toBe(blind);
  });

  it('acts on nothing while blind, even on a runaway in plain sight', () => {
    const d = hold(10, [100, 30, null, null, null]);
    expect(d.action).toBeNull();
    expect(d.blocked).toHaveLength(1);
  });

  it.each([
    [4, false],
    [5, true],
  ])('after %d minutes blind, alert %s', (minutes, alerted) => {
    const d = hold(minutes, [50, null, null]);
    expect(d.alerts.some((a) => a.key === 'blind')).toBe(alerted);
  });
});

describe('rule 2, runaway', () => {
  it.each<[string, Fleet, string | null]>([
    ['pinned at 100 % beside a peer at 50 %', [100, 50], 'desired 2→3'],
    ['below urgent is not a runaway', [94, 50], null],
    ['1.5 × the peers exactly', [95, 63.3], 'desired 2→3'],
    ['just under 1.5 × the peers', [95, 63.4], null],
    ['the only one working is not a runaway (its peer is dead)', [100, 1], 'desired 2→3'],
    ['busy fleet: 20 points above tight peers', [100, 80, 81, 79, 82], 'desired 5→6'],
    ['two tight working peers 20+ points below: twice the gap', [100, 75, 76], 'desired 3→4'],
    ['two working peers 19.5 points below: not enough with two', [100, 80, 81], null],
    ['two working peers far apart: no outlier', [100, 60, 90], null],
    ['busy fleet, peers spread wide: no outlier', [100, 60, 90, 75, 85], null],
  ])('%s', (_, instances, expected) => {
    const d = hold(0, instances);
    expect(actionOf(d)).toBe(expected);
    if (expected !== null) expect(d.action!.rule).toBe(instances[1] === 1 ? 'saturated' : 'runaway');
  });

  it('two runaways among six do not hide each other (median of working peers)', () => {
    const d = hold(0, [100, 100, 50, 52, 48, 51]);
    expect(d.action).toMatchObject({ rule: 'runaway', instance: 'i-0' });
    expect(Object.keys(d.state.conditions)).toEqual(['runaway:i-0', 'runaway:i-1']);
  });

  it('a uniformly hot fleet is saturated, not four runaways', () => {
    expect(hold(0, [100, 97, 98, 99]).action).toMatchObject({ rule: 'saturated' });
  });

  it.each([
    [4, 'desired 2→3'],
    [5, 'terminate i-0 -1'],
  ])('held %d minutes after the emergency +1 → %s', (minutes, expected) => {
    // The +1 is made at minute 0 and shows up as a Pending instance from minute 1 on.
    const d = afterHolding(minutes, (now, m = Math.round((now - at(0)) / MIN)) =>
      fleet(now, m === 0 ? [100, 50] : [100, 50, { lifecycle: 'Pending', load: null }]),
    );
    expect(actionOf(d)).toBe(minutes === 5 ? expected : null);
  });

  it.each<[string, Fleet, FleetSpec, string]>([
    ['our +1 is taken back when the rest is below high', [100, 50], {}, 'terminate i-0 -1'],
    ['kept when the rest is above high', [100, 86, 87, 86, 88], {}, 'terminate i-0'],
    ['no +1 made at max: the group replaces it', [100, 50], { max: 2 }, 'terminate i-0'],
  ])('kill after the hold: %s', (_, instances, group, expected) => {
    expect(actionOf(hold(5, instances, group))).toBe(expected);
  });

  it('at max there is no +1 but the rule says why', () => {
    expect(blockOf(hold(0, [100, 50], { max: 2 }))).toEqual(['runaway:bounds']);
  });
});

describe('rule 3, saturated fleet', () => {
  it.each<[string, Fleet, FleetSpec, string | null]>([
    ['two at 96 %', [96, 97], {}, 'desired 2→3'],
    ['four at 100 % grow by half', [100, 100, 100, 100], {}, 'desired 4→6'],
    ['ten at 100 % need ceil(1000 / 77.5) = 13', Array(10).fill(100), { max: 20 }, 'desired 10→15'],
    ['within max', [100, 100, 100, 100], { max: 5 }, 'desired 4→5'],
    ['below urgent is the high band, not an emergency', [94, 94], {}, null],
  ])('%s → %s', (_, instances, group, expected) => {
    expect(actionOf(hold(0, instances, group))).toBe(expected);
  });

  it('launches already pending count as capacity', () => {
    const d = hold(0, [100, 100, { lifecycle: 'Pending', load: null }], { desired: 3 });
    expect(d.action).toBeNull();
    expect(blockOf(d)).toEqual(['saturated:converging']);
  });

  it.each([
    [1, null],
    [2, 'desired 3→5'],
  ])('%d minutes after the last action → %s', (minutesAgo, expected) => {
    const d = hold(0, [100, 100, 100], {}, afterScaleUp(minutesAgo));
    expect(actionOf(d)).toBe(expected);
  });
});

describe('rule 3 counts growth on the instances proven saturated', () => {
  it('instances still warming up from the last step are capacity on its way', () => {
    const d = hold(0, [100, 100, { load: 30, age: 2 }, { lifecycle: 'Pending', load: null }], { desired: 4 });
    expect(blockOf(d)).toEqual(['saturated:converging']);
  });
  it('an idle measured instance is not capacity', () => {
    expect(actionOf(hold(0, [100, 100, 0.5], { lb: false }))).toBe('desired 3→4');
  });
});

describe('rule 4, dead', () => {
  // min = the fleet's size keeps the N−1 rule out of the way: these rows are about the kill.
  it.each<[string, Fleet, number, string | null]>([
    ['near 0 % while the others work, 5 minutes', [1, 80, 80], 5, 'terminate i-0'],
    ['the same for 4 minutes', [1, 80, 80], 4, null],
    ['at night every instance idles: nobody is dead', [1, 2, 1.5], 30, null],
    ['others at exactly coldOthersMin', [1, 20, 20, 20], 5, 'terminate i-0'],
    ['others just below coldOthersMin', [1, 19.9, 19.9, 19.9], 5, null],
    ['4 % is not near 0 %', [4, 50, 50], 5, null],
  ])('%s → %s', (_, instances, minutes, expected) => {
    const d = hold(minutes, instances, { lb: false, min: instances.length });
    expect(actionOf(d)).toBe(expected);
    if (expected) expect(d.action!.rule).toBe('dead');
  });

  // Found by the no-healthy-kills property: next to a runaway, a healthy instance idles on a quiet fleet.
  it.each<[string, Fleet]>([
    ['idle beside a runaway on a quiet fleet', [100, 2.5]],
    ['idle while the only others are saturated', [2, 99, 98]],
  ])('%s: never terminated as dead', (_, instances) => {
    const decisions = tickMinutes(15, (now) => fleet(now, instances, { lb: false }));
    expect(decisions.filter((d) => d.action?.rule === 'dead')).toEqual([]);
  });

  it('not below coldRatio × the others is not dead', () => {
    const config = withConfig({ coldOthersMin: 10 });
    expect(actionOf(hold(5, [3, 12, 12, 12], { lb: false, min: 4 }, undefined, config))).toBeNull();
    expect(actionOf(hold(5, [2, 12, 12, 12], { lb: false, min: 4 }, undefined, config))).toBe('terminate i-0');
  });

  it.each<[string, Fleet, string]>([
    ['decremented when the N−1 rule would scale in anyway', [1, 50, 50], 'terminate i-0 -1'],
    ['replaced when the rest would run too hot without it', [1, 80, 80], 'terminate i-0'],
  ])('%s', (_, instances, expected) => {
    expect(actionOf(hold(5, instances, { lb: false }))).toBe(expected);
  });

  it('an instance with no datapoints is never dead', () => {
    expect(hold(30, [null, 50, 50, 50], { lb: false }).action).toBeNull();
  });
});

describe('rule 5, detached', () => {
  // Loads of 60 keep the N−1 rule quiet; a real detached instance idles near 1 %.
  const out = (extra: InstanceSpec = {}): InstanceSpec => ({ load: 60, lb: 'out', ...extra });
  it.each<[string, Fleet, FleetSpec, number, string | null]>([
    ['out of the balancer for 5 minutes', [out(), 60, 60], {}, 5, 'terminate i-0'],
    ['out for 4 minutes', [out(), 60, 60], {}, 4, null],
    ['one of two may be replaced', [out(), 60], {}, 5, 'terminate i-0'],
    ['still in warm-up', [out({ age: 3 }), 60, 60], {}, 5, null],
    ['balancer state unknown', [{ load: 60, lb: 'unknown' }, 60, 60], {}, 5, null],
    ['the group has no balancer', [out(), 60, 60], { lb: false }, 5, null],
  ])('%s → %s', (_, instances, group, minutes, expected) => {
    const d = hold(minutes, instances, group);
    expect(actionOf(d)).toBe(expected);
    if (expected) expect(d.action!.rule).toBe('detached');
  });

  it('more than half out is the application or the balancer: alert, kill nothing', () => {
    const d = hold(10, [out(), out(), 60]);
    expect(d.action).toBeNull();
    expect(blockOf(d)).toContain('detached:mass-detach');
    expect(d.alerts.map((a) => a.key)).toEqual(['mass-detach']);
  });
});

describe('rule 6, high band', () => {
  it.each<[string, Fleet, number, FleetSpec, string | null]>([
    ['above 85 % for 3 minutes', [86, 86], 3, {}, 'desired 2→3'],
    ['above 85 % for 2 minutes', [86, 86], 2, {}, null],
    ['exactly 85 %', [85, 85], 3, {}, null],
    ['one instance: the mark is 0.9 × 85 = 76.5', [77], 3, {}, 'desired 1→2'],
    ['one instance at 76 %', [76], 3, {}, null],
    ['sized to the middle of the band', [90, 90, 90, 90], 3, {}, 'desired 4→5'],
    ['at most maxStepUp = ceil(n / 2) at once', [94, 94, 94, 94, 94, 94, 94, 94, 94, 94], 3, { max: 30 }, 'desired 10→13'],
    ['within max', [90, 90, 90, 90], 3, { max: 4 }, null],
  ])('%s → %s', (_, instances, minutes, group, expected) => {
    expect(actionOf(hold(minutes, instances, group))).toBe(expected);
  });

  it('waits cooldownSeconds after the last action once the group has settled', () => {
    expect(actionOf(hold(3, [90, 90, 90], {}, afterScaleUp(1)))).toBeNull();
    expect(blockOf(hold(3, [90, 90, 90], {}, afterScaleUp(1)))).toEqual(['high-band:cooldown']);
    expect(actionOf(hold(3, [90, 90, 90], {}, afterScaleUp(2)))).toBe('desired 3→4');
  });

  it('counts launches already pending as capacity', () => {
    const d = hold(3, [90, 90, 90, { lifecycle: 'Pending', load: null }]);
    expect(blockOf(d)).toEqual(['high-band:converging']);
  });

  it('adds more while converging when demand outgrows what is launching', () => {
    const d = hold(3, [99, 94, 94, 94, { lifecycle: 'Pending', load: null }], {}, afterScaleUp(1));
    expect(actionOf(d)).toBe('desired 5→6');
  });

  it('at max it says so', () => {
    expect(blockOf(hold(3, [90, 90], { max: 2 }))).toEqual(['high-band:bounds']);
  });

  // Points are newest first: [82, 80, 78, 76, 74] climbs 2 points a minute; its load is 80 %.
  it.each<[string, number[], Partial<Config>, string | null]>([
    // Sized for the load 15 minutes ahead: (240 + 2 × 15 × 3) / 77.5 → 5 (at most +ceil(3 / 2)).
    ['above the middle and climbing to cross 85 % within 15 minutes', [82, 80, 78, 76, 74], {}, 'desired 3→5'],
    ['flat above the middle', [80, 80, 80, 80, 80], {}, null],
    ['climbing but below the middle', [76, 74, 72, 70, 68], {}, null],
    ['climbing slowly: 80.2 + 0.2 × 15 < 85', [80.4, 80.2, 80, 79.8, 79.6], {}, null],
    ['early scale-up turned off', [82, 80, 78, 76, 74], { riseLeadMinutes: 0 }, null],
  ])('rising: %s → %s', (_, points, overrides, expected) => {
    const d = hold(1, [{ points }, { points }, { points }], {}, undefined, withConfig(overrides));
    expect(actionOf(d)).toBe(expected);
  });

  it('rising must be held riseMinutes', () => {
    const points = [82, 80, 78, 76, 74];
    expect(actionOf(hold(0, [{ points }, { points }, { points }]))).toBeNull();
  });

  it('adds no +1 while converging: only what the measured load proves missing', () => {
    // 3 measured at 86 % need ceil(258 / 77.5) = 4, which the warming fourth already covers.
    const d = hold(3, [86, 86, 86, { load: 10, age: 4 }]);
    expect(blockOf(d)).toEqual(['high-band:converging']);
  });
});

describe('rule 7, low band: the N−1 rule', () => {
  // The default mark is the lower third of the band: 70 + (85 − 70) / 3 = 75 %.
  it.each<[string, Fleet, number, FleetSpec, string | null]>([
    ['3 at 49 %: with one fewer 73.5 % < 75 % for 5 minutes', [49, 49, 49], 5, {}, 'desired 3→2'],
    ['the same for 4 minutes', [49, 49, 49], 4, {}, null],
    ['3 at 51 %: with one fewer 76.5 %', [51, 51, 51], 5, {}, null],
    ['2 at 35 %: one left would run 70 % < 0.95 × 75', [35, 35], 5, {}, 'desired 2→1'],
    ['2 at 36 %: one left would run 72 %', [36, 36], 5, {}, null],
    ['at min', [30, 30], 5, { min: 2 }, null],
    ['20 at 50 %: k = 2 (maxStepDown = floor(20 / 10))', Array(20).fill(50), 5, { max: 30 }, 'desired 20→18'],
    ['20 at 50 % with min 19', Array(20).fill(50), 5, { min: 19, max: 30 }, 'desired 20→19'],
  ])('%s → %s', (_, instances, minutes, group, expected) => {
    expect(actionOf(hold(minutes, instances, group))).toBe(expected);
  });

  it.each<[string, number[], string | null]>([
    // 3 at 52 % falling 1 point a minute: (156 − 1 × 10 × 3) / 2 = 63 % < 75 % ahead, 78 % now.
    ['falling: the projection looks fallLeadMinutes ahead', [51, 52, 53, 54, 55], 'desired 3→2'],
    ['steady at the same load: with one fewer 78 %', [52, 52, 52, 52, 52], null],
  ])('%s', (_, points, expected) => {
    expect(actionOf(hold(5, [{ points }, { points }, { points }]))).toBe(expected);
  });

  it.each<[number[], string | null]>([
    [[45, 45, 45], 'desired 3→2'],
    [[47, 47, 47], null],
  ])('with the Menéame mark (scaleInMark 70): %j → %s', (instances, expected) => {
    expect(actionOf(hold(5, instances, {}, undefined, withConfig({ scaleInMark: 70 })))).toBe(expected);
  });

  it.each<[string, Fleet, State | undefined, string]>([
    ['an unmeasured instance blocks it', [30, 30, 30, null], undefined, 'n-minus-1:coverage'],
    ['17 minutes after a scale-up', [30, 30, 30], afterScaleUp(17, 5), 'n-minus-1:scale-in-delay'],
    ['a launch still pending', [30, 30, 30, { lifecycle: 'Pending', load: null }], undefined, 'n-minus-1:converging'],
    ['an instance still warming up', [30, 30, 30, { load: 30, age: 2 }], undefined, 'n-minus-1:coverage'],
  ])('blocked: %s', (_, instances, state, block) => {
    const d = hold(5, instances, {}, state);
    expect(d.action).toBeNull();
    expect(blockOf(d)).toEqual([block]);
  });

  it('18 minutes after a scale-up it may scale in', () => {
    expect(actionOf(hold(5, [30, 30, 30], {}, afterScaleUp(18, 5)))).toBe('desired 3→2');
  });
});

describe('priority: at most one action, the first rule wins', () => {
  it('a runaway beats the high band', () => {
    const decisions = tickMinutes(3, (now, m) => fleet(now, [m < 3 ? 88 : 100, 88, 87, 89]));
    expect(decisions[2]!.state.conditions).toEqual({ high: at(0) });
    expect(decisions[3]!.action).toMatchObject({ rule: 'runaway' });
  });
  it('a dead instance beats the N−1 rule', () => {
    expect(hold(5, [1, 30, 30, 30], { lb: false }).action).toMatchObject({ rule: 'dead' });
  });
});

describe('the next state', () => {
  it('remembers the action, the scale-up and the condition since', () => {
    const d = hold(3, [90, 90]);
    expect(d.state.lastAction).toMatchObject({ at: at(3), kind: 'set-desired', rule: 'high-band', from: 2, to: 3 });
    expect(d.state.lastScaleUpAt).toBe(at(3));
    expect(d.state.conditions).toEqual({ high: at(0) });
    expect(d.stateWithoutAction.lastAction).toBeNull();
  });

  it('keeps history within historyLength', () => {
    const config = withConfig({ historyLength: 3 });
    let state = initialState();
    for (let m = 0; m < 5; m++) state = decide(fleet(at(m), [50, 50]), state, config, at(m)).state;
    expect(state.history.map((h) => h.at)).toEqual([at(2), at(3), at(4)]);
  });

  it('is the same decision for the same inputs', () => {
    const snapshot = fleet(at(0), [100, 50, 48, null]);
    expect(decide(snapshot, initialState(), defaultConfig, at(0))).toEqual(decide(snapshot, initialState(), defaultConfig, at(0)));
  });
});
