// yargs' own messages, reworded (src/cli/usage-words.ts): each row a message yargs gives for the
// words typed, and the line the operator reads instead.
import { describe, expect, it } from 'vitest';
import type { OptionTable } from '../../src/cli/strict-flags.js';
import { usageWords } from '../../src/cli/usage-words.js';

/** A command's options as yargs lists them: keys, aliases both ways, booleans. */
const options: OptionTable = {
  key: { group: true, 'dry-run': true, dryRun: true, 'dry-run-json': true, kill: true, 'kill-timeout': true, json: true },
  boolean: ['dry-run', 'dryRun', 'd', 'json'],
  number: [],
  array: [],
  alias: { group: ['g'], 'dry-run': ['d', 'dryRun'], d: ['dry-run', 'dryRun'] },
};

describe('usageWords', () => {
  it.each<{ what: string; message: string; argv: string[]; says: string }>([
    { what: 'a command nobody has', message: 'Unknown argument: frobnicate', argv: ['frobnicate'], says: 'unknown command "frobnicate": asg-watchdog --help lists the commands' },
    { what: 'a command mistyped', message: 'Did you mean watch?', argv: ['wach', '-g', 'web'], says: 'unknown command "wach": did you mean watch? asg-watchdog --help lists the commands' },
    { what: 'an option nobody has', message: 'Unknown argument: bogus', argv: ['demo', '--bogus'], says: 'unknown option --bogus: asg-watchdog demo --help lists what it takes' },
    { what: 'the start of one option', message: 'Unknown argument: gro', argv: ['watch', '--gro', 'web'], says: 'unknown option --gro (--group?): asg-watchdog watch --help lists what it takes' },
    // --dry begins --dry-run and --dry-run-json: which one is not guessed.
    { what: 'the start of two', message: 'Unknown argument: dry', argv: ['watch', '--dry'], says: 'unknown option --dry: asg-watchdog watch --help lists what it takes' },
    { what: 'two at once, as typed', message: 'Unknown arguments: x, bogus', argv: ['watch', '-x', '--bogus=1'], says: 'unknown options -x, --bogus: asg-watchdog watch --help lists what it takes' },
    { what: 'a word after a flag that takes none', message: 'Unknown argument: yes', argv: ['watch', '-g', 'web', '-d', 'yes'], says: '--dry-run takes no value, or =true / =false; not "yes"' },
    { what: 'an option before the command', message: 'Unknown argument: foo', argv: ['--foo', 'watch', '-g', 'web'], says: 'unknown option --foo: asg-watchdog watch --help lists what it takes' },
    { what: 'an option and no command', message: 'Unknown argument: foo', argv: ['--foo'], says: 'unknown option --foo: asg-watchdog --help lists the commands' },
    { what: 'a stray word', message: 'Unknown argument: now', argv: ['watch', '-g', 'web', 'now'], says: 'unexpected "now": asg-watchdog watch --help lists what it takes' },
    { what: 'a subcommand\'s stray word', message: 'Unknown argument: more', argv: ['alert', 'test', 'more'], says: 'unexpected "more": asg-watchdog alert test --help lists what it takes' },
    { what: 'no group', message: 'Missing required argument: group', argv: ['status'], says: 'which group? -g GROUP' },
    { what: 'two missing', message: 'Missing required arguments: a, b', argv: ['watch'], says: 'missing --a, --b: asg-watchdog watch --help lists what it takes' },
    { what: 'no file to check', message: 'Not enough non-option arguments: got 0, need at least 1', argv: ['config', 'check'], says: 'which file? asg-watchdog config check FILE' },
    { what: 'two that exclude each other', message: 'Arguments set-desired and kill are mutually exclusive', argv: ['instances'], says: '--set-desired and --kill go one at a time' },
    { what: 'a choice not offered', message: 'Invalid values: Argument: mail-transport, Given: "pigeon", Choices: "smtp", "ses"', argv: ['watch'], says: '--mail-transport "pigeon": expected one of "smtp", "ses"' },
    { what: 'a message of ours', message: 'name a command: asg-watchdog --help lists them', argv: [], says: 'name a command: asg-watchdog --help lists them' },
  ])('$what', ({ message, argv, says }) => expect(usageWords(message, argv, options)).toBe(says));
});
