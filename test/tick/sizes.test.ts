// local-aws serves a scenario's instance types (`group.types`): the collector reads each
// instance's type, and the band is kept for the hottest size (docs/algorithm.md, "Mixed sizes").
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario } from '../e2e/local.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('a group of mixed sizes, through local-aws', () => {
  // Four instances, larges and xlarges in turn, 3 units round robin: the larges at 75 %, the xlarges at 37.5 %.
  it('the band reads the larges’ CPU, not the mean of all', async () => {
    h = await inProcess(fleetScenario(4, { demand: [[0, 3]], noise: 0, group: { name: 'web', min: 1, max: 12, desired: 4, launchMinutes: 3, loadBalancer: 'target-group', types: ['c5.large', 'c5.xlarge'] } }), { advanceTo: 40 });
    const { report } = await h.tick({ dryRun: true });
    expect({ loads: report!.instances.map((i) => i.load), line: report!.band.line }).toEqual({
      loads: [75, 37.5, 75, 37.5],
      line: "in band: fleet load 300 % (p75 of the last 5 min, at the large instances' CPU) on 4 = 75.0 %, with one fewer 100.0 %",
    });
  });
});

describe('a group of two sizes, one instance each, through local-aws', () => {
  // A c5.large and a c5.2xlarge, 2 units round robin: the large takes 1 unit, 100 %; the 2xlarge
  // 25 %. Its share explains the large's CPU (25 % on 8 vCPUs is 100 % on 2): the fleet is short.
  it('the lone large pinned by its share scales the group out', async () => {
    h = await inProcess(fleetScenario(2, { demand: [[0, 2]], noise: 0, group: { name: 'web', min: 2, max: 12, desired: 2, launchMinutes: 3, loadBalancer: 'target-group', types: ['c5.large', 'c5.2xlarge'] } }), { advanceTo: 40 });
    const { report } = await h.tick({ dryRun: true });
    expect({ loads: report!.instances.map((i) => i.load), action: report!.action && { rule: report!.action.rule, from: report!.action.from, to: report!.action.to } }).toEqual({
      loads: [100, 25],
      action: { rule: 'high-band', from: 2, to: 3 },
    });
  });
});
