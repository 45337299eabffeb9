// The e2e harness: a local AWS endpoint in this process, the CLI against it as cron runs it but
// in-process (test/cli/run.ts), on the endpoint's virtual clock (speed 0: time moves only when a
// test advances it).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { LocalAws, type LocalAwsOptions } from '../../src/local-aws/server.js';
import { loadScenario, parseScenario, type Scenario } from '../../src/sim/scenario.js';
import type { SmtpPeer } from '../alert/smtp.js';
import { bin, inProcess, type CliResult } from '../cli/run.js';
import { scratchDir } from '../scratch.js';

export const shipped = (name: string): Scenario => loadScenario(new URL(`../../scenarios/${name}.json`, import.meta.url).pathname);

export function fleetScenario(size: number, overrides: Record<string, unknown> = {}): Scenario {
  return parseScenario(
    {
      version: 1,
      name: `fleet-${size}`,
      durationMinutes: 600,
      seed: 5,
      group: { name: 'web', min: 1, max: Math.max(size * 2, 10), desired: size, launchMinutes: 3, loadBalancer: 'target-group' },
      demand: [[0, size * 0.6]],
      noise: 0.02,
      ...overrides,
    },
    'test',
  );
}

export interface Local {
  server: LocalAws;
  url: string;
  stateDir: string;
  /** Where the group's lock lives: beside, not inside, the state directory. */
  lockDir: string;
  /** Runs `asg-watchdog ARGS --endpoint-url URL` at the endpoint's virtual now. */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  watch(args?: string[], env?: Record<string, string>): Promise<CliResult>;
  /** `watch` as its own process (the real binary): for ticks that must run at the same time. */
  watchProcess(args?: string[]): Promise<CliResult>;
  /** The environment every run gets (credentials, the virtual now, the state directory), plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  calls(): Record<string, number>;
  resetCalls(): void;
  close(): Promise<void>;
}

export async function startLocal(scenario: Scenario, options: LocalAwsOptions = {}): Promise<Local> {
  const server = new LocalAws(scenario, { port: 0, speed: 0, ...options });
  const url = await server.listen();
  const root = scratchDir('asgw-e2e-');
  const stateDir = join(root, 'state');
  mkdirSync(stateDir);
  const lockDir = join(root, 'locks');
  const envOf = (env: Record<string, string>) => ({
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    // The machine's own ~/.aws files stay out of the tests.
    AWS_CONFIG_FILE: join(stateDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(stateDir, 'no-aws-credentials'),
    ASG_WATCHDOG_NOW: String(server.world.virtualNow()),
    ASG_WATCHDOG_STATE_DIR: stateDir,
    ASG_WATCHDOG_LOCK_DIR: lockDir,
    ...env,
  });
  const withEndpoint = (args: string[]) => (args.includes('--endpoint-url') ? args : [...args, '--endpoint-url', url]);
  const cli = (args: string[], env: Record<string, string> = {}) => inProcess(withEndpoint(args), envOf(env));
  return {
    server,
    url,
    stateDir,
    lockDir,
    cli,
    watch: (args = [], env = {}) => cli(['watch', '-g', scenario.group.name, ...args], env),
    watchProcess: (args = []) => bin(withEndpoint(['watch', '-g', scenario.group.name, ...args]), { env: envOf({}) }),
    env: (extra = {}) => envOf(extra),
    calls: () => server.callCounts(),
    resetCalls: () => server.resetCallCounts(),
    close: () => server.close(),
  };
}

/** The local endpoint and SMTP peer a test starts, closed after each test of the file that asks. */
export function peersClosedAfterEach(): { local: Local | null; smtp: SmtpPeer | null } {
  const peers: { local: Local | null; smtp: SmtpPeer | null } = { local: null, smtp: null };
  afterEach(async () => {
    await peers.local?.close();
    await peers.smtp?.close();
    [peers.local, peers.smtp] = [null, null];
  });
  return peers;
}

export const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
export const MUTATING = ['SetDesiredCapacity', 'TerminateInstanceInAutoScalingGroup'];
