// Each policy on a case small enough to check by hand.
import { describe, expect, it } from 'vitest';
import { Fleet } from '../../src/sim/fleet.js';
import { HpaPolicy } from '../../src/sim/policies/hpa.js';
import { OraclePolicy } from '../../src/sim/policies/oracle.js';
import { SeedPolicy } from '../../src/sim/policies/seed.js';
import { TargetTrackingPolicy, TEN_SECONDS } from '../../src/sim/policies/target-tracking.js';
import type { Policy, SimAction } from '../../src/sim/policies/policy.js';
import { runPolicy } from '../../src/sim/run.js';
import { scenario } from './scenarios.js';

/** Runs a policy for `minutes` on a steady fleet, applying what it does; returns its actions by minute. */
function drive(policy: Policy, fleet: Fleet, minutes: number): Array<[number, SimAction]> {
  const done: Array<[number, SimAction]> = [];
  for (let m = 0; m < minutes; m++) {
    fleet.begin();
    for (const a of policy.tick(fleet)) {
      if (a.kind === 'set-desired') fleet.setDesired(a.to);
      else fleet.terminate(a.instance!, a.decrement ?? false);
      done.push([fleet.minute, a]);
    }
    fleet.reconcile();
    fleet.serve();
  }
  return done;
}
const steps = (done: Array<[number, SimAction]>) => done.map(([m, a]) => `${m}: ${a.from}→${a.to}`);

describe('oracle (high 85 %, launches take 3 minutes)', () => {
  it.each([
    // 4.25 units at 85 % need exactly 5 instances; the launch window already shows it.
    { what: 'needs 5 from the start', demand: [[0, 4.25]], steps: ['0: 2→5'] },
    // Minute 10 needs ⌈3.4 / 0.85⌉ = 4: ordered at 7, in service at 10, not a minute earlier.
    { what: 'a step up at 10 is ordered 3 minutes ahead', demand: [[0, 1.2], [9, 1.2], [10, 3.4]], steps: ['7: 2→4'] },
    // The dip at 10-11 is shorter than a launch: keeping the 4 costs less than ordering again.
    { what: 'a dip shorter than a launch is held through', demand: [[0, 3.4], [9, 3.4], [10, 1.2], [11, 1.2], [12, 3.4]], steps: ['0: 2→4'] },
    // The dip at 10-15 is longer: down at 10, ordered again at 13 for 16.
    { what: 'a longer dip is released, and ordered back a launch ahead', demand: [[0, 3.4], [9, 3.4], [10, 1.2], [15, 1.2], [16, 3.4]], steps: ['0: 2→4', '10: 4→2', '13: 2→4'] },
    // Minutes 0-2 need 4, but what is ordered at 0 serves from 3, which needs 2: those minutes
    // are lost to every policy, and an instance bought for them would serve nothing.
    { what: 'a need sooner than a launch orders nothing', demand: [[0, 3.4], [2, 3.4], [3, 1.2]], steps: [] },
  ])('$what', ({ demand, steps: expected }) => {
    const done = drive(new OraclePolicy(85), new Fleet(scenario({ demand })), 20);
    expect(steps(done)).toEqual(expected);
  });
});

describe('target tracking (target 77.5 %)', () => {
  it('scales out once the last 3 one-minute averages are above target, to ceil(n × avg / target)', () => {
    // 2 instances at 90 %: ceil(2 × 90 / 77.5) = 3, on the first tick (the history is already 90 %).
    const done = drive(new TargetTrackingPolicy(77.5), new Fleet(scenario({ demand: [[0, 1.8]] })), 2);
    expect(steps(done)).toEqual(['0: 2→3']);
  });
  it('scales in after 15 averages below 0.9 × target, rounding up', () => {
    // 4 instances at 40 %: ceil(4 × 40 / 77.5) = 3, at minute 2, when 15 averages are first visible.
    const done = drive(new TargetTrackingPolicy(77.5), new Fleet(scenario({ demand: [[0, 1.6]] }, { desired: 4 })), 4);
    expect(steps(done)).toEqual(['2: 4→3']);
  });
  it('does nothing while metrics cannot be read', () => {
    const s = scenario({ demand: [[0, 1.8]], faults: [{ atMinute: 0, kind: 'cloudwatch-outage', minutes: 5 }] });
    expect(drive(new TargetTrackingPolicy(77.5), new Fleet(s), 5)).toEqual([]);
  });
});

describe('target tracking on 10-second metrics (target 77.5 %)', () => {
  // Demand steps from 60 % to 90 % of 2 instances at minute 5.
  const step = { demand: [[0, 1.2], [4, 1.2], [5, 1.8]] };
  it.each([
    // Sees minute 5 at minute 6, one minute above target is enough: ceil(2 × 90 / 77.5) = 3.
    { what: 'scales out the minute after the step', policy: () => new TargetTrackingPolicy(77.5, TEN_SECONDS), expected: ['6: 2→3'] },
    // The one-minute peer sees minute 5 at 8 and waits for 3 such minutes: 10.
    { what: 'where one-minute metrics wait 5 minutes', policy: () => new TargetTrackingPolicy(77.5), expected: ['10: 2→3'] },
  ])('$what', ({ policy, expected }) => {
    expect(steps(drive(policy(), new Fleet(scenario(step)), 12))).toEqual(expected);
  });
  it('scales in after 3 minutes below 0.9 × target', () => {
    // 4 instances at 40 %: ceil(4 × 40 / 77.5) = 3, at minute 0 (the history is already 40 %).
    const done = drive(new TargetTrackingPolicy(77.5, TEN_SECONDS), new Fleet(scenario({ demand: [[0, 1.6]] }, { desired: 4 })), 4);
    expect(steps(done)).toEqual(['0: 4→3']);
  });
});

describe('HPA (target 77.5 %, tolerance 0.1)', () => {
  it.each<[string, number, string[]]>([
    ['within tolerance: 2 at 80 % is a ratio of 1.03', 1.6, []],
    ['above: 2 at 95 % → ceil(2 × 1.226) = 3', 1.9, ['0: 2→3']],
  ])('%s', (_, demand, expected) => {
    expect(steps(drive(new HpaPolicy(77.5), new Fleet(scenario({ demand: [[0, demand]] })), 1))).toEqual(expected);
  });
  it('scales down at once to the highest recommendation of the last 5 minutes', () => {
    // 4 at 30 %: ratio 0.39 → ceil(4 × 0.39) = 2.
    const done = drive(new HpaPolicy(77.5), new Fleet(scenario({ demand: [[0, 1.2]] }, { desired: 4 })), 6);
    expect(steps(done)).toEqual(['0: 4→2']);
  });
});

describe('seed (the published Menéame rules)', () => {
  it('scales in by the N−1 rule once its low counter passes 5', () => {
    // 3 at 40 %: with one fewer 60 % < 70 %; the 6th consecutive tick acts.
    const done = drive(new SeedPolicy(), new Fleet(scenario({ demand: [[0, 1.2]] }, { desired: 3 })), 8);
    expect(steps(done)).toEqual(['5: 3→2']);
  });
  it('counts an instance without metrics as 0 % load (its known flaw)', () => {
    // 3 at 60 % with one unmeasured: (60 + 60) / 2 = 60 % < 70 %, so it scales in a fleet that would then run 90 %.
    // The gap starts at minute 0; its last datapoint leaves the seed's window at minute 4, and 6 ticks later it acts.
    const s = scenario({ demand: [[0, 1.8]], faults: [{ atMinute: 0, kind: 'metrics-gap', instance: 0, minutes: 30 }] }, { desired: 3 });
    expect(steps(drive(new SeedPolicy(), new Fleet(s), 12))).toEqual(['10: 3→2']);
  });
});

describe('watchdog', () => {
  it('is the real engine: a runaway gets +1 then is terminated after the hold', () => {
    const s = scenario({ durationMinutes: 40, faults: [{ atMinute: 10, kind: 'runaway', instance: 0 }], demand: [[0, 1.0]] }, { min: 2 });
    const run = runPolicy(s, 'watchdog');
    expect(run.report.actions.map((a) => `${a.minute} ${a.kind} ${a.rule}`)).toEqual(['15 set-desired runaway', '20 terminate runaway']);
  });
});
