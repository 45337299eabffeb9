import type { Argv } from 'yargs';
import { POLICY_NAMES } from '../sim/policies/policy.js';
import type { CliIo } from './io.js';

export function simulateCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'simulate',
    'replay a scenario through the fleet model and compare scaling policies',
    (y) =>
      y
        .strict()
        .option('scenario', { type: 'string', demandOption: true, describe: 'a scenario file (see scenarios/)' })
        .option('policy', { choices: [...POLICY_NAMES, 'all'] as const, default: 'all' as const, describe: 'the policy to run, or all side by side' })
        .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
        .option('frontier', { type: 'boolean', default: false, describe: "sweep each policy's own knob: instance-minutes against unserved demand" })
        .option('chart', { type: 'string', describe: 'write an SVG chart of demand, capacity and CPU per policy (with --frontier: the frontier)' })
        .option('html', { type: 'string', describe: "write the status page of the policy's run (the watchdog's with --policy all), the comparison below it" })
        .option('config', { alias: 'c', type: 'string', describe: "a config file over the scenario's config" })
        .option('low', { type: 'number', describe: 'band low mark, %' })
        .option('high', { type: 'number', describe: 'band high mark, %' })
        .option('urgent', { alias: 'u', type: 'number', describe: 'urgent mark, %' })
        .example('$0 simulate --scenario scenarios/web-day.json', 'compare every policy on a day of traffic')
        .example('$0 simulate --scenario scenarios/runaway-cpu.json --policy watchdog --chart runaway.svg', 'one policy, with a chart')
        .example('$0 simulate --scenario scenarios/nasa-week.json --frontier --chart frontier.svg', 'each policy over its knob, in one chart'),
    // The fleet model and the policies load only when a simulation runs.
    async (args) => (await import('./run/simulate.js')).runSimulate(args, io),
  );
}
