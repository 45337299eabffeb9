// Many groups in one run (`watch -c FILE` with "groups", and the Lambda handler): the groups of one
// region and account read together, then each group's own tick, with its own state, lock,
// decision, alerts and exit code. One group failing never stops the others.
//
// read together → tick each → fold the exit codes.
import type { AwsOptions, Clients } from './aws/clients.js';
import { readGroups, type Prefetched } from './aws/collect.js';
import { metricWindow, type Config } from './engine/index.js';
import { MANY_CONCURRENCY, SHARED_READ_SHARE } from './config/defaults.js';
import { exitCodeOf } from './errors.js';
import type { StateStore } from './state/store.js';
import { tick, type TickOptions } from './tick.js';
import { tickExitCode, type TickReport } from './tick-report.js';

/** One group of the run: where it is, as whom, and its settings. */
export interface GroupTask {
  /** How the output names it: the group's name, or REGION/NAME when two groups of the run share a name. */
  label: string;
  group: string;
  aws: AwsOptions;
  config: Config;
  mail: TickOptions['mail'];
  paused: TickOptions['paused'];
}

export interface ManyOptions {
  dryRun: boolean;
  /** The whole run: the shared read, then every tick within what is left. */
  budgetMs: number;
  /** Ticks at a time; default MANY_CONCURRENCY. */
  concurrency?: number;
}

export interface ManyDeps {
  clientsFor(aws: AwsOptions): Clients;
  storeFor(task: GroupTask, clients: Clients): StateStore;
  clock(): number;
  /** The EC2 instance this host is (host-instance.ts); null or absent: none. */
  hostInstance?: string | null;
}

/** A group's part of the run: its tick's report, or why the tick did not run to the end. */
export interface GroupOutcome {
  task: GroupTask;
  report: TickReport | null;
  error: string | null;
  code: number;
}


/** The run's exit code from its groups': the one needing a person most, 1 before 2 before 3 before 4 (docs/cli.md). */
export function foldExitCodes(codes: readonly number[]): number {
  for (const code of [1, 2, 3, 4]) if (codes.includes(code)) return code;
  return codes.find((c) => c !== 0) ?? 0;
}

interface Connection {
  aws: AwsOptions;
  clients: Clients;
  tasks: GroupTask[];
}

export async function watchMany(tasks: readonly GroupTask[], options: ManyOptions, deps: ManyDeps): Promise<GroupOutcome[]> {
  const started = performance.now();
  const connections = connect(tasks, deps);
  try {
    const prefetched = await readTogether(connections, options, deps);
    const left = Math.max(options.budgetMs - (performance.now() - started), Math.min(options.budgetMs, 10_000));
    const outcomes = await tickEach(connections, prefetched, { ...options, budgetMs: left }, deps);
    // In the order of the file, whatever order they ran in.
    return tasks.map((t) => outcomes.get(t)!);
  } finally {
    for (const c of connections) c.clients.destroy();
  }
}

/** One set of clients per region, account and endpoint: the groups behind it are read together. */
function connect(tasks: readonly GroupTask[], deps: ManyDeps): Connection[] {
  const byKey = new Map<string, Connection>();
  for (const task of tasks) {
    const key = JSON.stringify([task.aws.region, task.aws.profile ?? null, task.aws.role ?? null, task.aws.endpoint ?? null, task.aws.endpoints ?? null]);
    let c = byKey.get(key);
    if (!c) byKey.set(key, (c = { aws: task.aws, clients: deps.clientsFor({ ...task.aws, clock: deps.clock }), tasks: [] }));
    c.tasks.push(task);
  }
  return [...byKey.values()];
}

/** Each connection's groups and their CPU in as few calls as AWS allows, every connection at once. */
async function readTogether(connections: readonly Connection[], options: ManyOptions, deps: ManyDeps): Promise<Map<GroupTask, Prefetched>> {
  const signal = AbortSignal.timeout(Math.max(1_000, options.budgetMs * SHARED_READ_SHARE));
  const now = deps.clock();
  const found = new Map<GroupTask, Prefetched>();
  await Promise.all(
    connections.flatMap((c) =>
      // Groups with the same metric window share a GetMetricData; another window is another read.
      [...groupBy(c.tasks, (t) => JSON.stringify(metricWindow(now, t.config, 60))).values()].map(async (alike) => {
        const window = { ...metricWindow(now, alike[0]!.config, 60), periodSeconds: 60 };
        const read = await readGroups(c.clients, [...new Set(alike.map((t) => t.group))], window, signal);
        for (const t of alike) found.set(t, read.get(t.group)!);
      }),
    ),
  );
  return found;
}

/** Every group's tick, MANY_CONCURRENCY at a time; an error is that group's outcome, never the run's. */
async function tickEach(connections: readonly Connection[], prefetched: Map<GroupTask, Prefetched>, options: ManyOptions, deps: ManyDeps): Promise<Map<GroupTask, GroupOutcome>> {
  const work = connections.flatMap((c) => c.tasks.map((task) => ({ task, clients: c.clients })));
  const outcomes = new Map<GroupTask, GroupOutcome>();
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { task, clients } = work[next++]!;
      const tickOptions: TickOptions = { group: task.group, config: task.config, dryRun: options.dryRun, mail: task.mail ?? null, budgetMs: options.budgetMs, paused: task.paused ?? null };
      const pre = prefetched.get(task);
      try {
        const report = await tick({ ...tickOptions, ...(pre && { prefetched: pre }) }, { clients, store: deps.storeFor(task, clients), clock: deps.clock, hostInstance: deps.hostInstance ?? null });
        outcomes.set(task, { task, report, error: null, code: tickExitCode(report) });
      } catch (error) {
        outcomes.set(task, { task, report: null, error: (error as Error).message, code: exitCodeOf(error) ?? 1 });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? MANY_CONCURRENCY, work.length) }, worker));
  return outcomes;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

const CODE_WORDS: Record<number, string> = { 0: 'ran', 1: 'failed', 2: 'misconfigured', 3: 'held by another actor', 4: 'could not mail' };

/** One line for the run (the CLI's last line, the Lambda's last log line): how many groups ended how, naming those that need a look, and the exit code. */
export function summary(outcomes: readonly GroupOutcome[], code: number): string {
  const parts = [0, 1, 2, 3, 4].flatMap((c) => {
    const these = outcomes.filter((o) => o.code === c);
    if (these.length === 0) return [];
    const names = c === 0 ? '' : ` (${these.slice(0, 5).map((o) => o.task.label).join(', ')}${these.length > 5 ? ', …' : ''})`;
    return [`${these.length} ${CODE_WORDS[c]}${names}`];
  });
  return `${outcomes.length} group${outcomes.length === 1 ? '' : 's'}: ${parts.join(', ')}; exit ${code}`;
}
