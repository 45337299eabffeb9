import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { FailureKind, FailureKnob } from '../local-aws/server.js';
import type { CliIo } from './io.js';

const KINDS: FailureKind[] = ['throttle', 'error', 'unavailable', 'hang', 'drop', 'busy', 'paging', 'partial', 'denied'];

/** `OPERATION=RATE[:KIND]`, e.g. `GetMetricData=0.2` or `*=0.05:unavailable`. */
export function parseFailure(text: string): FailureKnob {
  const match = /^([A-Za-z0-9*]+)=([0-9.]+)(?::([a-z]+))?$/.exec(text);
  const rate = Number(match?.[2]);
  const kind = (match?.[3] ?? 'throttle') as FailureKind;
  if (!match || !(rate >= 0 && rate <= 1) || !KINDS.includes(kind)) {
    throw new UsageError(`--fail ${text}: expected OPERATION=RATE[:KIND] with RATE in 0..1 and KIND one of ${KINDS.join(', ')}`);
  }
  return { operation: match[1]!, rate, kind };
}

export function localAwsCommand(yargs: Argv, io: CliIo): Argv {
  return yargs.command(
    'local-aws',
    'serve an AWS-compatible endpoint over a simulated fleet (tests, the demo, trying the watchdog)',
    (y) =>
      y
        .strict()
        .option('scenario', { type: 'string', demandOption: true, describe: 'the scenario to serve (see scenarios/)' })
        .option('port', { type: 'number', default: 4566, describe: 'port on 127.0.0.1 (0: any free port)' })
        .option('advance-to', { type: 'number', default: 0, describe: 'start at this scenario minute, with its history' })
        .option('speed', { type: 'number', default: 1, describe: 'simulated minutes per wall minute (0: only POST /__local/advance moves time)' })
        .option('latency-ms', { type: 'number', default: 0, describe: 'added to every answer' })
        .option('jitter-ms', { type: 'number', default: 0, describe: 'up to this much more, at random' })
        .option('fail', { type: 'string', array: true, describe: 'OPERATION=RATE[:throttle|error|unavailable|hang|drop|busy|paging|partial|denied] (repeatable)' })
        .option('extra-groups', { type: 'number', default: 0, describe: 'copies of the group (web-001, ...), for paging' })
        .option('region', { type: 'string', default: 'us-east-1' })
        .example('$0 local-aws --scenario scenarios/runaway-cpu.json --advance-to 14', 'then: asg-watchdog watch -g web --endpoint-url http://127.0.0.1:4566 --dry-run'),
    async (args) => (await import('./run/local-aws.js')).runLocalAws(args, io),
  );
}
