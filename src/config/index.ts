import { z } from 'zod';
import type { Config } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { readInputFile } from '../text-file.js';
import { configSchema, type ConfigInput } from './schema.js';

export { configSchema, type ConfigInput } from './schema.js';

/** A config file or flag that cannot be used: the CLI prints the message and exits 2. */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
}

/** One line naming the first bad field: `low: must be below high`. */
export function describeZodError(error: z.ZodError, where: string): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return `${where}: ${path}: ${issue.message}`;
}

/** Settings that existed once: a file that still sets one is told what took its place, not just "unrecognized". */
const REMOVED: Record<string, string> = {
  highMinutes: 'the band rules no longer hold a condition: they read the fleet load of the last recentWindowMinutes (docs/algorithm.md, "Sizing")',
  lowMinutes: 'the band rules no longer hold a condition: they read the fleet load of the last recentWindowMinutes (docs/algorithm.md, "Sizing")',
  riseMinutes: 'a rise now counts when it is clear (riseConfidence), not after a hold (docs/algorithm.md, "Sizing")',
};

/** Every default, with the given overrides, validated. Throws ConfigError. */
export function resolveConfig(overrides: ConfigInput = {}, where = 'config'): Config {
  const gone = Object.keys(overrides).find((key) => Object.hasOwn(REMOVED, key));
  if (gone !== undefined) throw new ConfigError(`${where}: ${gone}: no longer a setting: ${REMOVED[gone]}`);
  const parsed = configSchema.safeParse(overrides);
  if (!parsed.success) throw new ConfigError(describeZodError(parsed.error, where));
  return parsed.data;
}

export const defaultConfig: Config = resolveConfig();

/** How alerts leave, from the config file's optional "mail" section; flags and env win over it. */
export const mailSettingsSchema = z
  .object({
    to: z.array(z.string()).default([]),
    smtpUrl: z.string().optional(),
    from: z.string().optional(),
    transport: z.enum(['smtp', 'ses']).optional(),
    sesEndpointUrl: z.string().optional(),
  })
  .strict();
export type MailSettings = z.output<typeof mailSettingsSchema>;

export interface ConfigFile {
  engine: ConfigInput;
  mail: MailSettings;
  /** "paused": true, or a reason: the watchdog looks and reports, nothing acts or mails (docs/operations.md). */
  paused: { reason: string | null } | null;
}

/** Reads a JSON config file: the watchdog's settings, plus an optional "mail" section. */
export function loadConfigFile(file: string): ConfigFile {
  const text = readInputFile(file, 'config file');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(`config file ${file}: (top level): expected an object`);
  const { mail, paused, ...engine } = data as Record<string, unknown>;
  if (paused !== undefined && typeof paused !== 'boolean' && typeof paused !== 'string') throw new ConfigError(`${file}: paused: true, false or a reason, not ${JSON.stringify(paused)}`);
  const parsedMail = mailSettingsSchema.safeParse(mail ?? {});
  if (!parsedMail.success) {
    const issue = parsedMail.error.issues[0];
    throw new ConfigError(`${file}: mail.${issue?.path.join('.') || '(section)'}: ${issue?.message ?? 'invalid'}`);
  }
  const pause = paused === true || (typeof paused === 'string' && paused !== '') ? { reason: typeof paused === 'string' ? paused : null } : null;
  return { engine: engine as ConfigInput, mail: parsedMail.data, paused: pause };
}
