// The group's own scaling policies are read every 10 minutes and kept in the state
// (src/aws/collect.ts): while it has one that moves desired, the band rules stand aside. The tick
// in-process against local-aws, which lists the scenario's `group.scalingPolicies`.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario } from '../e2e/local.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

// Six instances at 45 % (2.7 units): the N−1 rule would take the fleet down to four.
const surplus = (scalingPolicies?: Array<{ name: string; type: string }>) => fleetScenario(6, { demand: [[0, 2.7]], group: { name: 'web', min: 1, max: 12, desired: 6, launchMinutes: 3, loadBalancer: 'target-group', ...(scalingPolicies && { scalingPolicies }) } });

describe('the group’s own scaling policies', () => {
  it('are read at the first tick, kept for 10 minutes, then read again', async () => {
    h = await inProcess(surplus([{ name: 'cpu50', type: 'TargetTrackingScaling' }]), { advanceTo: 40 });
    const seen: number[] = [];
    for (const step of [0, 1, 8, 2]) {
      h.server.world.advance(step);
      const r = await h.tick({ dryRun: false });
      expect(r.report!.warnings).toEqual([]);
      seen.push(h.server.callCounts()['DescribePolicies'] ?? 0);
    }
    const saved = JSON.parse(readFileSync(h.store().location, 'utf8')) as { scalingPolicies: { value: unknown[] } };
    // Minutes 40 and 41 read them once; 49 is within the 10 minutes; 51 reads them again.
    expect({ seen, kept: saved.scalingPolicies.value }).toEqual({ seen: [1, 1, 1, 2], kept: [{ name: 'cpu50', type: 'TargetTrackingScaling' }] });
  });

  it.each([
    { what: 'a target-tracking policy: no scale-in, the operator told', policies: [{ name: 'cpu50', type: 'TargetTrackingScaling' }], failures: [], actions: [], alerts: ['own-policies'], warnings: [] },
    { what: 'none: the surplus goes', policies: undefined, failures: [], actions: ['6 → 4 (n-minus-1)'], alerts: [], warnings: [] },
    {
      what: 'unread (AWS fails): taken as none, and said',
      policies: [{ name: 'cpu50', type: 'TargetTrackingScaling' }],
      failures: [{ operation: 'DescribePolicies', rate: 1, kind: 'error' as const }],
      actions: ['6 → 4 (n-minus-1)'],
      alerts: [],
      warnings: [expect.stringMatching(/^the group's scaling policies unknown, taken as none: DescribePolicies failed at http:\/\/127\.0\.0\.1:\d+ after 2 attempts: InternalFailure: /)],
    },
  ])('$what', async ({ policies, failures, actions, alerts, warnings }) => {
    h = await inProcess(surplus(policies), { advanceTo: 40, failures });
    const done: string[] = [];
    const told = new Set<string>();
    const warned = new Set<string>();
    for (let minute = 40; minute <= 55; minute++) {
      const { report } = await h.tick();
      const a = report!.action;
      if (a && report!.executed) done.push(`${a.from} → ${a.to} (${a.rule})`);
      for (const k of report!.alerts) told.add(k.key);
      for (const w of report!.warnings) warned.add(w);
      h.server.world.advance(1);
    }
    expect({ actions: done, alerts: [...told], warnings: [...warned] }).toEqual({ actions, alerts, warnings });
  });
});
