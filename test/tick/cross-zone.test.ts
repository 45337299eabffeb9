// Whether the group's balancers balance across zones is read once an hour and kept in the state
// (src/aws/collect.ts): up to three calls a target group, for a setting that seldom changes. The
// tick in-process against local-aws, whose web-day group spans three zones behind a target group.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
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
});
