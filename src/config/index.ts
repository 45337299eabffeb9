import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { Config } from '../engine/types.js';
import { UsageError } from '../errors.js';
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

/** Every default, with the given overrides, validated. Throws ConfigError. */
export function resolveConfig(overrides: ConfigInput = {}, where = 'config'): Config {
  const parsed = configSchema.safeParse(overrides);
  if (!parsed.success) throw new ConfigError(describeZodError(parsed.error, where));
  return parsed.data;
}

export const defaultConfig: Config = resolveConfig();

/** Reads a JSON config file; flags given on the command line win over it. */
export function loadConfigFile(file: string): ConfigInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text) as ConfigInput;
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
