import { writeFileSync } from 'node:fs';
import { loadConfigFile, resolveConfig } from '../../config/index.js';
import { RuntimeFailure, systemWords } from '../../errors.js';
import { renderChart, renderFrontierChart } from '../../render/chart.js';
import { simulationPage } from '../../render/page.js';
import { frontier } from '../../sim/frontier.js';
import { POLICY_NAMES, type PolicyName } from '../../sim/policies/policy.js';
import { compare } from '../../sim/run.js';
import { loadScenario } from '../../sim/scenario.js';
import type { CliIo } from '../io.js';
import { renderComparison } from '../render/comparison.js';
import { renderFrontier } from '../render/frontier.js';

export interface SimulateArgs {
  scenario: string;
  policy: PolicyName | 'all';
  json: boolean;
  frontier?: boolean | undefined;
  chart?: string | undefined;
  html?: string | undefined;
  config?: string | undefined;
  low?: number | undefined;
  high?: number | undefined;
  urgent?: number | undefined;
}

function write(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new RuntimeFailure(`cannot write ${file}: ${systemWords(error)}`);
  }
}

/** One page: the scenario, the table as text, the chart. */
function page(file: string, scenario: { name: string; description: string }, table: string, chart: string): void {
  const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  write(file, `<!doctype html><meta charset="utf-8"><title>${text(scenario.name)}: policy comparison</title>\n<body style="font-family:sans-serif"><h1>${text(scenario.name)}</h1><p>${text(scenario.description)}</p><pre>${text(table)}</pre>${chart}</body>\n`);
}

/** `simulate`: the scenario under each policy, as a table or JSON, with an optional chart or page. */
export function runSimulate(args: SimulateArgs, io: CliIo): void {
  const scenario = loadScenario(args.scenario);
  const flags = Object.fromEntries(Object.entries({ low: args.low, high: args.high, urgent: args.urgent }).filter(([, v]) => v !== undefined));
  const fromFile = args.config ? loadConfigFile(args.config).engine : {};
  const config = resolveConfig({ ...scenario.config, ...fromFile, ...flags }, args.config ?? 'flags');
  const names: readonly PolicyName[] = args.policy === 'all' ? POLICY_NAMES : [args.policy];
  const tuned = { ...scenario, config };
  if (args.frontier) {
    const result = frontier(tuned, names);
    const chart = args.chart || args.html ? renderFrontierChart(result) : '';
    if (args.chart) write(args.chart, chart);
    if (args.html) page(args.html, scenario, renderFrontier(result), chart);
    io.stdout(args.json ? `${JSON.stringify({ ...result, schema: 'asg-watchdog/frontier@1' })}\n` : renderFrontier(result));
    return;
  }
  const { comparison, runs } = compare(tuned, names);
  if (args.chart) write(args.chart, renderChart(tuned, runs));
  // The status page, for the watchdog's run (or the one policy asked for), every policy's table below.
  if (args.html) write(args.html, simulationPage(tuned, runs.find((r) => r.policy === 'watchdog') ?? runs[0]!, renderComparison(comparison)));
  io.stdout(args.json ? `${JSON.stringify({ ...comparison, schema: 'asg-watchdog/simulate@1' })}\n` : renderComparison(comparison));
}
