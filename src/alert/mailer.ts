import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer from 'nodemailer';
import type { Mail } from './compose.js';
import { redact } from './compose.js';
import { SMTP_CONNECT_TIMEOUT_MS, SMTP_SOCKET_TIMEOUT_MS } from '../config/defaults.js';

/** How alerts leave: an SMTP server (the original's localhost:25 by default) or Amazon SES. */
export type MailTransport =
  | { kind: 'smtp'; url: string }
  | { kind: 'ses'; region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };

export interface MailerOptions {
  transport: MailTransport;
  from: string;
  to: string[];
}

export type SendOutcome = { sent: true; id: string } | { sent: false; error: string };

/** Sends one mail; never throws: a mail failure is reported, it never stops or undoes an action. */
export async function sendMail(options: MailerOptions, mail: Mail): Promise<SendOutcome> {
  const t = options.transport;
  const transporter =
    t.kind === 'smtp'
      ? // Short timeouts: the tick holds its group's lock while it mails.
        nodemailer.createTransport({ url: t.url, connectionTimeout: SMTP_CONNECT_TIMEOUT_MS, greetingTimeout: SMTP_CONNECT_TIMEOUT_MS, socketTimeout: SMTP_SOCKET_TIMEOUT_MS })
      : nodemailer.createTransport({
          SES: {
            sesClient: new SESv2Client({
              region: t.region,
              maxAttempts: 2,
              ...(t.endpoint !== undefined && { endpoint: t.endpoint }),
              ...(t.credentials !== undefined && { credentials: t.credentials }),
            }),
            SendEmailCommand,
          },
        });
  try {
    const info = (await transporter.sendMail({ from: options.from, to: options.to, subject: mail.subject, text: mail.text })) as { messageId?: string };
    return { sent: true, id: info.messageId ?? '' };
  } catch (error) {
    const where = t.kind === 'smtp' ? redact(t.url) : `SES in ${t.region}`;
    return { sent: false, error: `mail to ${options.to.join(', ')} via ${where} failed: ${redact((error as Error).message ?? String(error))}` };
  } finally {
    transporter.close();
  }
}
