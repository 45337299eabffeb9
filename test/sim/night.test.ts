// A runaway at night, when the fleet idles: none of its peers works, so rule 2's working peers are
// none. Behind a balancer that has every idle peer in it, each gets its share of the requests and
// the idle ones show what a share costs: the runaway is found, its +1 launched, and it is killed
// once that instance idles beside it too (docs/algorithm.md, rule 2, beside peers that all idle).
// Before (2026-12-06): never killed, the fleet grown to its max for it; and one that grew over
// minutes through the peers' range made the idle healthy peer read as dead.
import { describe, expect, it } from 'vitest';
import { runPolicy } from '../../src/sim/run.js';
import { scenario } from './scenarios.js';

/** `15 desired 2→3 runaway`, `22 terminate runaway -1`: each action at its minute. */
const actionsOf = (report: ReturnType<typeof runPolicy>['report']) =>
  report.actions.map((a) => `${a.minute} ${a.kind === 'terminate' ? `terminate ${a.rule}${a.decrement ? ' -1' : ''}` : `desired ${a.from}→${a.to} ${a.rule}`}`);

describe('a runaway at night', () => {
  // Two instances at 3 % each (0.06 units), min 2, max 6; the runaway strikes instance 0 at minute 10.
  const night = (fault: Record<string, unknown>, group: Record<string, unknown> = {}) =>
    scenario({ durationMinutes: 90, seed: 3, demand: [[0, 0.06]], noise: 0.05, faults: [{ atMinute: 10, kind: 'runaway', instance: 0, ...fault }] }, { min: 2, max: 6, ...group });

  it.each<{ what: string; fault: Record<string, unknown>; group?: Record<string, unknown>; expected: { actions: string[]; killedAt: number | null; healthy: number; instanceMinutes: number } }>([
    // Pinned at once: its load shows it from minute 15 (3 minutes through CloudWatch's 2 of lag);
    // the +1 launched then is measured idle past its warm-up, and the kill follows: 2 × 90 + 7.
    {
      what: 'pinned at once',
      fault: {},
      expected: { actions: ['15 desired 2→3 runaway', '22 terminate runaway -1'], killedAt: 22, healthy: 0, instanceMinutes: 187 },
    },
    // Growing over 30 minutes from minute 10: at 95 % from minute 38, seen at 42 (the load of 3 minutes).
    {
      what: 'growing over 30 minutes',
      fault: { rampMinutes: 30 },
      expected: { actions: ['42 desired 2→3 runaway', '49 terminate runaway -1'], killedAt: 49, healthy: 0, instanceMinutes: 187 },
    },
    // At the group's max no +1 can show the traffic light: never killed, told (the alert), and the
    // fleet not grown for it.
    {
      what: 'pinned at once, at the group\'s max',
      fault: {},
      group: { max: 2 },
      expected: { actions: [], killedAt: null, healthy: 0, instanceMinutes: 180 },
    },
  ])('$what', ({ fault, group, expected }) => {
    const { report } = runPolicy(night(fault, group), 'watchdog');
    expect({
      actions: actionsOf(report),
      killedAt: report.faults[0]!.terminatedAtMinute,
      healthy: report.terminations.healthy,
      instanceMinutes: report.instanceMinutes,
    }).toEqual(expected);
  });
});

// No more than twice as many at work as quiet: CPU cannot tell two runaways climbing through
// 20-95 % beside healthy instances idling at night from two at work beside dead ones. The dead
// rule's +1 can: the instance launched idles beside runaways, and works beside dead ones
// (docs/algorithm.md, rule 4). Before (2026-12-06): the idle healthy instance was killed as dead.
/** Four at 3 % (0.12 units), min 4: two runaways grow over 40 minutes from minutes 10 and 12. */
const twoGrowingAtNight = {
  lb: 'classic',
  size: 4,
  seed: 3,
  demand: 0.12,
  faults: [
    { kind: 'runaway', atMinute: 10, instance: 0, rampMinutes: 40 },
    { kind: 'runaway', atMinute: 12, instance: 1, rampMinutes: 40 },
  ],
};

/** Three at 3 % (0.09 units), min 3: two runaways grow over 90 minutes from minute 5. */
const twoGrowingSlowly = {
  lb: 'classic',
  size: 3,
  seed: 5,
  demand: 0.09,
  faults: [
    { kind: 'runaway', atMinute: 5, instance: 0, rampMinutes: 90 },
    { kind: 'runaway', atMinute: 5, instance: 1, rampMinutes: 90 },
  ],
};

describe('no more than twice as many at work as quiet', () => {
  it.each<{ what: string; lb: string; networkOut: boolean; size: number; seed: number; demand: number; faults: Array<Record<string, unknown>>; expected: { actions: string[]; removedAt: Array<number | null>; healthy: number } }>([
    // Two growing at night, by CPU alone (NetworkOut unread): from minute 23 they are above 20 %
    // and the two idle ones read dead: at 28 a +1, which idles too (no kill); the N−1 rule takes
    // it back at 38, the group removing one of the runaways; the other, pinned from minute 51, is
    // rule 2's beside peers idling in the balancer: its +1, its kill.
    {
      what: 'two runaways growing at night, by CPU alone',
      ...twoGrowingAtNight,
      networkOut: false,
      expected: { actions: ['28 desired 4→5 dead', '38 desired 5→4 n-minus-1', '53 desired 4→5 runaway', '60 terminate runaway -1'], removedAt: [38, 60], healthy: 0 },
    },
    // With NetworkOut read: the idle two send their share, twice what each runaway does (half its
    // own), so neither reads dead (no +1), and the fleet load takes their CPU as their share: the
    // climbs are no load until they pass `urgent` (one +1 at 51, on minutes at 90-98 %). Pinned,
    // both are rule 2's beside idle peers: a +1 each, one killed at 61, the other removed by the
    // scale-in at 71 (the group's oldest), the +1s taken back by 81.
    {
      what: 'two runaways growing at night, what they send read',
      ...twoGrowingAtNight,
      networkOut: true,
      expected: {
        actions: ['51 desired 4→5 high-band', '54 desired 5→6 runaway', '57 desired 6→7 runaway', '61 terminate runaway -1', '71 desired 6→5 n-minus-1', '81 desired 5→4 n-minus-1'],
        removedAt: [61, 71],
        healthy: 0,
      },
    },
    // Two growing slowly beside one idle, by CPU alone: from 24 the idle one reads dead: at 29 a +1, which idles and reads dead itself, one +1
    // for both, kept while they read dead (before the N−1 rule's keep, another +1 came at 42). The
    // band counts the climbs as load (72); the runaways, pinned from 94, are rule 2's: one goes
    // with the scale-in at 86, the other is killed at 101.
    {
      what: 'two runaways growing slowly beside one idle, by CPU alone',
      ...twoGrowingSlowly,
      networkOut: false,
      expected: { actions: ['29 desired 3→4 dead', '72 desired 4→5 high-band', '86 desired 5→4 n-minus-1', '94 desired 4→5 runaway', '101 terminate runaway -1', '111 desired 4→3 n-minus-1'], removedAt: [86, 101], healthy: 0 },
    },
    // What they send read: the idle one sends its share, no dead reading, and its CPU is the
    // fleet's load beside the climbs (without that, two at 77 % beside it read as 819 % on 4 at 77,
    // and the fleet grew from 3 to 16 by 83). Above `urgent` at 94 the climbs are load (a +1);
    // pinned, rule 2's: +1s at 101 and 104, one killed at 108, the other removed by the scale-in at 123.
    {
      what: 'two runaways growing slowly beside one idle, what they send read',
      ...twoGrowingSlowly,
      networkOut: true,
      expected: {
        actions: ['94 desired 3→4 high-band', '101 desired 4→5 runaway', '104 desired 5→6 runaway', '108 terminate runaway -1', '123 desired 5→4 n-minus-1', '133 desired 4→3 n-minus-1'],
        removedAt: [108, 123],
        healthy: 0,
      },
    },
    // Three at 22 % (0.66 units) pulling jobs, no balancer, min 3: one hangs at minute 5, read dead
    // from 10, only 2 of 3 at work: a +1 at 15. It spreads the work over one more, 16.5 % each, and
    // beside its +1 the dead one's others are at work from coldLoad up: the one launched works, and
    // the kill comes at 22, taking the +1 back (its instance serves in the hung one's place).
    // (Without that, below 20 % it was no longer read dead: the N−1 rule took the +1 back at 25,
    // read dead again, another +1 at 35, and so on.)
    {
      what: 'one hung in a fleet at 22 %, without a balancer',
      lb: 'none',
      networkOut: true,
      size: 3,
      seed: 0,
      demand: 0.66,
      faults: [{ kind: 'hang', atMinute: 5, instance: 1 }],
      expected: { actions: ['15 desired 3→4 dead', '22 terminate dead -1'], removedAt: [22], healthy: 0 },
    },
    // Four at 60 % (2.4 units) pulling jobs, no balancer: two hang at minutes 10 and 11, read dead
    // from 15. The +1 at 20 works: the first is killed at 27, once it is measured, taking the +1
    // back; the second, with three at work beside it, is held by the kill budget (one an hour in a
    // fleet under 20) and killed at 87. (Before 2026-12-07 the kill kept the count, and the N−1
    // rule's scale-in at 37 took the +1 back, the group removing the second: the oldest.)
    {
      what: 'two hung by day, without a balancer',
      lb: 'none',
      networkOut: true,
      size: 4,
      seed: 3,
      demand: 2.4,
      faults: [
        { kind: 'hang', atMinute: 10, instance: 0 },
        { kind: 'hang', atMinute: 11, instance: 1 },
      ],
      expected: { actions: ['20 desired 4→5 dead', '27 terminate dead -1', '87 terminate dead'], removedAt: [27, 87], healthy: 0 },
    },
  ])('$what', ({ lb, networkOut, size, seed, demand, faults, expected }) => {
    const { report } = runPolicy(scenario({ durationMinutes: 150, seed, demand: [[0, demand]], noise: 0.05, faults }, { min: size, max: 16, desired: size, loadBalancer: lb, networkOut }), 'watchdog');
    expect({ actions: actionsOf(report), removedAt: report.faults.map((f) => f.removedAtMinute), healthy: report.terminations.healthy }).toEqual(expected);
  });
});

// The story above (two runaways growing beside two idle, four at 3 %), and a runaway of its own
// striking the instance launched for the dead rule's +1 (at 28), growing over 2 minutes from
// minute 31: measured at 35, its load at 76 % (the older minutes it averages), 100 on its newest
// minute. As a proof that new instances take work it killed the idle healthy one as dead at 35
// before 2026-12-07 (a hunt's story); pinned on its newest minute it is no proof now, and it is
// rule 2's, killed at 42. Struck a minute later, or over 3 or 5 minutes, it still "worked" on its
// older minutes, the healthy one killed at 35 before the same day's second change: climbing
// across them (its newest minute half hotGap above its load, 41 % beside 32 % over 5 minutes)
// it is no proof either, and every runaway goes, none healthy. All by CPU alone (NetworkOut
// unread): read, the idle ones send their share and never read dead, no +1 is launched for the
// third runaway to strike, and the two are removed as in the table above.
describe("the dead rule's proof", () => {
  it.each<{ what: string; networkOut: boolean; atMinute: number; rampMinutes: number; expected: { removedAt: Array<number | null>; healthy: number } }>([
    { what: 'struck at 31, pinned in 2 minutes', networkOut: false, atMinute: 31, rampMinutes: 2, expected: { removedAt: [52, 52, 42], healthy: 0 } },
    { what: 'struck at 31, pinned in 3 minutes', networkOut: false, atMinute: 31, rampMinutes: 3, expected: { removedAt: [66, 66, 43], healthy: 0 } },
    { what: 'struck at 31, pinned in 5 minutes', networkOut: false, atMinute: 31, rampMinutes: 5, expected: { removedAt: [60, 70, 45], healthy: 0 } },
    { what: 'struck at 32, pinned in 2 minutes', networkOut: false, atMinute: 32, rampMinutes: 2, expected: { removedAt: [66, 66, 43], healthy: 0 } },
    { what: 'struck at 32, pinned in 3 minutes', networkOut: false, atMinute: 32, rampMinutes: 3, expected: { removedAt: [66, 66, 44], healthy: 0 } },
    { what: 'what they send read: no +1 to strike', networkOut: true, atMinute: 31, rampMinutes: 2, expected: { removedAt: [61, 71, null], healthy: 0 } },
  ])('the +1 struck by a runaway of its own as it launched, $what: no proof', ({ networkOut, atMinute, rampMinutes, expected }) => {
    const faults = [
      { kind: 'runaway', atMinute: 10, instance: 0, rampMinutes: 40 },
      { kind: 'runaway', atMinute: 12, instance: 1, rampMinutes: 40 },
      { kind: 'runaway', atMinute, instance: 4, rampMinutes },
    ];
    const { report } = runPolicy(scenario({ durationMinutes: 150, seed: 3, demand: [[0, 0.12]], noise: 0.05, faults }, { min: 4, max: 16, desired: 4, networkOut }), 'watchdog');
    expect({ removedAt: report.faults.map((f) => f.removedAtMinute), healthy: report.terminations.healthy }).toEqual(expected);
  });
});

// Hung behind a web server that still answers the balancer's checks: never marked out, its share
// of the requests lost, from minute 6. Four at 60 %: three at work beside it, killed at 16. Three
// at 25 %: read dead from 11, the N−1 rule waits for the dead rule (it would scale in at 15, and
// the group remove a healthy one as likely: before 2026-12-07 it did, and the two left kept the
// hung one for good); at 16 the dead rule's +1 (two at work beside one quiet: unproven), at 23
// the kill once the one launched works, taking its +1 back, and at 33 (the scale-in delay after
// the +1) the N−1 rule's scale-in to two. Two at 60 % and at 25 %: read dead beside the single
// other (one type, behind a balancer) once what it sends says it serves nothing, its
// +1 at 16, the kill at 23 once the one launched works; before 2026-12-07 a fleet of two kept it
// for good. By CPU alone (NetworkOut unread) it keeps it: a healthy one idling beside one busy on
// its own reads the same (docs/algorithm.md, rule 4). Two at 15 %: the other below
// coldOthersMin (20 %), no witness.
describe('hung while its health checks pass', () => {
  it.each<{ what: string; size: number; demand: number; networkOut?: boolean; expected: { actions: string[]; removedAt: Array<number | null>; healthy: number } }>([
    { what: 'four at 60 %: found, killed', size: 4, demand: 2.4, expected: { actions: ['16 terminate dead'], removedAt: [16], healthy: 0 } },
    { what: 'two at 60 %: found, its +1, killed', size: 2, demand: 1.2, expected: { actions: ['16 desired 2→3 dead', '23 terminate dead -1'], removedAt: [23], healthy: 0 } },
    { what: 'two at 25 %: found, its +1, killed', size: 2, demand: 0.5, expected: { actions: ['16 desired 2→3 dead', '23 terminate dead -1'], removedAt: [23], healthy: 0 } },
    { what: 'two at 60 %, NetworkOut unread: kept', size: 2, demand: 1.2, networkOut: false, expected: { actions: [], removedAt: [null], healthy: 0 } },
    { what: 'two at 15 %: kept', size: 2, demand: 0.3, expected: { actions: [], removedAt: [null], healthy: 0 } },
    {
      what: 'three at 25 %: found, killed, then one fewer',
      size: 3,
      demand: 0.75,
      expected: { actions: ['16 desired 3→4 dead', '23 terminate dead -1', '33 desired 3→2 n-minus-1'], removedAt: [23], healthy: 0 },
    },
  ])('$what', ({ size, demand, networkOut = true, expected }) => {
    const faults = [{ kind: 'hang', atMinute: 6, instance: 1, healthChecks: 'pass' }];
    const { report } = runPolicy(scenario({ durationMinutes: 120, seed: 0, demand: [[0, demand]], noise: 0.05, faults }, { min: 2, max: 16, desired: size, networkOut }), 'watchdog');
    expect({ actions: actionsOf(report), removedAt: report.faults.map((f) => f.removedAtMinute), healthy: report.terminations.healthy }).toEqual(expected);
  });
});

// Two hangs whose health checks pass, the second on the instance launched to tell (a hunt's story,
// 2026-12-07, at the defaults): two instances at 0.05 units, a c5.large hung from the start
// beside a healthy c5.xlarge, the traffic rising from minute 60 to 11.3 units at 120. The healthy
// one, carrying all, is pinned at 84 beside its idle peer: a runaway beside idle peers by CPU, its
// +1 launched; that +1 hangs at 87, idles as a healthy peer would, and by CPU alone the healthy
// one is killed at 100. What they send tells: it sends its share, they nothing, three times their
// median or more: no runaway (network.ts). Its +1 taken back at 94 (the group removing the hung
// c5.large, its oldest), read again at 95 before the network is (a +1 on sight), then the saturated
// rule grows the fleet for the traffic; the second hang, in the balancer, stays.
describe('two hangs that pass, the second on the instance launched to tell', () => {
  it.each<{ what: string; networkOut: boolean; expected: { actions: string[]; removedAt: Array<number | null>; healthy: number } }>([
    { what: 'by CPU alone: the healthy one killed', networkOut: false, expected: { actions: ['84 desired 2→3 runaway', '100 terminate runaway -1'], removedAt: [null, null], healthy: 1 } },
    {
      what: 'what they send read: kept',
      networkOut: true,
      expected: {
        actions: ['84 desired 2→3 runaway', '94 desired 3→2 n-minus-1', '95 desired 2→3 runaway', '103 desired 3→5 saturated', '110 desired 5→7 saturated', '113 desired 7→8 saturated', '117 desired 8→9 saturated'],
        removedAt: [94, null],
        healthy: 0,
      },
    },
  ])('$what', ({ networkOut, expected }) => {
    const faults = [
      { kind: 'hang', atMinute: 87, instance: 2, healthChecks: 'pass' },
      { kind: 'hang', atMinute: 0, instance: 0, healthChecks: 'pass' },
    ];
    const group = { min: 2, max: 16, desired: 2, types: ['c5.large', 'c5.xlarge'], networkOut };
    const { report } = runPolicy(scenario({ durationMinutes: 120, seed: 0, demand: [[0, 0.05], [60, 0.05], [120, 11.3]], faults }, group), 'watchdog');
    expect({ actions: actionsOf(report), removedAt: report.faults.map((f) => f.removedAtMinute), healthy: report.terminations.healthy }).toEqual(expected);
  });
});
