// The Lambda handler, invoked with an EventBridge Scheduler event as Lambda would, against a
// local-aws per region (us-east-1: a runaway and two quiet groups; eu-west-1: one group), its state
// in dynalite, its config bundled with the function or in S3 (moto_server).
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dryRunOf, runScheduled, type LambdaDeps } from '../src/lambda.js';
import { LocalAws } from '../src/local-aws/server.js';
import { startMoto } from './e2e/moto.js';
import { fleetScenario, shipped } from './e2e/local.js';
import { startDynamo, type Dynamo } from './state/dynalite.js';
import { scratchDir } from './scratch.js';

/** What EventBridge Scheduler sends when the target's Input is the template's. */
const SCHEDULED = { source: 'asg-watchdog.schedule' };
const CONFIG = ['groups:', '  - name: web', '  - name: web-001', '  - name: web-002', '  - name: api', '    region: eu-west-1'].join('\n');

let east: LocalAws;
let west: LocalAws;
let db: Dynamo;
let taskRoot: string;
let urls: Record<string, string>;
beforeEach(async () => {
  east = new LocalAws(shipped('runaway-cpu'), { port: 0, speed: 0, advanceTo: 15, extraGroups: 2 });
  west = new LocalAws(fleetScenario(2, { group: { name: 'api', min: 1, max: 4, desired: 2, launchMinutes: 3, loadBalancer: 'target-group' } }), { port: 0, speed: 0, advanceTo: 40, region: 'eu-west-1' });
  urls = { 'us-east-1': await east.listen(), 'eu-west-1': await west.listen() };
  db = await startDynamo();
  taskRoot = scratchDir('asgw-lambda-');
  writeFileSync(join(taskRoot, 'asg-watchdog.yaml'), CONFIG);
  // Lambda's own environment: the SDK reads the region and credentials from the process's.
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_CONFIG_FILE', join(taskRoot, 'none'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(taskRoot, 'none'));
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', db.url);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all([east.close(), west.close(), db.close()]);
});

function invocation(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const deps: LambdaDeps = {
    env: { ...process.env, ASG_WATCHDOG_STATE_TABLE: db.table, LAMBDA_TASK_ROOT: taskRoot, ...env },
    clock: () => east.world.virtualNow(),
    log: (line) => lines.push(line),
    endpoints: urls,
  };
  const context = { awsRequestId: `req-${Math.random().toString(16).slice(2, 8)}`, getRemainingTimeInMillis: () => 55_000 };
  return { lines, logged: () => lines.map((l) => JSON.parse(l)), run: (event: unknown = SCHEDULED) => runScheduled(event, context, deps) };
}

describe('the Lambda handler', () => {
  it('a scheduled invocation ticks every group of its bundled config, one log line each, state in DynamoDB', async () => {
    const lambda = invocation();
    const result = await lambda.run();
    const logged = lambda.logged();
    expect({
      result,
      lines: logged.map((l) => [l.group ?? 'run', l.region ?? null, l.level, l.code, l.action?.rule ?? null]),
      runaway: logged[0].msg,
      last: logged.at(-1).msg,
      reads: [east.callCounts()['DescribeAutoScalingGroups'], west.callCounts()['DescribeAutoScalingGroups']],
    }).toEqual({
      result: { code: 0, groups: 4, summary: '4 groups: 4 ran; exit 0' },
      lines: [
        ['web', 'us-east-1', 'info', 0, 'runaway'],
        ['web-001', 'us-east-1', 'info', 0, null],
        ['web-002', 'us-east-1', 'info', 0, null],
        ['api', 'eu-west-1', 'info', 0, null],
        ['run', null, 'info', 0, null],
      ],
      runaway: expect.stringMatching(/^done: runaway: i-00000000100000000 CPU 100.0 % .* emergency \+1$/),
      last: '4 groups: 4 ran; exit 0',
      // One DescribeAutoScalingGroups for the three groups of us-east-1, and the recheck before the +1.
      reads: [2, 1],
    });
  });

  it('two invocations at once: each group ticked by one of them, the +1 done once', async () => {
    const [a, b] = [invocation(), invocation()];
    const results = await Promise.all([a.run(), b.run()]);
    const byGroup = [...a.logged(), ...b.logged()].filter((l) => l.group).map((l) => `${l.group} ${l.code}`).sort();
    expect({
      codes: results.map((r) => r.code),
      mutations: east.callCounts()['SetDesiredCapacity'],
      // Every group once with 0 (ticked) and once with 3 (the other invocation held it), or twice 0 if one finished first.
      eachGroupTickedOnceAtLeast: ['api', 'web', 'web-001', 'web-002'].every((g) => byGroup.filter((x) => x === `${g} 0`).length >= 1),
      losersSaidSo: [...a.logged(), ...b.logged()].filter((l) => l.group && l.code === 3).every((l) => /another runner holds its lease in dynamodb:\/\/asg-watchdog\//.test(l.failure)),
    }).toEqual({ codes: [expect.any(Number), expect.any(Number)], mutations: 1, eachGroupTickedOnceAtLeast: true, losersSaidSo: true });
    expect(results.every((r) => r.code === 0 || r.code === 3)).toBe(true);
  });

  it('50 races: two invocations at once over 50 groups that each need one more instance: each group scaled out exactly once', async () => {
    const busy = new LocalAws(fleetScenario(2, { demand: [[0, 2.4]] }), { port: 0, speed: 0, advanceTo: 40, extraGroups: 49 });
    try {
      const names = ['web', ...Array.from({ length: 49 }, (_, i) => `web-${String(i + 1).padStart(3, '0')}`)];
      writeFileSync(join(taskRoot, 'asg-watchdog.yaml'), `groups:\n${names.map((n) => `  - name: ${n}`).join('\n')}\n`);
      urls['us-east-1'] = await busy.listen();
      const [a, b] = [invocation(), invocation()];
      await Promise.all([a.run(), b.run()]);
      const acted = [...a.logged(), ...b.logged()].filter((l) => l.action?.executed).map((l) => l.group).sort();
      expect({
        setDesired: busy.callCounts()['SetDesiredCapacity'],
        actedOncePerGroup: acted,
        desired: names.map((n) => busy.world.groups.get(n)!.desired),
      }).toEqual({ setDesired: 50, actedOncePerGroup: [...names].sort(), desired: names.map(() => 3) });
    } finally {
      await busy.close();
    }
  }, 60_000);

  it('{"dryRun": true} by hand: every group looked at, nothing done, nothing stored', async () => {
    const lambda = invocation();
    const result = await lambda.run({ dryRun: true });
    expect([result.code, east.callCounts()['SetDesiredCapacity'] ?? 0, lambda.logged()[0].msg]).toEqual([0, 0, expect.stringMatching(/^would: runaway/)]);
  });

  it('a group that fails: logged as an error, the others ticked, the invocation fails (the Errors alarm)', async () => {
    const lambda = invocation();
    writeFileSync(join(taskRoot, 'asg-watchdog.yaml'), `${CONFIG}\n  - name: gone\n`);
    await expect(lambda.run()).rejects.toThrow('5 groups: 4 ran, 1 misconfigured (gone); exit 2');
    expect(lambda.logged().find((l) => l.group === 'gone')).toMatchObject({ level: 'error', code: 2, failure: "Auto Scaling group 'gone' not found in us-east-1" });
  });

  it.each([
    { what: 'no state table', env: { ASG_WATCHDOG_STATE_TABLE: '' }, event: SCHEDULED, error: 'ASG_WATCHDOG_STATE_TABLE is not set' },
    { what: 'a dryRun that is not a boolean', env: {}, event: { dryRun: 'yes' }, error: 'the event\'s dryRun: true or false, not "yes"' },
    // A slip in the key must not run for real, as --dry-run=yes does not.
    { what: 'a dryRun spelt otherwise', env: {}, event: { dryrun: true }, error: 'the event\'s "dryrun": not a key the watchdog reads (dryRun?); nothing done' },
    { what: 'a key it does not read', env: {}, event: { dryRun: true, group: 'web' }, error: 'the event\'s "group": not a key the watchdog reads; nothing done' },
    { what: 'an event that is no object', env: {}, event: 'dry run', error: 'the event: an object such as {"dryRun": true}, not "dry run"; nothing done' },
    { what: 'no config', env: { ASG_WATCHDOG_CONFIG: 'missing.yaml' }, event: SCHEDULED, error: 'missing.yaml: no such file or directory (ENOENT) (set ASG_WATCHDOG_CONFIG to s3://BUCKET/KEY or a file bundled with the function)' },
  ] as Array<{ what: string; env: Record<string, string>; event: unknown; error: string }>)('refuses $what before touching anything', async ({ env, event, error }) => {
    const lambda = invocation(env);
    await expect(lambda.run(event)).rejects.toThrow(error);
    expect([east.callCounts(), lambda.lines]).toEqual([{}, []]);
  });

  it('reads its config from S3 at every invocation (moto_server)', async () => {
    const moto = await startMoto();
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_S3', moto.url);
      const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      await s3.send(new CreateBucketCommand({ Bucket: 'ops-config' }));
      await s3.send(new PutObjectCommand({ Bucket: 'ops-config', Key: 'asg-watchdog/fleet.yaml', Body: 'groups:\n  - name: web-001\n  - name: api\n    region: eu-west-1\n' }));
      s3.destroy();
      const lambda = invocation({ ASG_WATCHDOG_CONFIG: 's3://ops-config/asg-watchdog/fleet.yaml' });
      expect((await lambda.run()).summary).toBe('2 groups: 2 ran; exit 0');
      const missing = invocation({ ASG_WATCHDOG_CONFIG: 's3://ops-config/nope.yaml' });
      await expect(missing.run()).rejects.toThrow(/^cannot read the config s3:\/\/ops-config\/nope.yaml: NoSuchKey: /);
    } finally {
      await moto.stop();
    }
  }, 60_000);
});

// What a schedule sends runs for real: the template's Input, an EventBridge rule's own Scheduled
// Event, or nothing; only {"dryRun": true} plans without acting.
describe('the events the handler takes', () => {
  const RULE_EVENT = { version: '0', id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: '2026-12-06T12:00:00Z', region: 'us-east-1', resources: ['arn:aws:events:us-east-1:123456789012:rule/asg-watchdog'], detail: {} };
  it.each([
    { what: "the template's schedule", event: SCHEDULED, dryRun: false },
    { what: "an EventBridge rule's Scheduled Event", event: RULE_EVENT, dryRun: false },
    { what: 'no payload', event: null, dryRun: false },
    { what: 'an empty object', event: {}, dryRun: false },
    { what: 'dryRun by hand', event: { dryRun: true }, dryRun: true },
    { what: 'dryRun false', event: { dryRun: false }, dryRun: false },
  ])('$what: dry run $dryRun', ({ event, dryRun }) => expect(dryRunOf(event)).toBe(dryRun));
});
