// What each instance sends (NetworkOut) as the outlier rules' second witness (src/engine/network.ts).
// Bytes a minute: a c5.large's whole capacity serves 60 MB (60e6); a hung one sends its agents' 20 kB.
import { describe, expect, it } from 'vitest';
import { networkWanted } from '../../src/engine/index.js';
import type { Decision } from '../../src/engine/index.js';
import { fleet, type FleetSpec, type InstanceSpec } from './fleet.js';
import { afterHolding, tickMinutes } from './timeline.js';

type Fleet = Array<number | InstanceSpec>;
const hold = (minutes: number, instances: Fleet, group: FleetSpec = {}): Decision => afterHolding(minutes, (now) => fleet(now, instances, group));
const actionOf = (d: Decision) =>
  d.action === null ? null : d.action.kind === 'terminate' ? `terminate ${d.action.instance}${d.action.decrement ? ' -1' : ''} ${d.action.rule}` : `desired ${d.action.from}→${d.action.to} ${d.action.rule}`;
const heldOf = (d: Decision) => Object.keys(d.state.conditions).filter((key) => key !== 'saturated');
const blockedOf = (d: Decision) => d.blocked.map((b) => `${b.rule}:${b.why}`);

const hung: InstanceSpec = { load: 0.5, sent: 20e3 };

describe('what they send, beside what their CPU says', () => {
  // min = the fleet's size keeps the N−1 rule out of the way (bounds): these rows are about the outliers.
  it.each<{ what: string; instances: Fleet; lb: boolean; minutes: number; expected: { action: string | null; held: string[]; blocked: string[] } }>([
    // A runaway's process sends nothing of its own: beside peers at work it sends half its share,
    // found and killed as by CPU (its +1 first, the kill once held 5 minutes).
    { what: 'a runaway beside working peers, sending less than they', instances: [{ load: 100, sent: 15e6 }, { load: 50, sent: 30e6 }, { load: 50, sent: 30e6 }, { load: 50, sent: 30e6 }], lb: true, minutes: 5, expected: { action: 'terminate i-0 runaway', held: ['runaway:i-0'], blocked: [] } },
    // The healthy one carrying the work beside peers hung behind checks that pass: a runaway beside
    // idle peers by CPU (its +1), but it sends 3 000 times what they do: no runaway.
    { what: 'pinned beside idle peers, sending what they do not', instances: [{ load: 100, sent: 60e6 }, hung, hung], lb: true, minutes: 5, expected: { action: null, held: ['serves:i-0'], blocked: ['runaway:serves', 'n-minus-1:bounds'] } },
    { what: 'the same by CPU alone', instances: [100, 0.5, 0.5], lb: true, minutes: 0, expected: { action: 'desired 3→4 runaway', held: ['runaway-beside-idle:i-0'], blocked: [] } },
    // Twice its peers' median is no more than noise and a zone's share: judged by CPU.
    { what: 'pinned beside idle peers, sending twice what they do', instances: [{ load: 100, sent: 4e6 }, { load: 2, sent: 2e6 }, { load: 2, sent: 2e6 }], lb: true, minutes: 0, expected: { action: 'desired 3→4 runaway', held: ['runaway-beside-idle:i-0'], blocked: [] } },
    // Idle beside two at work, sending its share: runaways climbing beside a healthy instance
    // idling at night read so by CPU (no more than twice as many at work: unproven, a +1 to tell).
    // It serves: no dead reading, no +1.
    { what: 'idle beside two at work, sending its share', instances: [{ load: 3, sent: 2e6 }, { load: 60, sent: 1e6 }, { load: 60, sent: 1e6 }], lb: true, minutes: 5, expected: { action: null, held: ['serves:i-0'], blocked: ['dead:serves', 'n-minus-1:bounds'] } },
    { what: 'the same by CPU alone', instances: [3, 60, 60], lb: true, minutes: 5, expected: { action: 'desired 3→4 dead', held: ['dead:i-0'], blocked: [] } },
    // Half its peers' median is its share's least (NETWORK_SERVES): below it, read dead.
    { what: 'idle beside two at work, sending less than half what they do', instances: [{ load: 1, sent: 14e6 }, { load: 80, sent: 30e6 }, { load: 80, sent: 30e6 }], lb: true, minutes: 5, expected: { action: 'desired 3→4 dead', held: ['dead:i-0'], blocked: [] } },
    { what: 'idle beside two at work, sending half what they do', instances: [{ load: 1, sent: 15e6 }, { load: 80, sent: 30e6 }, { load: 80, sent: 30e6 }], lb: true, minutes: 5, expected: { action: null, held: ['serves:i-0'], blocked: ['dead:serves'] } },
    // More than twice as many at work: CPU proves it, whatever it sends. One dead among many at work
    // is the likelier story, and one that fails fast behind its web server may send its share in
    // error pages (more, behind a balancer that sends the least busy the most requests).
    { what: 'idle beside three at work, sending its share', instances: [{ load: 3, sent: 2e6 }, { load: 60, sent: 1e6 }, { load: 60, sent: 1e6 }, { load: 60, sent: 1e6 }], lb: true, minutes: 5, expected: { action: 'terminate i-0 dead', held: ['dead:i-0'], blocked: [] } },
    // Sending nothing beside peers that serve: dead, as by CPU.
    { what: 'idle beside three at work, sending nothing', instances: [hung, { load: 80, sent: 48e6 }, { load: 80, sent: 48e6 }, { load: 80, sent: 48e6 }], lb: true, minutes: 5, expected: { action: 'terminate i-0 dead', held: ['dead:i-0'], blocked: [] } },
    // Far below its share above coldLoad, beside no more than twice as many at work: unproven by
    // CPU (two runaways beside a healthy one idling read so too). One failing fast on its error
    // pages beside two overloaded (a twentieth of what they serve): cold, no working instance for
    // rule 3 (the two at work saturated: its +1 earlier, then its cooldown) and no share of the
    // fleet load, 300 % on 3, over the band; by CPU alone the fleet read 206 % on 3, in it.
    { what: 'at 6 % beside two pinned, sending a twentieth of what they do', instances: [{ load: 6, sent: 3e6 }, { load: 100, sent: 60e6 }, { load: 100, sent: 60e6 }], lb: true, minutes: 5, expected: { action: 'desired 3→4 high-band', held: ['cold:i-0'], blocked: ['saturated:cooldown'] } },
    { what: 'the same by CPU alone', instances: [6, 100, 100], lb: true, minutes: 5, expected: { action: null, held: ['cold-unproven:i-0'], blocked: [] } },
    // A healthy one idling beside runaways climbing sends its share (they serve half theirs): no
    // reading, its CPU its share (133 % on 3 below the band, held by min).
    { what: 'at 6 % beside two at 60 %, sending its share', instances: [{ load: 6, sent: 4e6 }, { load: 60, sent: 3e6 }, { load: 60, sent: 3e6 }], lb: true, minutes: 5, expected: { action: null, held: ['serves:i-0'], blocked: ['n-minus-1:bounds'] } },
    // A fleet of two behind a balancer: the single other is its witness (findDead, oneWitness), and
    // CPU alone cannot tell a hung one from a healthy one idling beside one busy on its own (a
    // runaway climbing, a job): only once what it sends says it does not serve its share, its
    // +1 (the kill waits for the one launched to work, as every unproven dead one's).
    { what: 'idle beside a single other at work, sending nothing', instances: [hung, { load: 60, sent: 36e6 }], lb: true, minutes: 5, expected: { action: 'desired 2→3 dead', held: ['dead:i-0'], blocked: [] } },
    { what: 'the same by CPU alone: held, not killable, nothing done', instances: [0.5, 60], lb: true, minutes: 5, expected: { action: null, held: ['dead:i-0'], blocked: ['dead:not-killable', 'n-minus-1:bounds'] } },
    { what: 'idle beside a single other at work, sending its share', instances: [{ load: 2, sent: 2e6 }, { load: 60, sent: 2e6 }], lb: true, minutes: 5, expected: { action: null, held: ['serves:i-0'], blocked: ['dead:serves', 'n-minus-1:bounds'] } },
    // Above the band (`high`, 85 %) the single other is no witness: one at work on its own climbs
    // through it, and a fleet that busy grows by the band (its new instances witness then).
    { what: 'idle beside a single other above the band, sending nothing', instances: [hung, { load: 88, sent: 52e6 }], lb: true, minutes: 5, expected: { action: null, held: [], blocked: [] } },
    // Within it on its load ((90 + 80 + 70) / 3 = 80 %), above it on its newest minute: climbing, no witness.
    { what: 'idle beside a single other climbing above the band, sending nothing', instances: [hung, { points: [90, 80, 70], sent: 48e6 }], lb: true, minutes: 5, expected: { action: null, held: [], blocked: [] } },
    // A fleet of two's only: beside one at work and one pinned (a runaway, or saturated), no witness, as before
    // (the band grows the fleet: by the two at work, 270 % on 3).
    { what: 'idle beside one at work and one pinned, sending nothing', instances: [hung, { load: 84, sent: 50e6 }, { load: 96, sent: 58e6 }], lb: true, minutes: 5, expected: { action: 'desired 3→4 high-band', held: [], blocked: [] } },
    { what: 'idle beside a single other at work, without a balancer', instances: [{ load: 0.5, sent: 20e3 }, { load: 60, sent: 36e6 }], lb: false, minutes: 5, expected: { action: null, held: [], blocked: ['n-minus-1:bounds'] } },
    // Without a balancer (workers that pull jobs) what one sends is its jobs', no share: not read.
    { what: 'without a balancer, idle and sending', instances: [{ load: 1, sent: 48e6 }, { load: 80, sent: 48e6 }, { load: 80, sent: 48e6 }], lb: false, minutes: 5, expected: { action: 'desired 3→4 dead', held: ['dead:i-0'], blocked: [] } },
    // Beside a single working peer it stands as far above it as a healthy one pinned by an
    // overload beside a hang that fails fast (its error pages at 14 %): sending half what that
    // peer does, it serves no more than its share, a runaway, killed once held 5 minutes.
    { what: 'a runaway beside a single working peer, sending half what it does', instances: [{ load: 100, sent: 15e6 }, { load: 50, sent: 30e6 }], lb: true, minutes: 5, expected: { action: 'terminate i-0 runaway', held: ['runaway:i-0'], blocked: [] } },
    // Sending 2.9 × what the peer does (its error pages a twentieth of a page, sent 7 × as many
    // requests as it serves): no proof, the kill waits for one launched since (rule 2): held.
    { what: 'pinned beside a single working peer, sending 2.9 × what it does', instances: [{ load: 100, sent: 60e6 }, { load: 14, sent: 21e6 }], lb: true, minutes: 5, expected: { action: null, held: ['runaway:i-0'], blocked: ['runaway:not-killable', 'n-minus-1:bounds'] } },
    { what: 'the same by CPU alone', instances: [100, 14], lb: true, minutes: 5, expected: { action: null, held: ['runaway:i-0'], blocked: ['runaway:not-killable', 'n-minus-1:bounds'] } },
    // Of mixed sizes the same: a fleet of two has no other size to show its share.
    { what: 'a c5.large beside a c7g.large, sending half what it does', instances: [{ load: 100, sent: 15e6, type: 'c5.large' }, { load: 40, sent: 30e6, type: 'c7g.large' }], lb: true, minutes: 5, expected: { action: 'terminate i-0 runaway', held: ['runaway:i-0'], blocked: [] } },
    { what: 'a c5.large beside a c7g.large at 14 %, sending 2.9 × what it does', instances: [{ load: 100, sent: 60e6, type: 'c5.large' }, { load: 14, sent: 21e6, type: 'c7g.large' }], lb: true, minutes: 5, expected: { action: null, held: ['runaway:i-0'], blocked: ['runaway:not-killable', 'n-minus-1:bounds'] } },
    // Its peers unread: nothing to weigh it against.
    { what: 'idle and sending, its peers unread', instances: [{ load: 1, sent: 48e6 }, 80, 80], lb: true, minutes: 5, expected: { action: 'desired 3→4 dead', held: ['dead:i-0'], blocked: [] } },
  ])('$what', ({ instances, lb, minutes, expected }) => {
    const d = hold(minutes, instances, { lb, min: instances.length });
    expect({ action: actionOf(d), held: heldOf(d), blocked: blockedOf(d) }).toEqual(expected);
  });
});

// A fleet of two behind a balancer whose one instance hung behind a web server that still passes
// the checks (never marked out, half the requests lost): kept for good before 2026-12-07. Read
// dead beside its single other once what it sends says so (above), its +1 at minute 5, launched
// at 6 and measured past its warm-up from 11: at work, it proves the hung one dead (killed, the
// +1 taken back); idling too, the other works on its own (a nightly job that uploads, sending
// what the idle one does not): held, the +1 kept while it reads dead on the other as before its
// +1 (the one launched no witness: idling beside it would end the reading, and the +1 taken
// back, another made, again and again), and no second +1.
describe('a fleet of two behind a balancer, its one instance idling', () => {
  it.each<{ what: string; launched: InstanceSpec; last: number; expected: string[] }>([
    { what: 'the one launched works: killed, its +1 taken back', launched: { load: 40, sent: 24e6 }, last: 11, expected: ['5 desired 2→3 dead', '11 terminate i-0 -1 dead'] },
    { what: 'the one launched idles too: its +1 kept, no other', launched: { load: 1, sent: 2e6 }, last: 30, expected: ['5 desired 2→3 dead'] },
  ])('$what', ({ launched, last, expected }) => {
    const other: InstanceSpec = { load: 60, sent: 36e6 };
    const decisions = tickMinutes(last, (now, minute) => (minute < 6 ? fleet(now, [hung, other], { lb: true, min: 2 }) : fleet(now, [hung, other, { ...launched, age: minute - 6 }], { lb: true, min: 2, desired: 3 })));
    expect(decisions.flatMap((d, minute) => (d.action ? [`${minute} ${actionOf(d)}`] : []))).toEqual(expected);
  });
});

// NetworkOut is read (the collector's askNetwork; the simulator's snapshot) only while the last
// tick held an outlier reading, or a refusal: a fleet without outliers pays for its CPU alone.
describe('when NetworkOut is read', () => {
  it.each<{ what: string; conditions: Record<string, number>; expected: boolean }>([
    { what: 'nothing held', conditions: {}, expected: false },
    { what: 'a runaway', conditions: { 'runaway:i-1': 0 }, expected: true },
    { what: 'a runaway beside idle peers', conditions: { 'runaway-beside-idle:i-1': 0 }, expected: true },
    { what: 'a dead one', conditions: { 'dead:i-1': 0 }, expected: true },
    { what: 'a reading the network refused', conditions: { 'serves:i-1': 0 }, expected: true },
    // Far below its share: unproven, it stands only while what it sends says so, each minute.
    { what: 'one far below its share, unread', conditions: { 'cold-unproven:i-1': 0 }, expected: true },
    { what: 'one far below its share', conditions: { 'cold:i-1': 0 }, expected: true },
    // Its zone explains it, or another type may: no kill to witness.
    { what: 'a runaway its zone explains, a suspect, the saturated rule', conditions: { 'pinned:i-1': 0, 'suspect:i-2': 0, saturated: 0 }, expected: false },
    { what: 'a detached one (its balancer says so)', conditions: { 'detached:i-1': 0 }, expected: false },
  ])('$what: $expected', ({ conditions, expected }) => {
    expect(networkWanted(conditions)).toBe(expected);
  });
});

// What `watch` and `status` say of a fleet of two's dead reading while what it sends is unread,
// and what is mailed: a hang there loses half the requests, and nothing else would tell.
it('read dead beside its single other, NetworkOut unread: why nothing is done, as told and mailed', () => {
  const d = hold(5, [0.5, 60], { lb: true, min: 2 });
  expect({ detail: d.blocked.find((b) => b.rule === 'dead')?.detail, alerts: d.alerts.map((a) => `${a.key} ${a.subject}`) }).toEqual({
    detail: 'i-0 reads dead beside its single other (CPU 0.5 % vs 60.0 %), but what it sends is unread (NetworkOut): CPU alone cannot tell it from a healthy one idling beside one busy on its own',
    alerts: [
      "dead-unread:i-0 web: i-0 reads dead beside its single other for 5 min (CPU 0.5 % vs 60.0 %), what it sends unread (NetworkOut): a hang behind a web server that still passes the balancer's checks (half the requests lost), or a healthy one idling beside one busy on its own (a nightly job), which CPU alone cannot tell apart; not terminated: look at it, and replace it with `asg-watchdog instances -g web --kill i-0` if it fails its requests",
    ],
  });
});

// Before its hold, nothing told. Told under a key of its own: once NetworkOut is read and says
// it sends nothing, the +1's mail (the reading's key) is not held back as a repeat of it.
it.each<{ what: string; minutes: number; instances: Fleet; expected: string[] }>([
  { what: 'unread, for 4 minutes: nothing mailed yet', minutes: 4, instances: [0.5, 60], expected: [] },
  { what: 'unread, for 5 minutes', minutes: 5, instances: [0.5, 60], expected: ['dead-unread:i-0'] },
  { what: 'read, sending nothing: its +1', minutes: 5, instances: [hung, { load: 60, sent: 36e6 }], expected: ['dead:i-0'] },
])('read dead beside its single other, $what: mailed under $expected', ({ minutes, instances, expected }) => {
  expect(hold(minutes, instances, { lb: true, min: 2 }).alerts.map((a) => a.key)).toEqual(expected);
});

// What `watch` and `status` say of a refused reading (the block's detail).
describe('a refusal, as told', () => {
  it.each<{ what: string; instances: Fleet; expected: string }>([
    {
      what: 'a runaway beside hung peers',
      instances: [{ load: 100, sent: 60e6 }, hung, hung],
      expected: "i-0 a runaway by CPU (CPU 100.0 % vs 0.5 %), but it sends 3000.0 × its peers' median (NetworkOut): it serves what they do not",
    },
    {
      what: 'a dead one beside runaways',
      instances: [{ load: 3, sent: 2e6 }, { load: 60, sent: 1e6 }, { load: 60, sent: 1e6 }],
      expected: "i-0 dead by CPU (CPU 3.0 % vs 60.0 %), but it sends 2.0 × its peers' median (NetworkOut): it serves its share",
    },
    {
      what: 'beside peers that send nothing',
      instances: [{ load: 100, sent: 60e6 }, { load: 0.5, sent: 0 }, { load: 0.5, sent: 0 }],
      expected: "i-0 a runaway by CPU (CPU 100.0 % vs 0.5 %), but it sends while its peers send nothing (NetworkOut): it serves what they do not",
    },
  ])('$what', ({ instances, expected }) => {
    const d = hold(5, instances, { lb: true, min: instances.length });
    expect(d.blocked.find((b) => b.why === 'serves')?.detail).toBe(expected);
  });
});
