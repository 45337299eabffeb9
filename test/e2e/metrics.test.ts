// `watch --metrics-file`: the tick's figures for node_exporter's textfile collector. Checked by
// Prometheus' own parser and linter (`promtool check metrics`, Debian's prometheus package, which
// .ci/run installs) and read back by an npm parser of the text format to compare with the tick's
// JSON report.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { TickReport } from '../../src/tick-report.js';
import { peersClosedAfterEach, shipped, startLocal, type Local } from './local.js';
import { scratchDir } from '../scratch.js';

const peers = peersClosedAfterEach();

/** The runaway scenario's 12th tick: one instance at 100 % held for a minute, one launching. */
async function runawayTicks(metricsFile: string): Promise<{ local: Local; report: TickReport }> {
  const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
  let last = '';
  for (let minute = 0; minute < 12; minute++) {
    const r = await local.watch(['--metrics-file', metricsFile, '--json']);
    expect(r.code).toBe(0);
    last = r.stdout;
    local.server.world.advance(1);
  }
  return { local, report: JSON.parse(last) };
}

const promtool = (text: string) => spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });

describe('watch --metrics-file', () => {
  it("passes promtool's parser and naming lint, and says what the tick's JSON says", async () => {
    const dir = scratchDir('asgw-prom-');
    const file = join(dir, 'asg-watchdog-web.prom');
    const { report } = await runawayTicks(file);
    const text = readFileSync(file, 'utf8');
    const check = promtool(text);
    expect(check.error, 'promtool is on the PATH (apt-get install prometheus)').toBeUndefined();
    expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);

    const families = parsePrometheus(text);
    expect(families.every((f) => /^asg_watchdog_[a-z_]+$/.test(f.name) && f.type === 'GAUGE' && f.help.length > 0)).toBe(true);
    const value = (name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
        .map((m) => Number(m.value));
    const runaway = 'i-00000000100000000';
    expect({
      time: value('asg_watchdog_tick_timestamp_seconds'),
      inService: value('asg_watchdog_instances', { state: 'in_service' }),
      pending: value('asg_watchdog_instances', { state: 'pending' }),
      desired: value('asg_watchdog_desired_capacity'),
      cpu: value('asg_watchdog_cpu_utilization_ratio'),
      withOneFewer: value('asg_watchdog_cpu_utilization_with_one_fewer_ratio'),
      bandState: value('asg_watchdog_band_state', { state: report.band.state }),
      otherStates: value('asg_watchdog_band_state')!.reduce((a, b) => a + b, 0),
      runawayCpu: value('asg_watchdog_instance_cpu_utilization_ratio', { instance_id: runaway }),
      held: value('asg_watchdog_held_condition_seconds', { rule: 'runaway', instance_id: runaway }),
      remaining: value('asg_watchdog_held_condition_remaining_seconds', { rule: 'runaway', instance_id: runaway }),
      actions: value('asg_watchdog_action'),
      exitCode: value('asg_watchdog_tick_exit_code'),
      clockOffset: value('asg_watchdog_clock_offset_seconds'),
      groupLabel: families.every((f) => f.metrics.every((m) => m.labels?.['group'] === 'web' && m.labels['region'] === 'us-east-1')),
    }).toEqual({
      time: [Date.parse(report.time) / 1000],
      inService: [report.figures.n],
      pending: [1],
      desired: [3],
      cpu: [report.figures.avg! / 100],
      withOneFewer: [report.figures.projection1! / 100],
      bandState: [1],
      otherStates: 1,
      runawayCpu: [1],
      held: [60],
      remaining: [240],
      actions: [],
      exitCode: [0],
      clockOffset: [report.clockOffsetSeconds],
      groupLabel: true,
    });
    // Written whole, by rename, readable by node_exporter's user: no temporary file left beside it.
    expect([statSync(file).mode & 0o777, readdirSync(dir)]).toEqual([0o644, ['asg-watchdog-web.prom']]);
  });

  it('promtool tells a bad file from a good one (the check checks)', () => {
    const lint = promtool('# TYPE asg_watchdog_kills counter\nasg_watchdog_kills 1\n');
    expect([lint.status, lint.stdout + lint.stderr]).toEqual([3, expect.stringMatching(/counter metrics should have "_total" suffix/)]);
    const parse = promtool('asg-watchdog 1\n');
    expect([parse.status, parse.stdout + parse.stderr]).toEqual([1, expect.stringMatching(/text format parsing error in line 1/)]);
  });

  it('refused with --dry-run: exit 2, no file, no AWS call', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    const file = join(local.stateDir, 'web.prom');
    const r = await local.watch(['--metrics-file', file, '--dry-run']);
    expect([r.code, r.stdout, existsSync(file), local.calls()]).toEqual([2, '', false, {}]);
    expect(r.stderr).toMatch(/--metrics-file is written by real ticks/);
  });

  // A stale file reads as cron stopped; AWS failing or the group gone is another page to send.
  it.each([
    { what: 'AWS unreachable', args: ['watch', '-g', 'web', '--endpoint-url', 'http://127.0.0.1:9'], code: 1 },
    { what: 'the group not there', args: ['watch', '-g', 'nope'], code: 2 },
  ])('a tick that stops before its report ($what): the file says when, and its exit code $code', async ({ args, code }) => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    const file = join(local.stateDir, 'web.prom');
    const r = await local.cli([...args, '--metrics-file', file]);
    const metrics = parsePrometheus(readFileSync(file, 'utf8')) as Array<{ name: string; metrics: Array<{ labels: Record<string, string>; value: string }> }>;
    const group = args[2]!;
    expect({ code: r.code, check: promtool(readFileSync(file, 'utf8')).status, metrics: metrics.map((m) => ({ name: m.name, metrics: m.metrics })) }).toEqual({
      code,
      check: 0,
      metrics: [
        { name: 'asg_watchdog_tick_timestamp_seconds', metrics: [{ labels: { group, region: 'us-east-1' }, value: String(local.server.world.virtualNow() / 1000) }] },
        { name: 'asg_watchdog_tick_exit_code', metrics: [{ labels: { group, region: 'us-east-1' }, value: String(code) }] },
      ],
    });
  });

  it('a file it cannot write: the tick ran and says so, exit 1', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 5 }));
    const file = join(local.stateDir, 'no-such-dir', 'web.prom');
    const r = await local.watch(['--metrics-file', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/web: 2 in service/);
    expect(r.stderr).toBe(`asg-watchdog: the tick ran, but the metrics file ${file} could not be written: no such file or directory (ENOENT)\n`);
  });
});
