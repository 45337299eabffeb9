import type { Argv } from 'yargs';
import { SUBJECT_PREFIX } from '../alert/compose.js';
import { sendMail } from '../alert/mailer.js';
import { loadConfigFile } from '../config/index.js';
import { RuntimeFailure, UsageError } from '../errors.js';
import type { CliIo } from './io.js';
import { mailOptionsFrom, withMailFlags } from './mail-flags.js';

export function alertCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command('alert', 'mail alerts', (y) =>
    y
      .command(
        'test',
        'send a test mail with the configured transport',
        (t) =>
          withMailFlags(
            t
              .strict()
              .option('region', { type: 'string', describe: 'AWS region, for --mail-transport ses' })
              .option('config', { alias: 'c', type: 'string', describe: 'a config file with a "mail" section' }),
          ),
        async (args) => {
          const file = args.config ? loadConfigFile(args.config).mail : undefined;
          const mail = mailOptionsFrom(args, io.env, args.region ?? io.env['AWS_REGION'] ?? io.env['AWS_DEFAULT_REGION'], file);
          if (!mail) throw new UsageError('alert test needs -m ADDRESS (or "mail": {"to": [...]} in the config file)');
          const sent = await sendMail(mail, {
            subject: `${SUBJECT_PREFIX} test mail from ${mail.signature.host}`,
            text: `This is a test of asg-watchdog's alert mail, sent at ${new Date(io.now()).toISOString()} by ${mail.signature.host}.\nIf you read it, alerts will reach you.\n\n-- \nasg-watchdog ${mail.signature.version}\n`,
          });
          if (!sent.sent) throw new RuntimeFailure(sent.error);
          io.stdout(`test mail sent to ${mail.to.join(', ')} (${sent.id})\n`);
        },
      )
      .strict()
      .demandCommand(1, 'alert needs a subcommand: alert test -m ADDRESS'),
  );
}
