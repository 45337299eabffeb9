import { SUBJECT_PREFIX } from '../../alert/compose.js';
import { sendMail } from '../../alert/mailer.js';
import { loadConfigFile } from '../../config/index.js';
import { RuntimeFailure, UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { awsSettingsFrom, type AwsArgs } from '../aws-flags.js';
import { mailOptionsFrom, wantsSes, type MailArgs } from '../../mail-options.js';

/** `alert test`: one test mail with the configured transport; a failure is one line and exit 1. */
export async function runAlertTest(args: MailArgs & AwsArgs & { config?: string | undefined }, io: CliIo): Promise<void> {
  const file = args.config ? loadConfigFile(args.config).mail : undefined;
  // SMTP needs nothing of AWS: a missing region must not stop a test of it.
  const aws = wantsSes(args, file) ? await awsSettingsFrom(args) : null;
  const mail = mailOptionsFrom(args, io.env, aws, file);
  if (!mail) throw new UsageError('alert test needs -m ADDRESS (or "mail": {"to": [...]} in the config file)');
  const sent = await sendMail(mail, {
    subject: `${SUBJECT_PREFIX} test mail from ${mail.signature.host}`,
    text: `This is a test of asg-watchdog's alert mail, sent at ${new Date(io.now()).toISOString()} by ${mail.signature.host}.\nIf you read it, alerts will reach you.\n\n-- \nasg-watchdog ${mail.signature.version}\n`,
  });
  if (!sent.sent) throw new RuntimeFailure(sent.error);
  io.stdout(`test mail sent to ${mail.to.join(', ')} (${sent.id})\n`);
}
