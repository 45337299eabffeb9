import { loadConfigFile, resolveConfig, type MailSettings } from '../../config/index.js';
import { redact } from '../../redact.js';
import type { Config } from '../../engine/index.js';
import type { CliIo } from '../io.js';

/** What a null setting means, in the words of docs/configuration.md. */
function whenNull(key: string, config: Config): string {
  if (key === 'scaleInMark') return `auto (${(config.low + (config.high - config.low) / 3).toFixed(1)}: the lower third of the band)`;
  if (key === 'minInstances' || key === 'maxInstances') return "the group's";
  if (key === 'maxStepUp') return 'auto (max(1, n))';
  if (key === 'maxStepDown') return 'auto (max(1, floor(n / 2)))';
  return 'auto';
}

/** `config check FILE`: valid or the first problem; the effective settings. */
export function runConfigCheck(args: { file: string; json?: boolean | undefined }, io: CliIo): void {
  const file = loadConfigFile(args.file);
  const config = resolveConfig(file.engine, args.file);
  const groups = file.groups.map((g) => ({
    name: g.name,
    region: g.region,
    profile: g.profile,
    settings: resolveConfig(g.engine, `${args.file} (${g.name})`),
    mail: hidden(g.mail),
    paused: g.paused === null ? null : (g.paused.reason ?? ''),
  }));
  if (args.json) {
    io.stdout(`${JSON.stringify({ ...config, mail: hidden(file.mail), groups, schema: 'asg-watchdog/config@1' }, null, 2)}\n`);
    return;
  }
  io.stdout(`${args.file}: valid${groups.length > 0 ? `, ${groups.length} group${groups.length === 1 ? '' : 's'}` : ''}\n`);
  for (const [key, value] of Object.entries(config)) io.stdout(`  ${key.padEnd(28)} ${value === null ? whenNull(key, config) : String(value)}\n`);
  io.stdout(mailLine(hidden(file.mail), '  '));
  for (const g of groups) {
    io.stdout(`${g.name}${g.region ? ` in ${g.region}` : ''}${g.profile ? ` as profile ${g.profile}` : ''}${g.paused === null ? '' : ` PAUSED${g.paused ? ` (${g.paused})` : ''}`}\n`);
    // What differs from the file's own settings: the rest is as above.
    for (const [key, value] of Object.entries(g.settings)) if (value !== config[key as keyof Config]) io.stdout(`  ${key.padEnd(28)} ${value === null ? whenNull(key, g.settings) : String(value)}\n`);
    if (JSON.stringify(g.mail) !== JSON.stringify(hidden(file.mail))) io.stdout(mailLine(g.mail, '  '));
  }
}

/** The mail settings as shown: the SMTP password as ***. */
function hidden(mail: MailSettings): MailSettings {
  return { ...mail, ...(mail.smtpUrl !== undefined && { smtpUrl: redact(mail.smtpUrl, mail.smtpUrl) }) };
}

function mailLine(mail: MailSettings, indent: string): string {
  if (mail.to.length === 0) return '';
  return `${indent}${'mail'.padEnd(28)} to ${mail.to.join(', ')} via ${mail.transport === 'ses' ? 'SES' : (mail.smtpUrl ?? 'smtp://localhost:25')}${mail.from ? ` from ${mail.from}` : ''}\n`;
}
