import type { Argv } from 'yargs';
import { destroyClients, makeClients } from '../aws/clients.js';
import { loadConfigFile, resolveConfig, type ConfigInput } from '../config/index.js';
import { QuietExit, UsageError } from '../errors.js';
import { FileStateStore, defaultStateDir } from '../state/file-store.js';
import { defaultLockDir } from '../state/group-lock.js';
import { tick } from '../tick.js';
import { tickExitCode } from '../tick-report.js';
import { TICK_BUDGET_SECONDS } from '../config/defaults.js';
import { awsOptionsFrom, withAwsFlags } from './aws-flags.js';
import { mailOptionsFrom, withMailFlags } from './mail-flags.js';
import type { CliIo } from './io.js';
import { renderTick } from './render/tick.js';

export function watchCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'watch',
    'one tick for a group: what cron runs every minute',
    (y) =>
      withMailFlags(withAwsFlags(
        y
          .strict()
          .option('group', { alias: 'g', type: 'string', demandOption: true, describe: 'the Auto Scaling group' })
          .option('dry-run', { alias: 'd', type: 'boolean', default: false, describe: 'plan and print, but change nothing: no AWS action, no mail, no state written' })
          .option('low', { type: 'number', describe: 'band low mark, % (default 70)' })
          .option('high', { type: 'number', describe: 'band high mark, % (default 85)' })
          .option('urgent', { alias: 'u', type: 'number', describe: 'urgent mark, % (default 95)' })
          .option('config', { alias: 'c', type: 'string', describe: 'a JSON config file (docs/configuration.md)' })
          .option('state-dir', { type: 'string', describe: 'where state files live (default $ASG_WATCHDOG_STATE_DIR, $XDG_STATE_HOME/asg-watchdog or ~/.local/state/asg-watchdog)' })
          .option('budget-seconds', { type: 'number', default: TICK_BUDGET_SECONDS, describe: 'the whole tick, lock to mail: past it the tick stops without acting' })
          .option('json', { type: 'boolean', default: false, describe: 'print the tick as one JSON object' }),
      )).example('$0 watch -g web -m ops@example.com', 'the cron job')
        .example('$0 watch -g web --dry-run', 'what would it do now?'),
    async (args) => {
      if (!(args.budgetSeconds >= 15 && args.budgetSeconds <= 300)) throw new UsageError(`--budget-seconds ${args.budgetSeconds}: expected 15 to 300 (an action needs 10 s of it)`);
      const file = args.config ? loadConfigFile(args.config) : null;
      const fromFile: ConfigInput = file?.engine ?? {};
      const flags = Object.fromEntries(Object.entries({ low: args.low, high: args.high, urgent: args.urgent }).filter(([, v]) => v !== undefined));
      const config = resolveConfig({ ...fromFile, ...flags }, args.config ?? 'flags');
      const aws = awsOptionsFrom(args, io.env);
      const mail = mailOptionsFrom(args, io.env, aws.region, file?.mail);
      const clients = makeClients(aws);
      try {
        const identity = { region: aws.region, group: args.group, ...(aws.endpoint !== undefined && { endpoint: aws.endpoint }) };
        const store = new FileStateStore({ dir: args.stateDir ?? defaultStateDir(io.env), lockDir: await defaultLockDir(io.env), identity, clock: io.now });
        const report = await tick({ group: args.group, config, dryRun: args.dryRun, mail, budgetMs: args.budgetSeconds * 1000 }, { clients, store, clock: io.now });
        if (args.json) {
          const { group, time, dryRun, figures, instances, action, executed, blocked, alerts } = report;
          const { n, measured, coverage, avg, total, projection1 } = figures;
          io.stdout(`${JSON.stringify({ group, time, dryRun, figures: { n, measured, coverage, avg, total, projection1 }, instances, action, executed, blocked: blocked.map(({ rule, why }) => ({ rule, why })), alerts })}\n`);
        } else io.stdout(renderTick(report));
        if (args.json) for (const problem of [report.failure, report.mailError]) if (problem) io.stderr(`asg-watchdog: ${problem}\n`);
        const code = tickExitCode(report);
        if (code !== 0) throw new QuietExit(code);
      } finally {
        destroyClients(clients);
      }
    },
  );
}
