// One table per rule of decision-rules.md: each row is a fleet held for some minutes and what the
// engine must do then. Loads are CPU percent of each serving instance.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { decide, initialState } from '../../src/engine/index.js';
import type { Config, Decision, State } from '../../src/engine/index.js';
import { at, fleet, MIN, pointsAt, T0, type FleetSpec, type InstanceSpec } from './fleet.js';
import { afterHolding, tickMinutes, watchedFor, withConfig } from './timeline.js';

type Fleet = Array<number | null | InstanceSpec>;
const hold = (minutes: number, instances: Fleet, group: FleetSpec = {}, state?: State, config = defaultConfig): Decision =>
  afterHolding(minutes, (now) => fleet(now, instances, group), { config, ...(state && { state }) });
/**
 * As `hold`, by a watchdog that watched the same fleet for 10 minutes before: the fleet load the
 * N−1 rule waits for, 20 minutes, is known from minute 5 (5 at the first tick, one a tick).
 */
const holdWatched = (minutes: number, instances: Fleet, group: FleetSpec = {}, state?: State, config = defaultConfig): Decision =>
  afterHolding(minutes, (now) => fleet(now, instances, group), { config, state: watchedFor(10, (now) => fleet(now, instances, group), state, config) });

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

/** Pinned at 100 %, its newest minute late: measured, but no runaway candidate now. */
const pinnedLate: InstanceSpec = { points: Array(10).fill(100), staleBy: 1 };

/** A state that remembers the runaway rule's emergency +1 for `id`, made 20 minutes before minute 0. */
const plusOneFor = (id: string): State => ({ ...initialState(), emergencies: { [id]: at(-20) } });

function afterScaleIn(minutesAgo: number, atMinute = 0): State {
  return { ...initialState(), lastAction: { at: at(atMinute) - minutesAgo * MIN, kind: 'set-desired', rule: 'n-minus-1', from: 21, to: 20 } };
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

// A burstable instance (t2, t3, t3a, t4g) out of CPU credits in standard mode is capped at its
// baseline: its CPU reads 20 % (a t3.small's baseline) whatever its load. Its load is unknown.
describe('burstable instances out of CPU credits', () => {
  const capped: InstanceSpec = { load: 20, credits: { balance: 0, surplus: 0 } };
  const spending: InstanceSpec = { load: 20, credits: { balance: 0, surplus: 8 } };
  it.each<{ what: string; instances: Fleet; minutes: number; expected: { action: string | null; blocked: string[]; alerts: string[] } }>([
    // Read as loads, 4 × 20 % on 3 is 26.7 %, far below 75 %: the N−1 rule would take instances
    // from a fleet whose every instance is at its cap.
    { what: 'a whole fleet capped', instances: [capped, capped, capped, capped], minutes: 6, expected: { action: null, blocked: ['blind:blind'], alerts: ['blind'] } },
    { what: 'one of four capped, in its fifth minute', instances: [30, 30, 30, capped], minutes: 4, expected: { action: null, blocked: ['n-minus-1:coverage'], alerts: [] } },
    { what: 'one of four capped for 5 minutes', instances: [30, 30, 30, capped], minutes: 5, expected: { action: null, blocked: ['n-minus-1:coverage'], alerts: ['unmeasured'] } },
    // Unlimited mode: no balance, but spending surplus credits, so not capped; 30 + 30 + 30 + 20 on 3 is 36.7 %.
    { what: 'one of four spending surplus credits', instances: [30, 30, 30, spending], minutes: 5, expected: { action: 'desired 4→2', blocked: [], alerts: [] } },
  ])('$what', ({ instances, minutes, expected }) => {
    const d = holdWatched(minutes, instances);
    expect({ action: actionOf(d), blocked: blockOf(d), alerts: d.alerts.map((a) => a.key) }).toEqual(expected);
  });

  it('the alerts say which instances and why', () => {
    const one = hold(5, [30, 30, 30, { ...capped, id: 'i-t3' }]);
    const all = hold(5, [capped, capped, capped]);
    expect([...one.alerts, ...all.alerts].map((a) => a.subject)).toEqual([
      'web: 1 of 4 serving unmeasured for 5 min (i-t3 out of CPU credits); no scale-in until every one is measured',
      'web: blind, 0 of 3 instances measured for 5 min (3 out of CPU credits); no scaling and no kills',
    ]);
  });

  // The same alert for any instance unmeasured for a reason that does not pass by itself: each
  // blocks every scale-in for as long. One launched without detailed monitoring publishes every
  // 5 minutes: one datapoint in the window, too few, for good; where CloudWatch answered, the
  // alert says what gives a datapoint a minute (docs/operations.md, "One-minute CPU").
  const fiveMinutes: InstanceSpec = { points: [30] };
  it.each<{ what: string; instances: Fleet; group?: FleetSpec; minutes: number; expected: string[] }>([
    {
      what: 'one with 5-minute datapoints, 5 minutes',
      instances: [30, 30, 30, fiveMinutes],
      minutes: 5,
      expected: ['web: 1 of 4 serving unmeasured for 5 min (i-3 too few datapoints: CPU every minute needs detailed monitoring); no scale-in until every one is measured'],
    },
    { what: 'one with none, 4 minutes', instances: [30, 30, 30, null], minutes: 4, expected: [] },
    {
      what: 'one with none and one out of CPU credits, 5 minutes',
      instances: [30, 30, null, capped],
      minutes: 5,
      expected: ['web: 2 of 4 serving unmeasured for 5 min (i-2 no datapoints, i-3 out of CPU credits: CPU every minute needs detailed monitoring); no scale-in until every one is measured'],
    },
    // A whole group launched from a launch template that leaves it off (its default): blind, and why.
    {
      what: 'every one with 5-minute datapoints, 5 minutes',
      instances: [fiveMinutes, fiveMinutes, fiveMinutes, fiveMinutes],
      minutes: 5,
      expected: ['web: blind, 0 of 4 instances measured for 5 min (4 too few datapoints: CPU every minute needs detailed monitoring); no scaling and no kills'],
    },
    // CloudWatch not answering is no instance's monitoring: the tick's warning says what failed.
    { what: 'CloudWatch unreadable, 5 minutes', instances: [30, 30, 30, 30], group: { metricsOk: false }, minutes: 5, expected: ['web: blind, 0 of 4 instances measured for 5 min; no scaling and no kills'] },
    // Warming up passes by itself: nothing to tell (this one is a minute old at every tick).
    { what: 'one warming up at every tick for 6 minutes', instances: [30, 30, 30, { load: 30, age: 1 }], minutes: 6, expected: [] },
  ])('unmeasured for good: $what', ({ instances, group, minutes, expected }) => {
    expect(hold(minutes, instances, group).alerts.map((a) => a.subject)).toEqual(expected);
  });
});

// A group that launches fewer than desired (a launch template gone, no capacity of the type, a
// quota): every rule counts what desired orders as on its way, so only this alert tells that the
// fleet waits for instances that never come. AWS orders one within a minute of desired rising.
describe('a group that does not launch', () => {
  const notLaunching = (minutes: number) => `web: not launching: desired 6, 4 launched for ${minutes} min; its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities); no scale-in until it launches`;
  it.each<{ what: string; instances: Fleet; group: FleetSpec; minutes: number; expected: { alerts: string[]; blocked: string[] } }>([
    { what: 'two short for 9 minutes', instances: [90, 90, 90, 90], group: { desired: 6 }, minutes: 9, expected: { alerts: [], blocked: [] } },
    { what: 'two short for 10 minutes', instances: [90, 90, 90, 90], group: { desired: 6 }, minutes: 10, expected: { alerts: [notLaunching(10)], blocked: [] } },
    // The N−1 rule waits for the group to settle, and says so; the alert says why it does not.
    { what: 'two short on a quiet fleet', instances: [20, 20, 20, 20], group: { desired: 6 }, minutes: 10, expected: { alerts: [notLaunching(10)], blocked: ['n-minus-1:converging'] } },
    // Blind or not, AWS launches nothing: the alert comes beside the blind one.
    { what: 'two short, the fleet blind', instances: [null, null, null, null], group: { desired: 6 }, minutes: 10, expected: { alerts: [notLaunching(10), 'web: blind, 0 of 4 instances measured for 10 min (4 no datapoints: CPU every minute needs detailed monitoring); no scaling and no kills'], blocked: ['blind:blind'] } },
    // The operator's maintenance, told of by the tick's warning: nothing more to mail.
    { what: 'two short, Launch suspended', instances: [90, 90, 90, 90], group: { desired: 6, launchSuspended: true }, minutes: 10, expected: { alerts: [], blocked: [] } },
    // On their way: Pending (a lifecycle hook's wait too) is launched.
    { what: 'two Pending for 10 minutes', instances: [90, 90, 90, 90, { lifecycle: 'Pending:Wait', load: null, age: 10 }, { lifecycle: 'Pending', load: null, age: 10 }], group: { desired: 6 }, minutes: 10, expected: { alerts: [], blocked: [] } },
    // Launched, but not finished: Pending 30 minutes after its launch (a launch lifecycle hook that
    // nothing completes waits an hour by default). Said of each such instance, the rest still on their way.
    { what: 'one Pending:Wait 29 minutes after its launch', instances: [90, 90, 90, 90, { lifecycle: 'Pending:Wait', load: null, age: 29 }], group: { desired: 5 }, minutes: 10, expected: { alerts: [], blocked: [] } },
    {
      what: 'one Pending:Wait 30 minutes after its launch, one Pending 2',
      instances: [90, 90, 90, 90, { lifecycle: 'Pending:Wait', load: null, age: 30 }, { lifecycle: 'Pending', load: null, age: 2 }],
      group: { desired: 6 },
      minutes: 10,
      expected: { alerts: ["web: a launch not finished in 30 min: i-4 Pending:Wait for 30 min (a launch lifecycle hook that nothing completes?); its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities)"], blocked: [] },
    },
    {
      what: 'two Pending 45 minutes after their launch',
      instances: [90, 90, 90, 90, { lifecycle: 'Pending', load: null, age: 45 }, { lifecycle: 'Pending:Wait', load: null, age: 45 }],
      group: { desired: 6 },
      minutes: 10,
      expected: { alerts: ["web: 2 launches not finished in 30 min: i-4 Pending for 45 min, i-5 Pending:Wait for 45 min (a launch lifecycle hook that nothing completes?); its scaling activities say why (the console's Activity tab, or aws autoscaling describe-scaling-activities)"], blocked: [] },
    },
    // Going is not launched: a replacement not ordered in 10 minutes is a group that does not launch.
    // AWS's own reason, where its scaling activities were read (only once 10 minutes have passed), instead of where to look.
    {
      what: 'two short for 10 minutes, AWS’s reason read',
      instances: [90, 90, 90, 90],
      group: { desired: 6, launchFailure: { at: at(7), message: 'We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a).' } },
      minutes: 10,
      expected: { alerts: ['web: not launching: desired 6, 4 launched for 10 min; AWS\'s last failed launch, 3 min ago: "We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a)."; no scale-in until it launches'], blocked: [] },
    },
    // A reason is no alert by itself: 9 minutes short, or nothing short (an old failure, the group launched since).
    { what: 'two short for 9 minutes, AWS’s reason read', instances: [90, 90, 90, 90], group: { desired: 6, launchFailure: { at: at(7), message: 'Launch template lt-0 not found.' } }, minutes: 9, expected: { alerts: [], blocked: [] } },
    { what: 'none short, a failed launch read', instances: [90, 90, 90, 90], group: { launchFailure: { at: at(7), message: 'Launch template lt-0 not found.' } }, minutes: 10, expected: { alerts: [], blocked: [] } },
    // AWS's clock a minute ahead of this host's: just now, not −1 min.
    {
      what: 'a failure timed after now',
      instances: [90, 90, 90, 90],
      group: { desired: 6, launchFailure: { at: at(11), message: 'Launch template lt-0 not found.' } },
      minutes: 10,
      expected: { alerts: ['web: not launching: desired 6, 4 launched for 10 min; AWS\'s last failed launch, 0 min ago: "Launch template lt-0 not found."; no scale-in until it launches'], blocked: [] },
    },
    { what: 'one Terminating, its replacement not launched', instances: [90, 90, 90, 90, { lifecycle: 'Terminating', load: null }], group: { desired: 5 }, minutes: 10, expected: { alerts: ['web: not launching: desired 5, 4 launched for 10 min; its scaling activities say why (the console\'s Activity tab, or aws autoscaling describe-scaling-activities); no scale-in until it launches'], blocked: [] } },
  ])('$what', ({ instances, group, minutes, expected }) => {
    const d = holdWatched(minutes, instances, group);
    expect({ alerts: d.alerts.map((a) => a.subject), blocked: blockOf(d) }).toEqual(expected);
  });
});

// The group's own default instance warmup (DefaultInstanceWarmup), where longer than the config's
// 300 s, is the warm-up: the operator has told AWS how long a new instance's CPU says nothing.
describe('the group’s own instance warmup', () => {
  it.each<{ what: string; instances: Fleet; group: FleetSpec; expected: { action: string | null; blocked: string[]; why: string | null } }>([
    // Seven minutes old, pinned by its start: past 300 s, a runaway beside peers at 40 %.
    { what: 'none set: a new instance pinned at its start is a runaway after 5 minutes', instances: [{ load: 100, age: 7 }, 40, 40], group: {}, expected: { action: 'desired 3→4', blocked: [], why: null } },
    { what: '600 s: the same instance is warming up', instances: [{ load: 100, age: 7 }, 40, 40], group: { instanceWarmupSeconds: 600 }, expected: { action: null, blocked: ['n-minus-1:coverage'], why: 'warming-up' } },
    { what: 'shorter than the config’s: the config’s 300 s', instances: [{ load: 30, age: 4 }, 30, 30], group: { instanceWarmupSeconds: 120 }, expected: { action: null, blocked: ['n-minus-1:coverage'], why: 'warming-up' } },
  ])('$what', ({ instances, group, expected }) => {
    const d = afterHolding(0, (now) => fleet(now, instances, group));
    expect({ action: actionOf(d), blocked: blockOf(d), why: d.figures.instances[0]!.unmeasured }).toEqual(expected);
  });
});

describe('rule 2, runaway', () => {
  const surge: InstanceSpec = { points: [100, 100, 27] };
  const fall: InstanceSpec = { points: [60, 100, 100, 100] };
  const late: InstanceSpec = { points: [100, 100, 100, 40], staleBy: 1 };
  it.each<[string, Fleet, string | null, string | null]>([
    ['pinned at 100 % beside a peer at 50 %', [100, 50], 'desired 2→3', 'runaway'],
    ['below urgent is not a runaway', [94, 50], null, null],
    ['1.5 × the peers exactly', [95, 63.3], 'desired 2→3', 'runaway'],
    // A single peer: the ratio misses (1.498), the gap of 31.6 ≥ 1.5 × hotGap sees it.
    ['just under 1.5 × a single peer, 31.6 points above it', [95, 63.4], 'desired 2→3', 'runaway'],
    ['a single peer 15 points below', [100, 85], 'desired 2→3', 'runaway'],
    // Not a runaway; the fleet load, 95 + 80.5 = 175.5 % on 2, is above the band: rule 6.
    ['a single peer 14.5 points below', [95, 80.5], 'desired 2→3', 'high-band'],
    ['busy fleet: 20 points above tight peers', [100, 80, 81, 79, 82], 'desired 5→6', 'runaway'],
    ['two tight working peers 20+ points below: twice the gap', [100, 75, 76], 'desired 3→4', 'runaway'],
    // Not a runaway; 261 % on 3 is 87 %: rule 6 sizes ⌈261 / 77.5⌉ = 4.
    ['two working peers 19.5 points below: not enough with two', [100, 80, 81], 'desired 3→4', 'high-band'],
    ['two working peers far apart: no outlier', [100, 60, 90], null, null],
    ['busy fleet, peers spread wide: no outlier', [100, 60, 90, 75, 85], null, null],
    // Two pinned beside one at 6 %, above coldLoad (one failing fast on its error pages beside an
    // overloaded fleet): by the median of it and the other pinned one, 53 %, both read as
    // runaways and were killed. Far below its share it is no working peer, while CPU cannot tell
    // too (no more than twice as many at work: two runaways beside a healthy one idling read so);
    // NetworkOut tells (test/engine/network.test.ts). The fleet load, 206 % on 3, is in the band.
    ['two pinned beside one at 6 %, far below its share', [100, 100, 6], null, null],
    // The same on a load of two minutes (its agent missed one as it began to fail): no reading
    // held on it, but no working peer either (a hunt, 2026-12-07: 52 % the median, one killed);
    // the two at work saturated, ⌈1.3 × 2⌉ = 3 of them proven: 5.
    ['two pinned beside one at 6 % on fewer minutes than theirs', [100, 100, { points: [6, 6] }], 'desired 3→5', 'saturated'],
    ['pinned beside four, the upper two at 60 %: 1.5 × them and more', [100, 40, 40, 60, 60], 'desired 5→6', 'runaway'],
    // Traffic surged in the newest two minutes. The peers average (100 + 100 + 27) / 3 = 75.7 %; one
    // just measured has only those two (100 %): it is no runaway, the surge is rule 6's (500 % → ⌈500 / 77.5⌉ = 7).
    ['just measured, on fewer and newer minutes than its peers', [surge, surge, surge, surge, { points: [100, 100] }], 'desired 5→7', 'high-band'],
    // On as many minutes, but where its peers are on the newest (the surge pinned them too): it stands
    // out on the oldest minute alone, no runaway now; the surge is rule 6's.
    ['the same instance on as many minutes as its peers, pinned as they are now', [surge, surge, surge, surge, { points: [100, 100, 100] }], 'desired 5→7', 'high-band'],
    // The peers back at 80 % on the newest minute ((80 + 100 + 27) / 3 = 69 %): 20 points above them now too.
    ['the same instance on as many minutes as its peers, above them now', [...Array(4).fill({ points: [80, 100, 27] }), { points: [100, 100, 100] }], 'desired 5→6', 'runaway'],
    // Half the fleet or more just launched into the surge: each of them on its two minutes (100 %)
    // beside peers whose three hold the minute before it (75.7 %) is no runaway either.
    ['half the fleet just measured, on fewer and newer minutes', [surge, surge, surge, { points: [100, 100] }, { points: [100, 100] }, { points: [100, 100] }], 'desired 6→8', 'high-band'],
    ['most of the fleet just measured', [surge, surge, { points: [100, 100] }, { points: [100, 100] }, { points: [100, 100] }, { points: [100, 100] }], 'desired 6→8', 'high-band'],
    // The load fell to 60 % in the newest minute: the peers average (60 + 100 + 100) / 3 = 86.7 %; one whose
    // newest datapoint is late still averages three minutes at 100 %: no runaway either (rule 6: the capped minutes).
    ['its newest minute late, after a fall its peers show', [fall, fall, fall, fall, { points: [60, 100, 100, 100], staleBy: 1 }], 'desired 5→7', 'high-band'],
    // The other way: the peers' newest minute is late (their three: 100, 100, 40 → 80 %), one already has it (100 %).
    ['its newest minute early, before its peers show a climb', [late, late, late, late, { points: [100, 100, 100, 40] }], 'desired 5→7', 'high-band'],
    // Pinned on its older minutes, 5 points above its peers on the newest: no runaway now (a fleet
    // whose zones a scale-in evened stands so, its older minutes carried by the uneven zones). The
    // newest minute, 430 % on 5, is above the band: rule 6.
    ['pinned on its older minutes only', [{ points: [90, 100, 100] }, ...Array(4).fill({ points: [85, 50, 50] })], 'desired 5→6', 'high-band'],
    // CloudWatch handed over only two minutes of every instance (as basic monitoring can, late): two are the same minutes.
    ['every instance on two minutes only', [{ points: [100, 100] }, { points: [50, 50] }], 'desired 2→3', 'runaway'],
  ])('%s', (_, instances, expected, rule) => {
    const d = hold(0, instances);
    expect([actionOf(d), d.action?.rule ?? null]).toEqual([expected, rule]);
  });

  // No peer at work. Behind a balancer that gives each its share, peers idling in it show what a
  // share costs: as many pinned beside them or fewer are runaways (at night, when the fleet
  // idles). Without a balancer (workers that pull jobs), most pinned, or beside peers all out of
  // their balancer (the one left carries all: rule 5's business first), the saturated condition holds.
  // Without a balancer one at work is no witness that the idle one is dead (DEAD_WITNESSES): its
  // CPU is its share, 100 + 1 = 101 % on 2, 50.5 %, below urgent: no step. Three pinned beside one
  // idling: it may be the dead one, 3 × 100 + its share at 100 = 400 % → ⌈400 / 77.5⌉ = 6 working,
  // + the idle one.
  it.each<{ what: string; instances: Fleet; group: FleetSpec; expected: { action: string | null; held: string[] } }>([
    { what: 'pinned beside a peer idling in the balancer', instances: [100, 1], group: {}, expected: { action: 'desired 2→3', held: ['runaway-beside-idle:i-0'] } },
    { what: 'pinned beside two peers idling in the balancer', instances: [100, 2, 3], group: {}, expected: { action: 'desired 3→4', held: ['runaway-beside-idle:i-0'] } },
    { what: 'two pinned beside three idling', instances: [100, 100, 1, 1, 1], group: {}, expected: { action: 'desired 5→6', held: ['runaway-beside-idle:i-0', 'runaway-beside-idle:i-1'] } },
    { what: 'the same without a balancer', instances: [100, 1], group: { lb: false }, expected: { action: null, held: ['saturated'] } },
    { what: 'beside a peer out of its balancer', instances: [100, { load: 1, lb: 'out' }], group: {}, expected: { action: null, held: ['saturated', 'detached:i-1'] } },
    // Out of its balancer an instance's CPU is something else's (here a process of its own at
    // 20 %): no peer either, or the one left carrying all would be a runaway beside it.
    { what: 'beside a peer out of its balancer, busy with something else', instances: [100, { load: 20, lb: 'out' }], group: {}, expected: { action: null, held: ['detached:i-1'] } },
    // The one out takes no share and is no peer; the one in shows what a share costs.
    { what: 'beside a peer in its balancer and one out of it', instances: [100, 1, { load: 1, lb: 'out' }], group: {}, expected: { action: 'desired 3→4', held: ['runaway-beside-idle:i-0', 'detached:i-2'] } },
    { what: 'two pinned beside two idling', instances: [100, 100, 1, 1], group: {}, expected: { action: 'desired 4→5', held: ['runaway-beside-idle:i-0', 'runaway-beside-idle:i-1'] } },
    { what: 'three pinned beside one idling', instances: [100, 100, 100, 1], group: {}, expected: { action: 'desired 4→7', held: ['saturated'] } },
  ])('no peer at work, $what → $expected.action', ({ instances, group, expected }) => {
    const d = hold(0, instances, group);
    expect({ action: actionOf(d), held: Object.keys(d.state.conditions) }).toEqual(expected);
  });

  // Beside idle peers the kill waits for an instance launched after the runaway was first seen
  // (minute 0; its +1 launches at minute 1 here, desired 3): idle beside it too, the traffic is
  // light; at work, the pinned one serves its share (the idle peers fail fast: an application down
  // behind a web server that answers the health checks) and is no runaway beside it. Measured past
  // its 5 minutes of warm-up, from minute 6. The fixture's desired stays at 2 for the +1 never
  // launched and 3 for the one that did: the kill takes it back where it ran (decrement). The
  // runaway rule's actions (beside one at work, the saturated and band rules act on a fixture that
  // never grows).
  it.each<{ what: string; launched: InstanceSpec['load'] | 'none'; expected: string[] }>([
    { what: 'none launched since: held, never killed', launched: 'none', expected: ['0 desired 2→3'] },
    { what: 'one launched since idles too: killed once it is measured', launched: 1, expected: ['0 desired 2→3', '6 terminate i-0 -1'] },
    { what: 'one launched since works: no runaway', launched: 100, expected: ['0 desired 2→3'] },
    // At 80 %, 20 points below it (1.5 × hotGap beside a single peer): a runaway beside working
    // peers from minute 6, a hold of its own, killed at 11. The minutes held beside idle peers do
    // not count: a healthy instance that carried the work alone beside a hung peer stood so above
    // its +1 on a minute of noise near the cap, and was killed at once (a hunt, 2026-12-07).
    { what: 'one launched since at 80 %: a runaway beside it, held afresh', launched: 80, expected: ['0 desired 2→3', '11 terminate i-0 -1'] },
    // At 5 %, at work by a point (coldLoad 4): 100 % is twice that and more (CLEAR_RUNAWAY_RATIO),
    // and its hold goes on from minute 0: killed once it is measured. A peer at the idle mark's
    // edge moved a runaway between the two readings, each move a new hold: 25 minutes (the
    // sick-instance property, 2026-12-07).
    { what: 'one launched since at 5 %: a runaway beside it, its hold going on', launched: 5, expected: ['0 desired 2→3', '6 terminate i-0 -1'] },
    // At 10 %, more than twice below it but clear of the idle mark's edge (twice coldLoad): a peer
    // that woke at once, a hold of its own. A hung peer whose process began to spin (0.5 to 25 %
    // in a minute beside the healthy one carrying all, NetworkOut unread) had it killed that
    // minute on the minutes held beside idle peers (a hunt, 2026-12-07).
    { what: 'one launched since at 10 %: a runaway beside it, held afresh', launched: 10, expected: ['0 desired 2→3', '11 terminate i-0 -1'] },
  ])('pinned beside a peer idling in the balancer, $what', ({ launched, expected }) => {
    // To minute 11, the latest kill: the fixture keeps a killed instance.
    const decisions = tickMinutes(11, (now, minute) =>
      launched === 'none' || minute < 1 ? fleet(now, [100, 1], { min: 2 }) : fleet(now, [100, 1, { load: launched, age: minute - 1 }], { min: 2, desired: 3 }),
    );
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'runaway' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // Beside a single working peer, by CPU alone (NetworkOut unread), it stands as far above it as
  // a healthy one pinned by an overload beside a hang that fails fast (at 14 % on its error
  // pages): the kill waits for one launched since (its +1, launched at minute 1, measured from
  // minute 6) to work below it. Before 2026-12-07 the healthy one was killed at 5 (a hunt of
  // fleets of two growing under an overload, NetworkOut read too: the hang's error pages a
  // third of what the healthy one served).
  it.each<{ what: string; peer: number; launched: number | 'none'; expected: string[] }>([
    { what: 'none launched since: held, never killed', peer: 14, launched: 'none', expected: ['0 desired 2→3'] },
    { what: 'one launched since works below it: killed once it is measured', peer: 14, launched: 10, expected: ['0 desired 2→3', '6 terminate i-0 -1'] },
    // 14 % is far below its share beside two at 100 %: no working peer, and by the one left, none.
    { what: 'one launched since is pinned too: no runaway', peer: 14, launched: 100, expected: ['0 desired 2→3'] },
    // Idling in the balancer beside it, the one launched shows the traffic light: one pinned by an
    // overload has none such beside it (one launched into it takes its share). A runaway at night
    // beside a single peer at work waited for its +1 to work (2026-12-08).
    { what: 'one launched since idles in the balancer: killed once it is measured', peer: 5, launched: 1, expected: ['0 desired 2→3', '6 terminate i-0 -1'] },
    // 30 % is not far below its share: 100 % is still 1.5 × the median of 30 and 100, but it
    // stands out against the one at 30 % alone, and the one launched runs as hot: held (the one
    // launched reads so too, and gets its +1 in turn: this fixture never grows).
    { what: 'one launched since is pinned too, beside a peer at 30 %: held, never killed', peer: 30, launched: 100, expected: ['0 desired 2→3', '6 desired 3→4'] },
  ])('pinned beside a single working peer, $what', ({ peer, launched, expected }) => {
    const decisions = tickMinutes(11, (now, minute) =>
      launched === 'none' || minute < 1 ? fleet(now, [100, peer], { min: 2 }) : fleet(now, [100, peer, { load: launched, age: minute - 1 }], { min: 2, desired: 3 }),
    );
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'runaway' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // Of mixed sizes, against every working instance of any size, each one's load as its share
  // would make it run (round robin: a c5.xlarge at 45 % is a c5.large's 90 %): where all the
  // others run as hot, or in a fleet of two, the single peer below it is all there is, and the
  // kill waits as above. Before 2026-12-08 the kill went on after 5 minutes (a hunt with a hang
  // failing fast in every story: 246 healthy kills in 54,050 stories, of mixed sizes).
  const c5 = (load: number, age?: number): InstanceSpec => ({ load, type: 'c5.large', ...(age !== undefined && { age }) });
  it.each<{ what: string; instances: Fleet; launched?: InstanceSpec; expected: string[] }>([
    { what: 'a c5.large beside a c7g.large at 5 %, none launched: held, never killed', instances: [c5(100), { load: 5, type: 'c7g.large' }], expected: ['0 desired 2→3'] },
    { what: 'an m6g.medium beside another at 8 %, two c5.large pinned (200 % on 1 vCPU)', instances: [{ load: 100, type: 'm6g.medium' }, { load: 8, type: 'm6g.medium' }, c5(100), c5(100)], expected: ['0 desired 4→5'] },
    { what: 'a c5.large beside another at 10 % and a c5.xlarge at 45 % (90 % on 2 vCPUs)', instances: [c5(100), c5(10), { load: 45, type: 'c5.xlarge' }], expected: ['0 desired 3→4'] },
    // Two below it: the share shows, as among one type.
    { what: 'a c5.large beside another at 10 % and a c5.xlarge at 20 % (40 % on 2 vCPUs): killed', instances: [c5(100), c5(10), { load: 20, type: 'c5.xlarge' }], expected: ['0 desired 3→4', '5 terminate i-0 -1'] },
    // Its +1 (a c5.xlarge, launched at minute 1, measured from 6) works below it: killed then.
    { what: 'a c5.large beside a c7g.large at 5 %, one launched since works below it: killed once measured', instances: [c5(100), { load: 5, type: 'c7g.large' }], launched: { load: 20, type: 'c5.xlarge' }, expected: ['0 desired 2→3', '6 terminate i-0 -1'] },
    // A c5.2xlarge at 1 % idles on a c5.xlarge's share too (2 %, under coldLoad): the traffic is light.
    { what: 'a c5.xlarge beside a c5.large at 5 %, one launched since idles: killed once measured', instances: [{ load: 100, type: 'c5.xlarge' }, c5(5)], launched: { load: 1, type: 'c5.2xlarge' }, expected: ['0 desired 2→3', '6 terminate i-0 -1'] },
    // Out of the balancer, it shows nothing of the traffic.
    { what: 'the same, the one launched out of its balancer', instances: [{ load: 100, type: 'c5.xlarge' }, c5(5)], launched: { load: 1, type: 'c5.2xlarge', lb: 'out' }, expected: ['0 desired 2→3'] },
  ])('pinned beside a single working peer of mixed sizes, $what', ({ instances, launched, expected }) => {
    const n = instances.length;
    const decisions = tickMinutes(11, (now, minute) =>
      launched === undefined || minute < 1 ? fleet(now, instances, { min: 2, desired: n }) : fleet(now, [...instances, { ...launched, age: minute - 1 }], { min: 2, desired: n + 1 }),
    );
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'runaway' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // In zones that split the traffic, the one launched since joined the other zone, beside a hang
  // there (2 %: by least outstanding requests a hang that fails fast is sent most of its zone's
  // requests): it runs at 60 % on what the hang leaves, below i-1's share, and proves nothing.
  // Before 2026-12-07 i-1, healthy and alone in its zone, was killed once the one launched was
  // measured (a hunt of fleets growing under an overload, NetworkOut read: it sent 1.3 × that one).
  it.each<{ what: string; zone: string; expected: string[] }>([
    { what: 'in the hang\'s zone: held', zone: 'us-east-1a', expected: ['0 desired 2→3'] },
    // In its own zone it works as a share there does: a runaway beside it, held afresh (above).
    { what: 'in its own zone: killed after a hold of its own', zone: 'us-east-1b', expected: ['0 desired 2→3', '11 terminate i-1 -1'] },
  ])('pinned beside a hang in the other zone, one launched since working below it $what', ({ zone, expected }) => {
    // The one launched measured on two datapoints, and a second launched into zone b on one (the
    // zones even as counted, as in the hunt's story).
    const at = (minute: number): Fleet => [{ load: 2, zone: 'us-east-1a' }, { load: 100, zone: 'us-east-1b' }, ...(minute < 1 ? [] : [{ points: [60, 60], age: minute - 1, zone }, { points: [100], age: minute - 1, zone: 'us-east-1b' }])];
    const decisions = tickMinutes(11, (now, minute) => fleet(now, at(minute), { min: 2, desired: minute < 1 ? 2 : 4 }));
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'runaway' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  it('says why no proof comes from a peer beside a quiet one in another zone', () => {
    const beside: Fleet = [{ load: 2, zone: 'us-east-1a' }, { load: 100, zone: 'us-east-1b' }, { points: [60, 60], age: 8, zone: 'us-east-1a' }, { points: [100], age: 8, zone: 'us-east-1b' }];
    const d = hold(5, beside, { min: 2, desired: 4 });
    expect(d.blocked.find((b) => b.rule === 'runaway')?.detail).toBe(
      "i-1 stands out against a single working peer (CPU 100.0 % vs 60.0 %): not while that peer serves in another zone beside a quiet one, which may take most of that zone's part (no proof of its share); a healthy one pinned by an overload beside a hang that fails fast reads so",
    );
  });

  it('says why it holds the kill against a single working peer', () => {
    const d = hold(5, [100, 14], { min: 2 });
    expect(d.blocked.find((b) => b.rule === 'runaway')?.detail).toBe(
      'i-0 stands out against a single working peer (CPU 100.0 % vs 14.0 %): terminated once an instance launched since works below it too or idles in the balancer beside it, or it sends less than 1.5 × what that peer does (NetworkOut); a healthy one pinned by an overload beside a hang that fails fast reads so',
    );
  });

  // Its hold begun again since its +1 (a minute below urgent, a gap): the instance launched for
  // that +1 (9 minutes ago, after it, 10 minutes ago) still shows the traffic light.
  it.each<{ what: string; plusOneAt: number | null; expected: string | null }>([
    { what: 'its +1 made before the one launched: killed after the new hold', plusOneAt: -10, expected: 'terminate i-0 -1' },
    { what: 'no +1 of its own recorded: the one launched before its hold proves nothing', plusOneAt: null, expected: null },
  ])('pinned beside peers idling in the balancer, held again after its +1: $what', ({ plusOneAt, expected }) => {
    const state: State = { ...initialState(), emergencies: plusOneAt === null ? {} : { 'i-0': at(plusOneAt) } };
    expect(actionOf(hold(5, [100, 1, { load: 1, age: 9 }], { min: 2, desired: 3 }, state))).toBe(expected);
  });

  it('pinned beside peers idling in the balancer at the group\'s max: told, never killed', () => {
    const d = hold(10, [100, 1], { min: 2, max: 2 });
    expect({ action: actionOf(d), blocked: d.blocked.map((b) => `${b.rule}:${b.why}`), alerts: d.alerts.map((a) => a.subject) }).toEqual({
      action: null,
      blocked: ['runaway:bounds', 'n-minus-1:bounds'],
      alerts: [
        "web: i-0 runaway (CPU 100.0 % vs 1.0 %, its peers idling in the balancer); not terminated: at the group's max (2) no instance can be launched to show the traffic light rather than the peers failing fast; replace it with `asg-watchdog instances -g web --kill i-0` if it is a runaway",
      ],
    });
  });

  // Out of its balancer it takes no share (a deploy installing, a person's job): no +1 for what it
  // never served; rule 5 removes it after 5 minutes, as any instance out of its balancer.
  it('out of its balancer at 100 %: no emergency +1, rule 5 terminates it after 5 minutes', () => {
    const decisions = tickMinutes(5, (now) => fleet(now, [{ load: 100, lb: 'out' }, 50, 50, 50], { min: 4 }));
    expect(decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)} ${d.action.rule}`] : []))).toEqual(['5 terminate i-0 detached']);
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
    // Sending half what its single working peer does (NetworkOut): no more than its share.
    const ofTwo: Fleet = [{ load: 100, sent: 15e6 }, { load: 50, sent: 30e6 }];
    // The +1 is made at minute 0 and shows up as a Pending instance from minute 1 on.
    const d = afterHolding(minutes, (now, m = Math.round((now - at(0)) / MIN)) =>
      fleet(now, m === 0 ? ofTwo : [...ofTwo, { lifecycle: 'Pending', load: null }]),
    );
    expect(actionOf(d)).toBe(minutes === 5 ? expected : null);
  });

  // Beside a single working peer a runaway is proven by what it sends (half its peer's) or by
  // one launched since working below it (the next test): CPU alone is no proof there.
  it.each<[string, Fleet, FleetSpec, string]>([
    ['our +1 is taken back when the rest is below high', [{ load: 100, sent: 15e6 }, { load: 50, sent: 30e6 }], {}, 'terminate i-0 -1'],
    ['kept when the rest is above high', [100, 86, 87, 86, 88], {}, 'terminate i-0'],
    ['no +1 made at max: the group replaces it', [100, 50], { max: 2 }, 'terminate i-0'],
  ])('kill after the hold: %s', (_, instances, group, expected) => {
    expect(actionOf(hold(5, instances, group))).toBe(expected);
  });

  it('at max there is no +1 but the rule says why', () => {
    expect(blockOf(hold(0, [100, 50], { max: 2 }))).toEqual(['runaway:bounds']);
  });

  // i-0 pins for 3 minutes and cools (a false alarm: its +1 stays in desired); the N−1 rule
  // sizes the fleet to the load at minute 10, the +1 with it (this fleet stays at 4 whatever is
  // set, so it does again at 20); at 24 i-0 pins again. Its +1 of
  // minute 0 is gone: it gets a new one, and its kill takes that one back. Remembered from
  // minute 0, it got none, and its kill took an instance from a fleet that had no +1 to give.
  it('a runaway that cooled and came back after a scale-in gets a new +1', () => {
    const decisions = tickMinutes(29, (now, minute) => fleet(now, minute < 3 || minute >= 24 ? [100, 30, 30, 30] : [30, 30, 30, 30]), { state: watchedFor(20, (now) => fleet(now, [30, 30, 30, 30])) });
    expect(decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)} ${d.action.rule}`] : []))).toEqual([
      '0 desired 4→5 runaway',
      '10 desired 4→2 n-minus-1',
      '20 desired 4→2 n-minus-1',
      '24 desired 4→5 runaway',
      '29 terminate i-0 -1 runaway',
    ]);
  });
});

// A group of mixed sizes (a mixed instances policy, or instance types chosen by attributes, each
// instance counted as one): a round-robin balancer gives each instance the same requests, so a
// c5.large (2 vCPUs) runs at twice the CPU of a c5.xlarge (4 vCPUs) and at eight times that of a
// c5.4xlarge. Against the other size, a healthy instance looks like a runaway or a dead one: an
// outlier is judged against peers of its own size only.
describe('outliers in a group of mixed sizes', () => {
  const large = (load: number): InstanceSpec => ({ load, type: 'c5.large' });
  const xlarge = (load: number): InstanceSpec => ({ load, type: 'm5.xlarge' });
  it.each<{ what: string; instances: Fleet; group?: FleetSpec; expected: string[] }>([
    // Against their 48 % peers the larges are 2 × as hot: their size's share, not a runaway's. At
    // the maximum, the fleet cannot grow for them either (below: the band of mixed sizes).
    { what: 'two c5.large at 96 % beside four m5.xlarge at 48 %', instances: [large(96), large(96), xlarge(48), xlarge(48), xlarge(48), xlarge(48)], group: { max: 6 }, expected: [] },
    // 3 % is under 0.2 × the median of 60 %: dead against the larges; with 8 × their vCPUs its share is 7.5 %.
    { what: 'a c5.4xlarge at 3 % beside c5.large at 60 %', instances: [{ load: 3, type: 'c5.4xlarge' }, large(60), large(60), large(60)], expected: [] },
    // Among its own size the runaway stands out as ever: 100 % against its peer's 50 %.
    { what: 'a runaway c5.large beside another c5.large and two m5.xlarge', instances: [large(100), large(50), xlarge(25), xlarge(25)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // Replaced, not decremented: the lone c5.large at 60 % is its share (30 % on 4 vCPUs is 60 %
    // on 2), and on 3 instances it would run 60 × 4 / 3 = 80 % > 75 %.
    { what: 'a dead m5.xlarge beside other m5.xlarge', instances: [xlarge(1), xlarge(30), xlarge(30), large(60)], expected: ['5 terminate i-0 dead'] },
    // The same size in another family (c5.large, m5.large) is a peer.
    { what: 'a runaway c5.large beside two m5.large', instances: [large(100), { load: 50, type: 'm5.large' }, { load: 50, type: 'm5.large' }], expected: ['0 desired 3→4 runaway', '5 terminate i-0 -1 runaway'] },
    // Of one size, a c7g.large's vCPU is a core, a c5.large's a hyperthread: the same requests run
    // the c5 at about 1.6 × its CPU. 96 ≥ 1.5 × 62, but under 2 × (TYPE_SPEED_SPREAD).
    { what: 'a c5.large at 96 % beside three c7g.large at 62 %', instances: [large(96), ...Array(3).fill({ load: 62, type: 'c7g.large' })], expected: [] },
    { what: 'a c5.large at 100 % beside three c7g.large at 55 %', instances: [large(100), ...Array(3).fill({ load: 55, type: 'c7g.large' })], expected: [] },
    { what: 'a runaway c5.large at 100 % beside three c7g.large at 45 %', instances: [large(100), ...Array(3).fill({ load: 45, type: 'c7g.large' })], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // With one of its own type working beside it, it is judged among its type: 100 against 50.
    { what: 'a runaway c5.large beside a c5.large at 50 % and two c7g.large at 35 %', instances: [large(100), large(50), { load: 35, type: 'c7g.large' }, { load: 35, type: 'c7g.large' }], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    { what: 'a c5.large at 96 % beside a c5.large at 90 % and two c7g.large at 58 %', instances: [large(96), large(90), { load: 58, type: 'c7g.large' }, { load: 58, type: 'c7g.large' }], expected: [] },
    // The only one of its size, judged against the others: each peer's load as much (sizes that
    // run alike) or × its vCPUs / this one's (round robin: 25 % on 4 vCPUs is 50 % on 2), the
    // higher; a runaway at 2 × their median (a type up to 2 × slower a vCPU stays healthy).
    { what: 'a lone c5.large at 100 % beside three m5.xlarge at 25 %', instances: [large(100), xlarge(25), xlarge(25), xlarge(25)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // 30 % on 4 vCPUs is 60 % on 2: a c5.large at 100 % may be a healthy one pinned.
    // (At min: 190 % on 3 is 63 %, and the N−1 rule would go on.)
    { what: 'a lone c5.large at 100 % beside three m5.xlarge at 30 %', instances: [large(100), xlarge(30), xlarge(30), xlarge(30)], group: { min: 4 }, expected: [] },
    // Beside smaller ones it would run as much, or less: 100 against 50.
    { what: 'a lone c5.2xlarge at 100 % beside three c5.large at 50 %', instances: [{ load: 100, type: 'c5.2xlarge' }, large(50), large(50), large(50)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // Sizes of one family share a processor, alike a vCPU: rule 2's own ratio, 100 ≥ 1.5 × 60
    // (before 2026-12-06, 2 × as across families: only a suspect, never killed).
    { what: 'a lone c5.xlarge at 100 % beside three c5.large at 60 %', instances: [{ load: 100, type: 'c5.xlarge' }, large(60), large(60), large(60)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // 30 % on 4 vCPUs is 60 % on 2: 100 ≥ 1.5 × 60.
    { what: 'a lone c5.large at 100 % beside three c5.xlarge at 30 %', instances: [large(100), ...Array(3).fill({ load: 30, type: 'c5.xlarge' })], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // Pinned alone at work in its size, the other of its size idle: judged as the only one of it
    // against those at work (before 2026-12-06 alone at work, no runaway: the sick-instance
    // property over mixed sizes at night, its +1 launched one of its size, and it stayed).
    { what: 'a c5.4xlarge pinned beside an idle c5.4xlarge and two c5.large at 10 %', instances: [{ load: 100, type: 'c5.4xlarge' }, { load: 1, type: 'c5.4xlarge' }, large(10), large(10)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    { what: 'an m5.xlarge pinned beside an idle m5.xlarge and two c5.large at 10 %', instances: [xlarge(100), xlarge(1), large(10), large(10)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // 30 % on 4 vCPUs is 60 % on 2, and another family may be 2 × slower: no runaway (a suspect).
    { what: 'a c5.large pinned beside an idle c5.large and two m5.xlarge at 30 %', instances: [large(100), large(1), xlarge(30), xlarge(30)], group: { min: 4 }, expected: [] },
    // 44-48 % on 4 vCPUs is 88-96 % on 2: at 96 % it is its share, pinned as they would be.
    { what: 'a lone c5.large at 96 % beside c5.xlarge at 44, 46 and 48 %', instances: [large(96), ...[44, 46, 48].map((load) => ({ load, type: 'c5.xlarge' }))], group: { max: 4 }, expected: [] },
    // Dead: under 0.2 × the lower: 60 % on 2 vCPUs is 7.5 % on 16 (its share behind round robin).
    { what: 'a lone c5.4xlarge at 1 % beside c5.large at 60 %', instances: [{ load: 1, type: 'c5.4xlarge' }, large(60), large(60), large(60)], expected: ['5 terminate i-0 dead'] },
    // One of its size out of its balancer is no peer: it is still the lone one of its size.
    { what: 'the same beside another c5.4xlarge out of its balancer', instances: [{ load: 1, type: 'c5.4xlarge' }, { load: 5, type: 'c5.4xlarge', lb: 'out' }, large(60), large(60), large(60)], expected: ['5 terminate i-0 dead'] },
    { what: 'a lone c5.large at 1 % beside m5.xlarge at 40 %', instances: [large(1), xlarge(40), xlarge(40), xlarge(40)], expected: ['5 terminate i-0 -1 dead'] },
    // A t3.medium has 2 vCPUs, as a c5.large: the same requests, the same CPU; 100 against 50.
    { what: 'a lone t3.medium at 100 % beside three c5.large at 50 %', instances: [{ load: 100, type: 't3.medium' }, large(50), large(50), large(50)], expected: ['0 desired 4→5 runaway', '5 terminate i-0 -1 runaway'] },
    // An m6g.medium has 1: behind round robin it runs twice its peers' 48 %, 96 %, and is healthy,
    // and short: the band sizes for it, ⌈96 × 4 / 77.5⌉ = 5 (the loads held, every minute).
    { what: 'a lone m6g.medium at 96 % beside three c5.large at 48 %', instances: [{ load: 96, type: 'm6g.medium' }, large(48), large(48), large(48)], group: { min: 4 }, expected: [0, 1, 2, 3, 4, 5, 6].map((minute) => `${minute} desired 4→5 high-band`) },
    // At night, beside peers of other sizes all idling in the balancer, the pinned one is a
    // runaway as in a fleet of one type (rule 2, beside peers that all idle): its +1, and its kill
    // once one launched since idles too (none launches here). Before (2026-12-06), of mixed sizes
    // the saturated rule grew the fleet for it (a property's two growing runaways: to the max, 16).
    { what: 'a c5.large pinned beside three m5.xlarge idling in the balancer', instances: [large(100), xlarge(2), xlarge(2), xlarge(2)], expected: ['0 desired 4→5 runaway'] },
    { what: 'a lone c5.2xlarge pinned beside two c5.large idling in the balancer', instances: [{ load: 100, type: 'c5.2xlarge' }, large(2), large(3)], expected: ['0 desired 3→4 runaway'] },
    // Beside m5.8xlarges (32 vCPUs) round robin makes a c5.large's share 16 × theirs: idle at up to
    // 4 %, up to 64 %, and a type 2 × slower a vCPU 128 %: pinned may be its share, no runaway.
    { what: 'a c5.large pinned beside two m5.8xlarge idling in the balancer', instances: [large(100), { load: 2, type: 'm5.8xlarge' }, { load: 2, type: 'm5.8xlarge' }], group: { min: 3 }, expected: [] },
    // Beside c5.8xlarges, its own family, alike a vCPU: up to 64 %, and pinned is beyond it.
    { what: 'a c5.large pinned beside two c5.8xlarge idling in the balancer', instances: [large(100), { load: 2, type: 'c5.8xlarge' }, { load: 2, type: 'c5.8xlarge' }], group: { min: 3 }, expected: ['0 desired 3→4 runaway'] },
    // Metal's vCPUs vary by machine: not compared.
    { what: 'a lone c5.metal at 100 % beside three c5.large at 20 %', instances: [{ load: 100, type: 'c5.metal' }, large(20), large(20), large(20)], group: { min: 4 }, expected: [] },
  ])('$what', ({ instances, group, expected }) => {
    const decisions = tickMinutes(6, (now) => fleet(now, instances, group), { state: watchedFor(10, (now) => fleet(now, instances, group)) });
    expect(decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)} ${d.action.rule}`] : []))).toEqual(expected);
  });
});

// Pinned beyond what its peers' CPU makes its share, as a runaway, but beside other types only: a
// runaway process, or a type up to 2 × slower a vCPU (TYPE_SPEED_SPREAD), which rule 2 cannot tell
// apart. A suspect: held as long as a runaway's kill, it is told of, and never killed (found by the
// sick-instance property over mixed sizes: a runaway c5.large beside an m5.xlarge at 30 %, never gone).
describe('a suspect beside other types', () => {
  const large = (load: number): InstanceSpec => ({ load, type: 'c5.large' });
  const c7g = (load: number): InstanceSpec => ({ load, type: 'c7g.large' });
  const xlarge = (load: number): InstanceSpec => ({ load, type: 'm5.xlarge' });
  const told = (id: string, type: string, figures: string) =>
    `web: ${id} (${type}) pinned for 5 min (${figures}, what its peers' CPU makes its share): a runaway process, or a type up to 2 × slower a vCPU than theirs, which rule 2 cannot tell apart across types; not terminated: look at it, and replace it with \`asg-watchdog instances -g web --kill ${id}\` if it is a runaway`;
  it.each<{ what: string; instances: Fleet; group?: FleetSpec; expected: { action: string | null; held: string[]; alerts: string[] } }>([
    // 96 ≥ 1.5 × 62 (rule 2's ratio), under 2 ×: the c5 may be as slow a vCPU.
    {
      what: 'a c5.large at 96 % beside three c7g.large at 62 %',
      instances: [large(96), c7g(62), c7g(62), c7g(62)],
      group: { max: 4 },
      expected: { action: null, held: ['suspect i-0 5'], alerts: [told('i-0', 'c5.large', 'CPU 96.0 % vs 62.0 %')] },
    },
    // One of each: 100 against 67 is 33 points, 1.5 × rule 2's gap for a single peer.
    { what: 'a c5.large at 100 % beside one c7g.large at 67 %', instances: [large(100), c7g(67)], group: { max: 2 }, expected: { action: null, held: ['suspect i-0 5'], alerts: [told('i-0', 'c5.large', 'CPU 100.0 % vs 67.0 %')] } },
    // The only one of its size: 30 % on 4 vCPUs is 60 % on 2, and 100 is 40 points above it.
    {
      what: 'a lone c5.large at 100 % beside three m5.xlarge at 30 %',
      instances: [large(100), xlarge(30), xlarge(30), xlarge(30)],
      group: { min: 4, max: 4 },
      expected: { action: null, held: ['suspect i-0 5'], alerts: [told('i-0', 'c5.large', 'CPU 100.0 % vs 60.0 %')] },
    },
    // 48 % on 2 vCPUs is 96 % on one: its share, no suspect (the band sizes for it).
    { what: 'a lone m6g.medium at 96 % beside three c5.large at 48 %', instances: [{ load: 96, type: 'm6g.medium' }, large(48), large(48), large(48)], group: { min: 4, max: 4 }, expected: { action: null, held: [], alerts: [] } },
    // 100 against 80 % (40 % on 4 vCPUs) is 20 points: as far as a type 1.25 × slower goes.
    { what: 'a lone c5.large at 100 % beside three m5.xlarge at 45 %', instances: [large(100), xlarge(45), xlarge(45), xlarge(45)], group: { min: 4, max: 4 }, expected: { action: null, held: [], alerts: [] } },
    // With one of its own type beside it, it is judged among its type: 96 against 90, nothing.
    { what: 'a c5.large at 96 % beside a c5.large at 90 % and two c7g.large at 58 %', instances: [large(96), large(90), c7g(58), c7g(58)], group: { max: 4 }, expected: { action: null, held: [], alerts: [] } },
    // Of one family, alike a vCPU: rule 2's own, a runaway, no suspect (below: the others).
    { what: 'a lone c5.xlarge at 100 % beside three c5.large at 60 %', instances: [{ load: 100, type: 'c5.xlarge' }, large(60), large(60), large(60)], group: { max: 4 }, expected: { action: 'terminate i-0', held: ['runaway i-0 5'], alerts: [] } },
    { what: 'a lone m5.xlarge at 100 % beside three c5.large at 60 %', instances: [xlarge(100), large(60), large(60), large(60)], group: { max: 4 }, expected: { action: null, held: ['suspect i-0 5'], alerts: [told('i-0', 'm5.xlarge', 'CPU 100.0 % vs 60.0 %')] } },
    // Metal's vCPUs vary by machine: nothing to weigh its share by.
    { what: 'a lone c5.metal at 100 % beside three c5.large at 20 %', instances: [{ load: 100, type: 'c5.metal' }, large(20), large(20), large(20)], group: { min: 4, max: 4 }, expected: { action: null, held: [], alerts: [] } },
    // A runaway proved: rule 2's own, killed as ever (its +1 kept off by max 4), no suspect.
    { what: 'a c5.large at 100 % beside three c7g.large at 45 %', instances: [large(100), c7g(45), c7g(45), c7g(45)], group: { max: 4 }, expected: { action: 'terminate i-0', held: ['runaway i-0 5'], alerts: [] } },
  ])('$what', ({ instances, group, expected }) => {
    const d = holdWatched(5, instances, group);
    expect({
      action: actionOf(d),
      held: d.held.map((h) => `${h.rule} ${h.instance} ${h.heldMinutes}`),
      alerts: d.alerts.filter((a) => a.key.startsWith('suspect')).map((a) => a.subject),
    }).toEqual(expected);
  });
});

// Far below its share above coldLoad (signals.cold): behind a balancer that shares the requests
// evenly, at a fifth of the others' lower median or less, that median at work. A hang whose web
// server answers errors at once runs on them alone: above coldLoad where it is sent many (beside
// an overloaded fleet; behind least outstanding requests, more the busier its peers). Told of
// after coldKillMinutes, never killed; no scale-in while it reads so; no share of the fleet load.
describe('far below its share, above coldLoad', () => {
  const told = (id: string, minutes: number, figures: string) =>
    `web: ${id} far below its share for ${minutes} min (${figures} of the others, above the 4.0 % a dead one reads): a hang whose web server answers every request at once with an error page (behind least-outstanding-requests balancing it is sent more than its share), or work of its own; not terminated, and no scale-in while it reads so: look at it, and replace it with \`asg-watchdog instances -g web --kill ${id}\` if it fails its requests`;
  it.each<{ what: string; instances: Fleet; group?: FleetSpec; minutes: number; expected: { action: string | null; held: string[]; blocked: string[]; alerts: string[] } }>([
    // 7 < 0.2 × 60 = 12. The fleet load leaves it out, 60 × 5 = 300 % (by its CPU, 247 %): with one
    // fewer 75.0 %, above the scale-in mark; nothing to scale in or out.
    { what: 'one at 7 % beside four at 60 %, held 4 minutes', instances: [7, 60, 60, 60, 60], minutes: 4, expected: { action: null, held: ['cold i-0 4'], blocked: [], alerts: [] } },
    { what: 'one at 7 % beside four at 60 %, held 5 minutes: told of', instances: [7, 60, 60, 60, 60], minutes: 5, expected: { action: null, held: ['cold i-0 5'], blocked: [], alerts: [told('i-0', 5, 'CPU 7.0 % vs 60.0 %')] } },
    // 240 % on 5 is 48 %, 60 % with one fewer, below the mark: the N−1 rule waits for it.
    { what: 'one at 5 % beside four at 48 %: no scale-in', instances: [5, 48, 48, 48, 48], minutes: 5, expected: { action: null, held: ['cold i-0 5'], blocked: ['n-minus-1:cold-reading'], alerts: [told('i-0', 5, 'CPU 5.0 % vs 48.0 %')] } },
    // 12 is not below 0.2 × 60: its share, as far as CPU tells; 252 % with one fewer is 63.0 %.
    { what: 'one at 12 % beside four at 60 %', instances: [12, 60, 60, 60, 60], minutes: 5, expected: { action: 'desired 5→4', held: [], blocked: [], alerts: [] } },
    // Below coldLoad it is rule 4's: dead, and killed.
    { what: 'one at 3 % beside four at 60 %', instances: [3, 60, 60, 60, 60], minutes: 5, expected: { action: 'terminate i-0', held: ['dead i-0 5'], blocked: [], alerts: [] } },
    // The others at night, their lower median below coldOthersMin (20): nobody is cold, and 80 %
    // is scaled in by the N−1 rule.
    { what: 'one at 4 % beside four at 19 %', instances: [4, 19, 19, 19, 19], minutes: 5, expected: { action: 'desired 5→3', held: [], blocked: [], alerts: [] } },
    // No more than twice as many at work as not (two runaways climbing beside two healthy idling
    // at night read so too): CPU cannot tell, and without NetworkOut read no reading stands
    // (test/tick/network.test.ts reads it); by their CPU, 132 % with two fewer is 66.0 %.
    { what: 'two at 6 % beside two at 60 %', instances: [6, 6, 60, 60], minutes: 5, expected: { action: 'desired 4→2', held: [], blocked: [], alerts: [] } },
    // Workers that pull jobs (no balancer): one busy with less is no share of anything; 247 % on 4.
    { what: 'without a balancer', instances: [7, 60, 60, 60, 60], group: { lb: false }, minutes: 5, expected: { action: 'desired 5→4', held: [], blocked: [], alerts: [] } },
    // Zones that split the traffic (3 + 2 without cross-zone): each load as a share of its zone's
    // (5/6 and 5/4 of an even one): 8.4 % beside 72 % and 48 %, still far below. Told with its
    // peers' lower median on its own zone's share, 48 × 5/6 = 40 %.
    { what: 'zones without cross-zone balancing', instances: [{ load: 7, zone: 'us-east-1a' }, { load: 60, zone: 'us-east-1a' }, { load: 60, zone: 'us-east-1a' }, { load: 60, zone: 'us-east-1b' }, { load: 60, zone: 'us-east-1b' }], group: { zones: 2, crossZone: false }, minutes: 5, expected: { action: null, held: ['cold i-0 5'], blocked: [], alerts: [told('i-0', 5, 'CPU 7.0 % vs 40.0 %')] } },
  ])('$what', ({ instances, group, minutes, expected }) => {
    const d = holdWatched(minutes, instances, group);
    expect({
      action: actionOf(d),
      held: d.held.map((h) => `${h.rule} ${h.instance} ${h.heldMinutes}`),
      blocked: blockOf(d),
      alerts: d.alerts.filter((a) => a.key.startsWith('cold')).map((a) => a.subject),
    }).toEqual(expected);
  });
});

// Without cross-zone load balancing (a network load balancer's default; a classic one made by API
// or CloudFormation) the balancer splits the traffic evenly between the group's zones, then between
// the instances of each. The group keeps its zones within one of each other: n instances in z zones
// carry the load, at the CPU of the smallest zone's, as z × ⌊n / z⌋ would. Loads held steady: the
// fleet load is the sum of the loads (the zones' shares of it are the engine's arithmetic, not the rows').
describe('the band without cross-zone load balancing', () => {
  const zoned = (crossZone: boolean | undefined, extra: FleetSpec = {}): FleetSpec => ({ zones: 3, ...(crossZone !== undefined && { crossZone }), ...extra });
  it.each<{ what: string; instances: Fleet; group: FleetSpec; config?: Partial<Config>; minutes: number; expected: { action: string | null; detail: string | null } }>([
    // 360 % on 6 in 3 zones of 2; on 5 the lone one would carry a third: 360 / 3 = 120 %.
    { what: 'six at 60 % in three zones: no scale-in to five', instances: Array(6).fill(60), group: zoned(false), minutes: 5, expected: { action: null, detail: null } },
    // As ever where the balancer balances across zones: 360 / 5 = 72 % < 75 %.
    { what: 'the same with cross-zone balancing', instances: Array(6).fill(60), group: zoned(true), minutes: 5, expected: { action: 'desired 6→5', detail: 'fleet load 360 % (p75 of the last 10 min) on 5 = 72.0 % < 75.0 %' } },
    // The config says so where the balancers were not read.
    { what: 'off by the config', instances: Array(6).fill(60), group: zoned(undefined), config: { crossZone: false }, minutes: 5, expected: { action: null, detail: null } },
    // What the balancers say wins over the config.
    { what: 'on as read, off by the config', instances: Array(6).fill(60), group: zoned(true), config: { crossZone: false }, minutes: 5, expected: { action: 'desired 6→5', detail: 'fleet load 360 % (p75 of the last 10 min) on 5 = 72.0 % < 75.0 %' } },
    // 30 % × 6 = 180 %: on 3 (one a zone) 60 %: down to 3 in one step.
    { what: 'six at 30 %: down to one a zone', instances: Array(6).fill(30), group: zoned(false), minutes: 5, expected: { action: 'desired 6→3', detail: 'fleet load 180 % (p75 of the last 10 min) on 5 in 3 zones without cross-zone balancing = 60.0 % in the smallest < 75.0 %' } },
    // Five in zones of 2, 2 and 1 at a mean of 78 %: the lone one carries a third, 390 / 3 = 130 %.
    // Enough for the middle of the band: ⌈390 / 77.5⌉ = 6, zones of 2.
    { what: 'five at 78 %: the lone one pinned, out to six', instances: Array(5).fill(78), group: zoned(false), minutes: 0, expected: { action: 'desired 5→6', detail: 'fleet load 390 % (p90 of the last 10 min) on 5 in 3 zones without cross-zone balancing = 130.0 % in the smallest > 85.0 %' } },
    // One zone only: nothing to split.
    { what: 'one zone', instances: Array(6).fill(60), group: { zones: 1, crossZone: false }, minutes: 5, expected: { action: 'desired 6→5', detail: 'fleet load 360 % (p75 of the last 10 min) on 5 = 72.0 % < 75.0 %' } },
  ])('$what → $expected.action', ({ instances, group, config, minutes, expected }) => {
    const d = holdWatched(minutes, instances, group, undefined, withConfig(config ?? {}));
    const detail = d.action?.reason.replace(/^[a-z0-9-]+: /, '').replace(/; desired .*$/, '') ?? null;
    expect({ action: actionOf(d), detail }).toEqual(expected);
  });
});

// The band of a group of mixed sizes behind a round-robin balancer: each instance gets as many
// requests, so the smallest size runs hottest, and whichever instances the group adds or removes,
// its CPU moves as n / (n ± k). The fleet is sized on the hottest size that two or more instances
// show (fleet-load.ts), or one alone as far as its share explains its CPU; sizes that run alike
// (a balancer that sends each what it can take) are sized as one. Loads held steady: the fleet load is that size's CPU × the instances.
describe('the band of a group of mixed sizes', () => {
  const large = (load: number): InstanceSpec => ({ load, type: 'c5.large' });
  const xlarge = (load: number): InstanceSpec => ({ load, type: 'm5.xlarge' });
  const big = (load: number): InstanceSpec => ({ load, type: 'c5.2xlarge' });
  it.each<{ what: string; instances: Fleet; minutes: number; expected: { action: string | null; rule: string | null } }>([
    // The larges pinned: 2 × 96 + 4 × 48 = 384 % on 6 is a mean of 64 %, but at their CPU the
    // fleet serves 96 % × 6 = 576 % and hides the rest: at once ⌈576 / 77.5⌉ = 8 (1.3 × 6 = 7.8).
    { what: 'two c5.large pinned at 96 % beside four m5.xlarge at 48 %', instances: [large(96), large(96), ...Array(4).fill(xlarge(48))], minutes: 0, expected: { action: 'desired 6→8', rule: 'saturated' } },
    // 88 % × 6 = 528 % on 6 is 88 % > 85 %: ⌈528 / 77.5⌉ = 7. The mean, 58.7 %, would sit while the larges climb.
    { what: 'two c5.large at 88 % beside four m5.xlarge at 44 %', instances: [large(88), large(88), ...Array(4).fill(xlarge(44))], minutes: 0, expected: { action: 'desired 6→7', rule: 'high-band' } },
    // 65 % × 4 = 260 % on 3 is 86.7 %: the larges would leave the band. On the mean, 162 % on 3
    // is 54 %, and the N−1 rule went 4 → 3.
    { what: 'two c5.large at 65 % beside two c5.2xlarge at 16 %: no scale-in', instances: [large(65), large(65), big(16), big(16)], minutes: 5, expected: { action: null, rule: null } },
    // 30 % × 4 = 120 % on 2 is 60 % < 75 %: the quiet fleet still goes down, as far as the larges allow.
    { what: 'two c5.large at 30 % beside two c5.2xlarge at 8 %', instances: [large(30), large(30), big(8), big(8)], minutes: 5, expected: { action: 'desired 4→2', rule: 'n-minus-1' } },
    // Sizes that run alike: 60 % × 4 = 240 % on 3 is 80 %, as for one size.
    { what: 'two c5.large and two c5.2xlarge all at 60 %', instances: [large(60), large(60), big(60), big(60)], minutes: 5, expected: { action: null, rule: null } },
    // One instance of its size alone counts at its CPU as far as its share explains it: 50 % on 4
    // vCPUs is 100 % on 2, the c5.large is pinned by its requests: 100 × 4 = 400 % on 4 is 100 %,
    // ⌈400 / 77.5⌉ = 6. On the mean, 250 % on 4 is 62.5 %, and the large stayed pinned.
    { what: 'a lone c5.large at 100 % beside three m5.xlarge at 50 %', instances: [large(100), ...Array(3).fill(xlarge(50))], minutes: 5, expected: { action: 'desired 4→6', rule: 'high-band' } },
    // At its share (40 % on 4 vCPUs is 80 % on 2): 80 × 4 = 320 % on 3 is 106.7 %. On the mean,
    // 200 % on 3 is 66.7 %, and the N−1 rule went 4 → 3, the large then at 107 %.
    { what: 'a lone c5.large at 80 % beside three m5.xlarge at 40 %: no scale-in', instances: [large(80), ...Array(3).fill(xlarge(40))], minutes: 5, expected: { action: null, rule: null } },
    // Beyond its share it counts at its share, 30 % on 4 vCPUs: 60 × 4 = 240 % on 3 is 80 % > 75 %.
    // On the mean, (100 + 90) on 3 is 63 %, and the N−1 rule went 4 → 3.
    { what: 'a lone c5.large at 100 % beside three m5.xlarge at 30 %: no scale-in', instances: [large(100), ...Array(3).fill(xlarge(30))], minutes: 5, expected: { action: null, rule: null } },
    // Sizes that run alike: the large's share would be 120 %, its CPU is 60 %: 240 % on 3 is 80 %.
    { what: 'a lone c5.large at 60 % beside three m5.xlarge at 60 %', instances: [large(60), ...Array(3).fill(xlarge(60))], minutes: 5, expected: { action: null, rule: null } },
    // A lone bigger one's share is less than its peers': 40 % on 2 vCPUs is 10 % on 8. The mean,
    // (3 × 40 + 10) on 3 = 43 %, and the N−1 rule goes 4 → 3 (43.3 % < 75 %).
    { what: 'a lone c5.2xlarge at 10 % beside three c5.large at 40 %', instances: [big(10), ...Array(3).fill(large(40))], minutes: 5, expected: { action: 'desired 4→3', rule: 'n-minus-1' } },
  ])('$what → $expected.action', ({ instances, minutes, expected }) => {
    const d = holdWatched(minutes, instances);
    expect({ action: actionOf(d), rule: d.action?.rule ?? null }).toEqual(expected);
  });

  it('says at which size’s CPU it took the load', () => {
    const d = hold(0, [large(88), large(88), ...Array(4).fill(xlarge(44))]);
    expect(d.action?.reason).toBe("high-band: fleet load 528 % (p90 of the last 5 min, at the large instances' CPU) on 6 = 88.0 % > 85.0 %; desired 6 → 7");
  });
});

// A balancer without cross-zone balancing (a network load balancer's default; a classic one made
// by API or CloudFormation) splits the traffic evenly between zones, then between the instances of
// each: five instances in zones of 2, 2 and 1 give the lone one a third of the traffic, twice what
// each of the others gets. It is hot because of its zone, not a process: the emergency +1 lands in
// the smallest zone and evens them. It is killed only if it stands out with each instance's load
// taken as a share of its zone's (n / (zones × instances in its zone): 5/3 here, 5/6 the others).
describe('a runaway in a zone with fewer instances', () => {
  const zoned = (loads: Array<number | null>, zones: string[]): Fleet => loads.map((load, k) => ({ load, zone: `us-east-1${zones[k]}` }));
  it.each<{ what: string; instances: Fleet; group?: FleetSpec; expected: { actions: string[]; blocked: string[] } }>([
    // 100 / (5/3) = 60 against 50 / (5/6) = 60: its zone's share explains it.
    { what: 'twice the others, alone in its zone', instances: zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), expected: { actions: ['0 desired 5→6 runaway'], blocked: ['runaway:not-killable'] } },
    // 100 / (5/3) = 60 against 25 / (5/6) = 30: a runaway whichever way the balancer splits.
    { what: 'four times the others, alone in its zone', instances: zoned([100, 25, 25, 25, 25], ['c', 'a', 'a', 'b', 'b']), expected: { actions: ['0 desired 5→6 runaway', '5 terminate i-0 -1 runaway'], blocked: [] } },
    { what: 'twice the others, in zones that hold as many', instances: zoned([100, 50, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b', 'c']), expected: { actions: ['0 desired 6→7 runaway', '5 terminate i-0 -1 runaway'], blocked: [] } },
    // The same zones, and the instance launched into c is in the balancer with no datapoint yet:
    // the loads read were carried by zones of 1, 2 and 2, which explain it (found by a hunt over
    // zoned fleets: a healthy instance killed 5 minutes after the +1 that joined its zone).
    {
      what: 'twice the others, alone in its zone until one joined it, no datapoint yet',
      instances: [...zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), { load: null, age: 2, zone: 'us-east-1c' }],
      expected: { actions: ['0 desired 6→7 runaway'], blocked: ['runaway:not-killable'] },
    },
    // Measured already (past its warm-up, a slow launch), with two datapoints of the three a load
    // averages: the oldest was carried without it (the same hunt, a +1 for a healthy instance).
    {
      what: 'twice the others, alone in its zone until one joined it, two datapoints',
      instances: [...zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), { points: [50, 50], age: 8, zone: 'us-east-1c' }],
      expected: { actions: ['0 desired 6→7 runaway'], blocked: ['runaway:not-killable'] },
    },
    // Zone and type at once (found by the property below): i-0 is a c5.large in the smaller zone
    // b, 1.5 × the c5.large in zone a (95 against 63.3), which its zone's share (5/4 against
    // 5/6) explains; the c7g.large beside them are 1.6 × faster a vCPU.
    {
      what: 'hot from its zone, judged among its own type',
      instances: [
        { load: 95, type: 'c5.large', zone: 'us-east-1b' },
        { load: 63.3, type: 'c5.large', zone: 'us-east-1a' },
        { load: 39.6, type: 'c7g.large', zone: 'us-east-1a' },
        { load: 39.6, type: 'c7g.large', zone: 'us-east-1a' },
        { load: 59.4, type: 'c7g.large', zone: 'us-east-1b' },
      ],
      expected: { actions: ['0 desired 5→6 runaway'], blocked: ['runaway:not-killable'] },
    },
    // Beside a hang in its zone that answers nothing (read dead): a balancer that routes by least
    // outstanding requests sends it none, so i-1 carries zone a alone, 100 / (3/2) = 67 against
    // 50 / (3/4) = 67 counted by those that answer. Before 2026-12-07 killed as a runaway at 5
    // (a hunt: the hang, which rule 4 reads unproven beside two at work, kept past it). The hang
    // waits for an instance launched since to work (none here).
    { what: 'twice the others, beside a hang in its zone', instances: zoned([0.5, 100, 50, 50], ['a', 'a', 'b', 'b']), expected: { actions: ['0 desired 4→5 runaway'], blocked: ['runaway:not-killable'] } },
    // 100 / (3/2) = 67 against 25 / (3/4) = 33: a runaway whichever way the balancer splits.
    { what: 'four times the others, beside a hang in its zone', instances: zoned([0.5, 100, 25, 25], ['a', 'a', 'b', 'b']), expected: { actions: ['0 desired 4→5 runaway', '5 terminate i-1 -1 runaway'], blocked: [] } },
    // Beside a hang in the other zone that fails fast (5 %, above coldLoad, far below its share:
    // no working peer) and gets most of its zone's requests: i-1 carries zone b alone, 100 / (3/2)
    // = 67 against 57 / (3/4) = 76. Before 2026-12-07 the zones' verdict took the hang for a
    // working peer (the median of 76 and 7), and i-1 was killed as a runaway at 5 (a hunt of fleets
    // that grow fast under an overload beside such a hang).
    { what: 'beside a hang failing fast in the other zone', instances: zoned([5, 100, 57], ['a', 'b', 'a']), expected: { actions: ['0 desired 3→4 runaway'], blocked: ['runaway:not-killable'] } },
    // Behind least outstanding requests a hang that fails fast (2 %) is sent most of zone a's
    // requests: its two healthy zone-mates run at 50 %, zone b's two at 100 %. Counted (3 and 2:
    // 80 against 60, with no spread among the peers) i-1 is a runaway, and without the quiet hang
    // the zones hold as many; but its zone-mate runs as hot, and beside it i-1 is none: its zone
    // runs hot: each its +1, neither killed. Before 2026-12-07 i-1 was killed at 5 (a hunt of fleets
    // growing under an overload).
    { what: 'as hot as its zone-mate, a hang failing fast in the other zone', instances: zoned([2, 100, 50, 100, 50], ['a', 'b', 'a', 'b', 'a']), expected: { actions: ['0 desired 5→6 runaway', '1 desired 5→6 runaway'], blocked: ['runaway:not-killable', 'runaway:not-killable'] } },
    // The same, its zone-mate at 92 %, below urgent (no runaway itself), within hotGap of it: as
    // hot (a hunt the same day: the mate just measured, no candidate, and i-1 killed). The hang,
    // read dead beside four at work, goes at 5.
    { what: 'within hotGap of its zone-mate, a hang failing fast in the other zone', instances: zoned([2, 100, 50, 92, 50], ['a', 'b', 'a', 'b', 'a']), expected: { actions: ['0 desired 5→6 runaway', '5 terminate i-0 dead'], blocked: ['runaway:not-killable'] } },
    // The same, the hang's metrics missing (its agent stopped as it began to fail): it may be the
    // quiet one. Before 2026-12-08 i-1 was killed at 5 (a hunt of the property's fleets with such a
    // hang in every story: the one story of one type left of 54,050).
    { what: 'as hot as its zone-mate, a hang unmeasured in the other zone', instances: zoned([null, 100, 50, 100, 50], ['a', 'b', 'a', 'b', 'a']), expected: { actions: ['0 desired 5→6 runaway', '1 desired 5→6 runaway'], blocked: ['runaway:not-killable', 'runaway:not-killable'] } },
    // Beside a zone-mate at the others' CPU it stands out in its zone too: a runaway.
    { what: 'twice the others, its zone-mate as they are', instances: zoned([2, 100, 50, 50, 50], ['a', 'b', 'a', 'b', 'a']), expected: { actions: ['0 desired 5→6 runaway', '5 terminate i-1 -1 runaway'], blocked: [] } },
    // The balancers read: they balance across zones, so the zone explains nothing.
    { what: 'twice the others, alone in its zone, behind balancers that balance across zones', instances: zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), group: { crossZone: true }, expected: { actions: ['0 desired 5→6 runaway', '5 terminate i-0 -1 runaway'], blocked: [] } },
  ])('$what', ({ instances, group, expected }) => {
    const decisions = tickMinutes(5, (now) => fleet(now, instances, group));
    expect({
      actions: decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)} ${d.action.rule}`] : [])),
      blocked: blockOf(decisions.at(-1)!).filter((b) => b.startsWith('runaway')),
    }).toEqual(expected);
  });

  // Told at the +1 that its zone explains it, not as a runaway: the +1 evens the zones. Where the
  // +1 is already ordered (desired 6), what is said of the kill to come.
  it.each<{ what: string; group: FleetSpec; expected: { action: string | null; reason: string | null; alerts: string[] } }>([
    {
      what: 'its +1',
      group: {},
      expected: {
        action: 'desired 5→6',
        reason: 'runaway: i-0 CPU 100.0 % vs 50.0 % of its working peers, first seen now, as the only one of 5 serving in us-east-1c, 2 in us-east-1a: without cross-zone balancing its share is 2.0 × theirs; emergency +1 (launched in the smallest zone)',
        alerts: ['web: i-0 pinned (CPU 100.0 % vs 50.0 %), as the only one of 5 serving in us-east-1c, 2 in us-east-1a: without cross-zone balancing its share is 2.0 × theirs; emergency +1 (launched in the smallest zone), desired 5 → 6'],
      },
    },
    {
      what: 'its +1 ordered already',
      group: { desired: 6 },
      expected: {
        action: null,
        reason: null,
        alerts: ['web: i-0 pinned (CPU 100.0 % vs 50.0 %), as the only one of 5 serving in us-east-1c, 2 in us-east-1a: without cross-zone balancing its share is 2.0 × theirs; terminating it after 5 min only if the zones do not explain it then'],
      },
    },
  ])('says at first that its zone explains it: $what', ({ group, expected }) => {
    const d = hold(0, zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), group);
    expect({ action: actionOf(d), reason: d.action?.reason ?? null, alerts: d.alerts.map((a) => a.subject) }).toEqual(expected);
  });

  // Held 7 minutes as explained by its zone, then one joins zone c and the zones even out (the
  // loads read as they were, for the test): a runaway from minute 7, its emergency +1 then, and
  // killed 5 minutes later, not at once (found by the properties over zoned fleets: a healthy instance killed the minute the
  // instance beside it left its balancer, its 5 minutes long held as explained).
  it('counts no minute its zone explained it towards its kill', () => {
    const explained = zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']);
    const evened: Fleet = [...explained, { load: 50, zone: 'us-east-1c' }];
    const decisions = tickMinutes(13, (now, minute) => fleet(now, minute < 7 ? explained : evened, { desired: 6 }));
    expect({
      actions: decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)} ${d.action.rule}`] : [])),
      held: [5, 7, 11].map((minute) => blockOf(decisions[minute]!).filter((b) => b.startsWith('runaway'))),
    }).toEqual({ actions: ['7 desired 6→7 runaway', '12 terminate i-0 -1 runaway'], held: [['runaway:not-killable'], [], []] });
  });

  // Where the zones it explains by are those of the loads read, before one joined: counted as measured.
  // The same beside a hang no rule reads dead: the fleet pinned above `urgent` (60 at the band's
  // settings here), no witness below it. Zones of 3 and 3, the hang's two others carrying zone a:
  // 100 / (5/4) = 80 against 75 / (5/6) = 90 counted by those that answer; by the zones as
  // counted, 100 against 75, 25 points above its peers, a runaway (a hunt over the band's
  // settings, 2026-12-07: healthy ones killed so, the hang kept).
  it('beside a hang in its zone that no rule reads dead, the fleet above urgent: its zone explains it', () => {
    const d = hold(5, zoned([0.5, 100, 100, 75, 75, 75], ['a', 'a', 'a', 'b', 'b', 'b']), {}, undefined, withConfig({ low: 40, high: 55, urgent: 60 }));
    expect({ held: Object.keys(d.state.conditions).filter((key) => key !== 'saturated'), blocked: blockOf(d).filter((b) => b.startsWith('runaway')), action: actionOf(d) }).toEqual({
      held: ['pinned:i-1', 'pinned:i-2'],
      blocked: ['runaway:not-killable', 'runaway:not-killable'],
      // The fleet, far above its band's top (55 %), grows by the band meanwhile.
      action: 'desired 6→10',
    });
  });

  it('says by which count its zone explains it: beside a hang, those that answer', () => {
    const d = hold(5, zoned([0.5, 100, 50, 50], ['a', 'a', 'b', 'b']), { desired: 5 });
    expect(d.blocked.find((b) => b.rule === 'runaway')?.detail).toBe(
      'i-1 is the only one of 3 answering in us-east-1a, 2 in us-east-1b: without cross-zone balancing its share is 2.0 × theirs, and that explains its CPU',
    );
  });

  it('says that its zone runs hot, and what to do', () => {
    const d = hold(5, zoned([2, 100, 50, 100, 50], ['a', 'b', 'a', 'b', 'a']), { desired: 7 });
    expect({ detail: d.blocked.find((b) => b.rule === 'runaway')?.detail, alert: d.alerts.find((a) => a.key === 'zone:i-1')?.subject }).toEqual({
      detail: 'i-1 is one of 2 at work in us-east-1b, all as hot (2 of 5 serving): without cross-zone balancing the zone\'s part of the traffic sets them, and that explains its CPU',
      alert:
        "web: not terminating i-1 is one of 2 at work in us-east-1b, all as hot (2 of 5 serving): without cross-zone balancing the zone's part of the traffic sets them, and that explains its CPU; a balancer that splits the traffic by zone gives each zone an even part, whatever its instances serve (one failing fast in another takes much of its part): turn cross-zone load balancing on",
    });
  });

  it('says by which count its zone explains it', () => {
    const d = hold(5, [...zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), { load: null, age: 2, zone: 'us-east-1c' }], { desired: 7 });
    expect(d.blocked.find((b) => b.rule === 'runaway')?.detail).toBe(
      'i-0 is the only one of 5 measured in us-east-1c, 2 in us-east-1a: without cross-zone balancing its share is 2.0 × theirs, and that explains its CPU',
    );
  });

  it('says why it holds the kill, and what to do', () => {
    const d = hold(5, zoned([100, 50, 50, 50, 50], ['c', 'a', 'a', 'b', 'b']), { desired: 6 });
    const why = 'i-0 is the only one of 5 serving in us-east-1c, 2 in us-east-1a: without cross-zone balancing its share is 2.0 × theirs, and that explains its CPU';
    expect({ blocked: d.blocked.find((b) => b.rule === 'runaway')?.detail, alerts: d.alerts.map((a) => a.subject) }).toEqual({
      blocked: why,
      alerts: [`web: not terminating ${why}; a balancer that splits the traffic by zone overloads the smaller ones: turn cross-zone load balancing on`],
    });
  });
});

// Our scale-in took one of zone b's two a minute ago: the loads read were carried by zones of 1 and
// 2, where the lone one in a ran at twice b's CPU by its share; the zones now hold 1 and 1 and
// explain nothing. No one is judged hot until every minute read is of the fleet as it is (found by
// no-false-outliers over zones and types: an emergency +1 for a healthy instance).
describe('a zone that lost an instance under the loads read', () => {
  const twoZones: Fleet = [
    { load: 96, zone: 'us-east-1a' },
    { load: 48, zone: 'us-east-1b' },
  ];
  // The one at 96 % is pinned all the same: the high band's +1, not a runaway's.
  it.each<{ what: string; minutesAgo: number; group: FleetSpec; expected: { action: string | null; runaway: boolean } }>([
    { what: 'scaled in a minute ago', minutesAgo: 1, group: { zones: 2, desired: 2 }, expected: { action: 'desired 2→3 high-band', runaway: false } },
    // The loads read (3 minutes, the newest 3 minutes old) began 5 minutes ago.
    { what: 'scaled in 4 minutes ago: its oldest minute read was carried before', minutesAgo: 4, group: { zones: 2, desired: 2 }, expected: { action: 'desired 2→3 high-band', runaway: false } },
    { what: 'scaled in 5 minutes ago: every minute read is after', minutesAgo: 5, group: { zones: 2, desired: 2 }, expected: { action: 'desired 2→3 runaway', runaway: true } },
    // Balancers read as balancing across zones: the zones set no share, a runaway as ever.
    { what: 'scaled in a minute ago, behind balancers that balance across zones', minutesAgo: 1, group: { zones: 2, crossZone: true, desired: 2 }, expected: { action: 'desired 2→3 runaway', runaway: true } },
  ])('$what', ({ minutesAgo, group, expected }) => {
    const d = hold(0, twoZones, group, afterScaleIn(minutesAgo));
    expect({ action: d.action === null ? null : `${actionOf(d)} ${d.action.rule}`, runaway: d.held.some((h) => h.rule === 'runaway') }).toEqual(expected);
  });
});

describe('rule 3, saturated fleet', () => {
  it.each<[string, Fleet, FleetSpec, string | null, string | null]>([
    // ⌈2 × 1.3⌉ = 3, and ⌈193 / 77.5⌉ = 3.
    ['two at 96 %', [96, 97], {}, 'desired 2→3', 'saturated'],
    // ⌈4 × 1.3⌉ = 6, and ⌈400 / 77.5⌉ = 6.
    ['four at 100 %', [100, 100, 100, 100], {}, 'desired 4→6', 'saturated'],
    ['ten at 100 % need ⌈1000 / 77.5⌉ = 13', Array(10).fill(100), { max: 20 }, 'desired 10→13', 'saturated'],
    ['within max', [100, 100, 100, 100], { max: 5 }, 'desired 4→5', 'saturated'],
    ['below urgent is the high band, not an emergency', [94, 94], {}, 'desired 2→3', 'high-band'],
    // 200 % on the 3 ordered is 66.7 %: the launch covers what it was ordered for.
    ['a launch pending covers it', [100, 100, { lifecycle: 'Pending', load: null }], { desired: 3 }, null, null],
    // 300 % on the 4 ordered is 75 %: the warming one and the launch are capacity on their way.
    ['instances still warming up from the last step are capacity on its way', [100, 100, { load: 30, age: 2 }, { lifecycle: 'Pending', load: null }], { desired: 4 }, null, null],
    // The idle one is not capacity, and its share is load: ⌈300 / 77.5⌉ = 4 working, + 1.
    ['an idle measured instance is not capacity', [100, 100, 0.5], { lb: false }, 'desired 3→5', 'saturated'],
  ])('%s → %s', (_, instances, group, expected, rule) => {
    const d = hold(0, instances, group);
    expect([actionOf(d), d.action?.rule ?? null, blockOf(d)]).toEqual([expected, rule, []]);
  });

  // At its maximum a saturated fleet turns requests away and no rule can help: the operator hears
  // it (once in 30 minutes); below the maximum, or only above the high mark, nothing is mailed.
  it.each<{ what: string; instances: Fleet; group: FleetSpec; expected: { blocked: string[]; alerts: string[] } }>([
    {
      what: 'four at 100 % at a max of 4',
      instances: [100, 100, 100, 100],
      group: { max: 4 },
      expected: {
        blocked: ['saturated:bounds', 'high-band:bounds'],
        alerts: ["web: saturated at its maximum, 4 working instances average 100.0 %, and desired 4 is the most it may have: raise the group's max size (or the config's maxInstances)"],
      },
    },
    { what: 'four at 90 % at a max of 4: hot, not saturated', instances: [90, 90, 90, 90], group: { max: 4 }, expected: { blocked: ['high-band:bounds'], alerts: [] } },
  ])('$what', ({ instances, group, expected }) => {
    const d = hold(0, instances, group);
    expect({ action: d.action, blocked: blockOf(d), alerts: d.alerts.map((a) => a.subject) }).toEqual({ action: null, ...expected });
  });

  // Within emergencyCooldownSeconds the emergency waits; the band still sees 300 % on 3 and adds one.
  it.each([
    [1, 'high-band', ['saturated:cooldown']],
    [2, 'saturated', []],
  ])('%d minutes after the last action → desired 3→4 by %s', (minutesAgo, rule, blocks) => {
    const d = hold(0, [100, 100, 100], {}, afterScaleUp(minutesAgo));
    expect([actionOf(d), d.action?.rule, blockOf(d)]).toEqual(['desired 3→4', rule, blocks]);
  });

  it('a burst of a few minutes is no saturation; the same saturation, unbroken, grows on', () => {
    // Minutes 20-22 at 100, 100, 90 % in a fleet at 60 %: each instance's load reaches 96.7 %, but only
    // 2 of the 10 recent minutes are at urgent (p75: 90 %): no saturated step. Two minutes at capacity
    // off a calm level are a jump to capacity for the high band (jumpAhead): from 240 % to 400 % in 2
    // minutes, 12 minutes on 1360 %, a step at most doubling the fleet: 4 → 8, once.
    const burst: Record<number, number> = { 20: 100, 21: 100, 22: 90 };
    const decisions = tickMinutes(35, (now, m) => fleet(now, Array(4).fill({ points: pointsAt(m, (p) => burst[p] ?? 60) })));
    expect(decisions.some((d) => d.figures.instances[0]!.load! > 95)).toBe(true);
    expect(decisions.flatMap((d) => (d.action === null ? [] : [`${d.action.rule}: ${actionOf(d)}`]))).toEqual(['high-band: desired 4→8']);
    // After a saturated step the fleet is still at 100 %: no new proof needed for the next one.
    const stepped: State = { ...initialState(), lastTickAt: at(-1), conditions: { saturated: at(-4) }, lastAction: { at: at(-3), kind: 'set-desired', rule: 'saturated', from: 4, to: 6 } };
    const d = decide(fleet(at(0), Array(6).fill(100), { desired: 6 }), stepped, defaultConfig, at(0));
    expect(actionOf(d)).toBe('desired 6→8');
  });
});

describe('rule 4, dead', () => {
  // min = the fleet's size keeps the N−1 rule out of the way: these rows are about the kill.
  it.each<[string, Fleet, number, string | null]>([
    ['near 0 % while the others work, 5 minutes', [1, 80, 80, 80], 5, 'terminate i-0'],
    // No more than twice as many at work as idle (UNPROVEN_WORKING): two runaways climbing beside
    // healthy idle peers read so. An emergency +1 first, to see whether one launched since works (below).
    ['one of three, the two others at work', [1, 80, 80], 5, 'desired 3→4'],
    // One other at work, or one of two: a runaway climbing through 20-95 % beside an idle healthy
    // peer reads so (DEAD_WITNESSES); at least half the others must work.
    ['beside a single other at work', [3, 40], 5, null],
    ['beside two others, one at work', [1, 2, 40], 5, null],
    ['beside three others, two at work', [1, 2, 40, 40], 5, 'desired 4→5'],
    ['beside four others, three at work', [1, 2, 40, 40, 40], 5, 'desired 5→6'],
    ['beside six others, five at work', [1, 2, 40, 40, 40, 40, 40], 5, 'terminate i-0'],
    // At work is at coldOthersMin or more: one at 5 % (a small share, a zone's) is quiet beside them.
    ['beside one quiet at 5 % and two at work', [1, 5, 40, 40], 5, 'desired 4→5'],
    ['the same for 4 minutes', [1, 80, 80, 80], 4, null],
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

  it.each<[string, number[], string[]]>([
    ['just measured, on fewer minutes than its peers: not yet held', [1, 1], []],
    ['on as many minutes as its peers: held', [1, 1, 1], ['dead:i-3']],
  ])('%s', (_, points, held) => {
    const d = hold(0, [50, 50, 50, { points }], { lb: false });
    expect(Object.keys(d.state.conditions)).toEqual(held);
  });

  it('not below coldRatio × the others is not dead', () => {
    const config = withConfig({ coldOthersMin: 10 });
    expect(actionOf(hold(5, [3, 12, 12, 12], { lb: false, min: 4 }, undefined, config))).toBeNull();
    expect(actionOf(hold(5, [2, 12, 12, 12], { lb: false, min: 4 }, undefined, config))).toBe('terminate i-0');
  });

  it.each<[string, Fleet, string]>([
    // The fleet load counts the dead one's share: 4 × 40 = 160 %; on 3 it is 53.3 % < 75 %.
    ['decremented when the N−1 rule would scale in anyway', [1, 40, 40, 40], 'terminate i-0 -1'],
    // 4 × 80 = 320 % on 3 is 106.7 %.
    ['replaced when the rest would run too hot without it', [1, 80, 80, 80], 'terminate i-0'],
  ])('%s', (_, instances, expected) => {
    expect(actionOf(holdWatched(5, instances, { lb: false }))).toBe(expected);
  });

  // Beside a runaway's +1 kept while it is pinned (rule 7, `emergency`): the lower count keeps it,
  // and its record. 1 + 100 + 8 × 30 = 341 % on 5 is 68.2 %: room to remove one beside the +1; 1 +
  // 100 + 180 = 281 % on 3 is 93.7 %: none beside it, the dead one replaced.
  it.each<{ what: string; instances: Fleet; expected: string; kept: string[] }>([
    { what: 'room beside the +1', instances: [1, pinnedLate, ...Array(8).fill(30)], expected: 'terminate i-0 -1', kept: ['i-1'] },
    { what: 'no room beside the +1', instances: [1, pinnedLate, 60, 60, 60], expected: 'terminate i-0', kept: ['i-1'] },
  ])('beside a runaway\'s +1, $what → $expected', ({ instances, expected, kept }) => {
    const d = holdWatched(5, instances, { lb: false }, plusOneFor('i-1'));
    expect([actionOf(d), Object.keys(d.state.emergencies)]).toEqual([expected, kept]);
  });

  // With only half at work, the kill waits for an instance launched since the dead one was
  // first seen (minute 0; its +1 launches at minute 6 here, desired 5) to work: at work it shows
  // that a new instance takes its share and the idle ones do not; idling too, the traffic is
  // light and the working ones climb on their own (runaways: rule 2's once pinned). Measured past
  // its 5 minutes of warm-up, from minute 11. The fixture's desired stays at 4 for the +1 never
  // launched and 5 for the one that did. The kill takes back the +1 (desired 5 → 4): the one
  // launched for it serves in its place, and the others' mean, (2 + 3 × 40) / 4 = 30.5 %, is
  // below `high` (takeBackOwnPlusOne, as a runaway's kill).
  it.each<{ what: string; launched: InstanceSpec['load'] | 'none'; expected: string[] }>([
    { what: 'none launched since: held, never killed', launched: 'none', expected: ['5 desired 4→5'] },
    { what: 'one launched since works: killed once it is measured, its +1 taken back', launched: 40, expected: ['5 desired 4→5', '11 terminate i-0 -1'] },
    { what: 'one launched since idles too: not dead', launched: 1, expected: ['5 desired 4→5'] },
    // Works where it does not: at coldLoad or more, it below coldRatio × that. At 5 % (a zone's
    // larger share of a light night), beside it at 1 %, the one launched idles too.
    { what: 'one launched since at 5 %: idles too', launched: 5, expected: ['5 desired 4→5'] },
  ])('with only 2 of 4 at work, $what', ({ launched, expected }) => {
    const decisions = tickMinutes(14, (now, minute) =>
      launched === 'none' || minute < 6 ? fleet(now, [1, 2, 40, 40], { lb: false, min: 4 }) : fleet(now, [1, 2, 40, 40, { load: launched, age: minute - 6 }], { lb: false, min: 4, desired: 5 }),
    );
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'dead' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // Of mixed sizes, at work on the dead one's vCPUs too (round robin: × theirs / its own, where
  // less), at coldLoad or more: with work from 2.5 % (coldOthersMin), two c5.larges at 3 % are an
  // m5.xlarge's 1.5 %, idle beside it; of its size they are at work (a hunt over the outlier
  // settings, two runaways climbing beside an idle m5.xlarge: killed, before 2026-12-06). Larges
  // at 60 % are a c5.4xlarge's 7.5 %, at work (outliers in a group of mixed sizes: killed at once).
  it.each<{ what: string; quiet: InstanceSpec; expected: string }>([
    { what: 'two c5.large at 3 %: 2 of 5 at work, a +1', quiet: { load: 3, type: 'c5.large' }, expected: 'desired 5→6' },
    { what: 'two m5.xlarge at 3 %: 4 of 5 at work, killed', quiet: { load: 3, type: 'm5.xlarge' }, expected: 'terminate i-0 -1' },
  ])('an idle m5.xlarge beside two m5.xlarge at 60 % and $what', ({ quiet, expected }) => {
    const xlarge = (load: number): InstanceSpec => ({ load, type: 'm5.xlarge' });
    const d = holdWatched(5, [xlarge(0.5), xlarge(60), xlarge(60), quiet, quiet], { lb: false }, undefined, withConfig({ coldLoad: 2, coldOthersMin: 2.5 }));
    expect(actionOf(d)).toBe(expected);
  });

  // And the one launched since works where it does not on its vCPUs too: a c5.large at 5 % is a
  // c5.4xlarge's 0.6 %, idle beside it at 0.5 % (a hunt over the outlier settings: a c5.large
  // launched at 2.1 % "worked" beside an idle c5.2xlarge at 0.6 %, killed, before 2026-12-06).
  it.each<{ what: string; launched: number; expected: string[] }>([
    { what: 'a c5.large launched at 5 %: idles on its vCPUs, held', launched: 5, expected: ['5 desired 3→4'] },
    { what: 'a c5.large launched at 40 %: works, killed, its +1 taken back', launched: 40, expected: ['5 desired 3→4', '11 terminate i-0 -1'] },
  ])('a c5.4xlarge at 0.5 % beside two c5.large at 40 %, $what', ({ launched, expected }) => {
    const large = (load: number, age?: number): InstanceSpec => ({ load, type: 'c5.large', ...(age !== undefined && { age }) });
    const instances: Fleet = [{ load: 0.5, type: 'c5.4xlarge' }, large(40), large(40)];
    const decisions = tickMinutes(14, (now, minute) => (minute < 6 ? fleet(now, instances, { lb: false, min: 3 }) : fleet(now, [...instances, large(launched, minute - 6)], { lb: false, min: 3, desired: 4 })));
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'dead' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // Climbing across the minutes its load averages, the one launched is no proof: a runaway of its
  // own may have struck it as it started (the simulator's, over 3 to 5 minutes, beside two
  // climbing: the idle healthy one was killed, 2026-12-07). Its newest minute half hotGap (5
  // points) above its load: 42 beside (42 + 36 + 30) / 3 = 36 is; 39 beside 36 is not. Datapoints
  // newest first.
  it.each<{ what: string; points: number[]; expected: string[] }>([
    { what: 'climbing 6 points a minute: no proof', points: [42, 36, 30, 24, 18], expected: ['5 desired 4→5'] },
    { what: 'climbing 3 points a minute: works, killed', points: [39, 36, 33, 30, 27], expected: ['5 desired 4→5', '11 terminate i-0 -1'] },
  ])('with only 2 of 4 at work, the one launched since $what', ({ points, expected }) => {
    const decisions = tickMinutes(14, (now, minute) =>
      minute < 6 ? fleet(now, [1, 2, 40, 40], { lb: false, min: 4 }) : fleet(now, [1, 2, 40, 40, { points, age: minute - 6 }], { lb: false, min: 4, desired: 5 }),
    );
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'dead' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // The kill takes back its +1 only where the others' mean is below `high` (85 %): the three at
  // 88 % need the one launched, and the dead one is replaced (the kill keeps the count), as a
  // runaway's beside hot peers. (The band's scale-outs at 88 % are left out.)
  it.each<{ what: string; load: number; expected: string[] }>([
    { what: 'the others at 40 %: its +1 taken back', load: 40, expected: ['5 desired 3→4', '11 terminate i-0 -1'] },
    { what: 'the others at 88 %: replaced, its +1 kept', load: 88, expected: ['5 desired 3→4', '11 terminate i-0'] },
  ])('with only 2 of 3 at work, the one launched since works, $what', ({ load, expected }) => {
    const decisions = tickMinutes(14, (now, minute) => (minute < 6 ? fleet(now, [1, load, load], { lb: false, min: 3 }) : fleet(now, [1, load, load, { load, age: minute - 6 }], { lb: false, min: 3, desired: 4 })));
    expect(decisions.flatMap((d, minute) => (d.action?.rule === 'dead' ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });

  // Taking its own +1 back, the kill keeps every other: a runaway's, while pinned (i-1, its newest
  // minute late: no candidate now). Five at 40 % beside: proven, killed at once.
  it('a kill that takes its own +1 back keeps a runaway\'s', () => {
    const state: State = { ...initialState(), emergencies: { 'i-0': at(-10), 'i-1': at(-20) } };
    const d = hold(5, [1, pinnedLate, 40, 40, 40, 40, 40], { lb: false }, state);
    expect({ action: actionOf(d), keeps: d.action?.keeps, emergencies: Object.keys(d.state.emergencies) }).toEqual({ action: 'terminate i-0 -1', keeps: ['i-1'], emergencies: ['i-1'] });
  });

  it('with only 2 of 4 at work, the +1 says why, and what comes of it', () => {
    const d = hold(5, [1, 2, 40, 40], { lb: false, min: 4 });
    expect({ reason: d.action?.reason, alerts: d.alerts.map((a) => a.subject) }).toEqual({
      reason: 'dead: i-0 CPU 1.0 % vs 40.0 % of the others for 5 min, only 2 of 4 at work; emergency +1',
      alerts: ['web: i-0 dead (CPU 1.0 % vs 40.0 %), only 2 of 4 at work; emergency +1, desired 4 → 5; terminating it once an instance launched since works (not idling too, as beside runaways climbing on their own)'],
    });
  });

  // The one launched idles (i-3, from minute 6, measured from 11): it reads dead itself from 11,
  // on its own hold, and one +1 served all: no other. The N−1 rule (the idle ones carry no share,
  // 40 % a share on 4 is 160 %, on 3 53.3 %) keeps the +1 while i-0 reads dead: taken back, the
  // group might remove the one launched, and i-0, still unproven, would have another, every ten
  // minutes or so (the simulator's two runaways growing over 90 minutes beside one idle).
  it('with only 2 of 3 at work, the one launched idles and reads dead itself: one +1, kept', () => {
    const decisions = tickMinutes(25, (now, minute) => (minute < 6 ? fleet(now, [1, 40, 40], { lb: false, min: 2 }) : fleet(now, [1, 40, 40, { load: 1, age: minute - 6 }], { lb: false, min: 2, desired: 4 })));
    expect({
      actions: decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)} ${d.action.rule}`] : [])),
      held: Object.keys(decisions.at(-1)!.state.conditions),
      blocked: decisions.at(-1)!.blocked.map((b) => `${b.rule}:${b.why}: ${b.detail}`),
    }).toEqual({ actions: ['5 desired 3→4 dead'], held: ['dead:i-0', 'dead:i-3'],
      blocked: ["n-minus-1:emergency: fleet load 160 % (p75 of the last 10 min) on 3 = 53.3 % < 75.0 %, but that would take back i-0's emergency +1 while it reads dead (CPU 1.0 %)"],
    });
  });

  // Its hold begun again since its +1 (a minute above coldLoad, a gap): the instance launched for
  // that +1 (9 minutes ago, after it, 10 minutes ago) still shows that new ones take work. Three
  // idle beside three at work, the new one among them.
  it.each<{ what: string; plusOneAt: number | null; expected: string | null }>([
    { what: 'its +1 made before the one launched: killed after the new hold', plusOneAt: -10, expected: 'terminate i-0' },
    { what: 'no +1 of its own recorded: the one launched before its hold proves nothing, a +1', plusOneAt: null, expected: 'desired 6→7' },
  ])('with only 3 of 6 at work, held again after its +1: $what', ({ plusOneAt, expected }) => {
    const state: State = { ...initialState(), emergencies: plusOneAt === null ? {} : { 'i-0': at(plusOneAt) } };
    expect(actionOf(hold(5, [1, 1, 1, 40, 40, { load: 40, age: 9 }], { lb: false, min: 6 }, state))).toBe(expected);
  });

  it("with only 2 of 4 at work at the group's max: told, never killed", () => {
    const d = hold(10, [1, 2, 40, 40], { lb: false, min: 4, max: 4 });
    expect({ action: actionOf(d), blocked: blockOf(d), alerts: d.alerts.map((a) => a.subject) }).toEqual({
      action: null,
      blocked: ['dead:bounds', 'dead:bounds', 'n-minus-1:bounds'],
      alerts: [
        ['i-0', '1.0'],
        ['i-1', '2.0'],
      ].map(
        ([id, cpu]) =>
          `web: ${id} dead (CPU ${cpu} % vs 40.0 %), only 2 of 4 at work; not terminated: at the group's max (4) no instance can be launched to show whether a new one takes work (it is dead) or idles too (the ones at work climb on their own); replace it with \`asg-watchdog instances -g web --kill ${id}\` if it is dead`,
      ),
    });
  });

  it('an instance with no datapoints is never dead', () => {
    expect(hold(30, [null, 50, 50, 50], { lb: false }).action).toBeNull();
  });
});

describe('rule 5, detached', () => {
  // Peers at 80 % keep the count (without the one out they would run 80 %, above the scale-in
  // mark: the group replaces it); a real detached instance idles near 1 %.
  const out = (extra: InstanceSpec = {}): InstanceSpec => ({ load: 80, lb: 'out', ...extra });
  it.each<[string, Fleet, FleetSpec, number, string | null]>([
    ['out of the balancer for 5 minutes', [out(), 80, 80], {}, 5, 'terminate i-0'],
    ['out for 4 minutes', [out(), 80, 80], {}, 4, null],
    ['one of two may be replaced', [out(), 80], {}, 5, 'terminate i-0'],
    ['still in warm-up', [out({ age: 3 }), 80, 80], {}, 5, null],
    ['balancer state unknown', [{ load: 80, lb: 'unknown' }, 80, 80], {}, 5, null],
    ['the group has no balancer', [out(), 80, 80], { lb: false }, 5, null],
  ])('%s → %s', (_, instances, group, minutes, expected) => {
    const d = hold(minutes, instances, group);
    expect(actionOf(d)).toBe(expected);
    if (expected) expect(d.action!.rule).toBe('detached');
  });

  // Out of its balancer since its launch (on its way at every tick since it was Pending): a slow
  // boot behind a classic balancer's first checks (10 × 30 s), joining, not detached, until 30
  // minutes after its launch (LONGEST_LAUNCH_MINUTES).
  // With the group's launches measured, one on its way twice as long is overdue (OVERDUE_LAUNCHES).
  it.each<{ what: string; instances: Fleet; launches: number[]; expected: string | null; alerts: string[] }>([
    { what: 'one 12 minutes after its launch', instances: [out({ age: 12 }), 80, 80], launches: [], expected: null, alerts: [] },
    { what: 'one 31 minutes after its launch', instances: [out({ age: 31 }), 80, 80], launches: [], expected: 'terminate i-0', alerts: ['terminate:i-0'] },
    // Three of five out was a mass detach (kill nothing); two of them were just ordered.
    { what: 'two of five, and one detached', instances: [out({ age: 12 }), out({ id: 'i-1', age: 12 }), out({ id: 'i-2' }), 80, 80], launches: [], expected: 'terminate i-2', alerts: ['terminate:i-2'] },
    // The group's launches take 7 minutes: joining until 14.
    { what: 'one 12 minutes after its launch, the group’s launches 7 minutes', instances: [out({ age: 12 }), 80, 80], launches: [420], expected: null, alerts: [] },
    { what: 'one 14 minutes after its launch, the group’s launches 7 minutes: overdue', instances: [out({ age: 14 }), 80, 80], launches: [420], expected: 'terminate i-0', alerts: ['terminate:i-0'] },
  ])('on its way since its launch, $what → $expected', ({ instances, launches, expected, alerts }) => {
    const d = hold(5, instances, {}, { ...initialState(), launching: ['i-0', 'i-1'], launches });
    expect({ action: actionOf(d), alerts: d.alerts.map((a) => a.key) }).toEqual({ action: expected, alerts });
  });

  // Why it is out, as the balancers say: their verdict, or someone's act (a deploy deregisters).
  it.each<{ why: 'failing-checks' | 'not-registered' | undefined; reason: string; alert: string }>([
    { why: 'failing-checks', reason: 'detached: i-0 out of the load balancer for 5 min, failing its health checks', alert: 'web: terminated i-0 (out of the load balancer, failing its health checks); the group replaces it' },
    { why: 'not-registered', reason: 'detached: i-0 out of the load balancer for 5 min, not registered in it', alert: 'web: terminated i-0 (out of the load balancer, not registered in it); the group replaces it' },
    { why: undefined, reason: 'detached: i-0 out of the load balancer for 5 min', alert: 'web: terminated i-0 (out of the load balancer); the group replaces it' },
  ])('says why it is out: $why', ({ why, reason, alert }) => {
    const d = hold(5, [out(why === undefined ? {} : { outOfBalancer: why }), 80, 80]);
    expect({ reason: d.action?.reason, alerts: d.alerts.map((a) => a.subject) }).toEqual({ reason, alerts: [alert] });
  });

  it('two of three overdue are a mass detach again: alert, kill nothing', () => {
    // Joining, they would not count; 14 minutes on their way where the group's launches take 7.
    const d = hold(10, [out({ age: 14 }), out({ id: 'i-1', age: 14 }), 80], {}, { ...initialState(), launching: ['i-0', 'i-1'], launches: [420] });
    expect({ killed: d.action?.kind === 'terminate', blocked: blockOf(d).includes('detached:mass-detach'), alerts: d.alerts.map((a) => a.key) }).toEqual({ killed: false, blocked: true, alerts: ['mass-detach'] });
  });

  // Out of the balancer, an instance idles near 1 %: the detached rule's, which knows a mass
  // detach, not the dead rule's. Its kill lowers the count as a dead one's does, when the fleet
  // without it (the four that carry) would be below the scale-in mark.
  const idle = (id: string): InstanceSpec => ({ id, load: 1, lb: 'out' });
  it.each<{ what: string; instances: Fleet; expected: { action: string | null; rule: string | null; blocked: string[]; alerts: string[] } }>([
    // 240 % on the four that carry is 60 % < 75 %.
    { what: 'one of five out, the four at 60 %: the count goes down', instances: [idle('i-0'), 60, 60, 60, 60], expected: { action: 'terminate i-0 -1', rule: 'detached', blocked: [], alerts: ['terminate:i-0'] } },
    // 270 % on the three that carry is 90 %.
    { what: 'one of four out, the three at 90 %: the group replaces it', instances: [idle('i-0'), 90, 90, 90], expected: { action: 'terminate i-0', rule: 'detached', blocked: [], alerts: ['terminate:i-0'] } },
    { what: 'two of three out, one at 40 %: a mass detach', instances: [idle('i-0'), idle('i-1'), 40], expected: { action: null, rule: null, blocked: ['detached:mass-detach'], alerts: ['mass-detach'] } },
  ])('idle out of the balancer for 5 minutes, $what', ({ instances, expected }) => {
    const d = holdWatched(5, instances);
    expect({ action: actionOf(d), rule: d.action?.rule ?? null, blocked: blockOf(d), alerts: d.alerts.map((a) => a.key) }).toEqual(expected);
  });

  it('a mass detach of idle instances: no kill and no scale-in in half an hour', () => {
    // The one that carries runs 40 %: 40 % on the two left would be 20 %, but the group may remove
    // the one that carries (it picks which).
    const decisions = tickMinutes(30, (now) => fleet(now, [idle('i-0'), idle('i-1'), 40]));
    expect(decisions.map(actionOf).filter((a) => a !== null)).toEqual([]);
  });

  it('more than half out is the application or the balancer: alert, kill nothing', () => {
    const d = hold(10, [out(), out(), 80]);
    expect(d.action).toBeNull();
    expect(blockOf(d)).toContain('detached:mass-detach');
    expect(d.alerts.map((a) => a.key)).toEqual(['mass-detach']);
  });
});

describe('rule 6, high band', () => {
  // Loads held steady: the fleet load of every recent minute is the sum of the loads.
  it.each<[string, Fleet, FleetSpec, string | null, string[]]>([
    // 172 % on 2 is 86 % > 85 %; ⌈172 / 77.5⌉ = 3.
    ['two at 86 %', [86, 86], {}, 'desired 2→3', []],
    ['exactly 85 %', [85, 85], {}, null, []],
    ['one instance: the mark is 0.9 × 85 = 76.5', [77], {}, 'desired 1→2', []],
    ['one instance at 76 %', [76], {}, null, []],
    // 360 / 77.5 = 4.6: sized to the middle of the band.
    ['four at 90 %', [90, 90, 90, 90], {}, 'desired 4→5', []],
    // 940 / 77.5 = 12.1 → 13, within n + 10 = 20.
    ['ten at 94 %', Array(10).fill(94), { max: 30 }, 'desired 10→13', []],
    ['within max', [90, 90, 90, 90], { max: 4 }, null, ['high-band:bounds']],
    // 270 % on the 4 ordered is 67.5 %: the launch is capacity on its way.
    ['a launch pending counts as capacity', [90, 90, 90, { lifecycle: 'Pending', load: null }], {}, null, []],
    // The warming one carries its share at the others' 86 %: 344 % on 4.
    ['an instance warming up counts as capacity', [86, 86, 86, { load: 10, age: 4 }], {}, 'desired 4→5', []],
    // Its agent publishes nothing, but it serves: its share at the others' 86 %, 344 % on 4.
    ['an instance with a broken agent carries its share', [86, 86, 86, null], {}, 'desired 4→5', []],
  ])('%s → %s', (_, instances, group, expected, blocks) => {
    const d = hold(0, instances, group);
    expect([actionOf(d), blockOf(d)]).toEqual([expected, blocks]);
  });

  it('acts on no cooldown: a step already ordered is in desired, and only what it misses is added', () => {
    // 3 at 90 % just after a scale-up from 2: 270 % on 3 is 90 % > 85 %, ⌈270 / 77.5⌉ = 4.
    expect(actionOf(hold(0, [90, 90, 90], {}, afterScaleUp(1)))).toBe('desired 3→4');
  });

  // A level that moves: each minute's load from the minute itself (pointsAt), three instances.
  const series = (loadAt: (period: number) => number, minutes: number, config: Config = defaultConfig) =>
    tickMinutes(minutes, (now, m) => fleet(now, Array(3).fill({ points: pointsAt(m, loadAt) })), { config });
  const firstAction = (decisions: Decision[]) => {
    const i = decisions.findIndex((d) => d.action !== null);
    return i < 0 ? null : `${i}: ${actionOf(decisions[i]!)}`;
  };

  it.each<[string, (p: number) => number, number, Partial<Config>, string | null]>([
    // From period 7 the three run 90 %. At minute 12 the three newest periods (7-9, 270 %) sit above
    // every older one (180 %) by more than twice their reach (0): a jump off the level, flat, so
    // 270 % on 3 = 90 % → ⌈270 / 77.5⌉ = 4. (The newer half of the recent minutes all above the
    // window's p75, the level moved, would say so at minute 14.)
    ['a level that steps up from 60 % to 90 %', (p) => (p >= 7 ? 90 : 60), 20, {}, '12: desired 3→4'],
    // 1 point a minute: at minute m the newest period is m − 3 at 3 × (47 + m) %. The line (t = ∞)
    // 12 minutes ahead is 3 × (59 + m) %, above 3 × 85 from m = 27.
    ['climbing 1 point a minute', (p) => 50 + p, 45, {}, '27: desired 3→4'],
    // Without the look-ahead, the line at its newest minute, 3 × (47 + m) %, crosses 3 × 85 at m = 39.
    ['climbing, without the look-ahead', (p) => 50 + p, 45, { riseLeadMinutes: 0 }, '39: desired 3→4'],
    // 50 % until period 9, then 10 points a minute. At minute 15 the newest periods 10-12 (180, 210,
    // 240 %) jump off the level; their line 12 minutes on is 240 + 12 × 30 = 600 %, which at the
    // high mark needs ⌈600 / 85⌉ = 8 (the level, 150 %, ⌈150 / 77.5⌉ = 2). A step at most doubles
    // the fleet by default (maxStepUp: n), so 6.
    ['a steep ramp off a flat level', (p) => (p < 10 ? 50 : Math.min(100, 50 + 10 * (p - 9))), 20, {}, '15: desired 3→6'],
    ['the same ramp, maxStepUp 10', (p) => (p < 10 ? 50 : Math.min(100, 50 + 10 * (p - 9))), 20, { maxStepUp: 10 }, '15: desired 3→8'],
    ['the same ramp, maxStepUp 1', (p) => (p < 10 ? 50 : Math.min(100, 50 + 10 * (p - 9))), 20, { maxStepUp: 1 }, '15: desired 3→4'],
    // 60 % until period 9, then 100 %: capped minutes. At minute 14 the newest two periods (10-11,
    // 300 %) are capped off a level of 180 % with no reach: a jump to capacity. The line from the
    // last minute below it (period 9, 180 %) rises 60 a minute, 12 minutes on 300 + 720 = 1020 %,
    // ⌈1020 / 77.5⌉ = 14, at most doubled: 6. (Three capped minutes would show at 15, flat: 3→4.)
    ['a level that jumps to capacity', (p) => (p < 10 ? 60 : 100), 20, {}, '14: desired 3→6'],
    // One minute at capacity is a burst: nothing comes of it.
    ['one minute at capacity', (p) => (p === 10 ? 100 : 60), 20, {}, null],
    ['flat at 80 %', () => 80, 20, {}, null],
    // At minute 20 the newest period, 17, is at 81.4 %: 81.4 + 0.2 × 12 = 83.8 % < 85 %.
    ['climbing 0.2 points a minute from 78 %', (p) => 78 + 0.2 * p, 20, {}, null],
    // Noise of ±8 points around 70 % is no trend: t stays far below 6.
    ['noise around 70 %', (p) => 70 + (p % 3 === 0 ? 8 : p % 3 === 1 ? -8 : 0), 20, {}, null],
  ])('%s → %s', (_, loadAt, minutes, overrides, expected) => {
    expect(firstAction(series(loadAt, minutes, withConfig(overrides)))).toBe(expected);
  });
});

describe('rule 7, low band: the N−1 rule', () => {
  // The default mark is the lower third of the band: 70 + (85 − 70) / 3 = 75 %. Held 5 minutes by
  // a watchdog that watched the fleet for 10 before (`holdWatched`): from minute 5 it knows the 20
  // minutes of fleet load a scale-in waits for.
  it.each<[string, Fleet, number, FleetSpec, string | null, string[]]>([
    ['3 at 49 %: 147 % on 2 is 73.5 % < 75 %', [49, 49, 49], 5, {}, 'desired 3→2', []],
    ['3 at 51 %: 153 % on 2 is 76.5 %', [51, 51, 51], 5, {}, null, []],
    ['2 at 35 %: one left would run 70 % < 0.95 × 75', [35, 35], 5, {}, 'desired 2→1', []],
    ['2 at 36 %: one left would run 72 %', [36, 36], 5, {}, null, []],
    ['at min', [30, 30], 5, { min: 2 }, null, ['n-minus-1:bounds']],
    // The surplus goes in one step: 1000 % on 14 is 71.4 % < 75 %, on 13 it would be 76.9 %.
    ['20 at 50 %', Array(20).fill(50), 5, { max: 30 }, 'desired 20→14', []],
    ['20 at 50 % with min 19', Array(20).fill(50), 5, { min: 19, max: 30 }, 'desired 20→19', []],
    // At most maxStepDown = ⌊10 / 2⌋ at once: 100 % would fit on 2.
    ['10 at 10 %', Array(10).fill(10), 5, {}, 'desired 10→5', []],
    // 80 % would fit on 2, but the group cannot remove an instance protected from scale-in.
    ['4 at 20 %, 3 of them protected from scale-in', [...Array(3).fill({ load: 20, protected: true }), 20], 5, {}, 'desired 4→3', []],
  ])('%s → %s', (_, instances, minutes, group, expected, blocks) => {
    const d = holdWatched(minutes, instances, group);
    expect([actionOf(d), blockOf(d)]).toEqual([expected, blocks]);
  });

  // A watchdog started afresh reads 5 minutes at its first tick and one more at each. Both windows
  // must say the load is low, and until the long one holds as many minutes before the recent 10 as
  // in them the two are one reading: the N−1 rule waits for 20 (twice recentWindowMinutes).
  // A recent window longer than half the window: the whole window.
  it.each([
    { what: '19 minutes of fleet load known', minutes: 14, config: {}, action: null, blocks: ['n-minus-1:history'] },
    { what: '20 known', minutes: 15, config: {}, action: 'desired 3→2', blocks: [] },
    { what: 'a recent window of 20 minutes, 29 known', minutes: 24, config: { recentWindowMinutes: 20 }, action: null, blocks: ['n-minus-1:history'] },
    { what: 'a recent window of 20 minutes, 30 known', minutes: 25, config: { recentWindowMinutes: 20 }, action: 'desired 3→2', blocks: [] },
  ])('afresh, 3 at 49 %, $what → $action', ({ minutes, config, action, blocks }) => {
    const d = hold(minutes, [49, 49, 49], {}, undefined, withConfig(config));
    expect([actionOf(d), blockOf(d)]).toEqual([action, blocks]);
  });

  // Falling a quarter point a minute: at minute m the newest period is m − 3 at L = 60 − (m − 3) / 4 %.
  it.each<[string, Partial<Config>, string]>([
    // The line 10 minutes ahead, L − 2.5, on 2 is below 75 % once L < 52.5: minute 34. The scale-out
    // load, capped at the line at the newest minute (L, not the recent p75, L + 1.75), then runs 2 at
    // 78 %: within the high mark.
    ['falling: the N−1 rule follows the fall', {}, '34: desired 3→2'],
    // Without the look-ahead it waits for L < 50: ten minutes later.
    ['without the look-ahead it trails it', { fallLeadMinutes: 0 }, '44: desired 3→2'],
  ])('%s → %s', (_, overrides, expected) => {
    const decisions = tickMinutes(50, (now, m) => fleet(now, Array(3).fill({ points: pointsAt(m, (p) => 60 - p / 4) })), { config: withConfig(overrides) });
    const i = decisions.findIndex((d) => d.action !== null);
    expect(`${i}: ${actionOf(decisions[i]!)}`).toBe(expected);
  });

  it('a fall off a level: the step is what the load needs now, not the level it fell from', () => {
    // 10 at 80 %, falling 4 points a minute from period 20. At minute 29 the newest period is 26
    // (520 %): the least-squares line through the recent ten (800, 800, 800, 760, … 520) falls 33.9
    // a minute (t 14.7, clear of 12) and reads 535 at the newest, 550 with the 75th percentile of
    // its residuals (15). Ten minutes ahead, 211 %: 3 would carry it, at most ⌊10 / 2⌋ go. The
    // scale-out load, capped at the line now, 550 %, needs ⌈550 / 85⌉ = 7 at the high mark; the
    // recent minutes' p75, still 800 %, would have kept all ten.
    const loadAt = (p: number) => (p < 20 ? 80 : Math.max(40, 80 - 4 * (p - 19)));
    const decisions = tickMinutes(29, (now, m) => fleet(now, Array(10).fill({ points: pointsAt(m, loadAt) }), { max: 20 }));
    const i = decisions.findIndex((d) => d.action !== null);
    expect(`${i}: ${actionOf(decisions[i]!)}`).toBe('29: desired 10→7');
  });

  // The fleet load of web-day's noon, period by period: up 13.3 a minute to 1,400 %, down 17.5 a
  // minute to 1,050 % (period 35), then down 0.75 a minute.
  const noonFleetLoad = (p: number) => (p < 15 ? 1200 + 13.33 * p : p < 35 ? 1400 - 17.5 * (p - 15) : 1050 - 0.75 * (p - 35));

  it('a fall that stopped: the step leaves the newest minute within the high mark', () => {
    // Web-day's noon on a group of at most 15: the fleet load climbs 13.3 a minute to 1,400 %, falls
    // 17.5 a minute to 1,050 % and then drifts down 0.75 a minute. At minute 43 (newest period 40,
    // 1,046 %; the last scale-up 10 minutes ago) the line through the 30 minutes falls clearly:
    // 10 minutes ahead it reads 887 %, which 12 would carry at 73.9 %, and the window read along
    // it, 1,015 % at p90, needs ⌈1015 / 85⌉ = 12 at the high mark. But the fall has stopped: the
    // newest minute's 1,046 % on 12 is 87.2 %, and ⌈1046 / 85⌉ = 13 (80.5 %).
    const loadAt = (p: number) => noonFleetLoad(p) / 15;
    const decisions = tickMinutes(60, (now, m) => fleet(now, Array(15).fill({ points: pointsAt(m, loadAt) }), { max: 15 }), { state: afterScaleUp(10, 43) });
    const i = decisions.findIndex((d) => d.action !== null);
    expect(`${i}: ${actionOf(decisions[i]!)}`).toBe('43: desired 15→13');
  });

  it('where no step would leave the newest minute within the high mark, the rule says so', () => {
    // Periods 1 to 40 of web-day's noon, remembered, on 13 instances. The fall's line 10 minutes
    // ahead, 887 %, on 12 is 73.9 % < 75 %; but the newest minute's 1,046 % on 12 would be 87.2 %:
    // ⌈1046 / 85⌉ = 13.
    const minutes = Array.from({ length: 40 }, (_, k) => noonFleetLoad(k + 1));
    const now = at(60);
    // The newest is 3 minutes old (the metrics' lag and the minute itself).
    const fleetLoad = minutes.map((load, k) => ({ at: now - (minutes.length + 2 - k) * MIN, load }));
    const points = minutes.slice(-defaultConfig.windowMinutes).reverse().map((load) => load / 13);
    const d = decide(fleet(now, Array(13).fill({ points }), { max: 15 }), { ...initialState(), fleetLoad }, defaultConfig, now);
    expect([actionOf(d), d.blocked]).toEqual([
      null,
      [
        {
          rule: 'n-minus-1',
          why: 'high-mark',
          detail: 'fleet load 887 % (falling, 10 min ahead) on 12 = 73.9 % < 75.0 %, but fleet load 1046 % (the newest minute) on 12 = 87.2 % > 85.0 %',
        },
      ],
    ]);
  });

  // A step of less than a tenth of the fleet waits 20 minutes after the last action, not 10.
  it.each<{ what: string; instances: Fleet; minutesAgo: number; expected: string | null; blocks: string[] }>([
    // 1400 % on 19 is 73.7 %, on 18 77.8 %: one instance of 20, a small step.
    { what: 'one of 20, 15 minutes after a scale-in', instances: Array(20).fill(70), minutesAgo: 15, expected: null, blocks: ['n-minus-1:cooldown'] },
    { what: 'one of 20, 20 minutes after', instances: Array(20).fill(70), minutesAgo: 20, expected: 'desired 20→19', blocks: [] },
    // 1300 % on 18 is 72.2 %, on 17 76.5 %: two of 20, a tenth.
    { what: 'two of 20, 15 minutes after', instances: Array(20).fill(65), minutesAgo: 15, expected: 'desired 20→18', blocks: [] },
    // 585 % on 8 is 73.1 %: one of 9 is more than a tenth.
    { what: 'one of 9, 15 minutes after', instances: Array(9).fill(65), minutesAgo: 15, expected: 'desired 9→8', blocks: [] },
  ])('$what → $expected', ({ instances, minutesAgo, expected, blocks }) => {
    const d = holdWatched(5, instances, { max: 30 }, afterScaleIn(minutesAgo, 5));
    expect([actionOf(d), blockOf(d)]).toEqual([expected, blocks]);
  });

  it.each<[number[], string | null]>([
    [[45, 45, 45], 'desired 3→2'],
    [[47, 47, 47], null],
  ])('with the Menéame mark (scaleInMark 70): %j → %s', (instances, expected) => {
    expect(actionOf(holdWatched(5, instances, {}, undefined, withConfig({ scaleInMark: 70 })))).toBe(expected);
  });

  // Out of the balancer an instance carries nothing, and a lower desired count may remove any
  // instance: the fleet with fewer is counted on the ones that carry. (The detached rule waits 10
  // minutes here, so that the N−1 rule is seen before it.)
  it.each<{ what: string; instances: Fleet; expected: string | null; detail: string | null }>([
    // 160 % on the 3 carriers left of 4 is 53.3 %, on 2 it would be 80 %. Counting the one out, 5 → 3.
    {
      what: 'one of five out, four at 40 %',
      instances: [{ load: 1, lb: 'out' }, 40, 40, 40, 40],
      expected: 'desired 5→4',
      detail: 'n-minus-1: fleet load 160 % (p75 of the last 10 min) on 3 in the balancer = 53.3 % < 75.0 %; desired 5 → 4',
    },
    // 240 % on 3 carriers is 80 %. Counting the one out, 60 % on 4.
    { what: 'one of five out, four at 60 %', instances: [{ load: 1, lb: 'out' }, 60, 60, 60, 60], expected: null, detail: null },
  ])('$what → $expected', ({ instances, expected, detail }) => {
    const d = holdWatched(5, instances, {}, undefined, withConfig({ detachedKillMinutes: 10 }));
    expect({ action: actionOf(d), detail: d.action?.reason ?? null }).toEqual({ action: expected, detail });
  });

  // An instance refresh (a new image rolled out by the group) by default terminates a batch before
  // it launches their replacements: desired stays, fewer are launched than it. The three would do on
  // two, but the group is replacing the fourth; a scale-in now would have it pick among all, old and new.
  it.each<{ what: string; refresh: Fleet; expected: { action: string | null; blocked: string[] } }>([
    { what: 'one old instance Terminating, its replacement not yet launched', refresh: [30, 30, 30, { lifecycle: 'Terminating', load: null }], expected: { action: null, blocked: ['n-minus-1:converging'] } },
    { what: 'its replacement Pending', refresh: [30, 30, 30, { lifecycle: 'Terminating', load: null }, { lifecycle: 'Pending', load: null }], expected: { action: null, blocked: ['n-minus-1:converging'] } },
    { what: 'its replacement InService, warming up', refresh: [30, 30, 30, { load: 30, age: 2 }], expected: { action: null, blocked: ['n-minus-1:coverage'] } },
    // Nor a scale-out for the batch's share on the three left: desired counts the replacement on its way.
    { what: 'the three left at 100 %', refresh: [100, 100, 100, { lifecycle: 'Terminating', load: null }], expected: { action: null, blocked: [] } },
    // MinHealthyPercentage 100 and MaxHealthyPercentage above it: the replacement first, beside the four.
    { what: 'launching before it terminates', refresh: [30, 30, 30, 30, { lifecycle: 'Pending', load: null }], expected: { action: null, blocked: ['n-minus-1:converging'] } },
  ])('an instance refresh under way, $what: the watchdog waits for the group', ({ refresh, expected }) => {
    const d = holdWatched(5, refresh, { desired: 4 });
    expect({ action: actionOf(d), blocked: blockOf(d) }).toEqual(expected);
  });

  // An instance read dead waits for the dead rule: on a lower count the group removes any
  // instance, a healthy one as likely, and the fewer left may no longer tell the dead one
  // (DEAD_WITNESSES: a fleet of two tells it only by what it sends). i-0 drops to 1 % at minute 2,
  // read dead from then; the N−1 rule, free from minute 5, waits until the dead rule acts at 7,
  // held coldKillMinutes (5): three, unproven, its +1; four, its kill, lowering the count as the
  // N−1 rule would. (The p75 of the last 10 min is still before the drop: 3 × 40 = 120 % on 2 is
  // 60 %; 4 × 40 = 160 % on 3 is 53.3 %.)
  const droppedAt2 = (minute: number, atWork: number) => {
    const snapshotAt = (now: number) => fleet(now, [(now - T0) / MIN < 2 ? 40 : 1, ...Array(atWork).fill(40)]);
    return tickMinutes(minute, snapshotAt, { state: watchedFor(10, snapshotAt) }).at(-1)!;
  };
  it.each<{ what: string; atWork: number; minute: number; expected: { action: string | null; rule: string | null; blocked: string[] } }>([
    { what: 'three, one read dead for 3 minutes', atWork: 2, minute: 5, expected: { action: null, rule: null, blocked: ['n-minus-1:dead-reading'] } },
    { what: 'three, one read dead for 4 minutes', atWork: 2, minute: 6, expected: { action: null, rule: null, blocked: ['n-minus-1:dead-reading'] } },
    { what: 'three, one read dead for 5 minutes', atWork: 2, minute: 7, expected: { action: 'desired 3→4', rule: 'dead', blocked: [] } },
    { what: 'four, one read dead for 4 minutes', atWork: 3, minute: 6, expected: { action: null, rule: null, blocked: ['n-minus-1:dead-reading'] } },
    { what: 'four, one read dead for 5 minutes', atWork: 3, minute: 7, expected: { action: 'terminate i-0 -1', rule: 'dead', blocked: [] } },
  ])('$what → $expected.action', ({ atWork, minute, expected }) => {
    const d = droppedAt2(minute, atWork);
    expect({ action: actionOf(d), rule: d.action?.rule ?? null, blocked: blockOf(d) }).toEqual(expected);
  });

  it('an instance read dead: the block says which, and for how long', () => {
    expect(droppedAt2(6, 2).blocked).toEqual([
      { rule: 'n-minus-1', why: 'dead-reading', detail: 'fleet load 120 % (p75 of the last 10 min) on 2 = 60.0 % < 75.0 %, but i-0 reads dead (CPU 1.0 % for 4 min): the dead rule decides first' },
    ]);
  });

  // At night every instance idles: nobody is dead, and the N−1 rule is free (6 % on 2 is 3 %).
  it('three idling at night: nobody reads dead, one fewer', () => {
    expect(actionOf(holdWatched(5, [1, 2, 3]))).toBe('desired 3→2');
  });

  it('a mass detach: no scale-in, though the three that carry would do on two', () => {
    // 60 % on the 2 left of the 3 in the balancer is 30 %; four of seven are out.
    const idle: InstanceSpec = { load: 1, lb: 'out' };
    const d = hold(5, [idle, idle, idle, idle, 20, 20, 20]);
    expect({ action: actionOf(d), blocked: d.blocked }).toEqual({
      action: null,
      blocked: [
        { rule: 'detached', why: 'mass-detach', detail: '4 of 7 serving instances are out of the load balancer; not killing any' },
        { rule: 'n-minus-1', why: 'mass-detach', detail: 'fleet load 60 % (p75 of the last 10 min) on 2 in the balancer = 30.0 % < 75.0 %, but 4 of 7 serving are out of the load balancer' },
      ],
    });
  });

  it.each<[string, Fleet, State | undefined, string]>([
    ['an unmeasured instance blocks it', [30, 30, 30, null], undefined, 'n-minus-1:coverage'],
    ['9 minutes after a scale-up', [30, 30, 30], afterScaleUp(9, 5), 'n-minus-1:scale-in-delay'],
    ['a launch still pending', [30, 30, 30, { lifecycle: 'Pending', load: null }], undefined, 'n-minus-1:converging'],
    // The group replaces it: on a lower count it picks among all five, and may take healthy ones.
    ['an instance InService but Unhealthy', [30, 30, 30, 30, { load: 30, health: 'Unhealthy' }], undefined, 'n-minus-1:converging'],
    ['an instance still warming up', [30, 30, 30, { load: 30, age: 2 }], undefined, 'n-minus-1:coverage'],
    // A lower desired count would leave the group above it, never settled, until one is unprotected.
    ['every instance protected from scale-in', Array(3).fill({ load: 30, protected: true }), undefined, 'n-minus-1:bounds'],
  ])('blocked: %s', (_, instances, state, block) => {
    const d = holdWatched(5, instances, {}, state);
    expect([d.action, blockOf(d)]).toEqual([null, [block]]);
  });

  // A runaway's emergency +1 (made 20 minutes before) is no surplus while the instance it was made
  // for is pinned: taken back, its peers heat again, and a proof that comes and goes (found by the
  // sick-instance survey over mixed sizes) got a new +1 each time, killed after 33 minutes. Here
  // its newest minute is late, so it is no runaway candidate now. Four: 100 + 90 = 190 % on 3 is
  // 63.3 %, on 2 95 %: one to remove, the +1. Ten: 100 + 9 × 20 = 280 % on 4 is 70 %: five to
  // remove (⌊10 / 2⌋), the +1 kept.
  it.each<{ what: string; instances: Fleet; state?: State; expected: string | null; blocks: string[]; kept: string[] }>([
    { what: 'four, one pinned, no +1 made for it', instances: [pinnedLate, 30, 30, 30], expected: 'desired 4→3', blocks: [], kept: [] },
    { what: 'four, one pinned, its +1 made', instances: [pinnedLate, 30, 30, 30], state: plusOneFor('i-0'), expected: null, blocks: ['n-minus-1:emergency'], kept: ['i-0'] },
    { what: 'four, its +1 made, cooled to 80 % (below urgent)', instances: [80, 30, 30, 30], state: plusOneFor('i-0'), expected: 'desired 4→3', blocks: [], kept: [] },
    { what: 'four, a +1 made for another, gone', instances: [pinnedLate, 30, 30, 30], state: plusOneFor('i-9'), expected: 'desired 4→3', blocks: [], kept: [] },
    { what: 'ten, one pinned, no +1 made for it', instances: [pinnedLate, ...Array(9).fill(20)], expected: 'desired 10→5', blocks: [], kept: [] },
    { what: 'ten, one pinned, its +1 made', instances: [pinnedLate, ...Array(9).fill(20)], state: plusOneFor('i-0'), expected: 'desired 10→6', blocks: [], kept: ['i-0'] },
  ])('a runaway\'s +1: $what → $expected', ({ instances, state, expected, blocks, kept }) => {
    const d = holdWatched(5, instances, {}, state);
    expect([actionOf(d), blockOf(d), Object.keys(d.state.emergencies)]).toEqual([expected, blocks, kept]);
  });

  it('a runaway\'s +1 kept: the words say whose, and its CPU', () => {
    const words = (instances: Fleet) => holdWatched(5, instances, {}, plusOneFor('i-0')).summary;
    expect([words([pinnedLate, 30, 30, 30]), words([pinnedLate, ...Array(9).fill(20)])]).toEqual([
      "no action: n-minus-1 blocked (emergency): fleet load 190 % (p75 of the last 10 min) on 3 = 63.3 % < 75.0 %, but that would take back i-0's emergency +1 while it is pinned (CPU 100.0 %)",
      "n-minus-1: fleet load 280 % (p75 of the last 10 min) on 9 = 31.1 % < 75.0 %, keeping i-0's emergency +1 while it is pinned (CPU 100.0 %); desired 10 → 6",
    ]);
  });

  // Three at 60 % (180 %), pinned at capacity through period `until`, then back at `after` % of
  // three. At minute 14 the jump to capacity orders 6 (rule 6's table); the three new instances
  // serve from minute 15 and are measured from 20, past their 5-minute warm-up.
  // `start` moves the surge later (and its step, launch and take-back with it); `pinned` are
  // earlier periods pinned at capacity too.
  const surge = (until: number, after: number, start = 10, pinned: number[] = []) => (now: number, m: number) => {
    const launch = start + 5;
    const serving = (p: number) => (p >= launch ? 6 : 3);
    // Pinned at 100 % on three; the six that serve from period 15 carry the surge's 400 % at 66.7 %.
    const cpu = (p: number) => (pinned.includes(p) ? 100 : p < start ? 60 : p <= until ? (p < launch ? 100 : 400 / 6) : (3 * after) / serving(p));
    const newest = pointsAt(m, cpu).slice(0, Math.max(0, m - 3 - launch + 1));
    const old = Array(3).fill({ points: pointsAt(m, cpu) });
    const launched = m >= launch ? Array(3).fill({ points: newest, age: m - launch }) : [];
    return fleet(now, [...old, ...launched]);
  };
  const afterTheStep = (decisions: Decision[]) => {
    const i = decisions.findIndex((d, m) => m > 14 && d.action !== null);
    return i < 0 ? null : `${i}: ${actionOf(decisions[i]!)}`;
  };

  // The state remembers 60 minutes (noisyWindowMinutes), the take-back reads the window sizingOf
  // read (30 on these smooth minutes): a minute pinned at capacity 42 minutes before the surge is
  // not in it (read in the whole memory, the level before it would be 3 minutes, no level at all).
  // The same surge 35 minutes later: stepped at 49, taken back at 55.
  it('an earlier surge outside the window does not stop the take-back', () => {
    const decisions = tickMinutes(60, surge(49, 60, 45, [3]));
    expect(decisions.flatMap((d, m) => (d.action === null ? [] : [`${m}: ${actionOf(d)}`]))).toEqual(['49: desired 3→6', '55: desired 6→3']);
  });
  it.each<{ what: string; until: number; after: number; overrides?: Partial<Config>; state?: State; expected: string | null }>([
    // Periods 15 and 16 back at 180 % show at minute 19; the new three are measured from 20: the
    // higher of the level (180 %) and those two (180 %) on 3 is 60 % < 75 %, on 2 90 %.
    { what: 'a surge of five minutes, back on its level', until: 14, after: 60, expected: '20: desired 6→3' },
    // Without it the N−1 rule waits 10 minutes after the step, and its recent p75 is still a
    // capped minute then: 300 % on 4 = 75 %.
    { what: 'the same, takeBackSurges false', until: 14, after: 60, overrides: { takeBackSurges: false }, expected: '24: desired 6→5' },
    { what: 'the same, the take-back off until minute 100', until: 14, after: 60, state: { ...initialState(), takeBackOffUntil: at(100) }, expected: '24: desired 6→5' },
    { what: 'the same, the take-back off until minute 10', until: 14, after: 60, state: { ...initialState(), takeBackOffUntil: at(10) }, expected: '20: desired 6→3' },
    { what: 'the same, maxStepDown 1', until: 14, after: 60, overrides: { maxStepDown: 1 }, expected: '20: desired 6→5' },
    // 210 % is off a level with no reach: the traffic settled higher; the N−1 rule reads it after
    // the wait, as above.
    { what: 'a surge that settles higher', until: 14, after: 70, expected: '24: desired 6→5' },
    // Back from period 22: the newest two show it at minute 26, past the 10-minute wait; the N−1
    // rule's own minutes (the surge's 400 % in the recent p75) hold the six through minute 30.
    { what: 'a surge that outlasts the wait', until: 21, after: 60, expected: null },
  ])('$what → $expected', ({ until, after, overrides, state, expected }) => {
    const decisions = tickMinutes(30, surge(until, after), { config: withConfig(overrides ?? {}), ...(state && { state }) });
    expect([actionOf(decisions[14]!), afterTheStep(decisions)]).toEqual(['desired 3→6', expected]);
  });

  it('the take-back says what it saw', () => {
    expect(tickMinutes(20, surge(14, 60))[20]!.action?.reason).toBe(
      'take-back: the surge to capacity is over: fleet load 180 % (the level before it and since) on 3 = 60.0 % < 75.0 %; desired 6 → 3',
    );
  });

  // The same five-minute surge, its step recorded as another rule's: the saturated rule grows a
  // fleet that stays at capacity, a runaway's +1 is the runaway rule's to take back.
  it.each<{ rule: 'saturated' | 'runaway' }>([{ rule: 'saturated' }, { rule: 'runaway' }])('a step by the $rule rule is not taken back', ({ rule }) => {
    const state = tickMinutes(19, surge(14, 60))[19]!.state;
    const d = decide(surge(14, 60)(at(20), 20), { ...state, lastAction: { ...state.lastAction!, rule } }, defaultConfig, at(20));
    expect([d.action, blockOf(d)]).toEqual([null, ['n-minus-1:scale-in-delay']]);
  });

  // A runaway's +1 made before the step is within the count the take-back goes back to: its record
  // stays while the instance is pinned, or the next minute would make it a new +1.
  it('the take-back keeps the record of a runaway\'s +1 while it is pinned', () => {
    const state = tickMinutes(19, surge(14, 60))[19]!.state;
    const snapshot = surge(14, 60)(at(20), 20);
    const pinned = { ...snapshot, instances: snapshot.instances.map((v, i) => (i === 0 ? { ...v, cpu: v.cpu.map((p) => ({ ...p, value: 100 })) } : v)) };
    const d = decide(pinned, { ...state, emergencies: { 'i-0': at(5) } }, defaultConfig, at(20));
    expect([actionOf(d), Object.keys(d.state.emergencies)]).toEqual(['desired 6→3', ['i-0']]);
  });

  it('10 minutes after a scale-up it may scale in', () => {
    expect(actionOf(holdWatched(5, [30, 30, 30], {}, afterScaleUp(10, 5)))).toBe('desired 3→2');
  });
});

describe('bandRules: false leaves the band to the group\'s own policies', () => {
  const off = withConfig({ bandRules: false });
  it.each<[string, Fleet, number, string | null]>([
    ['above the band', [90, 90], 0, null],
    ['below it, a surplus', [30, 30, 30], 5, null],
    ['saturated', [100, 100, 100, 100], 0, null],
    ['a runaway still gets its +1', [100, 50], 0, 'desired 2→3'],
    // The N−1 rule does not scale in, so the dead one is replaced, not decremented.
    ['a dead instance is still killed, and replaced', [1, 40, 40, 40], 5, 'terminate i-0'],
  ])('%s → %s', (_, instances, minutes, expected) => {
    expect(actionOf(hold(minutes, instances, { lb: false }, undefined, off))).toBe(expected);
  });

  it('a detached instance is still killed, and replaced (with the band rules, 80 % on the two that carry is 40 %: decremented)', () => {
    const instances: Fleet = [{ load: 1, lb: 'out' }, 40, 40];
    expect([actionOf(holdWatched(5, instances, {}, undefined, off)), actionOf(holdWatched(5, instances))]).toEqual(['terminate i-0', 'terminate i-0 -1']);
  });
});

describe('the group’s own scaling policies: the band rules stand aside for them', () => {
  // Two controllers on one count undo each other. While the group has a policy that moves desired
  // (as read by the collector), the engine runs as with bandRules: false, and says so.
  const tt = [{ name: 'cpu50', type: 'TargetTrackingScaling' as const }];
  const ASIDE = "; the band rules stand aside: the group's own scaling policy cpu50 (target tracking) sets desired";
  it.each<{ what: string; instances: Fleet; minutes: number; policies: Array<{ name: string; type: 'TargetTrackingScaling' | 'StepScaling' | 'SimpleScaling' }>; config?: Config; action: string | null; alerts: string[]; line: string }>([
    { what: 'above the band', instances: [90, 90], minutes: 3, policies: tt, action: null, alerts: ['own-policies'], line: `above the band: fleet load 180 % (p90 of the last 10 min) on 2 = 90.0 % > 85.0 %${ASIDE}` },
    { what: 'below it, a surplus', instances: [30, 30, 30], minutes: 5, policies: tt, action: null, alerts: ['own-policies'], line: `below the band: fleet load 90 % (p75 of the last 10 min) on 3 = 30.0 % < 70.0 %, with one fewer 45.0 % < 75.0 %${ASIDE}` },
    { what: 'a runaway still gets its +1', instances: [100, 50], minutes: 0, policies: tt, action: 'desired 2→3', alerts: ['runaway:i-0', 'own-policies'], line: `below the band, held by the N−1 rule: fleet load 100 % (p75 of the last 10 min) on 2 = 50.0 % < 70.0 %, but with one fewer 100.0 % ≥ 71.3 %${ASIDE}` },
    { what: 'a dead instance is still killed, and replaced', instances: [1, 40, 40, 40], minutes: 5, policies: tt, action: 'terminate i-0', alerts: ['terminate:i-0', 'own-policies'], line: `below the band: fleet load 160 % (p75 of the last 10 min) on 4 = 40.0 % < 70.0 %, with one fewer 53.3 % < 75.0 %${ASIDE}` },
    {
      what: 'two policies, a surplus',
      instances: [30, 30, 30],
      minutes: 5,
      policies: [...tt, { name: 'queue', type: 'StepScaling' }],
      action: null,
      alerts: ['own-policies'],
      line: "below the band: fleet load 90 % (p75 of the last 10 min) on 3 = 30.0 % < 70.0 %, with one fewer 45.0 % < 75.0 %; the band rules stand aside: the group's own scaling policies cpu50 (target tracking) and queue (step scaling) set desired",
    },
    // The config gave the band away itself: nothing to tell.
    { what: 'a surplus, with bandRules false', instances: [30, 30, 30], minutes: 5, policies: tt, config: withConfig({ bandRules: false }), action: null, alerts: [], line: 'below the band: fleet load 90 % (p75 of the last 10 min) on 3 = 30.0 % < 70.0 %, with one fewer 45.0 % < 75.0 %' },
    { what: 'a surplus, no policy', instances: [30, 30, 30], minutes: 5, policies: [], action: 'desired 3→2', alerts: [], line: 'below the band: fleet load 90 % (p75 of the last 10 min) on 3 = 30.0 % < 70.0 %, with one fewer 45.0 % < 75.0 %' },
  ])('$what', ({ instances, minutes, policies, config, action, alerts, line }) => {
    const d = holdWatched(minutes, instances, { lb: false, scalingPolicies: policies }, undefined, config);
    expect({ action: actionOf(d), alerts: d.alerts.map((a) => a.key), line: d.band.line }).toEqual({ action, alerts, line });
  });
});

describe('priority: at most one action, the first rule wins', () => {
  it('a runaway beats the high band', () => {
    // The others' 88 % on 5 is above the band (440 %), and i-0 is 12 points above tight peers.
    const d = hold(0, [100, 88, 87, 89, 88]);
    expect([d.action?.rule, actionOf(d)]).toEqual(['runaway', 'desired 5→6']);
  });
  it('a dead instance beats the N−1 rule', () => {
    expect(hold(5, [1, 30, 30, 30], { lb: false }).action).toMatchObject({ rule: 'dead' });
  });
});

describe('the next state', () => {
  it('remembers the action, the scale-up and the fleet load of each minute', () => {
    const d = hold(0, [90, 90]);
    expect(d.state.lastAction).toMatchObject({ at: at(0), kind: 'set-desired', rule: 'high-band', from: 2, to: 3 });
    expect(d.state.lastScaleUpAt).toBe(at(0));
    // The metric window's five minutes, periods −7 to −3, each 2 × 90 %.
    expect(d.state.fleetLoad).toEqual([-7, -6, -5, -4, -3].map((m) => ({ at: at(m), load: 180 })));
    expect(d.stateWithoutAction.lastAction).toBeNull();
  });

  // A scale-out within the sizing window (30 minutes) after a take-back: the surge came again, and
  // the take-back stays off for a day.
  it.each<{ what: string; last: { rule: 'take-back' | 'n-minus-1'; minutesAgo: number }; loads: number[]; minutes?: number; action: string | null; offUntil: number | null }>([
    { what: 'a scale-out 10 minutes after a take-back', last: { rule: 'take-back', minutesAgo: 10 }, loads: [90, 90], action: 'high-band', offUntil: at(24 * 60) },
    { what: 'a scale-out 30 minutes after a take-back', last: { rule: 'take-back', minutesAgo: 30 }, loads: [90, 90], action: 'high-band', offUntil: null },
    { what: 'a scale-out 10 minutes after a scale-in', last: { rule: 'n-minus-1', minutesAgo: 10 }, loads: [90, 90], action: 'high-band', offUntil: null },
    { what: 'no action 10 minutes after a take-back', last: { rule: 'take-back', minutesAgo: 10 }, loads: [60, 60], action: null, offUntil: null },
    // Held 5 minutes for the N−1 rule's 20 minutes of fleet load: 40 % on 1 < 0.95 × 75 %, 2 → 1.
    { what: 'a scale-in 15 minutes after a take-back', last: { rule: 'take-back', minutesAgo: 10 }, loads: [20, 20], minutes: 5, action: 'n-minus-1', offUntil: null },
  ])('takeBackOffUntil: $what → $offUntil', ({ last, loads, minutes, action, offUntil }) => {
    const state: State = { ...initialState(), lastAction: { at: at(-last.minutesAgo), kind: 'set-desired', rule: last.rule, from: 4, to: 2 } };
    const d = holdWatched(minutes ?? 0, loads, {}, state);
    expect([d.action?.rule ?? null, d.state.takeBackOffUntil]).toEqual([action, offUntil]);
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
