// The tick in-process, through its real dependencies: SDK clients over HTTP to an in-process
// local-aws, a file state store in a temporary directory, the endpoint's virtual clock.
import { join } from 'node:path';
import { makeClients, type Clients } from '../../src/aws/clients.js';
import { defaultConfig } from '../../src/config/index.js';
import { RuntimeFailure } from '../../src/errors.js';
import { LocalAws, type LocalAwsOptions } from '../../src/local-aws/server.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { FileStateStore } from '../../src/state/file-store.js';
import type { StateStore, StoredState } from '../../src/state/store.js';
import { tick, type TickOptions, type TickReport } from '../../src/tick.js';
import { tickExitCode } from '../../src/tick-report.js';
import { scratchDir } from '../scratch.js';

export interface InProcess {
  server: LocalAws;
  url: string;
  clients: Clients;
  stateDir: string;
  lockDir: string;
  /** A file store for this group, in `dir` (default: the harness's state directory). */
  store(dir?: string): FileStateStore;
  /** One tick at the endpoint's virtual now; a rejection is returned, not thrown. */
  tick(options?: Partial<TickOptions>, store?: StateStore): Promise<{ report: TickReport | null; code: number; error: Error | null }>;
  mutating(): { SetDesiredCapacity: number; TerminateInstanceInAutoScalingGroup: number };
  close(): Promise<void>;
}

/**
 * `hostAheadMs`: the host's clock (the tick's, its store's and its clients') that far ahead of the
 * endpoint's (negative: behind). `hostInstance`: the EC2 instance the host is.
 */
export async function inProcess(scenario: Scenario, options: LocalAwsOptions = {}, client: { timeoutMs?: number; hostAheadMs?: number; hostInstance?: string } = {}): Promise<InProcess> {
  const server = new LocalAws(scenario, { port: 0, speed: 0, ...options });
  const url = await server.listen();
  const clock = () => server.world.virtualNow() + (client.hostAheadMs ?? 0);
  const clients = makeClients({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 2, timeoutMs: client.timeoutMs ?? 2_000, clock });
  const root = scratchDir('asgw-tick-');
  const stateDir = join(root, 'state');
  const lockDir = join(root, 'locks');
  const store = (dir = stateDir) => new FileStateStore({ dir, lockDir, identity: { endpoint: url, region: 'us-east-1', group: scenario.group.name }, clock });
  return {
    server,
    url,
    clients,
    stateDir,
    lockDir,
    store,
    async tick(overrides = {}, withStore = store()) {
      try {
        const report = await tick({ group: scenario.group.name, config: defaultConfig, dryRun: false, ...overrides }, { clients, store: withStore, clock, hostInstance: client.hostInstance ?? null });
        return { report, code: tickExitCode(report), error: null };
      } catch (error) {
        return { report: null, code: (error as { exitCode?: number }).exitCode ?? -1, error: error as Error };
      }
    },
    mutating() {
      const calls = server.callCounts();
      return { SetDesiredCapacity: calls['SetDesiredCapacity'] ?? 0, TerminateInstanceInAutoScalingGroup: calls['TerminateInstanceInAutoScalingGroup'] ?? 0 };
    },
    async close() {
      clients.destroy();
      await server.close();
    },
  };
}

/** A store whose saves fail from the `failFrom`-th on (1-based), as a full disk would. */
export function failingStore(inner: StateStore, failFrom: number): StateStore & { saves: StoredState[] } {
  let count = 0;
  const saves: StoredState[] = [];
  return {
    location: inner.location,
    saves,
    load: (o) => inner.load(o),
    lock: () => inner.lock(),
    claim: (account) => inner.claim(account),
    appendHistory: (record, keep) => inner.appendHistory(record, keep),
    readHistory: (since) => inner.readHistory(since),
    async save(state) {
      count++;
      if (count >= failFrom) throw new RuntimeFailure(`cannot write state file ${inner.location}: ENOSPC`);
      saves.push(state);
      await inner.save(state);
    },
  };
}
