// `npm run bench`: every goal of docs/performance.md measured in one run, side by side with bare
// node and with the original watchdog's strategy, printed as one table (or --json). Start-up and
// ticks are the installed command (dist/, built first) against an in-process local-aws answering
// each call after 50 ms, as a region's API would; the engine and the simulator in-process.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { defaultConfig } from '../src/config/index.js';
import { decide, initialState } from '../src/engine/index.js';
import { LocalAws } from '../src/local-aws/server.js';
import { POLICY_NAMES } from '../src/sim/policies/policy.js';
import { compare } from '../src/sim/run.js';
import { loadScenario, parseScenario, type Scenario } from '../src/sim/scenario.js';
import { at, fleet } from '../test/engine/fleet.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/asg-watchdog.js');
const LATENCY_MS = 50;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const TIME = spawnSync('/usr/bin/time', ['-f', '%e', 'true']).status === 0 ? '/usr/bin/time' : null;

interface Row {
  what: string;
  value: number;
  unit: 's' | 'MiB' | 'ms' | 'calls' | '×';
  goal: string;
  met: boolean | null;
  note?: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall seconds and peak MiB of one command (GNU time's %e and %M when it is there). */
async function measure(argv: string[], env: Record<string, string> = {}): Promise<{ wall: number; peak: number | null }> {
  const command = TIME ? TIME : argv[0]!;
  const args = TIME ? ['-f', '__bench %e %M', ...argv] : argv.slice(1);
  const started = performance.now();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(err));
  });
  const wall = (performance.now() - started) / 1000;
  const m = /__bench ([\d.]+) (\d+)/.exec(stderr);
  return { wall, peak: m ? Number(m[2]) / 1024 : null };
}

async function medianOf(argv: string[], env: Record<string, string> = {}, runs = RUNS) {
  const walls: number[] = [];
  const peaks: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await measure(argv, env);
    walls.push(r.wall);
    if (r.peak !== null) peaks.push(r.peak);
  }
  return { wall: median(walls), peak: peaks.length ? median(peaks) : null };
}

function fleetOf(size: number): Scenario {
  return parseScenario(
    {
      version: 1,
      name: `fleet-${size}`,
      durationMinutes: 600,
      seed: 5,
      group: { name: 'web', min: 1, max: size * 2, desired: size, launchMinutes: 3, loadBalancer: 'target-group' },
      demand: [[0, size * 0.6]],
      noise: 0.02,
    },
    'bench',
  );
}

const scratch: string[] = [];
/** A state directory for one measurement, removed when the benchmark exits. */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'asgw-bench-'));
  scratch.push(dir);
  return dir;
}
process.on('exit', () => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const awsEnv = (url: string, stateDir: string) => ({
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: url,
  ASG_WATCHDOG_STATE_DIR: stateDir,
  ASG_WATCHDOG_LOCK_DIR: join(stateDir, 'locks'),
});

/** A dry-run tick over a fleet of `size`, launch times unknown (no state) and known (state from a real tick first). */
async function dryRuns(size: number) {
  const server = new LocalAws(fleetOf(size), { port: 0, speed: 0, advanceTo: 30, latencyMs: LATENCY_MS });
  const url = await server.listen();
  try {
    const fresh = scratchDir();
    const env = { ...awsEnv(url, fresh), ASG_WATCHDOG_NOW: String(server.world.virtualNow()) };
    server.resetCallCounts();
    await measure(['node', BIN, 'watch', '-g', 'web', '--dry-run'], env);
    const callsUnknown = Object.values(server.callCounts()).reduce((a, b) => a + b, 0);
    const unknown = await medianOf(['node', BIN, 'watch', '-g', 'web', '--dry-run'], env, Math.min(RUNS, 3));
    const known = scratchDir();
    const knownEnv = { ...awsEnv(url, known), ASG_WATCHDOG_NOW: String(server.world.virtualNow()) };
    await measure(['node', BIN, 'watch', '-g', 'web'], knownEnv);
    server.resetCallCounts();
    await measure(['node', BIN, 'watch', '-g', 'web', '--dry-run'], knownEnv);
    const callsKnown = Object.values(server.callCounts()).reduce((a, b) => a + b, 0);
    const knownRun = await medianOf(['node', BIN, 'watch', '-g', 'web', '--dry-run'], knownEnv, Math.min(RUNS, 3));
    return { unknown, known: knownRun, callsUnknown, callsKnown };
  } finally {
    await server.close();
  }
}

/** The original's way: one GetMetricStatistics per instance, one after another. */
async function originalStrategy(size: number): Promise<number> {
  const server = new LocalAws(fleetOf(size), { port: 0, speed: 0, advanceTo: 30, latencyMs: LATENCY_MS });
  const url = await server.listen();
  const cw = new CloudWatchClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  try {
    const now = server.world.virtualNow();
    const started = performance.now();
    for (const instance of server.world.groups.get('web')!.inService) {
      await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: instance.id }], StartTime: new Date(now - 600_000), EndTime: new Date(now), Period: 60, Statistics: ['Average'] }));
    }
    return (performance.now() - started) / 1000;
  } finally {
    cw.destroy();
    await server.close();
  }
}

/**
 * 50 groups of 20 instances in one region: one `watch -c FILE` run against 50 `watch -g` runs (one
 * cron line each), all real ticks with their state from a first run (launch times known).
 */
async function manyGroups(groups: number, size: number) {
  const server = new LocalAws(fleetOf(size), { port: 0, speed: 0, advanceTo: 30, latencyMs: LATENCY_MS, extraGroups: groups - 1 });
  const url = await server.listen();
  try {
    const names = ['web', ...Array.from({ length: groups - 1 }, (_, i) => `web-${String(i + 1).padStart(3, '0')}`)];
    const dir = scratchDir();
    const file = join(dir, 'fleet.yaml');
    writeFileSync(file, `groups:\n${names.map((n) => `  - name: ${n}`).join('\n')}\n`);
    const env = { ...awsEnv(url, join(dir, 'one')), ASG_WATCHDOG_NOW: String(server.world.virtualNow()) };
    const separateEnv = { ...awsEnv(url, join(dir, 'separate')), ASG_WATCHDOG_NOW: String(server.world.virtualNow()) };
    await measure(['node', BIN, 'watch', '-c', file], env);
    await Promise.all(names.map((n) => measure(['node', BIN, 'watch', '-g', n], separateEnv)));
    server.resetCallCounts();
    await measure(['node', BIN, 'watch', '-c', file], env);
    const depth = server.roundTripDepth();
    const calls = Object.values(server.callCounts()).reduce((a, b) => a + b, 0);
    const one = await medianOf(['node', BIN, 'watch', '-c', file], env, Math.min(RUNS, 3));
    const started = performance.now();
    for (const n of names) await measure(['node', BIN, 'watch', '-g', n], separateEnv);
    const inTurn = (performance.now() - started) / 1000;
    const atOnce = performance.now();
    server.resetCallCounts();
    await Promise.all(names.map((n) => measure(['node', BIN, 'watch', '-g', n], separateEnv)));
    const together = (performance.now() - atOnce) / 1000;
    const separateCalls = Object.values(server.callCounts()).reduce((a, b) => a + b, 0);
    return { one: one.wall, peak: one.peak, depth, calls, inTurn, together, separateCalls };
  } finally {
    await server.close();
  }
}

function decideMs(size: number): number {
  const loads = Array.from({ length: size }, (_, i) => (i === 0 ? { load: 100 } : i === 1 ? { load: 1, lb: 'out' as const } : { points: [70 + ((i * 7) % 13), 71 + ((i * 5) % 11), 72, 73, 74] }));
  const snapshot = fleet(at(10), loads, { min: 2, max: size * 2 });
  const state = decide(fleet(at(9), loads, { min: 2, max: size * 2 }), initialState(), defaultConfig, at(9)).state;
  for (let i = 0; i < 20; i++) decide(snapshot, state, defaultConfig, at(10));
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    decide(snapshot, state, defaultConfig, at(10));
    times.push(performance.now() - t);
  }
  return median(times);
}

function simulateWeekSeconds(): number {
  const scenario = loadScenario(join(ROOT, 'scenarios/week.json'));
  const t = performance.now();
  compare(scenario, POLICY_NAMES);
  return (performance.now() - t) / 1000;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const rows: Row[] = [];
  const node = await medianOf(['node', '-e', '0']);
  rows.push({ what: 'bare node -e 0', value: node.wall, unit: 's', goal: '', met: null, note: node.peak ? `${node.peak.toFixed(0)} MiB` : '' });
  for (const flag of ['--version', '--help']) {
    const r = await medianOf(['node', BIN, flag]);
    rows.push({ what: `${flag}`, value: r.wall / node.wall, unit: '×', goal: '≤ 2× bare node', met: r.wall <= 2 * node.wall, note: `${r.wall.toFixed(2)} s` });
    if (r.peak !== null) rows.push({ what: `${flag} peak`, value: r.peak, unit: 'MiB', goal: '≤ 60', met: r.peak <= 60 });
  }
  const goals: Record<number, { wall: number; peak: number | null; calls: number | null }> = { 2: { wall: 0.5, peak: 80, calls: null }, 1000: { wall: 0.8, peak: null, calls: 5 }, 10000: { wall: 2.0, peak: 150, calls: 32 } };
  for (const size of [2, 1_000, 10_000]) {
    const d = await dryRuns(size);
    const g = goals[size]!;
    for (const [label, r] of [['launch times unknown', d.unknown], ['launch times known', d.known]] as const) {
      rows.push({ what: `watch --dry-run, ${size.toLocaleString('en')} instances, ${label}`, value: r.wall, unit: 's', goal: `≤ ${g.wall}`, met: r.wall <= g.wall });
      if (r.peak !== null && g.peak !== null) rows.push({ what: `  peak`, value: r.peak, unit: 'MiB', goal: `≤ ${g.peak}`, met: r.peak <= g.peak });
    }
    if (g.calls !== null) {
      // The first tick also reads the target group's cross-zone setting, taken from its balancer
      // (3 calls, once an hour), and the group's own scaling policies (1, every 10 minutes).
      rows.push({ what: `AWS calls, ${size.toLocaleString('en')} instances, first tick`, value: d.callsUnknown, unit: 'calls', goal: `≤ ${g.calls} + 4`, met: d.callsUnknown <= g.calls + 4 });
      rows.push({ what: `AWS calls, ${size.toLocaleString('en')} instances, launch times known`, value: d.callsKnown, unit: 'calls', goal: `≤ ${g.calls}`, met: d.callsKnown <= g.calls });
    }
    if (size === 1_000) {
      const original = await originalStrategy(size);
      rows.push({ what: "the original's strategy, 1,000 instances (1 call each, in turn)", value: original / d.known.wall, unit: '×', goal: '≥ 50× slower', met: original / d.known.wall >= 50, note: `${original.toFixed(1)} s` });
    }
  }
  const many = await manyGroups(50, 20);
  rows.push({ what: 'watch -c, 50 groups of 20 instances, one run', value: many.one, unit: 's', goal: '≤ 1.5', met: many.one <= 1.5, note: many.peak ? `${many.peak.toFixed(0)} MiB` : '' });
  rows.push({ what: '  round trips deep', value: many.depth, unit: 'calls', goal: '≤ 6', met: many.depth <= 6, note: `${many.calls} calls` });
  rows.push({ what: '  50 separate runs in turn (50 cron lines, one host)', value: many.inTurn / many.one, unit: '×', goal: '', met: null, note: `${many.inTurn.toFixed(1)} s, ${many.separateCalls} calls` });
  rows.push({ what: '  50 separate runs at once', value: many.together / many.one, unit: '×', goal: '', met: null, note: `${many.together.toFixed(1)} s` });
  const ms = decideMs(10_000);
  rows.push({ what: 'decide(), 10,000 instances, median', value: ms, unit: 'ms', goal: '≤ 5', met: ms <= 5 });
  const week = simulateWeekSeconds();
  rows.push({ what: 'simulate week, all six policies', value: week, unit: 's', goal: '≤ 3', met: week <= 3 });

  if (json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, latencyMs: LATENCY_MS, runs: RUNS, rows })}\n`);
    return;
  }
  process.stdout.write(`asg-watchdog bench: Node ${process.version}, ${LATENCY_MS} ms per AWS call, median of ${RUNS} runs (3 for ticks)\n`);
  const width = Math.max(...rows.map((r) => r.what.length));
  for (const r of rows) {
    const value = r.unit === 'calls' ? String(r.value) : r.unit === '×' ? `${r.value.toFixed(1)}×` : `${r.value.toFixed(r.unit === 'MiB' ? 0 : 2)} ${r.unit}`;
    const verdict = r.met === null ? '' : r.met ? 'ok' : 'MISSED';
    process.stdout.write(`${r.what.padEnd(width)}  ${value.padStart(9)}  ${r.goal.padEnd(15)} ${verdict.padEnd(6)} ${r.note ?? ''}`.trimEnd() + '\n');
  }
}

await main();
