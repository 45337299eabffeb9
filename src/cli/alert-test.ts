import type { Argv } from 'yargs';
import type { CliIo } from './io.js';
import { withAwsFlags } from './aws-flags.js';
import { withMailFlags } from './mail-flags.js';

export function alertCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command('alert', 'mail alerts', (y) =>
    y
      .command(
        'test',
        'send a test mail with the configured transport',
        (t) =>
          withAwsFlags(withMailFlags(t.strict().option('config', { alias: 'c', type: 'string', describe: 'a config file with a "mail" section' }))),
        async (args) => (await import('./run/alert-test.js')).runAlertTest(args, io),
      )
      .strict()
      .demandCommand(1, 'alert needs a subcommand: alert test -m ADDRESS'),
  );
}
