// Whether the group's balancers balance across zones is read once an hour and kept in the state
// (src/aws/collect.ts): up to three calls a target group, for a setting that seldom changes. The
// tick in-process against local-aws, whose web-day group spans three zones behind a target group.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.js';
import { shipped } from '../e2e/local.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const READS = ['DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'DescribeLoadBalancerAttributes'];

describe('the balancers’ cross-zone setting', () => {
  it('is read at the first tick, kept for an hour, then read again', async () => {
    h = await inProcess(shipped('web-day'), { advanceTo: 600 });
    const reads = () => READS.map((op) => h!.server.callCounts()[op] ?? 0);
    const seen: number[][] = [];
    for (const step of [0, 1, 58, 2]) {
      h.server.world.advance(step);
      const r = await h.tick({ dryRun: false });
      expect(r.report!.warnings).toEqual([]);
      seen.push(reads());
    }
    const saved = JSON.parse(readFileSync(h.store().location, 'utf8')) as { crossZone: { value: boolean | null; at: number } };
    // Minutes 600 and 601 read it once; 659 is within the hour; 661 reads it again.
    expect({ seen, kept: saved.crossZone.value }).toEqual({ seen: [[1, 1, 1], [1, 1, 1], [1, 1, 1], [2, 2, 2]], kept: true });
  });

  // local-aws serves a scenario's zones and cross-zone setting as AWS would: here a classic
  // balancer without it, six instances at 50 % in three zones (300 %): on five, the one alone in
  // its zone would carry a third, 100 %.
  it.each([
    { loadBalancer: 'classic', crossZone: false, line: 'below the band, held by the N−1 rule: fleet load 300 % (p75 of the last 5 min) on 6 = 50.0 % < 70.0 %, but with one fewer 100.0 % in the smallest of 3 zones ≥ 75.0 %' },
    { loadBalancer: 'target-group', crossZone: false, line: 'below the band, held by the N−1 rule: fleet load 300 % (p75 of the last 5 min) on 6 = 50.0 % < 70.0 %, but with one fewer 100.0 % in the smallest of 3 zones ≥ 75.0 %' },
    { loadBalancer: 'classic', crossZone: true, line: 'below the band: fleet load 300 % (p75 of the last 5 min) on 6 = 50.0 % < 70.0 %, with one fewer 60.0 % < 75.0 %' },
  ])('read from local-aws: a $loadBalancer balancer, cross-zone $crossZone', async ({ loadBalancer, crossZone, line }) => {
    const zoned = parseScenario(
      { version: 1, name: 'zones', durationMinutes: 120, seed: 3, group: { name: 'web', min: 1, max: 12, desired: 6, launchMinutes: 3, loadBalancer, zones: 3, crossZone }, demand: [[0, 3]], noise: 0, faults: [] },
      'test',
    );
    h = await inProcess(zoned, { advanceTo: 30 });
    const r = await h.tick({ dryRun: true });
    expect({ warnings: r.report!.warnings, line: r.report!.band.line }).toEqual({ warnings: [], line });
  });
});
