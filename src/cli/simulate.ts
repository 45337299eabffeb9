import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { loadConfigFile, resolveConfig } from '../config/index.js';
import { RuntimeFailure } from '../errors.js';
import { renderChart } from '../sim/chart.js';
import { POLICY_NAMES, type PolicyName } from '../sim/policies/policy.js';
import { compare } from '../sim/run.js';
import { loadScenario } from '../sim/scenario.js';
import type { CliIo } from './io.js';
import { renderComparison } from './render/comparison.js';

function write(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new RuntimeFailure(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

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
        .option('chart', { type: 'string', describe: 'write an SVG chart of demand, capacity and CPU per policy' })
        .option('html', { type: 'string', describe: 'write an HTML page with the table and the chart' })
        .option('config', { alias: 'c', type: 'string', describe: "a config file over the scenario's config" })
        .option('low', { type: 'number', describe: 'band low mark, %' })
        .option('high', { type: 'number', describe: 'band high mark, %' })
        .option('urgent', { alias: 'u', type: 'number', describe: 'urgent mark, %' })
        .example('$0 simulate --scenario scenarios/web-day.json', 'compare every policy on a day of traffic')
        .example('$0 simulate --scenario scenarios/runaway-cpu.json --policy watchdog --chart runaway.svg', 'one policy, with a chart'),
    (args) => {
      const scenario = loadScenario(args.scenario);
      const flags = Object.fromEntries(Object.entries({ low: args.low, high: args.high, urgent: args.urgent }).filter(([, v]) => v !== undefined));
      const fromFile = args.config ? loadConfigFile(args.config).engine : {};
      const config = resolveConfig({ ...scenario.config, ...fromFile, ...flags }, args.config ?? 'flags');
      const names: readonly PolicyName[] = args.policy === 'all' ? POLICY_NAMES : [args.policy];
      const tuned = { ...scenario, config };
      const { comparison, runs } = compare(tuned, names);
      const chart = args.chart || args.html ? renderChart(tuned, runs) : '';
      if (args.chart) write(args.chart, chart);
      if (args.html) {
        const table = renderComparison(comparison).replace(/&/g, '&amp;').replace(/</g, '&lt;');
        write(args.html, `<!doctype html><meta charset="utf-8"><title>${scenario.name}: policy comparison</title>\n<body style="font-family:sans-serif"><h1>${scenario.name}</h1><p>${scenario.description.replace(/</g, '&lt;')}</p><pre>${table}</pre>${chart}</body>\n`);
      }
      io.stdout(args.json ? `${JSON.stringify(comparison)}\n` : renderComparison(comparison));
    },
  );
}
