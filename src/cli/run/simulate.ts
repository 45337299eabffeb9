import { writeFileSync } from 'node:fs';
import { loadConfigFile, resolveConfig } from '../../config/index.js';
import { RuntimeFailure } from '../../errors.js';
import { renderChart } from '../../sim/chart.js';
import { POLICY_NAMES, type PolicyName } from '../../sim/policies/policy.js';
import { compare } from '../../sim/run.js';
import { loadScenario } from '../../sim/scenario.js';
import type { CliIo } from '../io.js';
import { renderComparison } from '../render/comparison.js';

export interface SimulateArgs {
  scenario: string;
  policy: PolicyName | 'all';
  json: boolean;
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
    throw new RuntimeFailure(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** `simulate`: the scenario under each policy, as a table or JSON, with an optional chart or page. */
export function runSimulate(args: SimulateArgs, io: CliIo): void {
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
}
