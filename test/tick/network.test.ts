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

describe('NetworkOut read by the tick', () => {
  it('only while an outlier reading is held: the hung one read dead, witnessed, its +1, its kill', async () => {
    h = await inProcess(oneHung, { advanceTo: 10 });
    const ticks: string[] = [];
    for (let minute = 10; minute <= 39; minute++) {
      const before = h.server.callCounts()['GetMetricData'] ?? 0;
      const report = (await h.tick()).report!;
      const calls = (h.server.callCounts()['GetMetricData'] ?? 0) - before;
      const held = report.held.map((c) => c.rule).join(',');
      ticks.push(`${minute}: ${calls} GetMetricData${held === '' ? '' : `, held ${held}`}${report.action === null ? '' : `, ${report.action.kind} (${report.action.rule})`}`);
      h.server.world.advance(1);
    }
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
});
