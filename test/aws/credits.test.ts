// What the collector reads of burstable instances' CPU credits (src/aws/collect.ts): which
// instance types have them, and the newest balance of each, with the surplus asked only of those
// out of credits (GetMetricData is paid per metric: one an instance a tick where two would do).
import type { GetMetricDataCommand, GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { isBurstable, readCredits } from '../../src/aws/collect.js';
import type { Clients } from '../../src/aws/clients.js';

describe('burstable instance types', () => {
  it.each<{ type: string | undefined; expected: boolean }>([
    { type: 't2.micro', expected: true },
    { type: 't3.small', expected: true },
    { type: 't3a.large', expected: true },
    { type: 't4g.medium', expected: true },
    { type: 't1.micro', expected: false }, // no credits to run out of
    { type: 'c5.large', expected: false },
    { type: 'trn1.2xlarge', expected: false },
    { type: undefined, expected: false },
  ])('$type: $expected', ({ type, expected }) => expect(isBurstable(type)).toBe(expected));
});

const NOW = Date.UTC(2026, 11, 5, 12, 0, 30);
const MIN = 60_000;

/** CloudWatch with datapoints per metric and instance (newest first, minutes before 12:00); records what was asked. */
function cloudWatch(points: Record<string, Record<string, Array<[number, number]>>>) {
  const asked: string[] = [];
  const send = async (command: GetMetricDataCommand): Promise<Partial<GetMetricDataCommandOutput>> => {
    const queries = command.input.MetricDataQueries ?? [];
    return {
      MetricDataResults: queries.map((q) => {
        const metric = q.MetricStat!.Metric!.MetricName!;
        const id = q.MetricStat!.Metric!.Dimensions![0]!.Value!;
        asked.push(`${metric} ${q.MetricStat!.Stat} ${id}`);
        const found = points[metric]?.[id] ?? [];
        return { Id: q.Id, Timestamps: found.map(([minutesAgo]) => new Date(NOW - 30_000 - minutesAgo * MIN)), Values: found.map(([, v]) => v) };
      }),
    };
  };
  return { clients: { cloudWatch: { send } } as unknown as Clients, asked };
}

describe('reading CPU credits', () => {
  it('takes each instance’s newest balance, asks the surplus of those under 1 credit only, and leaves out one with none', async () => {
    const cw = cloudWatch({
      // i-a has credits; i-b ran out 5 minutes ago (its older balance was 30); i-c is unlimited and
      // spending beyond its balance; i-d published nothing.
      CPUCreditBalance: { 'i-a': [[5, 40], [10, 42]], 'i-b': [[10, 30], [5, 0]], 'i-c': [[5, 0]] },
      CPUSurplusCreditBalance: { 'i-b': [[5, 0]], 'i-c': [[5, 12], [10, 3]] },
    });
    const credits = await readCredits(cw.clients, ['i-a', 'i-b', 'i-c', 'i-d'], { now: NOW, exhausted: 1 });
    expect({ credits: Object.fromEntries(credits), asked: cw.asked }).toEqual({
      credits: { 'i-a': { balance: 40, surplus: 0 }, 'i-b': { balance: 0, surplus: 0 }, 'i-c': { balance: 0, surplus: 12 } },
      asked: [
        'CPUCreditBalance Minimum i-a',
        'CPUCreditBalance Minimum i-b',
        'CPUCreditBalance Minimum i-c',
        'CPUCreditBalance Minimum i-d',
        'CPUSurplusCreditBalance Maximum i-b',
        'CPUSurplusCreditBalance Maximum i-c',
      ],
    });
  });

  it('asks nothing of a fleet with no burstable instance', async () => {
    const cw = cloudWatch({});
    expect([Object.fromEntries(await readCredits(cw.clients, [], { now: NOW, exhausted: 1 })), cw.asked]).toEqual([{}, []]);
  });
});
