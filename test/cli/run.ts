// Runs the CLI in-process with captured output, or as the real subprocess users run.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env,
    now: () => Date.UTC(2026, 10, 23, 12),
  });
  return { code, stdout, stderr };
}

/**
 * The installed command's run without its process: `main()` with the given environment as the
 * process's own for the call (the AWS SDK reads credentials, profiles and HOME from process.env),
 * output captured, the clock from ASG_WATCHDOG_NOW as the binary reads it. What a subprocess adds
 * (the bundle, start-up, signals, pipes) is covered by the few `bin()` runs that remain.
 */
let inProcessRunning = false;
export async function inProcess(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  // process.env is one per process: two runs at once would undo each other's. Two ticks at once
  // are two processes, and run as such (bin()).
  if (inProcessRunning) throw new Error('inProcess: one run at a time; run concurrent ticks with bin()');
  inProcessRunning = true;
  const saved = process.env;
  process.env = { ...saved, ...env };
  let stdout = '';
  let stderr = '';
  try {
    const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: process.env, now: () => Date.now() });
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
    inProcessRunning = false;
  }
}

const run = promisify(execFile);
export const BIN = new URL('../../bin/asg-watchdog.js', import.meta.url).pathname;

/** The installed command as cron would run it (needs the build of `npm test`); `clean`: only `env`, nothing of the test's. */
export async function bin(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; clean?: boolean } = {}): Promise<CliResult> {
  try {
    const { clean, ...spawnOptions } = options;
    const { stdout, stderr } = await run(process.execPath, [BIN, ...argv], { ...spawnOptions, env: { ...(clean ? {} : process.env), ...options.env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
