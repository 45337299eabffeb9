import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

export function demoCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'demo',
    "the original blog's provoked failures, end to end, in under a minute",
    (y) => y.strict().option('pace-ms', { type: 'number', default: 250, describe: 'wall time per simulated minute' }),
    async (args) => (await import('./run/demo.js')).runDemo(io, args.paceMs),
  );
}
