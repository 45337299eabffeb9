import { UsageError } from '../errors.js';

/**
 * What yargs knows of a command's options (`yargs.getOptions()`), the part this check reads.
 * Keys are as declared (`dry-run`), aliases listed both ways.
 */
export interface OptionTable {
  key: Record<string, unknown>;
  boolean: string[];
  number: string[];
  array: string[];
  alias: Record<string, string[]>;
}

type Kind = 'boolean' | 'number' | 'string';

export interface Spec {
  /** How the flag is named to the operator: its long name. */
  display: string;
  kind: Kind;
  repeatable: boolean;
}

// yargs forgives what a watchdog must not: `--dry-run=yes` reads as false and runs for real, `-i ''`
// as 0, `--low 0x10` as 16, `-c` alone as nothing. Every flag is checked here, on the raw argv,
// before yargs' reading of it can reach a handler.
const DECIMAL = /^-?\d+(\.\d+)?$/;
// No flag takes a negative number: `-i -0` is not a desired count of 0.
const NUMBER = /^\d+(\.\d+)?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every spelling yargs accepts for an option (key, aliases, camelCase and kebab-case) → its spec. */
export function specsOf(table: OptionTable): Map<string, Spec> {
  const specs = new Map<string, Spec>();
  for (const key of Object.keys(table.key)) {
    const names = [key, ...(table.alias[key] ?? [])];
    if (names.some((n) => specs.has(n))) continue;
    const has = (list: string[]) => names.some((n) => list.includes(n));
    const kind: Kind = has(table.boolean) ? 'boolean' : has(table.number) ? 'number' : 'string';
    const long = names.filter((n) => n.length > 1).sort((a, b) => b.length - a.length)[0];
    const spec: Spec = { display: long ? `--${kebab(long)}` : `-${key}`, kind, repeatable: has(table.array) };
    for (const n of names) for (const spelling of [n, kebab(n), camel(n)]) specs.set(spelling, spec);
  }
  return specs;
}

function checkValue(spec: Spec, value: string | undefined): void {
  if (value === undefined || value === '') throw new UsageError(`${spec.display} needs a value`);
  if (CONTROL.test(value)) throw new UsageError(`${spec.display}: a value may not contain a newline or another control character`);
  if (spec.kind === 'number' && !NUMBER.test(value)) throw new UsageError(`${spec.display} ${JSON.stringify(value)}: expected a decimal number of 0 or more`);
}

/** A boolean flag given a value: `--dry-run=yes`, or `--dry-run yes` (which only yargs' strict mode sees, usage-words.ts). */
export function notABooleanValue(spec: Spec, value: string): string {
  return `${spec.display} takes no value, or =true / =false; not ${JSON.stringify(value)}`;
}

const looksLikeFlag = (token: string | undefined) => token !== undefined && token.startsWith('-') && token !== '-' && !DECIMAL.test(token);

/**
 * Throws a one-line UsageError for the first flag that is not exactly meant: a boolean with a value
 * other than true/false, an empty or missing value, a number that is not plain decimal, a control
 * character in a value, or a single-value flag given twice. Unknown flags are left to yargs' strict mode.
 */
export function checkFlags(argv: readonly string[], table: OptionTable): void {
  const specs = specsOf(table);
  const seen = new Set<Spec>();
  const once = (spec: Spec) => {
    if (seen.has(spec) && !spec.repeatable) throw new UsageError(`${spec.display} given more than once`);
    seen.add(spec);
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    // yargs would quietly set aside what follows `--`: `watch -g web -- --dry-run` would run for real.
    if (token === '--') {
      if (i + 1 < argv.length) throw new UsageError(`nothing is taken after '--' (${JSON.stringify(argv[i + 1])} would be ignored)`);
      break;
    }
    if (!looksLikeFlag(token)) continue;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      let name = eq === -1 ? token.slice(2) : token.slice(2, eq);
      const inline = eq === -1 ? undefined : token.slice(eq + 1);
      let spec = specs.get(name);
      if (!spec && name.startsWith('no-') && specs.get(name.slice(3))?.kind === 'boolean') {
        name = name.slice(3);
        spec = specs.get(name)!;
        if (inline !== undefined) throw new UsageError(`--no-${name} takes no value`);
        once(spec);
        continue;
      }
      if (!spec) continue;
      once(spec);
      if (spec.kind === 'boolean') {
        if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new UsageError(notABooleanValue(spec, inline));
        continue;
      }
      if (inline !== undefined) {
        checkValue(spec, inline);
        continue;
      }
      i = consumeValues(argv, i, spec);
      continue;
    }
    // Short flags, possibly grouped (-da): each letter a flag; a valued one takes the rest or the next token.
    const letters = token.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const letter = letters[k]!;
      const spec = specs.get(letter);
      if (!spec) break;
      once(spec);
      if (spec.kind === 'boolean') {
        if (letters[k + 1] === '=') throw new UsageError(`${spec.display} takes no value`);
        continue;
      }
      const rest = letters.slice(k + 1);
      if (rest !== '') checkValue(spec, rest.startsWith('=') ? rest.slice(1) : rest);
      else i = consumeValues(argv, i, spec);
      break;
    }
  }
}

/** Checks the value(s) after argv[i]; an array option takes every token up to the next flag, as yargs does. */
function consumeValues(argv: readonly string[], i: number, spec: Spec): number {
  const next = argv[i + 1];
  if (next === undefined || next === '--' || looksLikeFlag(next)) throw new UsageError(`${spec.display} needs a value`);
  checkValue(spec, next);
  let j = i + 1;
  if (spec.repeatable) {
    while (argv[j + 1] !== undefined && argv[j + 1] !== '--' && !looksLikeFlag(argv[j + 1])) checkValue(spec, argv[++j]);
  }
  return j;
}
