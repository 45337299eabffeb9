import { parse as parseYaml } from 'yaml';
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

/** Edits between two words, a swap of neighbours counting one (optimal string alignment), case ignored: how far a typo is from a key. */
export function editDistance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[x.length]![y.length]!;
}

/** The known key a typo most likely meant: within a third of its length in edits, or null. */
export function didYouMean(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** The keys of the object a schema has at `path` (through defaults and optionals), for "did you mean". */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  type Node = { shape?: Record<string, z.ZodType>; _zod?: { def?: { innerType?: Node } } };
  const unwrap = (node: Node | undefined): Node | undefined => {
    let n = node;
    while (n?._zod?.def?.innerType) n = n._zod.def.innerType;
    return n;
  };
  let node = unwrap(schema as unknown as Node);
  for (const step of path) {
    if (typeof step !== 'string' || !node?.shape?.[step]) return [];
    node = unwrap(node.shape[step] as unknown as Node);
  }
  return node?.shape ? Object.keys(node.shape) : [];
}

/**
 * One line naming the first bad field: `low: must be below high`; an unknown key with the key it
 * was likely meant to be, among the keys `schema` has there (and `extra` at the top).
 */
export function describeZodError(error: z.ZodError, where: string, schema?: z.ZodType, extra: readonly string[] = []): string {
  const issue = error.issues[0];
  if (!issue) return `${where}: invalid`;
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const known = [...(schema ? keysAt(schema, issue.path) : []), ...(issue.path.length === 0 ? extra : [])];
    const hints = issue.keys.map((k) => {
      const meant = didYouMean(k, known);
      return meant ? `"${k}" (did you mean "${meant}"?)` : `"${k}"`;
    });
    return `${where}: ${path}: unknown key${hints.length > 1 ? 's' : ''} ${hints.join(', ')}`;
  }
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
  if (!parsed.success) throw new ConfigError(describeZodError(parsed.error, where, configSchema, ['mail', 'paused']));
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

/** A config file's text: YAML (with comments) for .yaml and .yml, JSON otherwise. */
function parseConfigText(text: string, file: string): unknown {
  if (/\.ya?ml$/i.test(file)) {
    try {
      return parseYaml(text, { prettyErrors: false });
    } catch (error) {
      throw new ConfigError(`config file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a config file, JSON or YAML: the watchdog's settings, plus optional "mail" and "paused". */
export function loadConfigFile(file: string): ConfigFile {
  const data = parseConfigText(readInputFile(file, 'config file'), file);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(`config file ${file}: (top level): expected an object`);
  const { mail, paused, ...engine } = data as Record<string, unknown>;
  if (paused !== undefined && typeof paused !== 'boolean' && typeof paused !== 'string') throw new ConfigError(`${file}: paused: true, false or a reason, not ${JSON.stringify(paused)}`);
  const parsedMail = mailSettingsSchema.safeParse(mail ?? {});
  if (!parsedMail.success) {
    const line = describeZodError(parsedMail.error, file, mailSettingsSchema);
    throw new ConfigError(line.replace(`${file}: `, `${file}: mail.`).replace('mail.(top level)', 'mail'));
  }
  const pause = paused === true || (typeof paused === 'string' && paused !== '') ? { reason: typeof paused === 'string' ? paused : null } : null;
  return { engine: engine as ConfigInput, mail: parsedMail.data, paused: pause };
}
