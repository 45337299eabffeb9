// `watch -c FILE` with "groups": many groups in one process, read together per region, each with
// its own state, lock, decision and exit code; one failing never stops the others. Three
// endpoints stand for three regions, reached through profiles of an AWS config file as an
// operator would: us-east-1 (47 groups), eu-west-1 (2, one of them also named web) and
// ap-south-1, whose endpoint nothing answers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JSON_SCHEMAS } from '../../src/cli/json/schemas.js';
import { LocalAws } from '../../src/local-aws/server.js';
import { lockGroup } from '../../src/state/group-lock.js';
import { inProcess } from '../cli/run.js';
import { fleetScenario, MUTATING } from './local.js';
import { scratchDir } from '../scratch.js';

const EAST = 47;
let servers: LocalAws[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Each call answered after 50 ms, as a region's API would: calls that wait on each other then show as a chain (roundTripDepth). */
async function serve(region: string, groups: number): Promise<{ server: LocalAws; url: string }> {
  const server = new LocalAws(fleetScenario(2), { port: 0, speed: 0, advanceTo: 40, region, extraGroups: groups - 1, latencyMs: 50 });
  servers.push(server);
  return { server, url: await server.listen() };
}

const names = (count: number) => ['web', ...Array.from({ length: count - 1 }, (_, i) => `web-${String(i + 1).padStart(3, '0')}`)];

/** The three regions, an AWS config file with a profile for each, and a fleet file of 50 groups. */
async function fleet(extra = '') {
  const [east, west] = [await serve('us-east-1', EAST), await serve('eu-west-1', 2)];
  const dir = scratchDir('asgw-many-');
  const profile = (name: string, region: string, url: string) => `[${name}]\nregion = ${region}\nendpoint_url = ${url}\naws_access_key_id = test\naws_secret_access_key = test\n`;
  writeFileSync(
    join(dir, 'aws-config'),
    [profile('default', 'us-east-1', east.url), profile('profile west', 'eu-west-1', west.url), profile('profile broken', 'ap-south-1', 'http://127.0.0.1:1')].join('\n'),
  );
  const file = join(dir, 'fleet.yaml');
  const groups = [...names(EAST).map((n) => `  - name: ${n}`), ...names(2).map((n) => `  - name: ${n}\n    profile: west`), '  - name: checkout\n    profile: broken'];
  writeFileSync(file, `high: 80\n${extra}groups:\n${groups.join('\n')}\n`);
  const env = {
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_REGION: '',
    ASG_WATCHDOG_NOW: String(east.server.world.virtualNow()),
    ASG_WATCHDOG_STATE_DIR: join(dir, 'state'),
    ASG_WATCHDOG_LOCK_DIR: join(dir, 'locks'),
  };
  return { east, west, dir, file, run: (args: string[] = []) => inProcess(['watch', '-c', file, ...args], env), cli: (args: string[]) => inProcess(args, env) };
}

describe('watch -c FILE: every group of the file in one run', () => {
  it("50 groups in three regions: one read per region, every group its own tick, the dead endpoint's group alone fails", async () => {
    const { east, west, dir, run } = await fleet();
    const r = await run();
    const lines = r.stdout.trimEnd().split('\n');
    const nextMinute = async () => {
      east.server.resetCallCounts();
      const code = (await run()).code;
      return { code, depth: east.server.roundTripDepth(), calls: east.server.callCounts() };
    };
    expect({
      code: r.code,
      stderr: r.stderr,
      summary: lines.at(-1)!.replace(/^\S+ /, ''),
      firstLines: lines.filter((l) => / in service /.test(l)).length,
      labels: ['us-east-1/web', 'eu-west-1/web', 'web-046', 'eu-west-1/web-001'].map((label) => lines.some((l) => l.includes(` ${label}: 2 in service`))),
      broken: lines.filter((l) => / checkout: /.test(l)).map((l) => l.replace(/^\S+ /, '')),
      // One DescribeAutoScalingGroups and one GetMetricData per region, whatever the number of groups.
      eastReads: [east.server.callCounts()['DescribeAutoScalingGroups'], east.server.callCounts()['GetMetricData']],
      westReads: [west.server.callCounts()['DescribeAutoScalingGroups'], west.server.callCounts()['GetMetricData']],
      stateFiles: [existsSync(join(dir, 'state', 'us-east-1--web-046.json')), existsSync(join(dir, 'state', 'eu-west-1--web.json'))],
      brokenState: JSON.parse(readFileSync(join(dir, 'state', 'ap-south-1--checkout.json'), 'utf8')).awsFailures.count,
      // A minute later (launch times known): the groups, their CPU, each group's balancer; three round trips for 47 groups.
      nextMinute: await nextMinute(),
    }).toEqual({
      code: 1,
      stderr: '',
      summary: '50 groups: 49 ran, 1 failed (checkout); exit 1',
      firstLines: 49,
      labels: [true, true, true, true],
      broken: [expect.stringMatching(/^checkout: FAILED: cannot reach http:\/\/127\.0\.0\.1:1 for DescribeAutoScalingGroups/)],
      eastReads: [1, 1],
      westReads: [1, 1],
      stateFiles: [true, true],
      brokenState: 1,
      nextMinute: { code: 1, depth: 3, calls: { DescribeAutoScalingGroups: 1, DescribeTargetHealth: EAST, GetMetricData: 1 } },
    });
  }, 60_000);

  it('--json: one object of docs/json/watch-many.schema.json, each group with its code and report', async () => {
    const { run } = await fleet();
    const r = await run(['--json']);
    const out = JSON.parse(r.stdout);
    expect(JSON_SCHEMAS['watch-many'].safeParse(out).success).toBe(true);
    expect({
      code: [r.code, out.code],
      groups: out.groups.length,
      codes: out.groups.map((g: { code: number }) => g.code).sort().join(''),
      broken: out.groups.at(-1).error,
      stderr: r.stderr.trimEnd().split('\n'),
    }).toEqual({
      code: [1, 1],
      groups: 50,
      codes: `${'0'.repeat(49)}1`,
      broken: expect.stringMatching(/DescribeAutoScalingGroups/),
      stderr: [expect.stringMatching(/^asg-watchdog: checkout: .*DescribeAutoScalingGroups/)],
    });
  }, 60_000);

  it('--metrics-file: one file with every group, passing promtool', async () => {
    const { dir, run } = await fleet();
    const file = join(dir, 'fleet.prom');
    await run(['--metrics-file', file]);
    const text = readFileSync(file, 'utf8');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect([check.status, check.stdout + check.stderr]).toEqual([0, '']);
    expect({
      exitCodes: text.split('\n').filter((l) => l.startsWith('asg_watchdog_tick_exit_code{')).length,
      broken: text.split('\n').find((l) => l.startsWith('asg_watchdog_tick_exit_code{group="checkout"')),
      helps: text.split('\n').filter((l) => l === '# TYPE asg_watchdog_tick_exit_code gauge').length,
    }).toEqual({ exitCodes: 50, broken: 'asg_watchdog_tick_exit_code{group="checkout",region="ap-south-1"} 1', helps: 1 });
  }, 60_000);

  it('a group another tick holds is skipped (exit 3), the others run', async () => {
    const { east, dir, run } = await fleet();
    const release = await lockGroup({ endpoint: east.url, region: 'us-east-1', group: 'web-010' }, join(dir, 'locks'));
    try {
      const r = await run();
      expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/ 50 groups: 48 ran, 1 failed \(checkout\), 1 held by another actor \(web-010\); exit 1$/);
    } finally {
      await release();
    }
  }, 60_000);

  it('--dry-run: every group looked at, nothing written, nothing changed', async () => {
    const { east, dir, run } = await fleet('low: 75\n');
    const r = await run(['--dry-run']);
    expect(r.stdout).toMatch(/ 50 groups: 49 ran, 1 failed \(checkout\); exit 1\n$/);
    expect([existsSync(join(dir, 'state')), Object.keys(east.server.callCounts()).filter((op) => MUTATING.includes(op))]).toEqual([false, []]);
  }, 60_000);

  it.each([
    { flags: ['--pause'], error: '--pause is for one group: add -g GROUP' },
    { flags: ['-g', 'nope'], error: /group 'nope' is not in its groups/ },
  ])('refuses $flags: exit 2, nothing called', async ({ flags, error }) => {
    const { east, run } = await fleet();
    const r = await run(flags);
    expect([r.code, r.stdout, east.server.callCounts()]).toEqual([2, '', {}]);
    expect(r.stderr).toMatch(error);
  });

  it('-g picks one group of the file: its settings, its profile, one tick as ever', async () => {
    const { west, run } = await fleet();
    const r = await run(['-g', 'web-001', '--profile', 'west']);
    expect([r.code, r.stderr, r.stdout.split('\n')[0]]).toEqual([0, '', expect.stringMatching(/^\S+ web-001: 2 in service/)]);
    expect(west.server.callCounts()['DescribeAutoScalingGroups']).toBe(1);
  });

  it('instances -c FILE -g picks the same group, where it lives', async () => {
    const { west, file, cli } = await fleet();
    const r = await cli(['instances', '-c', file, '-g', 'web-001', '--profile', 'west', '--json']);
    expect([r.code, JSON.parse(r.stdout).instances.length, west.server.callCounts()['DescribeAutoScalingGroups']]).toEqual([0, 2, 1]);
  });
});
