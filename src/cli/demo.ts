import type { Argv } from 'yargs';
import { RuntimeFailure } from '../errors.js';

export function demoCommand(yargs: Argv): Argv {
  return yargs.command('demo', "the original blog's provoked failures, end to end, in under a minute", {}, () => {
    // The demo runs `watch` against the local AWS endpoint; both arrive with the watch issue.
    throw new RuntimeFailure('the demo is not built yet: it needs `watch` and the local AWS endpoint. Try `asg-watchdog simulate --scenario scenarios/runaway-cpu.json` meanwhile.');
  });
}
