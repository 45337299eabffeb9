import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import { clientConfig, type AwsOptions } from '../aws/clients.js';
import type { Mail } from './compose.js';
import { describeAwsError } from '../aws/errors.js';
import { messageWords } from '../errors.js';
import { redact } from '../redact.js';
import { SMTP_CONNECT_TIMEOUT_MS, SMTP_SOCKET_TIMEOUT_MS } from '../config/defaults.js';

/** How alerts leave: an SMTP server (the original's localhost:25 by default) or Amazon SES. */
export type MailTransport =
  | { kind: 'smtp'; url: string }
  | { kind: 'ses'; aws: AwsOptions };

export interface MailerOptions {
  transport: MailTransport;
  from: string;
  to: string[];
}

export type SendOutcome = { sent: true; id: string } | { sent: false; error: string };

/**
 * Sends one mail; never throws: a mail failure is reported, it never stops or undoes an action.
 * `timeoutMs` bounds the whole exchange (the tick's budget left), whatever the server does.
 */
export async function sendMail(options: MailerOptions, mail: Mail, timeoutMs?: number): Promise<SendOutcome> {
  const t = options.transport;
  const secret = t.kind === 'smtp' ? t.url : undefined;
  const where = t.kind === 'smtp' ? redact(t.url, secret) : `SES in ${t.aws.region}${t.aws.profile ? ` (profile ${t.aws.profile})` : ''}`;
  const failed = (why: string): SendOutcome => ({ sent: false, error: redact(`mail to ${options.to.join(', ')} via ${where} failed: ${why}`, secret) });
  let transporter: ReturnType<typeof nodemailer.createTransport> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    transporter =
      t.kind === 'smtp'
        ? // Short timeouts: the tick holds its group's lock while it mails.
          nodemailer.createTransport({ url: t.url, connectionTimeout: SMTP_CONNECT_TIMEOUT_MS, greetingTimeout: SMTP_CONNECT_TIMEOUT_MS, socketTimeout: SMTP_SOCKET_TIMEOUT_MS })
        : nodemailer.createTransport({
            SES: {
              sesClient: new SESv2Client(clientConfig({ ...t.aws, maxAttempts: 2 }, 'SESv2')),
              SendEmailCommand,
            },
          });
    const sending = transporter.sendMail({ from: options.from, to: options.to, subject: mail.subject, text: mail.text }) as Promise<{ messageId?: string }>;
    const limit =
      timeoutMs === undefined
        ? new Promise<never>(() => undefined)
        : new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${(timeoutMs / 1000).toFixed(1)} s, the tick's budget left`)), timeoutMs);
          });
    sending.catch(() => undefined); // settled late after a timeout: nobody is listening any more
    const info = await Promise.race([sending, limit]);
    return { sent: true, id: info.messageId ?? '' };
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    // No credentials for SES: what to set, as for any AWS call.
    if (t.kind === 'ses' && /Could not load credentials/i.test(message)) return failed(describeAwsError(error, 'SendEmail', { region: t.aws.region }));
    return failed(messageWords(message));
  } finally {
    clearTimeout(timer);
    transporter?.close();
  }
}
