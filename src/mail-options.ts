// How alerts leave for a run: the mail flags (or a Lambda's nothing), the environment and a config
// file's "mail" section, checked before anything runs. Used by the CLI and the Lambda handler.
import { hostname, userInfo } from 'node:os';
import addressparser from 'nodemailer/lib/addressparser';
import type { MailerOptions, MailTransport } from './alert/mailer.js';
import type { AwsSettings } from './aws/settings.js';
import type { MailSettings } from './config/index.js';
import { DEFAULT_SMTP_URL } from './config/defaults.js';
import { UsageError } from './errors.js';
import { VERSION } from './version.js';

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+$/;

/**
 * The mailboxes of a list as nodemailer reads them ('ops@example.com, Ops Team <team@example.com>'),
 * each checked; a display name is kept, quoted. Throws UsageError naming the first bad one.
 */
export function mailboxes(list: string, flag: string): string[] {
  const parsed = addressparser(list, { flatten: true });
  if (parsed.length === 0) throw new UsageError(`${flag} ${list}: not a mail address`);
  return parsed.map((m) => {
    if (!ADDRESS.test(m.address)) throw new UsageError(`${flag} ${list}: not a mail address`);
    return m.name ? `"${m.name.replace(/["\\]/g, '\\$&')}" <${m.address}>` : m.address;
  });
}

/** Flags win over the environment, the environment over the config file's "mail" section. */
export interface MailArgs {
  mail?: string[] | undefined;
  smtpUrl?: string | undefined;
  mailFrom?: string | undefined;
  mailTransport?: 'smtp' | 'ses' | undefined;
  sesEndpointUrl?: string | undefined;
}

/** Whether alerts go through SES (so the AWS settings are needed even where nothing else calls AWS). */
export function wantsSes(args: MailArgs, file: MailSettings = { to: [] }): boolean {
  return (args.mailTransport ?? file.transport ?? 'smtp') === 'ses';
}

export function mailOptionsFrom(
  args: MailArgs,
  env: Record<string, string | undefined>,
  aws: AwsSettings | null,
  file: MailSettings = { to: [] },
): (MailerOptions & { signature: { host: string; version: string } }) | null {
  const lists = (args.mail?.length ? args.mail : file.to).filter((m) => m.trim() !== '');
  if (lists.length === 0) return null;
  const to = lists.flatMap((list) => mailboxes(list, '-m'));
  const host = hostname();
  const fromText = args.mailFrom ?? env['ASG_WATCHDOG_MAIL_FROM'] ?? file.from ?? `asg-watchdog@${host}`;
  const fromList = mailboxes(fromText, '--mail-from');
  if (fromList.length !== 1) throw new UsageError(`--mail-from ${fromText}: one address, not ${fromList.length}`);
  const from = fromList[0]!;
  let transport: MailTransport;
  if (wantsSes(args, file)) {
    if (aws === null) throw new UsageError('--mail-transport ses needs the AWS settings: a region, and credentials from the profile or the environment');
    const endpoint = args.sesEndpointUrl ?? file.sesEndpointUrl;
    if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new UsageError(`--ses-endpoint-url must be an http(s) URL, not '${endpoint}'`);
    transport = { kind: 'ses', aws: { ...aws, endpoints: { ...aws.endpoints, ...(endpoint !== undefined && { SESv2: endpoint }) } } };
  } else {
    const url = args.smtpUrl ?? env['ASG_WATCHDOG_SMTP_URL'] ?? file.smtpUrl ?? DEFAULT_SMTP_URL;
    if (!/^smtps?:\/\/[^\s/]+/.test(url)) throw new UsageError('--smtp-url must look like smtp://host:port or smtps://user:pass@host:port');
    // Checked now, not when the first alert is mailed: the message never repeats the URL, it may hold a password.
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (parsed === null || parsed.hostname === '') throw new UsageError('--smtp-url is not a valid URL: percent-encode / @ : # ? % and spaces in the user and password (/ as %2F)');
    transport = { kind: 'smtp', url };
  }
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry in some containers
  }
  return { transport, from, to, signature: { host: `${user}@${host}`, version: VERSION } };
}
