// NetworkOut through the tick, in-process against local-aws: read with the CPU only while the
// last tick held an outlier reading (engine network.ts, networkWanted), so a fleet without pays
// for its CPU alone; read, it lets the dead rule's reading of an instance hung behind checks that
// pass stand (it sends nothing while its peers send their shares).
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario } from '../e2e/local.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

// Three at 25 % (0.75 units) behind a target group; instance 0 hangs at minute 12, its checks passing.
const oneHung = fleetScenario(3, {
  demand: [[0, 0.75]],
  group: { name: 'web', min: 2, max: 8, desired: 3, launchMinutes: 3, loadBalancer: 'target-group' },
  faults: [{ kind: 'hang', atMinute: 12, instance: 0, healthChecks: 'pass' }],
});

// Two at 50 % (1.0 units) behind a target group; instance 0 hangs at minute 12, its checks passing.
const oneOfTwoHung = fleetScenario(2, {
  demand: [[0, 1.0]],
  group: { name: 'web', min: 2, max: 8, desired: 2, launchMinutes: 3, loadBalancer: 'target-group' },
  faults: [{ kind: 'hang', atMinute: 12, instance: 0, healthChecks: 'pass' }],
});

/** Each minute's tick: its GetMetricData calls, what it held, what it did. */
async function ticksOf(h: InProcess, from: number, to: number): Promise<string[]> {
  const ticks: string[] = [];
  for (let minute = from; minute <= to; minute++) {
    const before = h.server.callCounts()['GetMetricData'] ?? 0;
    const report = (await h.tick()).report!;
    const calls = (h.server.callCounts()['GetMetricData'] ?? 0) - before;
    const held = report.held.map((c) => c.rule).join(',');
    ticks.push(`${minute}: ${calls} GetMetricData${held === '' ? '' : `, held ${held}`}${report.action === null ? '' : `, ${report.action.kind} (${report.action.rule})`}`);
    h.server.world.advance(1);
  }
  return ticks;
}

describe('NetworkOut read by the tick', () => {
  it('only while an outlier reading is held: the hung one read dead, witnessed, its +1, its kill', async () => {
    h = await inProcess(oneHung, { advanceTo: 10 });
    const ticks = await ticksOf(h, 10, 39);
    // Its load (3 minutes, 2 of CloudWatch's lag) reads it dead from 17, by CPU alone that first
    // minute; NetworkOut from 18, each minute the last held the reading, and one after the kill.
    // Two at work beside one quiet is unproven: what it sends (nothing) lets the reading stand, the
    // +1 at 22, the kill at 29 once the one launched works, the N−1 rule's scale-in to two at 39.
    expect(ticks).toEqual([
      '10: 1 GetMetricData',
      '11: 1 GetMetricData',
      '12: 1 GetMetricData',
      '13: 1 GetMetricData',
      '14: 1 GetMetricData',
      '15: 1 GetMetricData',
      '16: 1 GetMetricData',
      '17: 1 GetMetricData, held dead',
      '18: 2 GetMetricData, held dead',
      '19: 2 GetMetricData, held dead',
      '20: 2 GetMetricData, held dead',
      '21: 2 GetMetricData, held dead',
      '22: 2 GetMetricData, held dead, set-desired (dead)',
      '23: 2 GetMetricData, held dead',
      '24: 2 GetMetricData, held dead',
      '25: 2 GetMetricData, held dead',
      '26: 2 GetMetricData, held dead',
      '27: 2 GetMetricData, held dead',
      '28: 2 GetMetricData, held dead',
      '29: 2 GetMetricData, held dead, terminate (dead)',
      '30: 2 GetMetricData',
      '31: 1 GetMetricData',
      '32: 1 GetMetricData',
      '33: 1 GetMetricData',
      '34: 1 GetMetricData',
      '35: 1 GetMetricData',
      '36: 1 GetMetricData',
      '37: 1 GetMetricData',
      '38: 1 GetMetricData',
      '39: 1 GetMetricData, set-desired (n-minus-1)',
    ]);
  });

  // The same beside a single other (before 2026-12-07 a fleet of two kept it for good): dead by
  // CPU from 17, NetworkOut read from 18; where it says the hung one sends less than half what
  // the other does (nothing), the reading stands, the +1 at 22, the kill at 29 once the one
  // launched works, taking the +1 back.
  it('a fleet of two: the hung one read dead beside its single other, witnessed, its +1, its kill', async () => {
    h = await inProcess(oneOfTwoHung, { advanceTo: 10 });
    const ticks = await ticksOf(h, 10, 31);
    expect(ticks).toEqual([
      ...[10, 11, 12, 13, 14, 15, 16].map((m) => `${m}: 1 GetMetricData`),
      '17: 1 GetMetricData, held dead',
      ...[18, 19, 20, 21].map((m) => `${m}: 2 GetMetricData, held dead`),
      '22: 2 GetMetricData, held dead, set-desired (dead)',
      ...[23, 24, 25, 26, 27, 28].map((m) => `${m}: 2 GetMetricData, held dead`),
      '29: 2 GetMetricData, held dead, terminate (dead)',
      '30: 2 GetMetricData',
      '31: 1 GetMetricData',
    ]);
    expect(h.server.world.groups.get('web')!.desired).toBe(2);
  });
});
