import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Config } from '../engine/types.js';
import { UsageError } from '../errors.js';
import { REGION_NAME } from './defaults.js';
import { jsonSyntaxWords, readInputFile } from '../text-file.js';
import { configSchema, type ConfigInput, type OrderParams } from './schema.js';

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
  return `${where}: ${path}: ${issueWords(issue)}`;
}

/** What a value of each type zod names is, in the words of a config file. */
const KINDS: Record<string, string> = { array: 'a list', number: 'a number', int: 'a whole number', string: 'text', boolean: 'true or false', object: 'a mapping of keys to values', null: 'null' };

/** zod's words for the common slips, as a person would say them: `expected a list, not text`, `must be at most 100`, `missing: expected a number`. */
function issueWords(issue: z.core.$ZodIssue): string {
  const kind = (type: string) => KINDS[type] ?? type;
  // A schema's own message says it better: only zod's defaults are reworded.
  if (!/^(Invalid input|Invalid option|Too big|Too small):/.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_value') return `expected ${issue.values.length > 1 ? 'one of ' : ''}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (received === 'undefined') return `missing: expected ${kind(issue.expected)}`;
    // 2.5 where a count goes: a number, but not a whole one.
    if (received === undefined || (received === 'number' && issue.expected === 'int')) return `expected ${kind(issue.expected)}`;
    return `expected ${kind(issue.expected)}, not ${kind(received)}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}`;
  return issue.message;
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
  if (!parsed.success) throw new ConfigError(describeZodError(blameGiven(parsed.error, Object.keys(overrides)), where, configSchema, ['mail', 'paused', 'groups']));
  return parsed.data;
}

/**
 * Two settings out of order (ORDERED), said of the one that was set where only it was: `--low 0`
 * is told `low: 0 must be above coldLoad (4)`, not that coldLoad, which nobody set, must be below
 * low.
 */
function blameGiven(error: z.ZodError, given: readonly string[]): z.ZodError {
  const [issue] = error.issues;
  const order = issue?.code === 'custom' ? (issue.params as OrderParams | undefined) : undefined;
  if (issue === undefined || order === undefined || given.includes(order.lower) || !given.includes(order.higher)) return error;
  const message = `${order.above} must be ${order.strictly ? 'above' : 'at least'} ${order.lower} (${order.below})`;
  return new z.ZodError([{ ...issue, path: [order.higher], message }]);
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
  /** The file's "groups", each with the file's settings under its own; empty: a file for whatever group -g names. */
  groups: GroupEntry[];
}

/** One group of a config file's "groups": where it is and its settings, the file's top level under its own. */
export interface GroupEntry {
  name: string;
  /** null: the run's region (--region, AWS_REGION, the profile's). */
  region: string | null;
  /** null: the run's credentials (--profile, AWS_PROFILE, the default chain). */
  profile: string | null;
  /** A role to assume with those credentials, for a group in another account; null: none. */
  role: string | null;
  engine: ConfigInput;
  mail: MailSettings;
  paused: { reason: string | null } | null;
}

/** An IAM role's ARN, its account captured: what a group's "role" and `iam-policy --assume-role` take. */
export const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/[\w+=,.@/-]+$/;

/** The keys of a group entry besides the settings, "mail" and "paused". */
const GROUP_KEYS = ['name', 'region', 'profile', 'role'] as const;
/** At most this many groups in one file: one run's collection and locks stay bounded. */
export const MAX_GROUPS = 1000;

/** A config file's text: YAML (with comments) for .yaml and .yml, JSON otherwise; a mistake said with its line and column. */
function parseConfigText(text: string, file: string): unknown {
  let data: unknown;
  if (/\.ya?ml$/i.test(file)) {
    try {
      data = parseYaml(text);
    } catch (error) {
      const at = (error as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
      const message = (error as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new ConfigError(`config file ${file} is not valid YAML${at === undefined ? '' : ` at line ${at.line}, column ${at.col}`}: ${message}`);
    }
  } else if (text.trim() !== '') {
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`config file ${file} is not valid JSON${jsonSyntaxWords(error, text)}`);
    }
  }
  if (data === undefined || data === null) throw new ConfigError(`config file ${file} is empty: it holds no settings (docs/configuration.md lists them)`);
  return data;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function pausedOf(paused: unknown, where: string): { reason: string | null } | null | undefined {
  if (paused === undefined) return undefined;
  if (typeof paused !== 'boolean' && typeof paused !== 'string') throw new ConfigError(`${where}paused: true, false or a reason, not ${JSON.stringify(paused)}`);
  // YAML 1.2 reads `paused: no` as the text "no": a reason, and the group paused. Said, not guessed.
  if (typeof paused === 'string' && /^(y|yes|n|no|true|false|on|off)$/i.test(paused.trim())) {
    throw new ConfigError(`${where}paused: ${JSON.stringify(paused)} is text here, which would pause the group with it as the reason: write true or false (unquoted), or the reason in words`);
  }
  return paused === true || (typeof paused === 'string' && paused !== '') ? { reason: typeof paused === 'string' ? paused : null } : null;
}

function mailOf(mail: unknown, where: string): z.input<typeof mailSettingsSchema> {
  const parsed = mailSettingsSchema.safeParse(mail ?? {});
  if (parsed.success) return mail === undefined ? {} : (mail as z.input<typeof mailSettingsSchema>);
  const line = describeZodError(parsed.error, '', mailSettingsSchema).replace(/^: /, '');
  throw new ConfigError(`${where}${`mail.${line}`.replace('mail.(top level)', 'mail')}`);
}

/**
 * Reads a config file, JSON or YAML: the watchdog's settings, optional "mail" and "paused", and
 * optional "groups", each group's settings over the file's. Every group is validated here, so a
 * mistake in the 40th group stops the run before the first is touched.
 */
export function loadConfigFile(file: string): ConfigFile {
  return parseConfigFile(readInputFile(file, 'config file'), file);
}

/** A config file's text, named `file` in messages (YAML when it ends in .yaml or .yml): an S3 object's, a bundled file's. */
export function parseConfigFile(text: string, file: string): ConfigFile {
  const data = parseConfigText(text, file);
  if (!isObject(data)) throw new ConfigError(`config file ${file}: (top level): expected an object`);
  const { mail, paused, groups, ...engine } = data;
  const fileMail = mailOf(mail, `${file}: `);
  const filePaused = pausedOf(paused, `${file}: `) ?? null;
  const entries = groups === undefined ? [] : groupEntries(groups, file, { engine, mail: fileMail, paused: filePaused });
  return { engine: engine as ConfigInput, mail: mailSettingsSchema.parse(fileMail), paused: filePaused, groups: entries };
}

function groupEntries(groups: unknown, file: string, shared: { engine: Record<string, unknown>; mail: z.input<typeof mailSettingsSchema>; paused: { reason: string | null } | null }): GroupEntry[] {
  if (!Array.isArray(groups) || groups.length === 0) throw new ConfigError(`${file}: groups: expected a list of groups, each with at least a name`);
  if (groups.length > MAX_GROUPS) throw new ConfigError(`${file}: groups: ${groups.length} groups; at most ${MAX_GROUPS} in one file (split it: one run per file)`);
  resolveConfig(shared.engine as ConfigInput, file);
  const seen = new Set<string>();
  return groups.map((raw, i) => {
    const at = `${file}: groups.${i}`;
    if (!isObject(raw)) throw new ConfigError(`${at}: expected an object with a name`);
    const { name, region, profile, role, mail, paused, ...overrides } = raw;
    if (name === undefined) {
      // `group:` or `asg:` for the name is the likely slip: name the key it went in.
      const unknown = Object.keys(overrides).find((k) => !Object.hasOwn(configSchema.shape, k) && !Object.hasOwn(REMOVED, k));
      throw new ConfigError(`${at}: name: missing: the group's name goes in "name"${unknown === undefined ? '' : `, not in "${unknown}"`}`);
    }
    // YAML reads `name: 2024` as a number: a group may well be named so, and is, in quotes.
    if (typeof name === 'number') throw new ConfigError(`${at}: name: ${name} is read as a number: write it in quotes ("${name}") for the group of that name`);
    if (typeof name !== 'string' || !/^[^:\s][^:]{0,254}$/.test(name)) throw new ConfigError(`${at}: name: the group's name (1 to 255 characters, no ':'), not ${JSON.stringify(name)}`);
    const where = `${at} (${name})`;
    for (const [key, value] of Object.entries({ region, profile, role })) {
      if (value !== undefined && (typeof value !== 'string' || value === '')) throw new ConfigError(`${where}: ${key}: a name, not ${JSON.stringify(value)}`);
    }
    if (region !== undefined && !REGION_NAME.test(region as string)) throw new ConfigError(`${where}: region: not a region name: ${JSON.stringify(region)} (e.g. eu-west-1)`);
    if (role !== undefined && !ROLE_ARN.test(role as string)) throw new ConfigError(`${where}: role: not a role ARN: ${JSON.stringify(role)} (e.g. arn:aws:iam::123456789012:role/asg-watchdog)`);
    // Two of one name are one group only when nothing tells them apart; the run checks again once profiles give regions.
    const key = JSON.stringify([region ?? null, profile ?? null, role ?? null, name]);
    if (seen.has(key)) throw new ConfigError(`${where}: listed twice${region === undefined ? '' : ` in ${region as string}`}`);
    seen.add(key);
    const merged = { ...shared.engine, ...overrides };
    // Validated now, with the entry's own keys named: a typo here is this group's, not the file's.
    const unknown = Object.keys(overrides).find((k) => !Object.hasOwn(configSchema.shape, k) && !Object.hasOwn(REMOVED, k));
    if (unknown !== undefined) {
      const meant = didYouMean(unknown, [...Object.keys(configSchema.shape), ...GROUP_KEYS, 'mail', 'paused']);
      throw new ConfigError(`${where}: unknown key "${unknown}"${meant ? ` (did you mean "${meant}"?)` : ''}`);
    }
    resolveConfig(merged as ConfigInput, where);
    const groupMail = mailOf(mail, `${where}: `);
    const groupPaused = pausedOf(paused, `${where}: `);
    return {
      name,
      region: (region as string | undefined) ?? null,
      profile: (profile as string | undefined) ?? null,
      role: (role as string | undefined) ?? null,
      engine: merged as ConfigInput,
      mail: mailSettingsSchema.parse({ ...shared.mail, ...groupMail }),
      // A group's own "paused: false" resumes it under a paused file.
      paused: groupPaused === undefined ? shared.paused : groupPaused,
    };
  });
}

/**
 * The settings of the group -g names: its entry when the file lists groups, else the file's own
 * settings. Two entries of one name are told apart by --region and --profile (an entry naming
 * them wins over one that leaves them to the run). A group the file does not list is a mistake.
 */
export function entryFor(file: ConfigFile, name: string, by: { region?: string | undefined; profile?: string | undefined }, where: string): GroupEntry {
  if (file.groups.length === 0) return { name, region: null, profile: null, role: null, engine: file.engine, mail: file.mail, paused: file.paused };
  const fits = (value: string | null, flag: string | undefined) => (flag === undefined || value === null ? 0 : value === flag ? 1 : -1);
  const scored = file.groups
    .filter((g) => g.name === name)
    .map((g) => ({ g, score: [fits(g.region, by.region), fits(g.profile, by.profile)] }))
    .filter(({ score }) => !score.includes(-1))
    .map(({ g, score }) => ({ g, score: score[0]! + score[1]! }));
  const best = Math.max(...scored.map((s) => s.score));
  const named = scored.filter((s) => s.score === best).map((s) => s.g);
  if (named.length === 1) return named[0]!;
  const describe = (g: GroupEntry) => [g.region ?? "the run's region", g.profile ? `profile ${g.profile}` : ''].filter(Boolean).join(' as ');
  if (named.length > 1) throw new ConfigError(`${where}: group '${name}' is listed ${named.length} times (${named.map(describe).join('; ')}): add --region or --profile`);
  const listed = file.groups.map((g) => g.name);
  const meant = didYouMean(name, listed);
  const filter = [by.region && `in ${by.region}`, by.profile && `as profile ${by.profile}`].filter(Boolean).join(' ');
  throw new ConfigError(`${where}: group '${name}'${filter ? ` ${filter}` : ''} is not in its groups${meant && meant !== name ? ` (did you mean '${meant}'?)` : listed.includes(name) ? '' : ` (${listed.slice(0, 5).join(', ')}${listed.length > 5 ? ', …' : ''})`}`);
}
