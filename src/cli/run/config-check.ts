import { loadConfigFile, resolveConfig } from '../../config/index.js';
import { redact } from '../../redact.js';
import type { Config } from '../../engine/index.js';
import type { CliIo } from '../io.js';

/** What a null setting means, in the words of docs/configuration.md. */
function whenNull(key: string, config: Config): string {
  if (key === 'scaleInMark') return `auto (${(config.low + (config.high - config.low) / 3).toFixed(1)}: the lower third of the band)`;
  if (key === 'minInstances' || key === 'maxInstances') return "the group's";
  if (key === 'maxStepUp') return 'auto (ceil(n / 2))';
  if (key === 'maxStepDown') return 'auto (max(1, floor(n / 2)))';
  return 'auto';
}

/** `config check FILE`: valid or the first problem; the effective settings. */
export function runConfigCheck(args: { file: string; json?: boolean | undefined }, io: CliIo): void {
  const file = loadConfigFile(args.file);
  const config = resolveConfig(file.engine, args.file);
  const mail = { ...file.mail, ...(file.mail.smtpUrl !== undefined && { smtpUrl: redact(file.mail.smtpUrl, file.mail.smtpUrl) }) };
  if (args.json) {
    io.stdout(`${JSON.stringify({ ...config, mail, schema: 'asg-watchdog/config@1' }, null, 2)}\n`);
    return;
  }
  io.stdout(`${args.file}: valid\n`);
  for (const [key, value] of Object.entries(config)) io.stdout(`  ${key.padEnd(28)} ${value === null ? whenNull(key, config) : String(value)}\n`);
  if (mail.to.length > 0) io.stdout(`  ${'mail'.padEnd(28)} to ${mail.to.join(', ')} via ${mail.transport === 'ses' ? 'SES' : (mail.smtpUrl ?? 'smtp://localhost:25')}${mail.from ? ` from ${mail.from}` : ''}\n`);
}
