import type { Argv } from 'yargs';
import { withAwsFlags } from './aws-flags.js';
import type { CliIo } from './io.js';
import { MAX_MANUAL_STEP } from '../config/defaults.js';

export function instancesCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'instances',
    "list the group's instances with CPU, state, health, LB, zone, IP; set desired; kill one",
    (y) =>
      withAwsFlags(
        y
          .strict()
          .option('group', { alias: 'g', type: 'string', demandOption: true, describe: 'the Auto Scaling group' })
          .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'add private DNS, image and launch time' })
          .option('set-desired', { alias: 'i', type: 'number', describe: `set the desired count (within [min, max], at most ${MAX_MANUAL_STEP} away unless --force)` })
          .option('force', { type: 'boolean', default: false, describe: `allow -i more than ${MAX_MANUAL_STEP} away from the current count, -i 0, or -i below what the load needs (the fewer above the high mark); -k of the only instance in service or of this host` })
          .option('kill', { alias: 'k', type: 'string', describe: 'terminate this instance of the group (the group replaces it unless --decrement)' })
          .option('decrement', { type: 'boolean', default: false, describe: 'with -k: lower desired by one instead of replacing' })
          .option('dry-run', { alias: 'd', type: 'boolean', default: false, describe: 'with -i or -k: only print what would be done' })
          .option('config', { alias: 'c', type: 'string', describe: 'a JSON config file (warm-up and metric window)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the same data as JSON' })
          .option('state-table', { type: 'string', describe: "with -i or -k: hold the group's lease in this DynamoDB table, as the ticks of every host do (default $ASG_WATCHDOG_STATE_TABLE)" })
          .conflicts('set-desired', 'kill')
          .example('$0 instances -g web', 'the fleet at a glance')
          .example('$0 instances -g web -i 4', 'set desired to 4')
          .example('$0 instances -g web -k i-0abc123', 'kill one instance; the group replaces it'),
      ),
    // AWS, zod and the fleet table load only when the command runs.
    async (args) => (await import('./run/instances.js')).runInstances(args, io),
  );
}
