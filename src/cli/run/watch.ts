import { statSync } from 'node:fs';
import { makeClients } from '../../aws/clients.js';
import { hostInstanceId } from '../../host-instance.js';
import { groupIdentity } from '../../state/names.js';
import { pauseOf } from '../../groups.js';
import { entryFor, loadConfigFile, resolveConfig, type ConfigInput, type GroupEntry } from '../../config/index.js';
import type { MetricsOf } from '../../metrics.js';
import type { Pause } from '../../state/store.js';
import writeFileAtomic from 'write-file-atomic';
import { exitCodeOf, QuietExit, RuntimeFailure, systemWords, UsageError } from '../../errors.js';
import { setPause, whoAmI } from './pause.js';
import { tick } from '../../tick.js';
import { tickExitCode } from '../../tick-report.js';
import { awsSettingsFrom, type AwsArgs } from '../aws-flags.js';
import { mailOptionsFrom, type MailArgs } from '../../mail-options.js';
import { stateStores, type StoreArgs } from '../state-store.js';
import type { CliIo } from '../io.js';
import { renderTick } from '../render/tick.js';

export interface WatchArgs extends AwsArgs, MailArgs, StoreArgs {
  /** Absent: every group of the config file's "groups" (watch-many.ts). */
  group?: string | undefined;
  dryRun: boolean;
  pause: boolean;
  resume: boolean;
  metricsFile?: string | undefined;
  reason?: string | undefined;
  low?: number | undefined;
  high?: number | undefined;
  urgent?: number | undefined;
  config?: string | undefined;
  budgetSeconds: number;
  json: boolean;
}

/** The tick's figures for Prometheus, written whole (a scraper never reads half a file), readable by node_exporter. */
export async function writeMetrics(file: string, results: readonly MetricsOf[]): Promise<void> {
  const { prometheusText } = await import('../../metrics.js');
  try {
    await writeFileAtomic(file, prometheusText(results), { mode: 0o644 });
  } catch (error) {
    throw new RuntimeFailure(`the tick ran, but the metrics file ${file} could not be written: ${systemWords(error)}`);
  }
}

/** --low, --high, -u: over every group's settings. */
export function flagSettings(args: WatchArgs): ConfigInput {
  return Object.fromEntries(Object.entries({ low: args.low, high: args.high, urgent: args.urgent }).filter(([, v]) => v !== undefined));
}

/** The config file's "paused" for the group, since the file was last written. */
export function pausedByFile(entry: GroupEntry | null, file: string | undefined): Pause | null {
  return entry?.paused && file ? pauseOf(entry, file, statSync(file).mtimeMs) : null;
}

/** `watch`: one tick, printed as text or JSON; the exit code of tickExitCode. */
export async function runWatch(args: WatchArgs, io: CliIo): Promise<void> {
  if (!(args.budgetSeconds >= 15 && args.budgetSeconds <= 300)) throw new UsageError(`--budget-seconds ${args.budgetSeconds}: expected 15 to 300 (an action needs 10 s of it)`);
  if (args.pause && args.resume) throw new UsageError('--pause and --resume: one or the other');
  if (args.reason !== undefined && !args.pause) throw new UsageError('--reason goes with --pause');
  if (args.metricsFile !== undefined && args.dryRun) throw new UsageError("--metrics-file is written by real ticks: a dry run's figures would stand for the cron job's");
  if ((args.pause || args.resume) && args.dryRun) throw new UsageError(`--${args.pause ? 'pause' : 'resume'} writes the group's state; a dry run writes nothing`);
  const file = args.config ? loadConfigFile(args.config) : null;
  if (args.group === undefined) {
    if (file === null || file.groups.length === 0) throw new UsageError('which group? -g GROUP, or -c FILE whose "groups" lists them');
    if (args.pause || args.resume) throw new UsageError(`--${args.pause ? 'pause' : 'resume'} is for one group: add -g GROUP`);
    return (await import('./watch-many.js')).runWatchMany(args, file, io);
  }
  const entry = file ? entryFor(file, args.group, { region: args.region, profile: args.profile }, args.config!) : null;
  const config = resolveConfig({ ...entry?.engine, ...flagSettings(args) }, args.config ?? 'flags');
  const aws = await awsSettingsFrom({ ...args, region: args.region ?? entry?.region ?? undefined, profile: args.profile ?? entry?.profile ?? undefined });
  const mail = mailOptionsFrom(args, io.env, aws, entry?.mail);
  const stores = await stateStores(args, io, aws, args.budgetSeconds * 1000);
  const clients = makeClients({ ...aws, ...(entry?.role && { role: entry.role }), clock: io.now });
  try {
    const store = stores.storeFor(groupIdentity(args.group, clients));
    if (args.pause || args.resume) {
      const now = io.now();
      await setPause(store, { group: args.group, region: aws.region, now, pause: args.pause ? { since: now, reason: args.reason ?? null, by: whoAmI() } : null, json: args.json }, io);
      return;
    }
    const paused = pausedByFile(entry, args.config);
    const report = await tick({ group: args.group, config, dryRun: args.dryRun, mail, budgetMs: args.budgetSeconds * 1000, paused }, { clients, store, clock: io.now, hostInstance: hostInstanceId() }).catch(async (error: unknown) => {
      // Stopped before its report (AWS unreachable, the lock held): Prometheus is told so, with the
      // exit code, as `watch -c` tells it of each group; else the file's old time reads as cron stopped.
      if (args.metricsFile !== undefined) {
        const failed = { group: args.group!, region: aws.region, time: new Date(io.now()).toISOString(), code: exitCodeOf(error) ?? 1 };
        await writeMetrics(args.metricsFile, [{ failed }]).catch(() => undefined);
      }
      throw error;
    });
    io.stdout(args.json ? `${JSON.stringify(report)}\n` : renderTick(report));
    if (args.metricsFile !== undefined) await writeMetrics(args.metricsFile, [{ report }]);
    if (args.json) for (const problem of [report.failure, report.mailError]) if (problem) io.stderr(`asg-watchdog: ${problem}\n`);
    const code = tickExitCode(report);
    if (code !== 0) throw new QuietExit(code);
  } finally {
    clients.destroy();
    stores.close();
  }
}
