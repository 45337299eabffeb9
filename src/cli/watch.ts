import type { Argv } from 'yargs';
import { TICK_BUDGET_SECONDS } from '../config/defaults.js';
import { withAwsFlags } from './aws-flags.js';
import { withMailFlags } from './mail-flags.js';
import type { CliIo } from './io.js';

export function watchCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'watch',
    'one tick for a group: what cron runs every minute',
    (y) =>
      withMailFlags(withAwsFlags(
        y
          .strict()
          .option('group', { alias: 'g', type: 'string', describe: 'the Auto Scaling group (without it: every group of the config file\'s "groups")' })
          .option('dry-run', { alias: 'd', type: 'boolean', default: false, describe: 'plan and print, but change nothing: no AWS action, no mail, no state written' })
          .option('low', { type: 'number', describe: 'band low mark, % (default 70)' })
          .option('high', { type: 'number', describe: 'band high mark, % (default 85)' })
          .option('urgent', { alias: 'u', type: 'number', describe: 'urgent mark, % (default 95)' })
          .option('config', { alias: 'c', type: 'string', describe: 'a config file, JSON or YAML; with "groups", many groups in one run (docs/configuration.md)' })
          .option('state-dir', { type: 'string', describe: 'where state files live (default $ASG_WATCHDOG_STATE_DIR, $XDG_STATE_HOME/asg-watchdog or ~/.local/state/asg-watchdog)' })
          .option('state-table', { type: 'string', describe: 'keep state in this DynamoDB table instead of files, for more than one host (default $ASG_WATCHDOG_STATE_TABLE; docs/operations.md)' })
          .option('budget-seconds', { type: 'number', default: TICK_BUDGET_SECONDS, describe: 'the whole tick, lock to mail: past it the tick stops without acting' })
          .option('json', { type: 'boolean', default: false, describe: 'print the tick as one JSON object' })
          .option('metrics-file', { type: 'string', describe: "write the tick's figures there in Prometheus' text format (node_exporter's textfile collector: a .prom file)" })
          .option('pause', { type: 'boolean', default: false, describe: 'pause the watchdog on this group: ticks look and report, nothing acts or mails, until --resume' })
          .option('reason', { type: 'string', describe: 'with --pause: why, shown by every tick' })
          .option('resume', { type: 'boolean', default: false, describe: 'end a --pause' }),
      )).example('$0 watch -g web -m ops@example.com', 'the cron job')
        .example('$0 watch -g web --dry-run', 'what would it do now?')
        .example('$0 watch -g web --pause --reason "AMI upgrade"', 'hands off for maintenance'),
    // The tick, the SDK, zod and the mailer load only when a tick runs: `--help` needs none of them.
    async (args) => (await import('./run/watch.js')).runWatch(args, io),
  );
}
