// The engine's defaults were chosen on the shipped scenarios. This runs it on traffic they were not
// chosen on (docs/performance.md, "Held out"): two other weeks of the NASA trace, the first week
// at other scales, and the shipped `week` with Poisson noise on its requests (a seeded generator,
// so every run is the same). Prints one markdown table. Usage (`npm run build` first):
//   node scripts/held-out.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'asgw-held-out-'));
const root = resolve(new URL('..', import.meta.url).pathname);
const nasa = JSON.parse(readFileSync(join(root, 'scenarios/nasa-week.json'), 'utf8'));
const week = JSON.parse(readFileSync(join(root, 'scenarios/week.json'), 'utf8'));
const trace = join(root, 'traces/nasa_jul95.csv');

/** mulberry32: a small seeded generator, so the noisy traces are the same on every machine. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson draws: Knuth's method below 50, a rounded normal above. */
function poisson(random, mean) {
  if (mean > 50) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let [k, p] = [0, random()];
  while (p > limit) [k, p] = [k + 1, p * random()];
  return k;
}

function pointsAt(points, m) {
  if (m <= points[0][0]) return points[0][1];
  for (let i = 1; i < points.length; i++) {
    const [m1, d1] = points[i];
    const [m0, d0] = points[i - 1];
    if (m <= m1) return d0 + ((d1 - d0) * (m - m0)) / (m1 - m0);
  }
  return points.at(-1)[1];
}

function noisyWeek(requestsPerUnit, seed) {
  const random = seeded(seed);
  const start = Date.UTC(2026, 0, 5);
  const rows = ['minute,requests'];
  for (let m = 0; m < week.durationMinutes; m++) rows.push(`${new Date(start + m * 60_000).toISOString()},${poisson(random, pointsAt(week.demand, m) * requestsPerUnit)}`);
  const file = join(dir, `week-poisson-${requestsPerUnit}.csv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return { ...week, name: `week, Poisson noise, ${requestsPerUnit} requests a unit`, noise: 0.02, demand: { trace: file, requestsPerUnit } };
}

const scenarios = [
  { ...nasa, name: 'NASA, 10-17 July', demand: { trace, requestsPerUnit: 10, from: '1995-07-10T00:00:00-04:00' } },
  { ...nasa, name: 'NASA, 17-24 July', demand: { trace, requestsPerUnit: 10, from: '1995-07-17T00:00:00-04:00' } },
  { ...nasa, name: 'NASA, 3-10 July, 5 requests a unit', group: { ...nasa.group, max: 200 }, demand: { trace, requestsPerUnit: 5, from: '1995-07-03T00:00:00-04:00' } },
  { ...nasa, name: 'NASA, 10-17 July, 20 requests a unit', demand: { trace, requestsPerUnit: 20, from: '1995-07-10T00:00:00-04:00' } },
  noisyWeek(100, 11),
  noisyWeek(10, 12),
];

const int = (n) => n.toLocaleString('en');
const cell = (r) => `${int(r.instanceMinutes)} / ${r.unservedUnitMinutes.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} / ${int(r.overloadMinutes)} / ${int(r.actions.length)}`;
const lines = ['| traffic | watchdog | target tracking | hpa |', '|---|---|---|---|'];
for (const scenario of scenarios) {
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  const out = execFileSync(process.execPath, [join(root, 'bin/asg-watchdog.js'), 'simulate', '--scenario', file, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const { policies } = JSON.parse(out);
  lines.push(`| ${scenario.name} | ${cell(policies.watchdog)} | ${cell(policies['target-tracking'])} | ${cell(policies.hpa)} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
