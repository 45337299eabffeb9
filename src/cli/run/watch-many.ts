import { makeClients } from '../../aws/clients.js';
import { hostInstanceId } from '../../host-instance.js';
import { statSync } from 'node:fs';
import type { ConfigFile } from '../../config/index.js';
import { QuietExit } from '../../errors.js';
import { groupTasks } from '../../groups.js';
import { foldExitCodes, summary, watchMany, type GroupOutcome } from '../../watch-many.js';
import { awsSettingsFrom } from '../aws-flags.js';
import type { CliIo } from '../io.js';
import { mailOptionsFrom } from '../../mail-options.js';
import { toTheSecond } from '../../render/time.js';
import { renderTick } from '../render/tick.js';
import { stateStores } from '../state-store.js';
import { groupIdentity } from '../../state/names.js';
import { flagSettings, writeMetrics, type WatchArgs } from './watch.js';

export const WATCH_MANY_SCHEMA = 'asg-watchdog/watch-many@1';

/** `watch -c FILE` without -g: every group of the file's "groups" in one run (src/watch-many.ts). */
export async function runWatchMany(args: WatchArgs, file: ConfigFile, io: CliIo): Promise<void> {
  const tasks = await groupTasks(file, {
    aws: args,
    overrides: flagSettings(args),
    where: args.config!,
    writtenAt: statSync(args.config!).mtimeMs,
    mailFor: (entry, aws) => mailOptionsFrom(args, io.env, aws, entry.mail),
  });
  // A state table is in the run's region, with the run's credentials, whatever the groups' regions.
  const stores = await stateStores(args, io, () => awsSettingsFrom(args), args.budgetSeconds * 1000);
  let outcomes: GroupOutcome[];
  try {
    outcomes = await watchMany(tasks, { dryRun: args.dryRun, budgetMs: args.budgetSeconds * 1000 }, {
      clientsFor: makeClients,
      storeFor: (task, clients) => stores.storeFor(groupIdentity(task.group, clients)),
      clock: io.now,
      hostInstance: hostInstanceId(),
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
    const at = toTheSecond(time);
    for (const o of outcomes) io.stdout(o.report ? renderTick(o.report, o.task.label) : `${at} ${o.task.label}: FAILED: ${o.error}\n`);
    io.stdout(`${at} ${summary(outcomes, code)}\n`);
  }
  if (args.metricsFile !== undefined) {
    await writeMetrics(args.metricsFile, outcomes.map((o) => (o.report ? { report: o.report } : { failed: { group: o.task.group, region: o.task.aws.region, time, code: o.code } })));
  }
  if (code !== 0) throw new QuietExit(code);
}

function groupJson(o: GroupOutcome) {
  return { label: o.task.label, group: o.task.group, region: o.task.aws.region, code: o.code, error: o.error, report: o.report };
}
