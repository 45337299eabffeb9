import type { Argv } from 'yargs';
import { withAwsFlags } from './aws-flags.js';
import type { CliIo } from './io.js';

export function iamPolicyCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'iam-policy',
    'print the IAM policy the watchdog needs, in your partition, for these groups',
    (y) =>
      withAwsFlags(
        y
          .strict()
          .option('group', { alias: 'g', type: 'string', array: true, describe: 'a group it may act on (repeatable)' })
          .option('tag', { type: 'string', describe: 'act on groups with this tag instead: KEY=VALUE' })
          .option('ses', { type: 'boolean', default: false, describe: 'alerts go through Amazon SES (--mail-transport ses)' })
          .option('state-table', { type: 'string', describe: 'state is kept in this DynamoDB table of the region (--state-table, Lambda)' })
          .option('assume-role', { type: 'string', array: true, describe: "a config group's role in another account, to assume (repeatable)" }),
      ).example('$0 iam-policy -g web -g api --ses', 'for two groups, mailing through SES'),
    async (args) => (await import('./run/iam-policy.js')).runIamPolicy(args, io),
  );
}
