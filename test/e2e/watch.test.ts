// `asg-watchdog watch` as cron runs it: the real CLI, the real SDK clients, over HTTP to local-aws.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockGroup } from '../../src/state/group-lock.js';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario, MUTATING, shipped, startLocal, total, type Local } from './local.js';

let local: Local | null = null;
afterEach(async () => {
  await local?.close();
  local = null;
});
const stateFile = (l: Local) => join(l.stateDir, 'us-east-1--web.json');

describe('watch --dry-run', () => {
  it('plans the action, calls no mutating API and writes no state', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run, would set desired 2 → 3: runaway');
    expect(Object.keys(local.calls()).filter((op) => MUTATING.includes(op))).toEqual([]);
    expect(local.server.world.groups.get('web')!.desired).toBe(2);
    expect(existsSync(stateFile(local))).toBe(false);
  });

  it('--json keeps the fields of the CLI contract, in the versioned object of docs/json.md', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['--dry-run', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ schema: 'asg-watchdog/watch@1', group: 'web', region: 'us-east-1', dryRun: true, executed: false, blocked: [] });
    expect(out.time).toBe(new Date(local.server.world.virtualNow()).toISOString());
    expect(out.figures).toMatchObject({ n: 2, measured: 2, min: 2, max: 6, desired: 2, pending: 0 });
    expect(out.instances[0]).toEqual({ id: 'i-00000000100000000', load: 100, why: null, lifecycle: 'InService', health: 'Healthy', lb: 'in', protected: false });
    expect(out.action).toMatchObject({ kind: 'set-desired', from: 2, to: 3, rule: 'runaway', decrement: null });
    expect(out.summary).toBe(out.action.reason);
    expect(out.alerts[0]).toMatchObject({ key: `runaway:${out.action.instance}`, sent: false });
    expect(out.held).toEqual([{ rule: 'runaway', instance: 'i-00000000100000000', heldMinutes: 0, ofMinutes: 5, then: 'terminate', inMinutes: 5 }]);
  });

  it('every text line starts with the tick’s time, to the second', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const r = await local.watch(['--dry-run']);
    const at = new Date(local.server.world.virtualNow()).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(r.stdout.trimEnd().split('\n').every((line) => line.startsWith(`${at} `))).toBe(true);
  });
});

describe('watch', () => {
  it('acts once; the next tick does not repeat it', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const first = await local.watch();
    expect(first.stdout).toContain('done: set desired 2 → 3');
    local.server.world.advance(1);
    const second = await local.watch();
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/done:/);
    expect(local.calls()['SetDesiredCapacity']).toBe(1);
    expect(local.server.world.groups.get('web')!.desired).toBe(3);
  });

  it('follows the runaway to its end: +1, then the kill 5 minutes later, minute by minute', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const done: string[] = [];
    for (let minute = 15; minute <= 21; minute++) {
      const r = await local.watch(['--json']);
      const out = JSON.parse(r.stdout);
      if (out.executed) done.push(`${minute} ${out.action.kind} ${out.action.rule}`);
      local.server.world.advance(1);
    }
    expect(done).toEqual(['15 set-desired runaway', '20 terminate runaway']);
    expect(local.server.world.groups.get('web')!.faults[0]!.removedBy).toBe('terminate');
  });

  it('an unknown group: one line, exit 2, nothing written', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const r = await local.cli(['watch', '-g', 'nope']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe("asg-watchdog: Auto Scaling group 'nope' not found in us-east-1\n");
    expect(readdirSync(local.stateDir)).toEqual([]);
  });

  it('an endpoint nobody answers: a message a person can act on, exit 1', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const dead = await local.cli(['watch', '-g', 'web', '--endpoint-url', 'http://127.0.0.1:9']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(/^asg-watchdog: cannot reach http:\/\/127\.0\.0\.1:9 for DescribeAutoScalingGroups: connection refused \(ECONNREFUSED\)\n$/);
  });

  it('no credentials anywhere: says where they are looked for, exit 1', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const r = await local.watch([], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', HOME: local.stateDir, AWS_EC2_METADATA_DISABLED: 'true' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('asg-watchdog: no AWS credentials found for DescribeAutoScalingGroups: set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an instance role is available\n');
  });

  // A policy without a call the watchdog makes: AWS's words name the action it lacks, ours where
  // the whole policy is. Refused, not retried.
  const policy = 'asg-watchdog iam-policy -g GROUP prints the policy the watchdog needs (docs/operations.md)';
  const deniedBy = (action: string) => `User: arn:aws:iam::123456789012:user/watchdog is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  it.each([
    { operation: 'DescribeAutoScalingGroups', args: ['watch', '-g', 'web', '--dry-run'], code: 1, said: (url: string) => `asg-watchdog: DescribeAutoScalingGroups failed at ${url}: AccessDenied: ${deniedBy('autoscaling:DescribeAutoScalingGroups')}; ${policy}` },
    // The metrics unread: blind, nothing done, and the tick says why.
    { operation: 'GetMetricData', args: ['watch', '-g', 'web', '--dry-run'], code: 0, said: (url: string) => `warning: metrics unreadable: GetMetricData failed at ${url}: AccessDeniedException: ${deniedBy('cloudwatch:GetMetricData')}; ${policy}` },
    { operation: 'DescribeInstances', args: ['instances', '-g', 'web'], code: 1, said: (url: string) => `asg-watchdog: DescribeInstances failed at ${url}: UnauthorizedOperation: You are not authorized to perform this operation. ${deniedBy('ec2:DescribeInstances')}; ${policy}` },
  ])('a policy without $operation: says which call and where the policy is', async ({ operation, args, code, said }) => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15, failures: [{ operation, rate: 1, kind: 'denied' }] });
    const r = await local.cli(args);
    const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('not authorized')).map((l) => l.replace(/^\S+Z /, ''));
    expect({ code: r.code, lines, calls: local.server.callCounts()[operation] }).toEqual({ code, lines: [said(local.url)], calls: 1 });
  });

  it('no region anywhere: exit 2', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const r = await local.watch([], { AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^asg-watchdog: no AWS region: pass --region, set AWS_REGION, or set region in the default profile of .*no-aws-config\n$/);
  });

  // No region for the run: each group of -c FILE has its own, or is named for lacking one.
  it.each<{ what: string; groups: string; flags: string[]; code: number; stderr: RegExp; last: RegExp }>([
    { what: 'every group names its own: the groups run', groups: '  - name: web\n    region: us-east-1\n', flags: [], code: 0, stderr: /^$/, last: / 1 group: 1 ran; exit 0$/ },
    { what: 'one does not: it is named, nothing runs', groups: '  - name: web\n    region: us-east-1\n  - name: api\n', flags: [], code: 2, stderr: /^asg-watchdog: .*fleet\.yaml: groups\.1 \(api\): no AWS region: pass --region, set AWS_REGION, or set region in the default profile of .*no-aws-config\n$/, last: /^$/ },
    { what: "a group's own profile that is nowhere: it is named", groups: '  - name: web\n    region: us-east-1\n    profile: nope\n', flags: [], code: 2, stderr: /^asg-watchdog: .*fleet\.yaml: groups\.0 \(web\): AWS profile 'nope' \(its "profile"\) is in neither .*no-aws-config nor .*no-aws-credentials\n$/, last: /^$/ },
    // A flag's error is the run's, not the first group's.
    { what: 'a bad --endpoint-url: said of the flag', groups: '  - name: web\n    region: us-east-1\n', flags: ['--endpoint-url', 'localhost:1'], code: 2, stderr: /^asg-watchdog: --endpoint-url must be an http\(s\) URL, not 'localhost:1'\n$/, last: /^$/ },
    { what: 'a --profile that is nowhere: said of the flag', groups: '  - name: web\n    region: us-east-1\n', flags: ['--profile', 'nope'], code: 2, stderr: /^asg-watchdog: AWS profile 'nope' \(--profile\) is in neither /, last: /^$/ },
  ])('no region for the run, and $what', async ({ groups, flags, code, stderr, last }) => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const file = join(local.stateDir, 'fleet.yaml');
    writeFileSync(file, `groups:\n${groups}`);
    const r = await local.cli(['watch', '-c', file, '--dry-run', ...flags], { AWS_REGION: '', AWS_DEFAULT_REGION: '' });
    expect([r.code, r.stderr, r.stdout.trimEnd().split('\n').at(-1)]).toEqual([code, expect.stringMatching(stderr), expect.stringMatching(last)]);
  });
});

describe('retries', () => {
  it('throttling and 5xx are answered by the SDK retrying', async () => {
    local = await startLocal(shipped('runaway-cpu'), {
      advanceTo: 15,
      failures: [
        { operation: 'DescribeAutoScalingGroups', rate: 1, kind: 'throttle', times: 2 },
        { operation: 'GetMetricData', rate: 1, kind: 'unavailable', times: 1 },
        { operation: 'SetDesiredCapacity', rate: 1, kind: 'error', times: 2 },
      ],
    });
    const r = await local.watch();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('done: set desired 2 → 3');
    // The group is read again right before acting: one more DescribeAutoScalingGroups.
    expect(local.calls()).toMatchObject({ DescribeAutoScalingGroups: 4, GetMetricData: 2, SetDesiredCapacity: 3 });
  });

  it('metrics that stay unreadable leave the watchdog blind, not wrong', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15, failures: [{ operation: 'GetMetricData', rate: 1, kind: 'error' }] });
    const r = await local.watch();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/warning: metrics unreadable: GetMetricData failed at http.* after 3 attempts: InternalFailure/);
    expect(r.stdout).toMatch(/no action: blind blocked \(blind\): 0 of 2 instances measured/);
  });

  it('an action AWS refuses at once is reported, exit 1, and the next tick decides again', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15, failures: [{ operation: 'SetDesiredCapacity', rate: 1, kind: 'busy', times: 1 }] });
    const r = await local.watch();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/REFUSED: set desired 2 → 3/);
    expect(r.stdout).toMatch(/SetDesiredCapacity failed at .*: ScalingActivityInProgressFault: .* \(a later tick will decide again\)/);
    const saved = JSON.parse(readFileSync(stateFile(local), 'utf8'));
    expect(saved).toMatchObject({ intent: null, engine: { lastAction: null } });
    expect(saved.lastRefusal.message).toMatch(/ScalingActivityInProgress/);
    local.server.world.advance(1);
    const next = await local.watch();
    expect(next.stdout).toMatch(/done: set desired 2 → 3/);
  });

  it('no certain answer after retries: exit 1, the intent stays, the next tick reconciles it before deciding', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15, failures: [{ operation: 'SetDesiredCapacity', rate: 1, kind: 'throttle', times: 3 }] });
    const r = await local.watch();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/OUTCOME UNKNOWN: set desired 2 → 3/);
    expect(r.stdout).toMatch(/after 3 attempts: Throttling: Rate exceeded \(the next tick checks what AWS shows before deciding\)/);
    const saved = JSON.parse(readFileSync(stateFile(local), 'utf8'));
    expect(saved).toMatchObject({ intent: { action: { kind: 'set-desired', from: 2, to: 3 } }, engine: { lastAction: null } });
    local.server.world.advance(1);
    const next = await local.watch();
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/reconciled: the set desired 2 → 3 \(runaway\) decided at \d\d:\d\d did not take effect: desired is 2/);
    expect(next.stdout).toMatch(/done: set desired 2 → 3/);
    expect(JSON.parse(readFileSync(stateFile(local), 'utf8')).intent).toBeNull();
  });
});

describe('AWS calls per tick', () => {
  // After the first tick launch times are known: the group, the CPU (500 instances a call), the balancer.
  it.each([
    [10, 1],
    [600, 2],
    [2_000, 4],
  ])('%d instances: the group, %d GetMetricData, the balancer', async (size, metricCalls) => {
    local = await startLocal(fleetScenario(size));
    const first = await local.watch();
    expect(first.code).toBe(0);
    expect(local.calls()['DescribeInstances']).toBe(Math.ceil(size / 1000));
    local.resetCalls();
    local.server.world.advance(1);
    const r = await local.watch();
    expect(r.code).toBe(0);
    expect(local.calls()).toEqual({ DescribeAutoScalingGroups: 1, GetMetricData: metricCalls, DescribeTargetHealth: 1 });
  }, 60_000);

  // The first: the group, 2 GetMetricData, the balancer, the launch times, once an hour the
  // target group's cross-zone setting, taken from its balancer (3 calls), and every 10 minutes
  // the group's own scaling policies (1).
  it('a tick over 1,000 instances makes at most 9 AWS calls, the first one included', async () => {
    local = await startLocal(fleetScenario(1_000));
    const r = await local.watch(['--json']);
    expect(JSON.parse(r.stdout).figures).toMatchObject({ n: 1000, measured: 1000 });
    expect(total(local.calls())).toBeLessThanOrEqual(9);
  }, 60_000);
});

describe('paging', () => {
  it('more than 100 groups: the group is found among them', async () => {
    local = await startLocal(shipped('runaway-cpu'), { extraGroups: 150 });
    const r = await local.cli(['watch', '-g', 'web-120', '--dry-run', '--json']);
    expect(JSON.parse(r.stdout).figures.n).toBe(2);
  });

  it('more than 500 instances: every one measured, in two GetMetricData calls', async () => {
    local = await startLocal(fleetScenario(700));
    const out = JSON.parse((await local.watch(['--dry-run', '--json'])).stdout);
    expect(out.figures).toMatchObject({ n: 700, measured: 700 });
    expect(local.calls()['GetMetricData']).toBe(2);
  }, 60_000);
});

describe('the state file', () => {
  it('is one JSON file per region and group beside its history log, both mode 0600, schema-versioned, no temp files left', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    await local.watch();
    expect(readdirSync(local.stateDir)).toEqual(['us-east-1--web.history.jsonl', 'us-east-1--web.json']);
    expect([stateFile(local), join(local.stateDir, 'us-east-1--web.history.jsonl')].map((f) => statSync(f).mode & 0o777)).toEqual([0o600, 0o600]);
    expect(JSON.parse(readFileSync(stateFile(local), 'utf8'))).toMatchObject({ version: 1, region: 'us-east-1', group: 'web' });
  });

  it('a second tick while one holds the lock exits 3 and touches nothing', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const release = await lockGroup({ endpoint: local.url, region: 'us-east-1', group: 'web' }, local.lockDir);
    try {
      const r = await local.watch();
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/another tick holds the lock for group 'web' in us-east-1/);
      expect(local.calls()).toEqual({});
    } finally {
      await release();
    }
  });

  it('two ticks at once: one runs, the other exits 3', async () => {
    local = await startLocal(fleetScenario(300), { latencyMs: 300 });
    const codes = (await Promise.all([local.watchProcess(), local.watchProcess()])).map((r) => r.code).sort();
    expect(codes).toEqual([0, 3]);
  }, 30_000);

  it('a corrupt file is moved aside with an alert, and the tick starts fresh', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    writeFileSync(stateFile(local), '{"version": 1, "engine": ');
    const r = await local.watch();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/alert: web: state file was corrupt \(not JSON: .*\); moved to .*\.corrupt-/);
    expect(readdirSync(local.stateDir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    expect(JSON.parse(readFileSync(stateFile(local), 'utf8')).version).toBe(1);
  });

  it('a state directory it cannot write: exit 1 with the path', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const dir = join(local.stateDir, 'locked');
    writeFileSync(dir, 'not a directory');
    chmodSync(dir, 0o400);
    const r = await local.watch(['--state-dir', join(dir, 'sub')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot create state directory .*locked\/sub: a part of the path is not a directory \(ENOTDIR\); pass --state-dir/);
  });

  it('a lock directory under /proc: exit 1 with the path, at once (Node\'s recursive mkdir never returned)', async () => {
    local = await startLocal(shipped('runaway-cpu'));
    const r = await local.watch([], { ASG_WATCHDOG_LOCK_DIR: '/proc/asg-watchdog-locks' });
    expect([r.code, r.stderr]).toEqual([1, 'asg-watchdog: cannot use lock directory /proc/asg-watchdog-locks: no such file or directory (ENOENT) (set ASG_WATCHDOG_LOCK_DIR to a directory every watchdog of this host can write)\n']);
  });
});
