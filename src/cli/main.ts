import yargs from 'yargs';
import { exitCodeOf, QuietExit, UsageError } from '../errors.js';
import { configCommand } from './config-check.js';
import { demoCommand } from './demo.js';
import { processIo, type CliIo } from './io.js';
import { simulateCommand } from './simulate.js';
import { watchCommand } from './watch.js';
import { localAwsCommand } from './local-aws.js';
import { instancesCommand } from './instances.js';
import { alertCommand } from './alert-test.js';
import { iamPolicyCommand } from './iam-policy.js';
import { statusCommand } from './status.js';
import { checkFlags, type OptionTable } from './strict-flags.js';
import { usageWords } from './usage-words.js';
import { VERSION } from '../version.js';

/** Runs the CLI on `argv` and returns the exit code. Never throws, never prints a stack trace for our errors. */
export async function main(argv: string[], baseIo: CliIo = processIo): Promise<number> {
  let io = baseIo;
  // Time is a parameter: tests and replays set the clock the way the demo does in-process.
  const fixedNow = baseIo.env['ASG_WATCHDOG_NOW'];
  if (fixedNow) {
    const at = /^\d+$/.test(fixedNow) ? Number(fixedNow) : Date.parse(fixedNow);
    if (!Number.isFinite(at)) {
      baseIo.stderr(`asg-watchdog: ASG_WATCHDOG_NOW must be epoch milliseconds or an ISO date, not '${fixedNow}'\n`);
      return 2;
    }
    io = { ...baseIo, now: () => at };
  }
  const parser = yargs(argv)
    .scriptName('asg-watchdog')
    .usage('$0 <command> [options]\n\nA watchdog for AWS EC2 Auto Scaling groups: keeps fleet CPU in a band and replaces the sick instance.')
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .strict()
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .demandCommand(1, 'name a command: asg-watchdog --help lists them')
    .fail((message, error) => {
      // Throwing stops yargs: a bad flag must never reach a command's handler.
      // yargs spreads some messages over lines ("Invalid values:\n  Argument: ..."): one line each.
      throw error ?? new UsageError(usageWords(message.replace(/:?\s*\n\s*/g, ': '), argv, (parser as unknown as { getOptions(): OptionTable }).getOptions()));
    })
    .exitProcess(false)
    // Before yargs' own validation and any handler: each command's flags, exactly as typed. While a
    // command runs, the parser's options are that command's.
    .middleware(() => checkFlags(argv, (parser as unknown as { getOptions(): OptionTable }).getOptions()), true);
  watchCommand(parser, io);
  instancesCommand(parser, io);
  statusCommand(parser, io);
  simulateCommand(parser, io);
  localAwsCommand(parser, io);
  configCommand(parser, io);
  alertCommand(parser, io);
  iamPolicyCommand(parser, io);
  demoCommand(parser, io);

  let helpText = '';
  try {
    await parser.parseAsync(argv, {}, (_err, _argv, output) => {
      helpText = output;
    });
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === null) {
      // A bug, not the operator's doing: one line, and the stack only on request.
      const debug = io.env['ASG_WATCHDOG_DEBUG'] ? `\n${error instanceof Error ? error.stack : ''}` : ' (ASG_WATCHDOG_DEBUG=1 shows where; please report it)';
      io.stderr(`asg-watchdog: unexpected error: ${error instanceof Error ? error.message : String(error)}${debug}\n`);
      return 1;
    }
    if (!(error instanceof QuietExit)) io.stderr(`asg-watchdog: ${(error as Error).message}\n`);
    return code;
  }
  if (helpText) io.stdout(`${helpText}\n`);
  return 0;
}
