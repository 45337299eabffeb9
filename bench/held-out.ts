// The engine's defaults were chosen on the shipped scenarios. This runs it on traffic they were not
// chosen on (docs/performance.md, "Held out"): two other weeks of the NASA trace, the first week at
// other scales, and the shipped `week` with Poisson noise on its requests; then three days of each
// of twelve made-up shapes (spikes, steps, a sawtooth, heavy noise, outages, match-day crowds,
// front-page stories, fleets of one and of hundreds). All seeded, so every run is the same. Prints two markdown
// tables. `npm run held-out`; `npm run held-out -- --frontier` adds a third: each policy over its
// knob on the same traffic, and where the watchdog's curve lies against the others' (a few minutes);
// `-- --draws N` one more: the Poisson weeks and each shape drawn N more times, how far a row is luck;
// `-- --take-back` one more: the take-back (takeBackSurges) on bursts that come alone and in pairs;
// `-- --frontier-draws N` one more: the frontier on N more draws of the Poisson weeks and each shape;
// `-- --goals N` one more: in how many runs issue 11's goals hold, the table's draw and N more;
// `-- --reversals` one more, of the same runs: how often each policy turned back on itself;
// `-- --sizes` one more: the same traffic on a mixed instances policy of two and three sizes.
import { join } from 'node:path';
import { dominance, frontier, type Dominance } from '../src/sim/frontier.js';
import { GOAL_WORDS, GOALS, goalsMet, outdone, type Goal } from '../src/sim/goals.js';
import { compare, SAME_FIGURE, type PolicyReport } from '../src/sim/run.js';
import { seededRandom } from '../src/sim/random.js';
import { loadScenario, parseScenario, type Scenario } from '../src/sim/scenario.js';
import { readFileSync } from 'node:fs';
import { int, reportCell } from './cells.js';

const ROOT = new URL('..', import.meta.url).pathname;
/** `--draws N` (below), checked before any table is printed. */
const drawsFlag = process.argv.indexOf('--draws');
const draws = drawsFlag < 0 ? 0 : Number(process.argv[drawsFlag + 1]);
if (drawsFlag >= 0 && !(Number.isInteger(draws) && draws >= 1)) {
  process.stderr.write(`held-out: --draws wants a whole number of draws, not ${process.argv[drawsFlag + 1] ?? 'nothing'}\n`);
  process.exit(2);
}
/** `--goals N` (below), likewise: the table's draw and N more, N at least 0. */
const goalsFlag = process.argv.indexOf('--goals');
const goalDraws = goalsFlag < 0 ? -1 : Number(process.argv[goalsFlag + 1]);
if (goalsFlag >= 0 && !(Number.isInteger(goalDraws) && goalDraws >= 0)) {
  process.stderr.write(`held-out: --goals wants a whole number of more draws, not ${process.argv[goalsFlag + 1] ?? 'nothing'}\n`);
  process.exit(2);
}
const shipped = (name: string) => JSON.parse(readFileSync(join(ROOT, `scenarios/${name}.json`), 'utf8')) as Record<string, unknown> & { group: Record<string, unknown> };
const nasa = shipped('nasa-week');
const trace = join(ROOT, 'traces/nasa_jul95.csv');

/** How far apart the seeds of one traffic's draws are (no two traffics' seeds meet). */
const DRAW_SEEDS = 100;
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

/** The shipped week at 100 and at 10 requests a unit; draw 0 is the table's, draw d > 0 (`--draws`) other requests. */
const noisyWeeksAt = (draw: number): Scenario[] => [noisyWeek(100, 11 + DRAW_SEEDS * draw), noisyWeek(10, 12 + DRAW_SEEDS * draw)];

const noisyWeeks = noisyWeeksAt(0);

const nasaAt = (name: string, from: string, requestsPerUnit: number, max = 40): Scenario =>
  parseScenario({ ...nasa, name, group: { ...nasa.group, max }, demand: { trace, requestsPerUnit, from } }, name, ROOT);

const scenarios = [
  nasaAt('NASA, 10-17 July', '1995-07-10T00:00:00-04:00', 10),
  nasaAt('NASA, 17-24 July', '1995-07-17T00:00:00-04:00', 10),
  nasaAt('NASA, 3-10 July, 5 requests a unit', '1995-07-03T00:00:00-04:00', 5, 200),
  nasaAt('NASA, 10-17 July, 20 requests a unit', '1995-07-10T00:00:00-04:00', 20),
  ...noisyWeeks,
];

const week = loadScenario(join(ROOT, 'scenarios/week.json'));
const DAYS3 = 3 * 1440;
/**
 * Three days of `demand(minute, normal)` on the shipped week's group (max 40 unless told), 2 % noise
 * per instance. Draw 0 is the table's; draw d > 0 (`--draws`) seeds the demand and the instances'
 * noise afresh.
 */
function shape(name: string, seed: number, draw: number, demand: (m: number, normal: () => number) => number, max = 40): Scenario {
  const random = seededRandom(seed + DRAW_SEEDS * draw);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const perMinute = Float64Array.from({ length: DAYS3 }, (_, m) => Math.max(0, demand(m, normal)));
  return { ...week, name, durationMinutes: DAYS3, noise: 0.02, group: { ...week.group, max }, perMinute, seed: week.seed + DRAW_SEEDS * draw };
}
/** A day from 2 to 10 units and back, lowest at midnight. */
const diurnal = (m: number) => 6 + 4 * Math.sin((2 * Math.PI * (m % 1440)) / 1440 - Math.PI / 2);
/** The crowd a televised match draws to a news or sports site: it arrives over 15 minutes, stays 105, and leaves over 12; ×3 at 16:30, ×4 at 21:00. */
function matchCrowd(minuteOfDay: number): number {
  const crowd = (start: number, times: number) => {
    const t = minuteOfDay - start;
    const share = t < 0 || t > 132 ? 0 : t < 15 ? t / 15 : t <= 120 ? 1 : 1 - (t - 120) / 12;
    return 1 + (times - 1) * share;
  };
  return Math.max(crowd(990, 3), crowd(1260, 4));
}
/**
 * Stories reaching a news site's front page (Menéame's own traffic): 3 to 8 a day between 7:00 and
 * 23:00, each adding 1 to 4 times the day's level over 2 to 6 minutes, then halving every 15 to 90.
 */
function frontPage(seed: number): (m: number) => number {
  const random = seededRandom(seed);
  const stories: Array<{ start: number; lift: number; rise: number; halfLife: number }> = [];
  for (let day = 0; day < 3; day++) {
    const count = 3 + Math.floor(6 * random());
    for (let i = 0; i < count; i++) stories.push({ start: day * 1440 + 420 + Math.floor(960 * random()), lift: 1 + 3 * random(), rise: 2 + Math.floor(5 * random()), halfLife: 15 + 75 * random() });
  }
  return (m) => {
    let times = 1;
    for (const { start, lift, rise, halfLife } of stories) {
      const t = m - start;
      if (t >= 0) times += lift * (t < rise ? t / rise : 0.5 ** ((t - rise) / halfLife));
    }
    return times;
  };
}
/** The made-up shapes, each its own seed; draw 0 is the published table's. */
function shapesAt(draw: number): Scenario[] {
  const stories = frontPage(12 + DRAW_SEEDS * draw);
  return [
    shape('a cron job: ×2 for 5 min every hour', 1, draw, (m) => (m % 60 < 5 ? 10 : 5)),
    shape('steps: 3 ↔ 8 units every 2 h', 2, draw, (m) => (Math.floor(m / 120) % 2 ? 8 : 3)),
    shape('a sawtooth: 3 → 9 units in 50 min, then back', 3, draw, (m) => 3 + 6 * ((m % 50) / 50)),
    shape('a day, 20 % lognormal noise a minute', 4, draw, (m, normal) => diurnal(m) * Math.exp(0.2 * normal() - 0.02)),
    shape('a day, 40 % lognormal noise a minute', 5, draw, (m, normal) => diurnal(m) * Math.exp(0.4 * normal() - 0.08)),
    shape('a day, no traffic 10:00-10:30, then all back', 6, draw, (m) => (m % 1440 >= 600 && m % 1440 < 630 ? 0 : diurnal(m))),
    shape('a slow climb, 2 → 20 units in 3 days', 7, draw, (m) => 2 + (18 * m) / DAYS3),
    shape('a fleet of one or two: 0.5 to 2 units', 8, draw, (m, normal) => 1.25 + 0.75 * Math.sin((2 * Math.PI * m) / 1440) + 0.1 * normal()),
    shape('a fleet of hundreds: 40 to 200 units, 3 % noise', 9, draw, (m, normal) => 20 * diurnal(m) * (1 + 0.03 * normal()), 400),
    shape('a day, ×3 for 20 min at noon', 10, draw, (m) => diurnal(m) * (m % 1440 >= 720 && m % 1440 < 740 ? 3 : 1)),
    shape('match days: ×3 and ×4 for 2 h at 16:30 and 21:00, 3 % noise', 11, draw, (m, normal) => diurnal(m) * matchCrowd(m % 1440) * (1 + 0.03 * normal())),
    shape('front-page stories: 3-8 a day, +1× to +4× in minutes, halving every 15-90 min, 3 % noise', 12, draw, (m, normal) => diurnal(m) * stories(m) * (1 + 0.03 * normal()), 80),
  ];
}
const shapes = shapesAt(0);

const cell = (r: PolicyReport) => reportCell(r);
/** `23 in 255`: the reversals among the actions (src/sim/reversals.ts). */
const turns = (r: PolicyReport) => `${int(r.reversals)} in ${int(r.actions.length)}`;
const reversalRows: string[] = [];
function table(first: string, list: Scenario[]): string {
  const lines = [`| ${first} | watchdog | target tracking | hpa |`, '|---|---|---|---|'];
  for (const scenario of list) {
    const { policies } = compare(scenario, ['watchdog', 'target-tracking', 'hpa']).comparison;
    lines.push(`| ${scenario.name} | ${cell(policies.watchdog!)} | ${cell(policies['target-tracking']!)} | ${cell(policies.hpa!)} |`);
    reversalRows.push(`| ${scenario.name} | ${turns(policies.watchdog!)} | ${turns(policies['target-tracking']!)} | ${turns(policies.hpa!)} |`);
  }
  return lines.join('\n');
}
process.stdout.write(`${table('traffic', scenarios)}\n\n${table('three days of', shapes)}\n`);

/** `--reversals`: of the same runs, the changes of desired that turned back on the one before within 10 minutes, among the actions. */
if (process.argv.includes('--reversals')) {
  process.stdout.write(`\n${['| traffic: reversals in actions | watchdog | target tracking | hpa |', '|---|---|---|---|', ...reversalRows].join('\n')}\n`);
}

/** `12 of 13`: the rival's points where the watchdog's curve is as low or lower, of those within its range of cost. */
const share = (d: Dominance) => `${d.atOrBelow} of ${d.compared}`;
if (process.argv.includes('--frontier')) {
  const lines = ['| traffic | target tracking: unserved, overload min | hpa: unserved, overload min |', '|---|---|---|'];
  for (const scenario of [...scenarios, ...shapes]) {
    const { curves } = frontier(scenario, ['watchdog', 'target-tracking', 'hpa']);
    const [watchdog, ...rivals] = curves;
    const unserved = dominance(watchdog!, rivals);
    const overload = dominance(watchdog!, rivals, 'overloadMinutes');
    lines.push(`| ${scenario.name} | ${share(unserved[0]!)}, ${share(overload[0]!)} | ${share(unserved[1]!)}, ${share(overload[1]!)} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/**
 * `--frontier-draws N`: the frontier again on N more draws of the Poisson weeks and each made-up
 * shape (as `--draws` draws them): over all of them, at how many of each rival's points the
 * watchdog's curve is as low or lower, and the worst draw. One draw's frontier can flatter a
 * curve as one draw's defaults can.
 */
const frontierDrawsFlag = process.argv.indexOf('--frontier-draws');
const frontierDraws = frontierDrawsFlag < 0 ? 0 : Number(process.argv[frontierDrawsFlag + 1]);
if (frontierDraws > 0) {
  const drawn = [...noisyWeeks, ...shapes];
  const counts = drawn.map(() => [] as Dominance[][]);
  for (let draw = 1; draw <= frontierDraws; draw++) {
    [...noisyWeeksAt(draw), ...shapesAt(draw)].forEach((scenario, i) => {
      const [watchdog, ...rivals] = frontier(scenario, ['watchdog', 'target-tracking', 'hpa']).curves;
      counts[i]!.push([...dominance(watchdog!, rivals), ...dominance(watchdog!, rivals, 'overloadMinutes')]);
    });
  }
  /** `40 of 42 (worst 12 of 14)` over the draws, for the rival and figure at `k` (tt, hpa on unserved; tt, hpa on overload). */
  const over = (runs: Dominance[][], k: number) => {
    const all = runs.map((r) => r[k]!);
    const worst = all.reduce((a, b) => (b.atOrBelow - b.compared < a.atOrBelow - a.compared ? b : a));
    const sum = (f: (d: Dominance) => number) => all.reduce((t, d) => t + f(d), 0);
    return `${sum((d) => d.atOrBelow)} of ${sum((d) => d.compared)} (worst ${share(worst)})`;
  };
  const lines = [
    `| traffic, ${frontierDraws} more draws | target tracking: unserved | overload min | hpa: unserved | overload min |`,
    '|---|---|---|---|---|',
  ];
  drawn.forEach((scenario, i) => lines.push(`| ${scenario.name} | ${[0, 2, 1, 3].map((k) => over(counts[i]!, k)).join(' | ')} |`));
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/**
 * `--draws N`: the Poisson weeks and each made-up shape drawn N more times (the requests, or the
 * shape's randomness and the instances' noise, seeded afresh), against each peer at the defaults:
 * the median and range of the watchdog's cost difference, in how many draws it left as little
 * unserved demand or less (within SAME_FIGURE, a hundredth of a unit-minute), and its
 * actions against target tracking's. One draw can flatter or wrong a policy; the spread says how
 * far a table row is luck.
 */
type Peers = Record<'watchdog' | 'target-tracking' | 'hpa', PolicyReport>;
if (draws > 0) {
  const drawn = [...noisyWeeks, ...shapes];
  const rows = drawn.map(() => [] as Peers[]);
  for (let draw = 1; draw <= draws; draw++) {
    [...noisyWeeksAt(draw), ...shapesAt(draw)].forEach((scenario, i) => rows[i]!.push(compare(scenario, ['watchdog', 'target-tracking', 'hpa']).comparison.policies as Peers));
  }
  /** The median and range of the draws, as `+0.8 % (−2.2 to +2.5)`; one figure when they all agree. */
  const spread = (values: number[], format: (x: number) => string, unit: string) => {
    const sorted = values.map(format).sort((a, b) => Number(a.replace('−', '-')) - Number(b.replace('−', '-')));
    const [low, median, high] = [sorted[0]!, sorted[Math.floor((sorted.length - 1) / 2)]!, sorted.at(-1)!];
    return low === high ? `${median} ${unit}, every draw` : `${median} ${unit} (${low} to ${high})`;
  };
  const percent = (x: number) => (Math.abs(x) < 0.05 ? '0.0' : `${x > 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`);
  const times = (x: number) => x.toFixed(2);
  /** The scale-outs among a policy's actions: each one a launch, where a scale-in only stops instances. */
  const scaleOuts = (report: PolicyReport) => report.actions.filter((a) => a.kind === 'set-desired' && a.to > a.from).length;
  const against = (runs: (typeof rows)[number], peer: 'target-tracking' | 'hpa') => {
    const cost = spread(runs.map((r) => (100 * (r.watchdog.instanceMinutes - r[peer].instanceMinutes)) / r[peer].instanceMinutes), percent, '%');
    const served = runs.filter((r) => r.watchdog.unservedUnitMinutes <= r[peer].unservedUnitMinutes + SAME_FIGURE).length;
    return `${cost} | ${served} of ${runs.length}`;
  };
  const lines = [
    `| traffic, ${draws} more draws | cost against target tracking | as little unserved | cost against the HPA | as little unserved | actions against target tracking | of them scale-outs |`,
    '|---|---|---|---|---|---|---|',
  ];
  drawn.forEach((scenario, i) => {
    const runs = rows[i]!;
    const actions = spread(runs.map((r) => r.watchdog.actions.length / Math.max(1, r['target-tracking'].actions.length)), times, '×');
    const outs = spread(runs.map((r) => scaleOuts(r.watchdog) / Math.max(1, scaleOuts(r['target-tracking']))), times, '×');
    lines.push(`| ${scenario.name} | ${against(runs, 'target-tracking')} | ${against(runs, 'hpa')} | ${actions} | ${outs} |`);
  });
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/**
 * `--goals N`: issue 11's goals (src/sim/goals.ts) on the held-out traffic: each NASA week once, the
 * Poisson weeks and each made-up shape in the table's draw and N more. Per traffic, in how many runs
 * the watchdog met every goal, and each goal alone: what it fails on where it does.
 */
if (goalsFlag >= 0) {
  // The NASA weeks are the same in every draw; the Poisson weeks and the shapes are drawn again.
  const fixed = scenarios.slice(0, -noisyWeeks.length);
  const drawn = [...noisyWeeks, ...shapes];
  type Run = Record<Goal, boolean> & { outdone: boolean };
  const runs = [...fixed, ...drawn].map(() => [] as Run[]);
  const meet = (scenario: Scenario): Run => {
    const { watchdog, 'target-tracking': targetTracking, oracle } = compare(scenario, ['watchdog', 'target-tracking', 'oracle']).comparison.policies;
    return { ...goalsMet({ watchdog: watchdog!, targetTracking: targetTracking!, oracle: oracle! }), outdone: outdone(watchdog!, targetTracking!) };
  };
  fixed.forEach((scenario, i) => runs[i]!.push(meet(scenario)));
  for (let draw = 0; draw <= goalDraws; draw++) {
    [...noisyWeeksAt(draw), ...shapesAt(draw)].forEach((scenario, i) => runs[fixed.length + i]!.push(meet(scenario)));
  }
  const count = (list: Run[], met: (r: Run) => boolean) => `${list.filter(met).length} of ${list.length}`;
  const row = (name: string, list: Run[]) =>
    `| ${name} | ${count(list, (r) => GOALS.every((g) => r[g]))} | ${GOALS.map((g) => count(list, (r) => r[g])).join(' | ')} | ${count(list, (r) => r.outdone)} |`;
  const lines = [
    `| traffic, the table's draw and ${goalDraws} more | every goal | ${GOALS.map((g) => GOAL_WORDS[g]).join(' | ')} | outdone |`,
    `|---|---|${GOALS.map(() => '---|').join('')}---|`,
    ...[...fixed, ...drawn].map((scenario, i) => row(scenario.name, runs[i]!)),
    row('all', runs.flat()),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/**
 * `--take-back`: the watchdog at the defaults beside it without the take-back (takeBackSurges
 * false; docs/algorithm.md, rule 7) and target tracking, on bursts shorter than a launch: alone,
 * a burst's step is waste the take-back returns; in pairs, the second finds the fleet it returned
 * to, once a day.
 */
if (process.argv.includes('--take-back')) {
  const bursts = [
    shapes[0]!,
    shape('×3 for 3 min every 45 min', 1, 0, (m) => (m % 45 < 3 ? 15 : 5)),
    shape('×2 for 5 min and again 8 min later, every hour', 1, 0, (m) => (m % 60 < 5 || (m % 60 >= 13 && m % 60 < 18) ? 10 : 5)),
    shape('×2 for 5 min and again 12 min later, every hour', 1, 0, (m) => (m % 60 < 5 || (m % 60 >= 17 && m % 60 < 22) ? 10 : 5)),
  ];
  const lines = ['| three days of | watchdog | without the take-back | target tracking |', '|---|---|---|---|'];
  for (const scenario of bursts) {
    const { policies } = compare(scenario, ['watchdog', 'target-tracking']).comparison;
    const without = compare({ ...scenario, config: { ...scenario.config, takeBackSurges: false } }, ['watchdog']).comparison.policies;
    lines.push(`| ${scenario.name} | ${cell(policies.watchdog!)} | ${cell(without.watchdog!)} | ${cell(policies['target-tracking']!)} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

/**
 * `--sizes`: the held-out traffic on a mixed instances policy (docs/simulation.md: types launched
 * in turn behind round robin, so the smaller run hotter): the watchdog on c5.larges alone, with
 * c5.xlarges, and with c5.2xlarges too, beside target tracking and the oracle on the three sizes;
 * and every healthy instance any of them killed (none is the rule).
 */
if (process.argv.includes('--sizes')) {
  const MIXES = [['c5.large', 'c5.xlarge'], ['c5.large', 'c5.xlarge', 'c5.2xlarge']];
  const lines = [
    '| traffic | watchdog: c5.large only | c5.large + c5.xlarge | three sizes | target tracking: three sizes | oracle: three sizes |',
    '|---|---|---|---|---|---|',
  ];
  let healthyKills = 0;
  let runs = 0;
  for (const scenario of [...scenarios, ...shapes]) {
    const [two, three] = MIXES.map((types) => compare({ ...scenario, group: { ...scenario.group, types } }, ['watchdog', 'target-tracking', 'oracle']).comparison.policies);
    const alone = compare(scenario, ['watchdog']).comparison.policies.watchdog!;
    for (const report of [alone, two!.watchdog!, three!.watchdog!]) healthyKills += report.terminations.healthy;
    runs += 3;
    const cells = [alone, two!.watchdog!, three!.watchdog!, three!['target-tracking']!, three!.oracle!].map((r) => reportCell(r, false));
    lines.push(`| ${scenario.name} | ${cells.join(' | ')} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\nHealthy instances the watchdog killed in these ${runs} runs: ${healthyKills}.\n`);
}
