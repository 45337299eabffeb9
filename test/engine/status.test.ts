// What a tick says when it does nothing (src/engine/status.ts): where the band stands, and the
// conditions being held with what they will do and when.
import { describe, expect, it } from 'vitest';
import type { BandStatus, HeldCondition } from '../../src/engine/index.js';
import { fleet, type FleetSpec, type InstanceSpec } from './fleet.js';
import { afterHolding } from './timeline.js';

type Fleet = Array<number | null | InstanceSpec>;
const hold = (minutes: number, instances: Fleet, group: FleetSpec = {}) => afterHolding(minutes, (now) => fleet(now, instances, group));

describe('where the band stands', () => {
  it.each<{ what: string; instances: Fleet; group?: FleetSpec; expected: Pick<BandStatus, 'state' | 'average' | 'withOneFewer' | 'line'> }>([
    // 2 × 75 = 150 % on 2 is 75 %: in the band.
    { what: 'in band', instances: [75, 75], expected: { state: 'in-band', average: 75, withOneFewer: 150, line: 'in band: fleet load 150 % (p75 of the last 5 min) on 2 = 75.0 %, with one fewer 150.0 %' } },
    // 3 × 50 = 150 % on 3 is 50 % < 70 %, but on 2 it would be 75 %, not below the mark of 75 %.
    {
      what: 'below the band, held by the N−1 rule',
      instances: [50, 50, 50],
      expected: { state: 'below-held', average: 50, withOneFewer: 75, line: 'below the band, held by the N−1 rule: fleet load 150 % (p75 of the last 5 min) on 3 = 50.0 % < 70.0 %, but with one fewer 75.0 % ≥ 75.0 %' },
    },
    { what: 'a single instance below the band', instances: [30], expected: { state: 'below-held', average: 30, withOneFewer: null, line: 'below the band, held by the N−1 rule: fleet load 30 % (p75 of the last 5 min) on 1 = 30.0 % < 70.0 %, but a single instance' } },
    // At min the N−1 rule is blocked, and the band says why it would act.
    { what: 'below the band', instances: [40, 40, 40], group: { min: 3 }, expected: { state: 'below', average: 40, withOneFewer: 60, line: 'below the band: fleet load 120 % (p75 of the last 5 min) on 3 = 40.0 % < 70.0 %, with one fewer 60.0 % < 75.0 %' } },
    // Out of the balancer, one carries nothing: 80 % on the two that carry is 40 %, on one 80 %.
    {
      what: 'one of three out of the balancer',
      instances: [{ load: 1, lb: 'out' }, 40, 40],
      expected: { state: 'below-held', average: 40, withOneFewer: 80, line: 'below the band, held by the N−1 rule: fleet load 80 % (p75 of the last 5 min) on 2 in the balancer = 40.0 % < 70.0 %, but with one fewer 80.0 % ≥ 75.0 %' },
    },
    {
      what: 'two of three out of the balancer',
      instances: [{ load: 1, lb: 'out' }, { load: 1, lb: 'out' }, 40],
      expected: { state: 'below-held', average: 40, withOneFewer: null, line: 'below the band, held by the N−1 rule: fleet load 40 % (p75 of the last 5 min) on 1 in the balancer = 40.0 % < 70.0 %, but a single instance in the balancer' },
    },
    // A steady load has no noise: the scale-out reads its 90th percentile (the same 180 %).
    { what: 'above the band', instances: [90, 90], group: { max: 2 }, expected: { state: 'above', average: 90, withOneFewer: null, line: 'above the band: fleet load 180 % (p90 of the last 5 min) on 2 = 90.0 % > 85.0 %' } },
    // One of two out of the balancer, the other carrying it all: above the band now, though the
    // desired count the band rules read (the detached rule replaces the one out) covers it.
    {
      what: 'one of two out of the balancer, the other pinned',
      instances: [{ load: 1, lb: 'out' }, 100],
      expected: { state: 'above', average: 100, withOneFewer: null, line: 'above the band for now: fleet load 100 % (p75 of the last 5 min) on 1 in the balancer = 100.0 % > 85.0 %; on the 2 ordered (1 out of the balancer) 50.0 %' },
    },
    // Desired 3 with 2 in service at 95 %: the launch ordered will cover it. 190 % on 3 is 63.3 %.
    {
      what: 'a launch on its way',
      instances: [95, 95],
      group: { desired: 3 },
      expected: { state: 'above', average: 95, withOneFewer: null, line: 'above the band for now: fleet load 190 % (p75 of the last 5 min) on 2 = 95.0 % > 85.0 %; on the 3 ordered (1 on its way) 63.3 %' },
    },
    // Unhealthy, the third is no capacity while the group replaces it: on its way too, not "launching".
    {
      what: 'an unhealthy one being replaced',
      instances: [95, 95, { load: null, health: 'Unhealthy' }],
      expected: { state: 'above', average: 95, withOneFewer: null, line: 'above the band for now: fleet load 190 % (p75 of the last 5 min) on 2 = 95.0 % > 85.0 %; on the 3 ordered (1 on its way) 63.3 %' },
    },
    { what: 'nobody in service', instances: [{ lifecycle: 'Pending', load: null }], expected: { state: 'no-instances', average: null, withOneFewer: null, line: 'no instance in service' } },
    { what: 'no CPU known yet', instances: [null, null], expected: { state: 'no-load', average: null, withOneFewer: null, line: 'no CPU known yet' } },
  ])('$what', ({ instances, group, expected }) => {
    const { state, average, withOneFewer, line } = hold(0, instances, group).band;
    expect({ state, average, withOneFewer, line }).toEqual(expected);
  });

  it('is the summary of a tick that does nothing and is blocked by nothing', () => {
    const d = hold(0, [75, 75]);
    expect([d.action, d.blocked, d.summary]).toEqual([null, [], `no action: ${d.band.line}`]);
  });
});

describe('conditions being held', () => {
  const pinnedByZone: Fleet = [100, 50, 50, 50, 50].map((load, k) => ({ load, zone: `us-east-1${'caabb'[k]}` }));
  it.each<{ what: string; minutes: number; instances: Fleet; group?: FleetSpec; expected: HeldCondition[] }>([
    // Its +1 made at minute 0 (kept off here by max 2), the kill comes at 5.
    { what: 'a runaway, 3 minutes into its 5', minutes: 3, instances: [100, 50], expected: [{ rule: 'runaway', instance: 'i-0', heldMinutes: 3, ofMinutes: 5, then: 'terminate', inMinutes: 2 }] },
    // Pinned beside a peer idling in the balancer: its own hold (its kill waits for one launched since to idle too).
    { what: 'a runaway beside idle peers, 2 minutes into its 5', minutes: 2, instances: [100, 1], expected: [{ rule: 'runaway-beside-idle', instance: 'i-0', heldMinutes: 2, ofMinutes: 5, then: 'terminate', inMinutes: 3 }] },
    { what: 'a detached instance, 1 minute out', minutes: 1, instances: [{ load: 60, lb: 'out' }, 60, 60], expected: [{ rule: 'detached', instance: 'i-0', heldMinutes: 1, ofMinutes: 5, then: 'terminate', inMinutes: 4 }] },
    { what: 'blind for 2 minutes: the alert in 3', minutes: 2, instances: [50, null, null], expected: [{ rule: 'blind', instance: null, heldMinutes: 2, ofMinutes: 5, then: 'alert', inMinutes: 3 }] },
    { what: 'nothing held', minutes: 3, instances: [70, 70], expected: [] },
    // Alone in us-east-1c of 5 in 3 zones, twice its peers: its zone's share explains it (rule 2).
    // Held as long, it is not killed; the alert asks for cross-zone balancing.
    {
      what: 'one its zone pins, 3 minutes into its 5',
      minutes: 3,
      instances: pinnedByZone,
      group: { max: 5 },
      expected: [{ rule: 'pinned', instance: 'i-0', heldMinutes: 3, ofMinutes: 5, then: 'alert', inMinutes: 2 }],
    },
    { what: 'one its zone pins, past its 5', minutes: 7, instances: pinnedByZone, group: { max: 5 }, expected: [{ rule: 'pinned', instance: 'i-0', heldMinutes: 7, ofMinutes: 5, then: 'alert', inMinutes: 0 }] },
    // Desired 4, two launched: the alert that the group does not launch, in 6.
    { what: 'two not launched for 4 minutes', minutes: 4, instances: [70, 70], group: { max: 4, desired: 4 }, expected: [{ rule: 'not-launching', instance: null, heldMinutes: 4, ofMinutes: 10, then: 'alert', inMinutes: 6 }] },
  ])('$what', ({ minutes, instances, group = { max: 2 }, expected }) => {
    expect(hold(minutes, instances, group).held).toEqual(expected);
  });
});
