// Each band setting of docs/algorithm.md moved alone, on the smooth days and the real week: what it
// does to cost, service, overload and actions (docs/performance.md, "Ablation").
// `node scripts/bench.mjs --entry ablation`.
import { join } from 'node:path';
import { int } from './cells.js';
import { resolveConfig, type ConfigInput } from '../src/config/index.js';
import { runPolicy } from '../src/sim/run.js';
import { loadScenario } from '../src/sim/scenario.js';

const ROOT = new URL('..', import.meta.url).pathname;
const scenarios = ['nasa-week', 'web-day', 'week', 'flash-crowd'].map((name) => loadScenario(join(ROOT, `scenarios/${name}.json`)));

const rows: Array<[string, ConfigInput]> = [
  ['defaults', {}],
  ['`sizingQuantile: 0.6`', { sizingQuantile: 0.6 }],
  ['`sizingQuantile: 0.9`', { sizingQuantile: 0.9 }],
  ['`sizingWindowMinutes: 20`', { sizingWindowMinutes: 20 }],
  ['`sizingWindowMinutes: 45`', { sizingWindowMinutes: 45 }],
  ['`noisyWindowMinutes: 30` (fixed windows)', { noisyWindowMinutes: 30 }],
  ['`recentWindowMinutes: 5`', { recentWindowMinutes: 5 }],
  ['`recentWindowMinutes: 15`', { recentWindowMinutes: 15 }],
  ['`riseConfidence: 4`', { riseConfidence: 4 }],
  ['`riseConfidence: 10`', { riseConfidence: 10 }],
  ['`riseLeadMinutes: 8`', { riseLeadMinutes: 8 }],
  ['`riseLeadMinutes: 15`', { riseLeadMinutes: 15 }],
  ['`fallConfidence: 6`', { fallConfidence: 6 }],
  ['no fall look-ahead (`fallConfidence: 1e9`)', { fallConfidence: 1e9 }],
  ['`fallLeadMinutes: 3`', { fallLeadMinutes: 3 }],
  ['`cooldownSeconds: 300`', { cooldownSeconds: 300 }],
  ['`scaleInDelayAfterUpSeconds: 1080` (the original)', { scaleInDelayAfterUpSeconds: 1080 }],
  ['`saturatedGrowth: 1.5` (the first draft)', { saturatedGrowth: 1.5 }],
  ['`scaleInMark: 70` (the original N−1 mark)', { scaleInMark: 70 }],
  ['`maxStepDown: 1` (one instance at a time)', { maxStepDown: 1 }],
];

const lines = [
  `| setting | ${scenarios.map((s) => s.name).join(' | ')} |`,
  `|---|${scenarios.map(() => '---').join('|')}|`,
];
for (const [what, overrides] of rows) {
  const cells = scenarios.map((s) => {
    const { report: r } = runPolicy({ ...s, config: resolveConfig({ ...s.config, ...overrides }) }, 'watchdog');
    return `${int(r.instanceMinutes)} / ${r.unservedUnitMinutes.toFixed(1)} / ${int(r.overloadMinutes)} / ${r.actions.length}`;
  });
  lines.push(`| ${what} | ${cells.join(' | ')} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
