import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { Fleet, type SimInstance } from '../../src/sim/fleet.js';
import { pointsDemandAt } from '../../src/sim/scenario.js';
import { scenario } from './scenarios.js';

/** Runs the fleet with nobody deciding up to (not including) minute `until`. */
function runTo(fleet: Fleet, until: number): Fleet {
  while (fleet.minute < until) fleet.advance();
  return fleet;
}
const cpuAt = (i: SimInstance, m: number) => i.cpu.get(m);
const record = (fleet: Fleet, m: number) => fleet.records.find((r) => r.minute === m)!;

describe('demand', () => {
  it.each([
    [0, 2],
    [5, 3],
    [10, 4],
    [99, 4],
  ])('is piecewise-linear and flat beyond the points: minute %d → %d units', (m, units) => {
    expect(pointsDemandAt([[0, 2], [10, 4]], m)).toBe(units);
  });
});

describe('the fleet model', () => {
  it('starts with desired instances in service, warmed up an hour before minute 0, with metrics', () => {
    const fleet = new Fleet(scenario());
    expect(fleet.inService.map((i) => i.launchedAt)).toEqual([-60, -60]);
    expect(fleet.snapshot(defaultConfig).instances[0]!.cpu).toHaveLength(5);
  });

  it('shares demand equally: 1.2 units on two instances is 60 % each, all served', () => {
    const fleet = runTo(new Fleet(scenario()), 1);
    expect(fleet.inService.map((i) => cpuAt(i, 0))).toEqual([60, 60]);
    expect(record(fleet, 0)).toMatchObject({ avgCpu: 60, unserved: 0, inService: 2 });
  });

  it('caps CPU at 100 % and counts the rest as unserved', () => {
    const fleet = runTo(new Fleet(scenario({ demand: [[0, 2.5]] })), 1);
    expect(fleet.inService.map((i) => cpuAt(i, 0))).toEqual([100, 100]);
    expect(record(fleet, 0).unserved).toBeCloseTo(0.5);
  });

  it('jitters each share by ±noise from the seed, keeping the total', () => {
    const fleet = runTo(new Fleet(scenario({ noise: 0.1, demand: [[0, 1.0]] })), 1);
    const [a, b] = fleet.inService.map((i) => cpuAt(i, 0)!);
    expect(a).not.toBe(b);
    expect(a! + b!).toBeCloseTo(100, 1);
  });

  it('keeps a launch Pending for launchMinutes, then serves', () => {
    const fleet = new Fleet(scenario());
    fleet.setDesired(3);
    runTo(fleet, 3);
    expect(fleet.live.map((i) => i.lifecycle)).toEqual(['InService', 'InService', 'Pending']);
    runTo(fleet, 4);
    expect(fleet.live.map((i) => i.lifecycle)).toEqual(['InService', 'InService', 'InService']);
    expect(cpuAt(fleet.live[2]!, 3)).toBe(40);
  });

  // 1.2 units: 60 % each on two, 40 % each on three. The third is ordered at minute 0, InService
  // at 3, and passes its balancer's first health checks at 5: idle (1 %) until then.
  it.each([
    { loadBalancer: 'target-group', seen: 'unknown' },
    { loadBalancer: 'classic', seen: 'out' },
  ])('keeps a new instance behind a $loadBalancer out of the traffic for initialChecksMinutes, seen $seen', ({ loadBalancer, seen }) => {
    const fleet = new Fleet(scenario({}, { loadBalancer, initialChecksMinutes: 2 }));
    fleet.setDesired(3);
    runTo(fleet, 4);
    const added = fleet.live[2]!;
    expect({ lifecycle: added.lifecycle, registration: fleet.registration(added), lb: fleet.lbState(added), receives: fleet.receives(added) }).toEqual({ lifecycle: 'InService', registration: 'initial', lb: seen, receives: false });
    expect([cpuAt(added, 3), cpuAt(fleet.live[0]!, 3), record(fleet, 3).unserved]).toEqual([1, 60, 0]);
    runTo(fleet, 6);
    expect({ registration: fleet.registration(added, 5), lb: fleet.lbState(added, 5), receives: fleet.receives(added, 5) }).toEqual({ registration: 'in', lb: 'in', receives: true });
    expect([cpuAt(added, 4), cpuAt(added, 5), cpuAt(fleet.live[0]!, 5)]).toEqual([1, 40, 40]);
  });

  it('shows a datapoint 2 minutes after its period ends', () => {
    // At minute 10 the period [7, 8) ended 2 minutes ago; [8, 9) is not visible yet.
    const fleet = runTo(new Fleet(scenario()), 10);
    const i = fleet.inService[0]!;
    expect(fleet.datapoints(i.cpu, 0, 10).map((d) => d.minute)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('removes the oldest InService instances first when desired goes down', () => {
    const fleet = new Fleet(scenario({}, { desired: 3 }));
    const oldest = fleet.inService[0]!.id;
    fleet.setDesired(2);
    runTo(fleet, 1);
    expect(fleet.live.map((i) => i.id)).not.toContain(oldest);
  });

  it('replaces a terminated instance unless told to decrement', () => {
    const fleet = new Fleet(scenario());
    fleet.begin();
    fleet.terminate(fleet.inService[0]!.id, false);
    fleet.reconcile();
    expect(fleet.live.map((i) => i.lifecycle)).toEqual(['InService', 'Pending']);
    fleet.terminate(fleet.inService[0]!.id, true);
    expect(fleet.desired).toBe(1);
  });

  it('refuses what AWS refuses', () => {
    const fleet = new Fleet(scenario({}, { min: 2, max: 3 }));
    expect(() => fleet.setDesired(4)).toThrow(/outside \[2, 3\]/);
    expect(() => fleet.terminate('i-nope', false)).toThrow(/not in the group/);
    expect(() => fleet.terminate(fleet.inService[0]!.id, true)).toThrow(/below min 2/);
  });
});

describe('fault kinds', () => {
  const withFault = (fault: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    new Fleet(scenario({ faults: [{ atMinute: 2, instance: 0, ...fault }], ...extra }));

  it('runaway: CPU pinned at 100 %, still gets its share but serves half of it', () => {
    const fleet = runTo(withFault({ kind: 'runaway' }), 3);
    const [sick, well] = fleet.inService;
    expect([cpuAt(sick!, 2), cpuAt(well!, 2)]).toEqual([100, 60]);
    expect(record(fleet, 2).unserved).toBeCloseTo(0.3);
    expect(fleet.sickAt(sick!.id)).toBe('runaway');
  });

  // Demand 1.2 on two: 60 % each. Ramped over 4 minutes from minute 2, the process holds a quarter
  // of the machine in minute 2, half in 3, all of it from 5: CPU 60 + hold × 40, serving its
  // 0.6 × (1 − hold / 2).
  it.each<{ minute: number; cpu: number; unserved: number }>([
    { minute: 2, cpu: 70, unserved: 0.075 },
    { minute: 3, cpu: 80, unserved: 0.15 },
    { minute: 4, cpu: 90, unserved: 0.225 },
    { minute: 5, cpu: 100, unserved: 0.3 },
    { minute: 6, cpu: 100, unserved: 0.3 },
  ])('runaway ramped over 4 minutes, minute $minute: CPU $cpu %, $unserved unserved', ({ minute, cpu, unserved }) => {
    const fleet = runTo(withFault({ kind: 'runaway', rampMinutes: 4 }), 7);
    const [sick, well] = fleet.inService;
    expect([cpuAt(sick!, minute), cpuAt(well!, minute)]).toEqual([cpu, 60]);
    expect(record(fleet, minute).unserved).toBeCloseTo(unserved);
  });

  it('detach: out of the balancer, no traffic, CPU 1 %; the other carries it all', () => {
    const fleet = runTo(withFault({ kind: 'detach' }), 3);
    const [gone, left] = fleet.inService;
    expect([cpuAt(gone!, 2), cpuAt(left!, 2)]).toEqual([1, 100]);
    expect(fleet.lbState(gone!)).toBe('out');
    expect(record(fleet, 2).unserved).toBeCloseTo(0.2);
  });

  it('hang: serves nothing at 0.5 %, its share lost until the balancer marks it out 2 minutes later', () => {
    const fleet = runTo(withFault({ kind: 'hang' }), 5);
    const [hung, left] = fleet.inService;
    expect(cpuAt(hung!, 2)).toBe(0.5);
    expect(record(fleet, 2).unserved).toBeCloseTo(0.6);
    expect(fleet.lbState(hung!, 3)).toBe('in');
    expect(fleet.lbState(hung!, 4)).toBe('out');
    expect(cpuAt(left!, 4)).toBe(100);
  });

  it('hang whose health checks pass: never marked out, its share lost for good, the other at its own 60 %', () => {
    const fleet = runTo(withFault({ kind: 'hang', healthChecks: 'pass' }), 30);
    const [hung, left] = fleet.inService;
    expect([cpuAt(hung!, 29), cpuAt(left!, 29)]).toEqual([0.5, 60]);
    expect(fleet.lbState(hung!, 29)).toBe('in');
    expect(record(fleet, 29).unserved).toBeCloseTo(0.6);
  });

  // Its web server answers every request at once with an error page: a fiftieth of the work
  // (ERROR_WORK), a twentieth of the bytes (ERROR_BYTES). Round robin sends it its share, 0.6:
  // 0.5 + 0.02 × 60 = 1.7 % and 0.6 × 0.05 × 60 MB + 20 kB. Least outstanding requests sends it
  // more, the part f where f = tiedPart(1, 1, u) = (1 + u) / 2 and u = 1.2 × (1 − f): f = 2.2 / 3.2
  // = 0.6875, 0.825 units, 0.5 + 0.02 × 82.5 = 2.15 %; the other is left 0.375. A hang that answers
  // nothing is sent none there (its requests wait out their timeout): the other takes all, 1.0 of 1.2.
  it.each<{ balancing: string; answers: string; hung: { cpu: number; network: number }; other: { cpu: number; network: number }; unserved: number }>([
    { balancing: 'round-robin', answers: 'errors', hung: { cpu: 1.7, network: 1_820_000 }, other: { cpu: 60, network: 36_020_000 }, unserved: 0.6 },
    { balancing: 'least-outstanding-requests', answers: 'errors', hung: { cpu: 2.15, network: 2_495_000 }, other: { cpu: 37.5, network: 22_520_000 }, unserved: 0.825 },
    { balancing: 'round-robin', answers: 'nothing', hung: { cpu: 0.5, network: 20_000 }, other: { cpu: 60, network: 36_020_000 }, unserved: 0.6 },
    { balancing: 'least-outstanding-requests', answers: 'nothing', hung: { cpu: 0.5, network: 20_000 }, other: { cpu: 100, network: 60_020_000 }, unserved: 0.2 },
  ])('hang that answers $answers, health checks passing, $balancing', ({ balancing, answers, hung, other, unserved }) => {
    const fleet = runTo(new Fleet(scenario({ faults: [{ atMinute: 2, instance: 0, kind: 'hang', healthChecks: 'pass', answers }] }, { balancing })), 4);
    const [sick, left] = fleet.inService;
    expect({
      hung: { cpu: cpuAt(sick!, 3), network: sick!.network.get(3) },
      other: { cpu: cpuAt(left!, 3), network: left!.network.get(3) },
      unserved: Math.round(record(fleet, 3).unserved * 1000) / 1000,
    }).toEqual({ hung, other, unserved });
  });

  it('crash: the instance is gone and the group replaces it by itself', () => {
    const fleet = runTo(withFault({ kind: 'crash' }), 3);
    expect(fleet.live.map((i) => i.lifecycle)).toEqual(['InService', 'Pending']);
    expect(fleet.faults[0]).toMatchObject({ kind: 'crash', removedBy: 'crash' });
  });

  it('metrics-gap: no datapoints for its minutes, serving all the while', () => {
    const fleet = runTo(withFault({ kind: 'metrics-gap', minutes: 3 }), 8);
    const i = fleet.inService[0]!;
    expect([2, 3, 4].map((m) => cpuAt(i, m))).toEqual([undefined, undefined, undefined]);
    expect(cpuAt(i, 5)).toBe(60);
    expect(record(fleet, 3).unserved).toBe(0);
  });

  it('cloudwatch-outage: every metrics read fails for its minutes', () => {
    const fleet = runTo(new Fleet(scenario({ faults: [{ atMinute: 2, kind: 'cloudwatch-outage', minutes: 3 }] })), 3);
    expect(fleet.snapshot(defaultConfig).metricsOk).toBe(false);
    runTo(fleet, 5);
    expect(fleet.snapshot(defaultConfig).metricsOk).toBe(true);
  });

  it('strikes the Nth InService instance in launch order; an index beyond the fleet strikes nobody', () => {
    const fleet = runTo(new Fleet(scenario({ faults: [{ atMinute: 1, kind: 'runaway', instance: 5 }] })), 2);
    expect(fleet.faults[0]).toMatchObject({ instance: null, index: 5 });
    expect(fleet.inService.every((i) => i.sick === null)).toBe(true);
  });
});
