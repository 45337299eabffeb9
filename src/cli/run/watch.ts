import { makeClients } from '../../aws/clients.js';
import { loadConfigFile, resolveConfig, type ConfigInput } from '../../config/index.js';
import { QuietExit, UsageError } from '../../errors.js';
import { FileStateStore, defaultStateDir } from '../../state/file-store.js';
import { defaultLockDir } from '../../state/group-lock.js';
import { tick } from '../../tick.js';
import { tickExitCode } from '../../tick-report.js';
import { awsSettingsFrom, type AwsArgs } from '../aws-flags.js';
import { mailOptionsFrom, type MailArgs } from '../mail-flags.js';
import type { CliIo } from '../io.js';
import { renderTick } from '../render/tick.js';

export interface WatchArgs extends AwsArgs, MailArgs {
  group: string;
  dryRun: boolean;
  low?: number | undefined;
  high?: number | undefined;
  urgent?: number | undefined;
  config?: string | undefined;
  stateDir?: string | undefined;
  budgetSeconds: number;
  json: boolean;
}

/** `watch`: one tick, printed as text or JSON; the exit code of tickExitCode. */
export async function runWatch(args: WatchArgs, io: CliIo): Promise<void> {
  if (!(args.budgetSeconds >= 15 && args.budgetSeconds <= 300)) throw new UsageError(`--budget-seconds ${args.budgetSeconds}: expected 15 to 300 (an action needs 10 s of it)`);
  const file = args.config ? loadConfigFile(args.config) : null;
  const fromFile: ConfigInput = file?.engine ?? {};
  const flags = Object.fromEntries(Object.entries({ low: args.low, high: args.high, urgent: args.urgent }).filter(([, v]) => v !== undefined));
  const config = resolveConfig({ ...fromFile, ...flags }, args.config ?? 'flags');
  const aws = await awsSettingsFrom(args);
  const mail = mailOptionsFrom(args, io.env, aws, file?.mail);
  const clients = makeClients(aws);
  try {
    const identity = { region: aws.region, group: args.group, ...(clients.endpoint !== undefined && { endpoint: clients.endpoint }) };
    const store = new FileStateStore({ dir: args.stateDir ?? defaultStateDir(io.env), lockDir: await defaultLockDir(io.env), identity, clock: io.now });
    const report = await tick({ group: args.group, config, dryRun: args.dryRun, mail, budgetMs: args.budgetSeconds * 1000 }, { clients, store, clock: io.now });
    io.stdout(args.json ? `${JSON.stringify(report)}\n` : renderTick(report));
    if (args.json) for (const problem of [report.failure, report.mailError]) if (problem) io.stderr(`asg-watchdog: ${problem}\n`);
    const code = tickExitCode(report);
    if (code !== 0) throw new QuietExit(code);
  } finally {
    clients.destroy();
  }
}
