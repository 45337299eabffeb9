import type { Argv } from 'yargs';
import { destroyClients, makeClients } from '../aws/clients.js';
import { loadConfigFile, resolveConfig, type ConfigInput } from '../config/index.js';
import { QuietExit } from '../errors.js';
import { FileStateStore, defaultStateDir } from '../state/file-store.js';
import { tick } from '../tick.js';
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
          .option('json', { type: 'boolean', default: false, describe: 'print the tick as one JSON object' }),
      )).example('$0 watch -g web -m ops@example.com', 'the cron job')
        .example('$0 watch -g web --dry-run', 'what would it do now?'),
    async (args) => {
      const file = args.config ? loadConfigFile(args.config) : null;
      const fromFile: ConfigInput = file?.engine ?? {};
      const flags = Object.fromEntries(Object.entries({ low: args.low, high: args.high, urgent: args.urgent }).filter(([, v]) => v !== undefined));
      const config = resolveConfig({ ...fromFile, ...flags }, args.config ?? 'flags');
      const aws = awsOptionsFrom(args, io.env);
      const mail = mailOptionsFrom(args, io.env, aws.region, file?.mail);
      const clients = makeClients(aws);
      try {
        const store = new FileStateStore(args.stateDir ?? defaultStateDir(io.env), aws.region, args.group, io.now);
        const report = await tick({ group: args.group, config, dryRun: args.dryRun, mail }, { clients, store, clock: io.now });
        if (args.json) {
          const { group, time, dryRun, figures, instances, action, executed, blocked, alerts } = report;
          const { n, measured, coverage, avg, total, projection1 } = figures;
          io.stdout(`${JSON.stringify({ group, time, dryRun, figures: { n, measured, coverage, avg, total, projection1 }, instances, action, executed, blocked: blocked.map(({ rule, why }) => ({ rule, why })), alerts })}\n`);
        } else io.stdout(renderTick(report));
        if (report.mailError && args.json) io.stderr(`asg-watchdog: ${report.mailError}\n`);
        if (report.refusal) throw new QuietExit(1);
      } finally {
        destroyClients(clients);
      }
    },
  );
}
