// The shipped scenarios as timelines, and the goals of the policy comparison (docs/performance.md).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goalsMet } from '../../src/sim/goals.js';
import { compare, runPolicy } from '../../src/sim/run.js';
import { loadScenario } from '../../src/sim/scenario.js';
import { scenario } from './scenarios.js';

const shipped = (name: string) => loadScenario(new URL(`../../scenarios/${name}.json`, import.meta.url).pathname);

describe('the provoked failures of the original post', () => {
  it('runaway-cpu: an emergency +1, then the stuck instance is terminated within 15 minutes', () => {
    const { report } = runPolicy(shipped('runaway-cpu'), 'watchdog');
    expect(report.actions.map((a) => `${a.kind}:${a.rule}`)).toEqual(['set-desired:runaway', 'terminate:runaway']);
    expect(report.actions[0]).toMatchObject({ from: 2, to: 3 });
    expect(report.actions[1]).toMatchObject({ decrement: true, instance: report.faults[0]!.instance });
    expect(report.faults[0]!.terminatedAtMinute! - report.faults[0]!.atMinute).toBeLessThanOrEqual(15);
    expect(report.terminations).toEqual({ total: 1, faulty: 1, healthy: 0 });
  });

  it('detached-instance: terminated within 12 minutes and replaced, desired unchanged', () => {
    const { report, records } = runPolicy(shipped('detached-instance'), 'watchdog');
    const kill = report.actions.find((a) => a.kind === 'terminate')!;
    expect(kill).toMatchObject({ rule: 'detached', decrement: false, instance: report.faults[0]!.instance });
    expect(kill.to).toBe(kill.from);
    expect(kill.minute - report.faults[0]!.atMinute).toBeLessThanOrEqual(12);
    expect(records.at(-1)!.inService).toBeGreaterThanOrEqual(2);
    expect(report.terminations.healthy).toBe(0);
  });

  it('a night with every instance near 1 % kills nothing', () => {
    const night = scenario({ durationMinutes: 180, demand: [[0, 0.04]], noise: 0.2 }, { min: 4, desired: 4 });
    const { report } = runPolicy(night, 'watchdog');
    expect(report.terminations.total).toBe(0);
    expect(report.actions).toEqual([]);
  });

  it('hung-instance: the hung one is terminated, nobody else', () => {
    const { report } = runPolicy(shipped('hung-instance'), 'watchdog');
    expect(report.terminations).toEqual({ total: 1, faulty: 1, healthy: 0 });
  });

  it('metrics-gap: no kill, and no scale-in while the instance is unmeasured', () => {
    const { report } = runPolicy(shipped('metrics-gap'), 'watchdog');
    expect(report.terminations.total).toBe(0);
    // The gap is minutes 15 to 34. The metric window (minutes m − 7 to m − 3) holds two of the
    // instance's datapoints from before it (13, 14) up to minute 20, and two from after it (35, 36)
    // from minute 39: unmeasured from 21 to 38.
    const unmeasured = (minute: number) => minute >= 21 && minute <= 38;
    expect(report.actions.filter((a) => a.to < a.from && unmeasured(a.minute))).toEqual([]);
  });

  it('cloudwatch-outage: blind, so nothing happens while metrics are down', () => {
    const { report } = runPolicy(shipped('cloudwatch-outage'), 'watchdog');
    expect(report.actions.filter((a) => a.minute >= 30 && a.minute < 55)).toEqual([]);
    expect(report.terminations.total).toBe(0);
  });
});

describe('no policy run under the watchdog terminates a healthy instance', () => {
  const names = readdirSync(new URL('../../scenarios/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.replace('.json', ''));
  it.each(names)('%s', (name) => {
    expect(runPolicy(shipped(name), 'watchdog').report.terminations.healthy).toBe(0);
  });
});

// Issue 11's goals at the defaults (src/sim/goals.ts, docs/performance.md): against AWS target
// tracking, instance-minutes no more (but for the allowance below), unserved no more, overload
// minutes at most 5 more, band actions at most 1.25 ×, and within 1.15 × the oracle wherever it
// serves everything; and no healthy instance killed.
describe('the comparison goals', () => {
  it.each<{ scenario: string; allowance: number }>([
    { scenario: 'nasa-week', allowance: 0 },
    { scenario: 'web-day', allowance: 0 },
    { scenario: 'week', allowance: 0 },
    { scenario: 'flash-crowd', allowance: 0 },
    { scenario: 'cloudwatch-outage', allowance: 0 },
    { scenario: 'metrics-gap', allowance: 0 },
    // The emergency +1 before the runaway goes, taken back with the kill.
    { scenario: 'runaway-cpu', allowance: 5 },
    { scenario: 'detached-instance', allowance: 0 },
    { scenario: 'hung-instance', allowance: 0 },
  ])('$scenario', ({ scenario: name, allowance }) => {
    const { comparison } = compare(shipped(name), ['watchdog', 'target-tracking', 'oracle']);
    const { watchdog, 'target-tracking': targetTracking, oracle } = comparison.policies;
    expect({ ...goalsMet({ watchdog: watchdog!, targetTracking: targetTracking!, oracle: oracle! }, allowance), healthyKills: watchdog!.terminations.healthy }).toEqual({
      instanceMinutes: true,
      unserved: true,
      overload: true,
      actions: true,
      oracle: true,
      healthyKills: 0,
    });
  });
});

// The rise lead counts a 3-minute launch and adds what the group's own launches take beyond it
// (src/engine/launches.ts). With the lead fixed at 12, web-day on 8-minute launches left 0.05
// unit-minutes unserved and 18 overload minutes to target tracking's none and 12; the flash
// crowd, whose jump is carried the same lead ahead, must not pay for it.
describe('the comparison goals on a group that takes 8 minutes to serve', () => {
  it.each(['web-day', 'flash-crowd'])('%s', (name) => {
    const slow = shipped(name);
    const { comparison } = compare({ ...slow, group: { ...slow.group, launchMinutes: 8 } }, ['watchdog', 'target-tracking', 'oracle']);
    const { watchdog, 'target-tracking': targetTracking, oracle } = comparison.policies;
    expect(goalsMet({ watchdog: watchdog!, targetTracking: targetTracking!, oracle: oracle! })).toEqual({ instanceMinutes: true, unserved: true, overload: true, actions: true, oracle: true });
  });
});

// Behind a target group a new instance is InService and idle through its first health checks
// (2 minutes here; 2.5 at an ALB's defaults) before it takes traffic. Counted from its first
// datapoint, those idle minutes made a scale-out look like a jump in load: on web-day 14,139
// instance-minutes and 46 actions to target tracking's 13,868 and 32 (src/engine/fleet-load.ts).
describe('the comparison goals behind a target group with 2 minutes of first health checks', () => {
  it.each(['web-day', 'flash-crowd'])('%s', (name) => {
    const checked = shipped(name);
    const { comparison } = compare({ ...checked, group: { ...checked.group, loadBalancer: 'target-group', initialChecksMinutes: 2 } }, ['watchdog', 'target-tracking', 'oracle']);
    const { watchdog, 'target-tracking': targetTracking, oracle } = comparison.policies;
    expect(goalsMet({ watchdog: watchdog!, targetTracking: targetTracking!, oracle: oracle! })).toEqual({ instanceMinutes: true, unserved: true, overload: true, actions: true, oracle: true });
  });
});

// A classic balancer's first checks (10 × 30 s by default) after a slow boot: 11 minutes from
// launch to traffic. Past its warm-up and out of the balancer for 5 minutes, the first new
// instance was killed as detached on both (src/engine/signals.ts: joining is not detached).
describe('no healthy instance killed behind a classic balancer that takes 8 minutes to pass one', () => {
  it.each(['web-day', 'flash-crowd'])('%s', (name) => {
    const slow = shipped(name);
    const { report } = runPolicy({ ...slow, group: { ...slow.group, loadBalancer: 'classic', initialChecksMinutes: 8 } }, 'watchdog');
    expect(report.terminations).toEqual({ total: 0, faulty: 0, healthy: 0 });
  });
});

describe('determinism', () => {
  it('the same file and seed give the same report, to the byte', () => {
    const a = JSON.stringify(compare(shipped('flash-crowd'), ['watchdog', 'hpa']).comparison);
    const b = JSON.stringify(compare(shipped('flash-crowd'), ['watchdog', 'hpa']).comparison);
    expect(a).toBe(b);
  });
  it('another seed gives another run', () => {
    const s = shipped('flash-crowd');
    const a = JSON.stringify(runPolicy(s, 'watchdog').records);
    const b = JSON.stringify(runPolicy({ ...s, seed: s.seed + 1 }, 'watchdog').records);
    expect(a).not.toBe(b);
  });
});
