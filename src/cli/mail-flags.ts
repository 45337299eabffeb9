import type { Argv } from 'yargs';

/** -m, --smtp-url, --mail-from, --mail-transport: how alerts leave, the same for watch and alert test. */
export function withMailFlags<T>(y: Argv<T>) {
  return y
    .option('mail', { alias: 'm', type: 'string', array: true, describe: 'mail alerts to this address (repeatable)' })
    .option('smtp-url', { type: 'string', describe: 'SMTP server, smtp[s]://[user:pass@]host[:port] (default $ASG_WATCHDOG_SMTP_URL or smtp://localhost:25)' })
    .option('mail-from', { type: 'string', describe: 'From address (default $ASG_WATCHDOG_MAIL_FROM or asg-watchdog@HOST)' })
    .option('mail-transport', { choices: ['smtp', 'ses'] as const, describe: 'smtp (default), or ses for Amazon SES (SESv2) with the AWS credentials' })
    .option('ses-endpoint-url', { type: 'string', describe: "SES endpoint, if not the run's (--endpoint-url, $AWS_ENDPOINT_URL_SESV2, the profile's)" });
}


