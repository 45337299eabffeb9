// The Lambda deployment of docs/operations.md: the SAM template passes cfn-lint (on this machine
// image, and so in CI), its role allows exactly the calls the tool makes, and the single-file
// bundle it deploys (dist/lambda/index.mjs, made by `npm run build`) runs a scheduled invocation
// in a process of its own, against a local-aws and dynalite.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { ACT_ACTIONS, ASSUME_ACTIONS, MAIL_ACTIONS, READ_ACTIONS, STATE_TABLE_ACTIONS } from '../src/aws/iam.js';
import { startDynamo, type Dynamo } from './state/dynalite.js';
import { shipped, startLocal, type Local } from './e2e/local.js';

const DEPLOY = new URL('../docs/deploy/', import.meta.url).pathname;
const TEMPLATE = join(DEPLOY, 'template.yaml');
const BUNDLE = new URL('../dist/lambda/index.mjs', import.meta.url).pathname;

interface Statement {
  Sid?: string;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: { StringEquals: Record<string, unknown> };
  If?: [string, Statement, unknown];
}
interface Template {
  Resources: { Watchdog: { Properties: { CodeUri: string; Handler: string; Policies: Array<{ Statement: Statement[] }> } } };
}

/** The template as data: CloudFormation's short forms (!Ref, !Sub, ...) read as { Fn: value }. */
function template(): Template {
  const tags = ['Ref', 'Sub', 'GetAtt', 'If', 'Not', 'Equals', 'Join'].map((fn) => ({
    tag: `!${fn}`,
    resolve: (value: unknown) => ({ [fn]: typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value }),
    collection: undefined,
  }));
  const seqAndMap = tags.flatMap((t) => [{ ...t, collection: 'seq' as const }, { ...t, collection: 'map' as const }, { tag: t.tag, resolve: t.resolve }]);
  const doc: Document = parseDocument(readFileSync(TEMPLATE, 'utf8'), { customTags: seqAndMap as never });
  return doc.toJS() as Template;
}

/** A command's exit code and output, without blocking this process. */
function run(command: string, args: string[], options: { env: NodeJS.ProcessEnv }): Promise<{ code: number; status?: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { ...options, encoding: 'utf8' }, (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

let local: Local | null = null;
let db: Dynamo | null = null;
afterEach(async () => {
  await local?.close();
  await db?.close();
  [local, db] = [null, null];
});

describe('docs/deploy/template.yaml', () => {
  it('passes cfn-lint', () => {
    const r = spawnSync('cfn-lint', ['template.yaml'], { cwd: DEPLOY, encoding: 'utf8' });
    expect(r.error, 'cfn-lint is on the PATH (the machine image has it; pip install cfn-lint)').toBeUndefined();
    expect({ status: r.status, out: r.stdout + r.stderr }).toEqual({ status: 0, out: '' });
  });

  it('gives the function exactly the actions the tool calls, acting only on tagged groups', () => {
    const statements = template().Resources.Watchdog.Properties.Policies[0]!.Statement;
    const bySid: Record<string, Statement> = Object.fromEntries(statements.map((s) => (s.If ? [s.If[1].Sid, s.If[1]] : [s.Sid, s])));
    const actions = (sid: string) => [bySid[sid]!.Action].flat().sort();
    expect({
      read: actions('ReadTheFleet'),
      act: actions('ActOnTaggedGroupsOnly'),
      actCondition: Object.keys(bySid['ActOnTaggedGroupsOnly']!.Condition!.StringEquals),
      state: actions('KeepStateInTheTable'),
      stateResource: bySid['KeepStateInTheTable']!.Resource,
      config: actions('ReadTheConfig'),
      mail: actions('MailAlertsThroughSes'),
      assume: actions('ReachGroupsInOtherAccounts'),
    }).toEqual({
      read: [...READ_ACTIONS].sort(),
      act: [...ACT_ACTIONS].sort(),
      actCondition: ['autoscaling:ResourceTag/asg-watchdog'],
      state: [...STATE_TABLE_ACTIONS].sort(),
      stateResource: { GetAtt: 'StateTable.Arn' },
      config: ['s3:GetObject'],
      mail: [...MAIL_ACTIONS].sort(),
      assume: [...ASSUME_ACTIONS],
    });
  });

  it('deploys the bundle the build makes: one file, every dependency in it', () => {
    const fn = template().Resources.Watchdog.Properties;
    const dir = join(DEPLOY, fn.CodeUri);
    expect([fn.Handler, existsSync(BUNDLE), readdirSync(dir).filter((f) => !f.endsWith('.map')), /\bimport\(["'](?!node:)/.test(readFileSync(BUNDLE, 'utf8'))]).toEqual(['index.handler', true, ['index.mjs'], false]);
  });

  it('the bundle, in a process of its own, runs a scheduled invocation: the runaway +1, the state in the table', async () => {
    db = await startDynamo();
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    const config = join(local.stateDir, 'asg-watchdog.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, 'groups:\n  - name: web\n');
    const script = `
      const { handler } = await import(${JSON.stringify(BUNDLE)});
      const result = await handler({ source: 'asg-watchdog.schedule' }, { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 55000 });
      process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n');
    `;
    // A process of its own, and asynchronously: this one's event loop serves local-aws and dynalite.
    const r = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...local.env({ AWS_ENDPOINT_URL: local.url, AWS_ENDPOINT_URL_DYNAMODB: db.url, ASG_WATCHDOG_STATE_TABLE: db.table, ASG_WATCHDOG_CONFIG: config }),
        PATH: process.env['PATH'] ?? '',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    const lines = r.stdout.trim().split('\n');
    r.status = r.code;
    expect({
      status: r.status,
      stderr: r.stderr,
      group: JSON.parse(lines[0]!),
      result: JSON.parse(lines.at(-1)!.replace(/^RESULT /, '')),
      mutations: local.calls()['SetDesiredCapacity'],
    }).toEqual({
      status: 0,
      stderr: '',
      group: expect.objectContaining({ group: 'web', region: 'us-east-1', code: 0, action: expect.objectContaining({ rule: 'runaway', from: 2, to: 3, executed: true }) }),
      result: { code: 0, groups: 1, summary: '1 group: 1 ran; exit 0' },
      mutations: 1,
    });
  }, 60_000);
});
