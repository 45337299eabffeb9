import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

export function configCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command('config', 'check a config file', (y) =>
    y
      .command(
        'check <file>',
        'validate a config file and print the effective settings',
        (c) => c.strict().positional('file', { type: 'string', demandOption: true, describe: 'a JSON config file' }).option('json', { type: 'boolean', describe: 'print JSON' }),
        async (args) => (await import('./run/config-check.js')).runConfigCheck(args, io),
      )
      .strict()
      .demandCommand(1, 'config needs a subcommand: config check FILE'),
  );
}
