import { makeClients } from '../../aws/clients.js';
import type { AwsSettings } from '../../aws/settings.js';
import { resolveConfig, type ConfigFile, type GroupEntry } from '../../config/index.js';
import { QuietExit, UsageError } from '../../errors.js';
import { foldExitCodes, watchMany, type GroupOutcome, type GroupTask } from '../../watch-many.js';
import { awsSettingsFrom } from '../aws-flags.js';
import type { CliIo } from '../io.js';
import { mailOptionsFrom } from '../mail-flags.js';
import { renderTick } from '../render/tick.js';
import { stateStores } from '../state-store.js';
import { flagSettings, identityOf, pausedByFile, writeMetrics, type WatchArgs } from './watch.js';

export const WATCH_MANY_SCHEMA = 'asg-watchdog/watch-many@1';

/** `watch -c FILE` without -g: every group of the file's "groups" in one run (src/watch-many.ts). */
export async function runWatchMany(args: WatchArgs, file: ConfigFile, io: CliIo): Promise<void> {
  const tasks = await tasksOf(args, file, io);
  // A state table is in the run's region, with the run's credentials, whatever the groups' regions.
  const stores = await stateStores(args, io, await awsSettingsFrom(args), args.budgetSeconds * 1000);
  let outcomes: GroupOutcome[];
  try {
    outcomes = await watchMany(tasks, { dryRun: args.dryRun, budgetMs: args.budgetSeconds * 1000 }, {
      clientsFor: makeClients,
      storeFor: (task, clients) => stores.storeFor(identityOf(task.group, clients)),
      clock: io.now,
    });
  } finally {
    stores.close();
  }
  const code = foldExitCodes(outcomes.map((o) => o.code));
  const time = new Date(io.now()).toISOString();
  if (args.json) {
    io.stdout(`${JSON.stringify({ schema: WATCH_MANY_SCHEMA, time, code, groups: outcomes.map(groupJson) })}\n`);
    for (const o of outcomes) for (const problem of [o.error, o.report?.failure, o.report?.mailError]) if (problem) io.stderr(`asg-watchdog: ${o.task.label}: ${problem}\n`);
  } else {
    const at = time.replace(/\.\d+Z$/, 'Z');
    for (const o of outcomes) io.stdout(o.report ? renderTick(o.report, o.task.label) : `${at} ${o.task.label}: FAILED: ${o.error}\n`);
    io.stdout(`${at} ${summary(outcomes, code)}\n`);
  }
  if (args.metricsFile !== undefined) {
    await writeMetrics(args.metricsFile, outcomes.map((o) => (o.report ? { report: o.report } : { failed: { group: o.task.group, region: o.task.aws.region, time, code: o.code } })));
  }
  if (code !== 0) throw new QuietExit(code);
}

/** Each group of the file with its AWS settings, its config under the flags, its mail; a clash is exit 2 before anything runs. */
async function tasksOf(args: WatchArgs, file: ConfigFile, io: CliIo): Promise<GroupTask[]> {
  const settings = new Map<string, Promise<AwsSettings>>();
  const awsOf = (entry: GroupEntry) => {
    const flags = { ...args, region: entry.region ?? args.region, profile: entry.profile ?? args.profile };
    const key = JSON.stringify([flags.region ?? null, flags.profile ?? null]);
    if (!settings.has(key)) settings.set(key, awsSettingsFrom(flags));
    return settings.get(key)!;
  };
  const resolved = await Promise.all(file.groups.map(async (entry) => ({ entry, aws: await awsOf(entry) })));
  const seen = new Map<string, number>();
  for (const { entry, aws } of resolved) {
    const key = `${aws.region}/${entry.name}`;
    if (seen.has(key)) throw new UsageError(`${args.config}: groups.${seen.get(key)} and groups.${file.groups.indexOf(entry)} are both ${entry.name} in ${aws.region}`);
    seen.set(key, file.groups.indexOf(entry));
  }
  const shared = (name: string) => resolved.filter((r) => r.entry.name === name).length > 1;
  return resolved.map(({ entry, aws }) => ({
    label: shared(entry.name) ? `${aws.region}/${entry.name}` : entry.name,
    group: entry.name,
    aws,
    config: resolveConfig({ ...entry.engine, ...flagSettings(args) }, `${args.config} (${entry.name})`),
    mail: mailOptionsFrom(args, io.env, aws, entry.mail),
    paused: pausedByFile(entry, args.config),
  }));
}

function groupJson(o: GroupOutcome) {
  return { label: o.task.label, group: o.task.group, region: o.task.aws.region, code: o.code, error: o.error, report: o.report };
}

const CODE_WORDS: Record<number, string> = { 0: 'ran', 1: 'failed', 2: 'misconfigured', 3: 'held by another actor', 4: 'could not mail' };

/** One line for the run: how many groups ended how, naming those that need a look, and the exit code. */
export function summary(outcomes: readonly GroupOutcome[], code: number): string {
  const parts = [0, 1, 2, 3, 4].flatMap((c) => {
    const these = outcomes.filter((o) => o.code === c);
    if (these.length === 0) return [];
    const names = c === 0 ? '' : ` (${these.slice(0, 5).map((o) => o.task.label).join(', ')}${these.length > 5 ? ', …' : ''})`;
    return [`${these.length} ${CODE_WORDS[c]}${names}`];
  });
  return `${outcomes.length} groups: ${parts.join(', ')}; exit ${code}`;
}
