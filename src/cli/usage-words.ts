import { notABooleanValue, specsOf, type OptionTable } from './strict-flags.js';

/** The commands, with their subcommands: what a usage error names as "asg-watchdog watch --help". */
const COMMANDS: Readonly<Record<string, readonly string[]>> = {
  watch: [],
  instances: [],
  status: [],
  simulate: [],
  'local-aws': [],
  config: ['check'],
  alert: ['test'],
  'iam-policy': [],
  demo: [],
};

/** What yargs asks for by its key, as the operator types it. */
const ASKED: Readonly<Record<string, string>> = {
  group: 'which group? -g GROUP',
  scenario: 'which scenario? --scenario FILE (scenarios/ has some)',
};

/** What a command's missing word is. */
const WORD: Readonly<Record<string, string>> = {
  'config check': 'which file? asg-watchdog config check FILE',
};

/** The command the words name (`config check`), wherever it stands among them; null for none. */
function commandOf(argv: readonly string[]): string | null {
  const at = argv.findIndex((t) => Object.hasOwn(COMMANDS, t));
  if (at < 0) return null;
  const [first, second] = [argv[at]!, argv[at + 1]];
  return second !== undefined && COMMANDS[first]!.includes(second) ? `${first} ${second}` : first;
}

/** `asg-watchdog watch --help`: where the list of what is right is. */
function helpFor(command: string | null): string {
  return command === null ? 'asg-watchdog --help lists the commands' : `asg-watchdog ${command} --help lists what it takes`;
}

/** How a name was typed: `--dry`, `-x`, or a bare word. */
function typedAs(name: string, argv: readonly string[]): string | null {
  const flag = argv.find((t) => t === `-${name}` || t === `--${name}` || t.startsWith(`--${name}=`) || t.startsWith(`-${name}=`));
  return flag === undefined ? null : flag.split('=')[0]!;
}

/** The one option whose long name begins with what was typed (`--dry` → `--dry-run`), if one does. */
function meant(name: string, options: OptionTable | null): string | null {
  if (options === null || name.length < 2) return null;
  const longs = new Set(Object.keys(options.key).flatMap((key) => [key, ...(options.alias[key] ?? [])]).filter((n) => n.length > 1 && n === n.toLowerCase()));
  const candidates = [...longs].filter((n) => n.startsWith(name) && n !== name);
  return candidates.length === 1 ? `--${candidates[0]}` : null;
}

/** A word after a flag that takes none: `--dry-run yes`. */
function afterBoolean(word: string, argv: readonly string[], options: OptionTable | null): string | null {
  if (options === null) return null;
  const at = argv.indexOf(word);
  const before = at > 0 ? argv[at - 1]! : '';
  if (!before.startsWith('-') || before.includes('=')) return null;
  const spec = specsOf(options).get(before.replace(/^--?/, ''));
  return spec?.kind === 'boolean' ? notABooleanValue(spec, word) : null;
}

function unknown(names: string[], argv: readonly string[], options: OptionTable | null): string {
  const command = commandOf(argv);
  const flags = names.map((n) => ({ n, typed: typedAs(n, argv) }));
  const words = flags.filter((f) => f.typed === null);
  if (command === null && words.length > 0) return `unknown command ${JSON.stringify(words[0]!.n)}: ${helpFor(null)}`;
  if (words.length > 0) {
    const word = words[0]!.n;
    return afterBoolean(word, argv, options) ?? `unexpected ${JSON.stringify(word)}: ${helpFor(command)}`;
  }
  const said = flags.map(({ n, typed }) => {
    const guess = meant(n, options);
    return guess === null ? typed! : `${typed!} (${guess}?)`;
  });
  return `unknown option${said.length === 1 ? '' : 's'} ${said.join(', ')}: ${helpFor(command)}`;
}

/**
 * yargs' own messages in the words the rest of the CLI uses: what is wrong, by the name the
 * operator typed, and where the list of what is right is. A message of ours passes unchanged.
 */
export function usageWords(message: string, argv: readonly string[], options: OptionTable | null): string {
  const command = commandOf(argv);
  const unknownArgs = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknownArgs) return unknown(unknownArgs[1]!.split(', '), argv, options);
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) {
    const names = missing[1]!.split(', ');
    const asked = names.length === 1 ? ASKED[names[0]!] : undefined;
    return asked ?? `missing ${names.map((n) => `--${n}`).join(', ')}: ${helpFor(command)}`;
  }
  const guess = /^Did you mean (.+)\?$/.exec(message);
  if (guess) return `unknown command ${JSON.stringify(argv.find((t) => !t.startsWith('-')) ?? '')}: did you mean ${guess[1]}? ${helpFor(null)}`;
  const exclusive = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
  if (exclusive) return `--${exclusive[1]} and --${exclusive[2]} go one at a time`;
  const choices = /^Invalid values: Argument: (\S+), Given: (.+), Choices: (.+)$/.exec(message);
  if (choices) return `--${choices[1]} ${choices[2]}: expected one of ${choices[3]}`;
  if (/^Not enough non-option arguments/.test(message)) return (command === null ? undefined : WORD[command]) ?? `a word is missing: ${helpFor(command)}`;
  return message;
}
