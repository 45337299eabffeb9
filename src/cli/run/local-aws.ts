import { systemWords, UsageError } from '../../errors.js';
import { knobTargets, LocalAws } from '../../local-aws/server.js';
import { loadScenario } from '../../sim/scenario.js';
import type { CliIo } from '../io.js';
import { parseFailure } from '../local-aws.js';

export interface LocalAwsArgs {
  scenario: string;
  port: number;
  advanceTo: number;
  speed: number;
  latencyMs: number;
  jitterMs: number;
  fail?: string[] | undefined;
  extraGroups: number;
  region: string;
}

/** `local-aws`: serves until SIGINT or SIGTERM. */
export async function runLocalAws(args: LocalAwsArgs, io: CliIo): Promise<void> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port ${args.port}: expected 0..65535`);
  if (!(args.speed >= 0)) throw new UsageError(`--speed ${args.speed}: expected a number ≥ 0`);
  if (!Number.isInteger(args.advanceTo) || args.advanceTo < 0) throw new UsageError(`--advance-to ${args.advanceTo}: expected a whole minute ≥ 0`);
  const scenario = loadScenario(args.scenario);
  const failures = (args.fail ?? []).map(parseFailure);
  // A knob on an operation never called fails nothing: the faults the run was meant to show would not happen.
  const { operations, services } = knobTargets();
  const unknown = failures.find((f) => f.operation !== '*' && !operations.includes(f.operation) && !services.includes(f.operation));
  if (unknown !== undefined) throw new UsageError(`--fail ${unknown.operation}=…: not an operation local-aws serves; one of ${operations.join(', ')}, a service (${services.join(', ')}) or *`);
  const server = new LocalAws(scenario, {
    port: args.port,
    speed: args.speed,
    advanceTo: args.advanceTo,
    latencyMs: args.latencyMs,
    jitterMs: args.jitterMs,
    failures,
    extraGroups: args.extraGroups,
    region: args.region,
  });
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    throw new UsageError(`cannot listen on port ${args.port}: ${systemWords(error)}`);
  }
  io.stdout(
    `local-aws: scenario '${scenario.name}' (group '${scenario.group.name}') on ${url}, minute ${args.advanceTo}, speed ${args.speed}\n` +
      `  try: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test asg-watchdog watch -g ${scenario.group.name} --region ${args.region} --endpoint-url ${url} --dry-run\n` +
      `  call counts: curl ${url}/__local/stats    clock: curl ${url}/__local/clock\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}
