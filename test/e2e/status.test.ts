// `status`: what the watchdog saw and did, read from the group's state and history log, never from
// AWS. A runaway on the local fleet, 20 real ticks and a dry run, then every way of looking at it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMAS } from '../../src/cli/json/schemas.js';
import { BIN } from '../cli/run.js';
import { peersClosedAfterEach, shipped, startLocal, type Local } from './local.js';

const peers = peersClosedAfterEach();
const RUNAWAY = 'i-00000000100000000';

/** The runaway scenario from minute 5: 20 real ticks a minute apart (scale out at the 10th, terminate at the 15th), then one dry run. */
async function afterRunaway(configJson?: object): Promise<Local> {
  const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
  const config = configJson === undefined ? [] : ['-c', join(local.stateDir, 'config.json')];
  if (configJson !== undefined) writeFileSync(config[1]!, JSON.stringify(configJson));
  for (let minute = 0; minute < 20; minute++) {
    expect((await local.watch(config)).code).toBe(0);
    local.server.world.advance(1);
  }
  expect((await local.watch([...config, '--dry-run'])).code).toBe(0);
  local.resetCalls();
  return local;
}

const status = (local: Local, args: string[] = []) => local.cli(['status', '-g', 'web', ...args]);
const T = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ';

describe('status', () => {
  it('reads like kubectl describe: the last tick, the band, what is held, the events with their reasons; no AWS call', async () => {
    const local = await afterRunaway();
    const r = await status(local);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'Group:       web (us-east-1)',
      `State:       ${join(local.stateDir, 'us-east-1--web.json')}`,
      expect.stringMatching(new RegExp(`^Last tick:   ${T} \\(1 min ago\\)$`)),
      'Fleet:       2 in service (min 2, max 6, desired 2), average 44.4 %, with one fewer 88.8 %',
      expect.stringMatching(/^Band: {8}below the band, held by the N−1 rule: /),
      // The emergency +1's instance, launched at one tick and serving three later.
      'Launches:    3 min to serve (the one launch seen)',
      'Paused:      no',
      'Conditions:',
    ]);
    expect(r.stdout).toMatch(new RegExp(`\\nEvents since ${T} \\(20 ticks\\):\\n` +
      `  ${T}  runaway    set desired 2 → 3 \\(done\\): runaway: ${RUNAWAY} CPU 100.0 % vs 50.4 % of its working peers, first seen now; emergency \\+1\\n` +
      `  ${T}  runaway    terminate ${RUNAWAY}, desired 3 → 2 \\(done\\): runaway: ${RUNAWAY} CPU 100.0 % vs 49.7 % of its working peers for 5 min\\n`));
    expect(r.stdout).toMatch(new RegExp(`\\nAlerts:\\n  ${T}  web: ${RUNAWAY} runaway .*\\n  ${T}  web: terminated ${RUNAWAY} .*\\n$`));
    expect(local.calls()).toEqual({});
  });

  // As another user than cron's, or with another state directory, or a name mistyped: it says where it looked.
  it('a group never watched with this state directory: the State line says so; --json stateSaved false', async () => {
    const local = await afterRunaway();
    const [other, web] = [await local.cli(['status', '-g', 'webb']), JSON.parse((await status(local, ['--json'])).stdout)];
    expect([other.code, other.stdout.split('\n')[1], web.stateSaved]).toEqual([
      0,
      `State:       ${join(local.stateDir, 'us-east-1--webb.json')}: nothing saved there (no tick of webb with this state directory; cron's user may keep its own: docs/status.md)`,
      true,
    ]);
    // A file there that does not parse is no group never watched: the next tick moves it aside and says so.
    writeFileSync(join(local.stateDir, 'us-east-1--webc.json'), '{');
    const saved = async (group: string) => JSON.parse((await local.cli(['status', '-g', group, '--json'])).stdout);
    expect({ never: (await saved('webb')).stateSaved, corrupt: (await saved('webc')).stateSaved, why: (await saved('webc')).stateCorrupt }).toEqual({ never: false, corrupt: true, why: expect.stringMatching(/^not JSON: /) });
    expect((await local.cli(['status', '-g', 'webc'])).stdout.split('\n')[1]).toMatch(
      new RegExp(`^State: {7}${join(local.stateDir, 'us-east-1--webc.json')}: does not parse \\(not JSON: .*\\); the next tick moves it aside, alerts and starts afresh$`),
    );
  });

  // By hand on cron's host, whose environment file sets AWS_REGION: status makes no AWS call, and
  // the group's one state file names its region. Of two regions it asks; a table needs one to be reached.
  it('no region set: the group\'s one state file names it; of several, or with a table, exit 2 saying which', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    expect((await local.watch()).code).toBe(0);
    local.resetCalls();
    const noRegion = { AWS_REGION: '' };
    const run = async (args: string[]) => {
      const r = await local.cli(['status', '-g', 'web', ...args], noRegion);
      return { code: r.code, first: r.stdout.split('\n')[0], stderr: r.stderr.trimEnd() };
    };
    const NO_REGION = `asg-watchdog: no AWS region: pass --region, set AWS_REGION, or set region in the default profile of ${join(local.stateDir, 'no-aws-config')}`;
    const one = await run([]);
    const table = await run(['--state-table', 'asg-watchdog']);
    const elsewhere = await run(['--state-dir', join(local.stateDir, 'none')]);
    writeFileSync(join(local.stateDir, 'eu-west-1--web.json'), readFileSync(join(local.stateDir, 'us-east-1--web.json')));
    // A group of the same name plus a prefix is another group's file, not this one's.
    writeFileSync(join(local.stateDir, 'eu-west-1--my--web.json'), '{}');
    const two = await run([]);
    const chosen = await run(['--region', 'eu-west-1']);
    expect({ one, table, elsewhere, two, chosen }).toEqual({
      one: { code: 0, first: 'Group:       web (us-east-1)', stderr: '' },
      table: { code: 2, first: '', stderr: NO_REGION },
      elsewhere: { code: 2, first: '', stderr: NO_REGION },
      two: { code: 2, first: '', stderr: `asg-watchdog: web has state in ${local.stateDir} for eu-west-1, us-east-1: pass --region to say which` },
      chosen: { code: 0, first: 'Group:       web (eu-west-1)', stderr: '' },
    });
    expect(local.calls()).toEqual({});
  });

  // The clock read once for both ends of the window: read twice, a millisecond apart, --since
  // 12:00:00Z showed as 11:59:59Z (the wall clock moves between two readings; the tests' fixed one never did).
  it('--since an ISO time is that time, however the clock moves while status runs', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    expect((await local.watch()).code).toBe(0);
    const { runStatus } = await import('../../src/cli/run/status.js');
    let clock = Date.parse('2026-12-06T13:00:00.999Z');
    let stdout = '';
    const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined, env: { AWS_REGION: 'us-east-1' }, now: () => clock++ };
    await runStatus({ group: 'web', since: '2026-12-06T12:00:00Z', json: true, serve: false, port: 8080, stateDir: local.stateDir }, io);
    expect(JSON.parse(stdout).since).toBe('2026-12-06T12:00:00.000Z');
  });

  // A hung instance dropped by its balancer: the Fleet line counts it as the tick's log does.
  it('the Fleet line says what the tick saw of the instances out of their balancer', async () => {
    const local = (peers.local = await startLocal(shipped('hung-instance'), { advanceTo: 25 }));
    const tick = await local.watch();
    const fleet = (await status(local)).stdout.split('\n').find((l) => l.startsWith('Fleet:'));
    expect([tick.stdout.split('\n')[0]!.replace(/^\S+ web: /, ''), fleet]).toEqual([
      '4 in service (min 2, max 8, desired 4, 1 out of the balancer), average 83.0 %, with one fewer 83.4 %',
      'Fleet:       4 in service (min 2, max 8, desired 4, 1 out of the balancer), average 83.0 %, with one fewer 83.4 %',
    ]);
  });

  // Without -m an alert is recorded at every tick it is raised: a host clock 3 minutes behind, 4 ticks.
  it('an alert raised at consecutive ticks is one line, in its latest words', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    for (let tick = 0; tick < 4; tick++) {
      expect((await local.watch([], { ASG_WATCHDOG_NOW: String(local.server.world.virtualNow() - 180_000) })).code).toBe(0);
      local.server.world.advance(1);
    }
    const r = await status(local);
    expect(r.stdout).toMatch(new RegExp(`\\nAlerts:\\n  ${T}  web: the host's clock is 3 min \\d+ s behind AWS's .*set right \\(chrony, ntpd or systemd-timesyncd\\) \\(at each of 4 ticks to ${T}\\)\\n$`));
  });

  it('--json: the view of docs/json/status.schema.json; the dry run recorded nothing', async () => {
    const local = await afterRunaway();
    const view = JSON.parse((await status(local, ['--json'])).stdout);
    expect(JSON_SCHEMAS.status.safeParse(view).success).toBe(true);
    expect({
      ticks: view.ticks,
      last: [view.lastTick.n, view.lastTick.desired, view.lastTick.band.state, view.lastTick.action],
      actions: view.actions.map((a: { kind: string; from: number; to: number; instance: string; rule: string; outcome: string }) => [a.kind, a.from, a.to, a.instance, a.rule, a.outcome]),
      alerts: view.alerts.length,
    }).toEqual({
      ticks: 20,
      last: [2, 2, 'below-held', null],
      actions: [
        ['set-desired', 2, 3, RUNAWAY, 'runaway', 'done'],
        ['terminate', 3, 2, RUNAWAY, 'runaway', 'done'],
      ],
      alerts: 2,
    });
  });

  it.each([
    { since: '4m', ticks: 4, actions: 0 }, // the ticks of the last 4 minutes, this one's start included
    { since: '5m', ticks: 5, actions: 1 }, // ... and the terminate 5 minutes ago
    { since: '10m', ticks: 10, actions: 2 }, // ... and the scale-out
    { since: '1h', ticks: 20, actions: 2 },
  ])('--since $since: $ticks ticks, $actions actions', async ({ since, ticks, actions }) => {
    const local = await afterRunaway();
    const view = JSON.parse((await status(local, ['--since', since, '--json'])).stdout);
    expect([view.ticks, view.actions.length]).toEqual([ticks, actions]);
  });

  it('--explain: why an instance was terminated, with the figures of each tick that led to it', async () => {
    const local = await afterRunaway();
    const r = await status(local, ['--explain', RUNAWAY]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${RUNAWAY} in web: terminated at ${T} \\(done\\) by the runaway rule: runaway: ${RUNAWAY} CPU 100.0 % vs 49.7 % of its working peers for 5 min$`));
    expect(lines.slice(-6).map((l) => l.replace(new RegExp(`^  ${T}  `), ''))).toEqual([
      `load 100.0 %; runaway, held 0 of 5 min: terminate in 5 min; set desired 2 → 3 (done): runaway: ${RUNAWAY} CPU 100.0 % vs 50.4 % of its working peers, first seen now; emergency +1`,
      'load 100.0 %; runaway, held 1 of 5 min: terminate in 4 min',
      'load 100.0 %; runaway, held 2 of 5 min: terminate in 3 min',
      'load 100.0 %; runaway, held 3 of 5 min: terminate in 2 min',
      'load 100.0 %; runaway, held 4 of 5 min: terminate in 1 min',
      `load 100.0 %; runaway, held 5 of 5 min: terminate now; terminate (done): runaway: ${RUNAWAY} CPU 100.0 % vs 49.7 % of its working peers for 5 min`,
    ]);
    const json = JSON.parse((await status(local, ['--explain', RUNAWAY, '--json'])).stdout);
    expect(JSON_SCHEMAS.explain.safeParse(json).success).toBe(true);
    expect([json.ticks.length, json.ticks.at(-1).held[0].heldMinutes]).toEqual([16, 5]);
  });

  it.each([
    { who: 'a healthy instance', id: 'i-00000000100000001', verdict: new RegExp(`^i-00000000100000001 in web: no rule holds it as of ${T}: load \\d+\\.\\d %$`) },
    { who: 'an instance never seen', id: 'i-0nothere', verdict: new RegExp(`^i-0nothere in web: not seen in web since ${T}$`) },
  ])('--explain of $who', async ({ id, verdict }) => {
    const local = await afterRunaway();
    const r = await status(local, ['--explain', id]);
    expect(r.stdout.split('\n')[0]).toMatch(verdict);
  });

  it('before any real tick, and with historyLogMinutes 0: says none is recorded, and why', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    await local.watch(['--dry-run']);
    expect((await status(local)).stdout).toMatch(new RegExp(`^Last tick:   none recorded since ${T} \\(every real tick records one; dry runs none\\)$`, 'm'));
    const file = join(local.stateDir, 'config.json');
    writeFileSync(file, JSON.stringify({ historyLogMinutes: 0 }));
    await local.watch(['-c', file]);
    expect(existsSync(join(local.stateDir, 'us-east-1--web.history.jsonl'))).toBe(false);
    expect(JSON.parse((await status(local, ['--json'])).stdout).ticks).toBe(0);
  });

  it('--html writes the page, self-contained: no URL it would fetch', async () => {
    const local = await afterRunaway();
    const file = join(local.stateDir, 'web.html');
    const r = await status(local, ['--html', file]);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${file}: 20 ticks since ${T}\\n$`));
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\b(src|href)=|https?:\/\/|@import|url\(/);
  });

  it.each([
    { args: ['--since', 'yesterday'], error: /--since yesterday: expected 30m, 2h, 1d, 90s or an ISO time/ },
    { args: ['--since', '2099-01-01'], error: new RegExp(`--since 2099-01-01: that is in the future \\(it is ${T} here\\)`) },
    { args: ['--serve', '--json'], error: /--serve serves the page: without --html, --json or --explain/ },
    { args: ['--html', 'x.html', '--explain', RUNAWAY], error: /--explain is text or --json, not --html/ },
    { args: ['--serve', '--port', '70000'], error: /--port 70000: expected 0 to 65535/ },
  ])('refuses $args: one line, exit 2, nothing read or written', async ({ args, error }) => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    const r = await status(local, args);
    expect([r.code, r.stdout, r.stderr.trimEnd().split('\n').length]).toEqual([2, '', 1]);
    expect(r.stderr).toMatch(error);
    expect([existsSync('x.html'), local.calls()]).toEqual([false, {}]);
  });

  it('--serve: the page on 127.0.0.1, built afresh for each request, until SIGTERM (the real binary)', async () => {
    const local = await afterRunaway();
    const child = spawn(process.execPath, [BIN, 'status', '-g', 'web', '--serve', '--port', '0'], { env: { ...process.env, ...local.env() } });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const m = /on (http:\/\/127\.0\.0\.1:\d+\/) /.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`status --serve exited ${code}: ${stdout}`)));
    });
    const first = await fetch(url);
    expect([first.status, first.headers.get('cache-control')]).toEqual([200, 'no-store']);
    expect(await first.text()).toMatch(/<meta http-equiv="refresh" content="60">[\s\S]*runaway/);
    expect((await fetch(`${url}secrets`)).status).toBe(404);
    // A site that resolves its own name to 127.0.0.1 (DNS rebinding) is refused; a tunnel's port is not.
    expect([await statusBy(url, 'attacker.example:8080'), await statusBy(url, 'localhost:9000'), await statusBy(url, '[::1]:8080')]).toEqual([403, 200, 200]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

/** The status of a GET of `url` with this Host header (fetch may not set it). */
function statusBy(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', reject);
    req.end();
  });
}
