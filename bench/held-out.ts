// The engine's defaults were chosen on the shipped scenarios. This runs it on traffic they were not
// chosen on (docs/performance.md, "Held out"): two other weeks of the NASA trace, the first week at
// other scales, and the shipped `week` with Poisson noise on its requests (seeded, so every run is
// the same). Prints one markdown table. `npm run held-out`.
import { join } from 'node:path';
import { compare, type PolicyReport } from '../src/sim/run.js';
import { seededRandom } from '../src/sim/random.js';
import { loadScenario, parseScenario, type Scenario } from '../src/sim/scenario.js';
import { readFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;
const shipped = (name: string) => JSON.parse(readFileSync(join(ROOT, `scenarios/${name}.json`), 'utf8')) as Record<string, unknown> & { group: Record<string, unknown> };
const nasa = shipped('nasa-week');
const trace = join(ROOT, 'traces/nasa_jul95.csv');

/** Poisson draws: Knuth's method below 50, a rounded normal above. */
function poisson(random: () => number, mean: number): number {
  if (mean > 50) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let [k, p] = [0, random()];
  while (p > limit) [k, p] = [k + 1, p * random()];
  return k;
}

/** The shipped week, each minute's requests drawn around its demand at `requestsPerUnit` requests a unit. */
function noisyWeek(requestsPerUnit: number, seed: number): Scenario {
  const week = loadScenario(join(ROOT, 'scenarios/week.json'));
  const random = seededRandom(seed);
  const perMinute = week.perMinute.map((units) => poisson(random, units * requestsPerUnit) / requestsPerUnit);
  return { ...week, name: `week, Poisson noise, ${requestsPerUnit} requests a unit`, noise: 0.02, perMinute };
}

const nasaAt = (name: string, from: string, requestsPerUnit: number, max = 40): Scenario =>
  parseScenario({ ...nasa, name, group: { ...nasa.group, max }, demand: { trace, requestsPerUnit, from } }, name, ROOT);

const scenarios = [
  nasaAt('NASA, 10-17 July', '1995-07-10T00:00:00-04:00', 10),
  nasaAt('NASA, 17-24 July', '1995-07-17T00:00:00-04:00', 10),
  nasaAt('NASA, 3-10 July, 5 requests a unit', '1995-07-03T00:00:00-04:00', 5, 200),
  nasaAt('NASA, 10-17 July, 20 requests a unit', '1995-07-10T00:00:00-04:00', 20),
  noisyWeek(100, 11),
  noisyWeek(10, 12),
];

const int = (n: number) => n.toLocaleString('en');
const cell = (r: PolicyReport) => `${int(r.instanceMinutes)} / ${r.unservedUnitMinutes.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} / ${int(r.overloadMinutes)} / ${int(r.actions.length)}`;
const lines = ['| traffic | watchdog | target tracking | hpa |', '|---|---|---|---|'];
for (const scenario of scenarios) {
  const { policies } = compare(scenario, ['watchdog', 'target-tracking', 'hpa']).comparison;
  lines.push(`| ${scenario.name} | ${cell(policies.watchdog!)} | ${cell(policies['target-tracking']!)} | ${cell(policies.hpa!)} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
