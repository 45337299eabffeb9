import type { Argv } from 'yargs';
import { withAwsFlags } from './aws-flags.js';
import type { CliIo } from './io.js';

export function statusCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'status',
    "what the watchdog saw and did, from the group's state and history (no AWS call)",
    (y) =>
      withAwsFlags(
        y
          .strict()
          .option('group', { alias: 'g', type: 'string', demandOption: true, describe: 'the Auto Scaling group' })
          .option('state-table', { type: 'string', describe: 'keep state in this DynamoDB table instead of files, for more than one host (default $ASG_WATCHDOG_STATE_TABLE; docs/operations.md)' })
          .option('since', { type: 'string', describe: 'from when: 30m, 2h, 1d or an ISO time (default 1h; 1d for --html and --serve)' })
          .option('explain', { type: 'string', describe: 'why this instance was (or would be) terminated, tick by tick' })
          .option('json', { type: 'boolean', default: false, describe: 'print it as one JSON object' })
          .option('html', { type: 'string', describe: 'write a page with the charts, for a browser or a phone' })
          .option('serve', { type: 'boolean', default: false, describe: 'serve that page on 127.0.0.1, refreshed every minute' })
          .option('port', { type: 'number', default: 8080, describe: 'with --serve: the port (0: any free one)' })
          .option('state-dir', { type: 'string', describe: 'where state files live (as watch)' })
          .option('config', { alias: 'c', type: 'string', describe: "the config file whose \"groups\" name this group's region, profile or role (as watch -c)" }),
      )
        .example('$0 status -g web', 'the last tick, what is held, the last hour of events')
        .example('$0 status -g web --explain i-0abc --since 1d', 'why was it terminated?')
        .example('$0 status -g web --html web.html', 'the page, to open anywhere'),
    async (args) => (await import('./run/status.js')).runStatus(args, io),
  );
}
