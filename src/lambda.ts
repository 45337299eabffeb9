// The AWS Lambda handler: an EventBridge Scheduler rule invokes it every minute, and it runs the
// same tick as `watch -c FILE` for every group of its config (an S3 object, or a file bundled with
// the function), with the state in DynamoDB so that two invocations can never act on one group at
// once. It logs one JSON line per group per tick, and a last one for the run
// (docs/operations.md, "AWS Lambda").
//
// read the config → the groups → tick them all → log → fail the invocation when a person should look.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { dynamoClient, makeClients, type AwsOptions } from './aws/clients.js';
import { resolveAwsSettings, type AwsSettings } from './aws/settings.js';
import { parseConfigFile, type ConfigFile } from './config/index.js';
import { LAMBDA_MARGIN_MS, TICK_BUDGET_SECONDS } from './config/defaults.js';
import { RuntimeFailure, systemWords, UsageError } from './errors.js';
import { groupTasks } from './groups.js';
import { mailOptionsFrom } from './mail-options.js';
import { dynamoStores } from './state/dynamo-store.js';
import { groupIdentity } from './state/names.js';
import { foldExitCodes, summary, watchMany, type GroupOutcome } from './watch-many.js';

/** What the scheduler sends (its target's Input); `{"dryRun": true}` by hand plans without acting. */
export interface ScheduledEvent {
  dryRun?: boolean;
}

/** The parts of Lambda's context the handler reads. */
export interface LambdaContext {
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export interface LambdaDeps {
  env: Record<string, string | undefined>;
  clock: () => number;
  log: (line: string) => void;
  /** Tests only: each region's endpoint (a local-aws per region). */
  endpoints?: Record<string, string>;
}

export interface LambdaResult {
  code: number;
  groups: number;
  summary: string;
}


export async function handler(event: unknown, context: LambdaContext): Promise<LambdaResult> {
  return runScheduled(event, context, { env: process.env, clock: Date.now, log: (line) => process.stdout.write(`${line}\n`) });
}

export async function runScheduled(event: unknown, context: LambdaContext, deps: LambdaDeps): Promise<LambdaResult> {
  const dryRun = dryRunOf(event);
  const table = deps.env['ASG_WATCHDOG_STATE_TABLE'];
  if (!table) throw new UsageError('ASG_WATCHDOG_STATE_TABLE is not set: the Lambda keeps its state in a DynamoDB table (docs/deploy/template.yaml makes one)');
  const run = await resolveAwsSettings({ region: deps.env['AWS_REGION'] });
  const config = await readConfig(deps.env, run);
  const tasks = await groupTasks(config.file, {
    aws: { region: run.region },
    overrides: {},
    where: config.where,
    writtenAt: config.writtenAt,
    mailFor: (entry, aws) => mailOptionsFrom({}, deps.env, aws, entry.mail),
  });
  const budgetMs = Math.min(TICK_BUDGET_SECONDS * 1000, context.getRemainingTimeInMillis() - LAMBDA_MARGIN_MS);
  if (budgetMs < 10_000) throw new UsageError(`the function's timeout leaves ${Math.round(budgetMs / 1000)} s for the ticks; give it 60 s (docs/deploy/template.yaml)`);
  const db = await dynamoClient(run);
  const stores = dynamoStores({ client: db, table, clock: deps.clock, budgetMs, owner: `lambda ${context.awsRequestId}` });
  let outcomes: GroupOutcome[];
  try {
    outcomes = await watchMany(tasks.map((t) => ({ ...t, aws: withTestEndpoint(t.aws, deps.endpoints) })), { dryRun, budgetMs }, {
      clientsFor: makeClients,
      storeFor: (task, clients) => stores(groupIdentity(task.group, clients)),
      clock: deps.clock,
    });
  } finally {
    db.destroy();
  }
  const code = foldExitCodes(outcomes.map((o) => o.code));
  const time = new Date(deps.clock()).toISOString();
  for (const o of outcomes) deps.log(JSON.stringify(logLine(o, time, dryRun)));
  const line = summary(outcomes, code);
  deps.log(JSON.stringify({ time, level: code === 0 || code === 3 ? 'info' : 'error', msg: line, code, groups: outcomes.length, dryRun }));
  // A failed invocation is what Lambda's Errors metric (and the template's alarm) counts: a runtime
  // failure, a misconfigured group or a mail that could not go. Another runner holding a group is not one.
  if (code !== 0 && code !== 3) throw new RuntimeFailure(line);
  return { code, groups: outcomes.length, summary: line };
}

/**
 * The keys an event may carry: `dryRun`, and what a schedule sends (the template's Input; an
 * EventBridge rule's own Scheduled Event). Any other is a person's slip, `{"dryrun": true}` or
 * `{"dry-run": true}`, that must not run for real: refused, as `--dry-run=yes` is.
 */
const EVENT_KEYS = new Set(['dryRun', 'source', 'version', 'id', 'detail-type', 'account', 'time', 'region', 'resources', 'detail']);

export function dryRunOf(event: unknown): boolean {
  if (event === null || event === undefined) return false;
  if (typeof event !== 'object' || Array.isArray(event)) throw new UsageError(`the event: an object such as {"dryRun": true}, not ${JSON.stringify(event)}; nothing done`);
  const unknown = Object.keys(event).find((key) => !EVENT_KEYS.has(key));
  if (unknown !== undefined) throw new UsageError(`the event's ${JSON.stringify(unknown)}: not a key the watchdog reads${unknown.toLowerCase().replace(/[^a-z]/g, '') === 'dryrun' ? ' (dryRun?)' : ''}; nothing done`);
  const dryRun = (event as ScheduledEvent).dryRun;
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new UsageError(`the event's dryRun: true or false, not ${JSON.stringify(dryRun)}`);
  return dryRun === true;
}

/**
 * ASG_WATCHDOG_CONFIG: `s3://BUCKET/KEY` (read at every invocation: a change takes effect the
 * next minute), or a file bundled with the function (default asg-watchdog.yaml beside it).
 */
async function readConfig(env: Record<string, string | undefined>, run: AwsSettings): Promise<{ file: ConfigFile; where: string; writtenAt: number }> {
  const source = env['ASG_WATCHDOG_CONFIG'] || 'asg-watchdog.yaml';
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(source);
  if (s3) {
    const { S3Client, GetObjectCommand } = await import('./aws/lazy/s3.js');
    const client = new S3Client({ region: run.region, ...(run.endpoints.S3 !== undefined && { endpoint: run.endpoints.S3, forcePathStyle: true }) });
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: s3[1], Key: s3[2] }));
      const text = await object.Body!.transformToString('utf8');
      return { file: parseConfigFile(text, source), where: source, writtenAt: object.LastModified?.getTime() ?? 0 };
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const e = error as { name?: string; message?: string };
      throw new RuntimeFailure(`cannot read the config ${source}: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`, { cause: error });
    } finally {
      client.destroy();
    }
  }
  const path = isAbsolute(source) ? source : join(env['LAMBDA_TASK_ROOT'] ?? process.cwd(), source);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the config ${path}: ${systemWords(error)} (set ASG_WATCHDOG_CONFIG to s3://BUCKET/KEY or a file bundled with the function)`);
  }
  return { file: parseConfigFile(text, source), where: source, writtenAt: (await stat(path)).mtimeMs };
}

/** A region's fleet behind a test endpoint (as --endpoint-url); the state table keeps its own. */
function withTestEndpoint(aws: AwsOptions, endpoints: Record<string, string> | undefined): AwsOptions {
  const url = endpoints?.[aws.region];
  return url === undefined ? aws : { ...aws, endpoint: url };
}

/** One group's tick as one log line (CloudWatch Logs Insights reads its fields). */
function logLine(o: GroupOutcome, time: string, dryRun: boolean) {
  const r = o.report;
  return {
    time: r?.time ?? time,
    level: o.code === 0 ? 'info' : o.code === 3 ? 'warn' : 'error',
    group: o.task.group,
    region: o.task.aws.region,
    code: o.code,
    dryRun,
    msg: r ? (r.action ? `${r.executed ? 'done' : r.dryRun ? 'would' : 'NOT DONE'}: ${r.action.reason}` : r.summary) : o.error,
    action: r?.action ? { kind: r.action.kind, from: r.action.from, to: r.action.to, instance: r.action.instance ?? null, rule: r.action.rule, executed: r.executed } : null,
    n: r?.figures.n ?? null,
    desired: r?.figures.desired ?? null,
    avg: r?.figures.avg ?? null,
    held: r?.held.map((h) => `${h.instance ?? h.rule} ${h.rule} ${h.heldMinutes}/${h.ofMinutes} min`) ?? [],
    alerts: r?.alerts.map((a) => a.subject) ?? [],
    warnings: r?.warnings ?? [],
    failure: r?.failure ?? o.error,
  };
}
