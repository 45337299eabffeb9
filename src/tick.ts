import { act } from './aws/act.js';
import type { Clients } from './aws/clients.js';
import { collect } from './aws/collect.js';
import { decide, initialState, metricWindow } from './engine/index.js';
import type { Action, Config, Decision, Figures, LbState } from './engine/index.js';
import { STORED_STATE_VERSION, type Corruption, type StateStore } from './state/store.js';

export interface TickOptions {
  group: string;
  config: Config;
  dryRun: boolean;
}

export interface TickDeps {
  clients: Clients;
  store: StateStore;
  /** The wall clock; the demo and tests pass the local endpoint's virtual one. */
  clock: () => number;
}

/** One tick as `watch --json` prints it (shared/spec/cli.md), plus what a person needs to know. */
export interface TickReport {
  group: string;
  time: string;
  dryRun: boolean;
  figures: Pick<Figures, 'n' | 'measured' | 'coverage' | 'avg' | 'total' | 'projection1'> & { min: number; max: number; desired: number; pending: number };
  instances: Array<{ id: string; load: number | null; lifecycle: string; health: string; lb: LbState }>;
  action: (Pick<Action, 'kind' | 'from' | 'to' | 'rule' | 'reason'> & { instance: string | null; decrement: boolean | null }) | null;
  executed: boolean;
  blocked: Array<{ rule: string; why: string; detail: string }>;
  alerts: Array<{ key: string; subject: string; sent: boolean }>;
  /** Set when AWS refused the action: the tick exits 1 and a later tick decides afresh. */
  refusal: { code: string; message: string; transient: boolean } | null;
  warnings: string[];
  stateFile: string;
}

/**
 * One tick for one group, the whole product in a straight line:
 * lock → load state → collect → decide → act → save → report. A dry run plans the same action
 * but takes no lock, calls no mutating API and writes nothing.
 */
export async function tick(options: TickOptions, deps: TickDeps): Promise<TickReport> {
  const { group, config, dryRun } = options;
  const release = dryRun ? null : await deps.store.lock();
  try {
    const loaded = await deps.store.load({ readOnly: dryRun });
    const previous = loaded.state?.engine ?? initialState();
    const now = deps.clock();
    const window = { ...metricWindow(now, config, 60), periodSeconds: 60 };
    const collected = await collect(deps.clients, group, window, loaded.state?.launchTimes ?? {}, now);
    const decision = decide(collected.snapshot, previous, config, now);

    const outcome = decision.action && !dryRun ? await act(deps.clients, group, decision.action) : null;
    const executed = outcome?.executed === true;
    const refusal = outcome && !outcome.executed ? { code: outcome.code, message: outcome.message, transient: outcome.transient } : null;
    if (!dryRun) {
      await deps.store.save({
        version: STORED_STATE_VERSION,
        region: deps.clients.region,
        group,
        savedAt: now,
        engine: executed ? decision.state : decision.stateWithoutAction,
        launchTimes: collected.launchTimes,
        lastRefusal: refusal ? { at: now, action: decision.summary, message: refusal.message } : (loaded.state?.lastRefusal ?? null),
      });
    }
    return report(options, decision, now, executed, refusal, collected.warnings, loaded.corruption, deps.store.location);
  } finally {
    await release?.();
  }
}

function report(
  options: TickOptions,
  decision: Decision,
  now: number,
  executed: boolean,
  refusal: TickReport['refusal'],
  warnings: string[],
  corruption: Corruption | null,
  stateFile: string,
): TickReport {
  const f = decision.figures;
  const a = decision.action;
  const alerts = decision.alerts
    .filter((alert) => !alert.forAction || executed || options.dryRun)
    .map((alert) => ({ key: alert.key, subject: alert.subject, sent: false }));
  if (corruption) {
    alerts.unshift({ key: 'state-corrupt', subject: `${options.group}: state file was corrupt (${corruption.reason}); moved to ${corruption.movedTo}, starting fresh`, sent: false });
  }
  if (refusal) alerts.push({ key: `refused:${refusal.code}`, subject: `${options.group}: AWS refused ${decision.summary}: ${refusal.message}`, sent: false });
  return {
    group: options.group,
    time: new Date(now).toISOString(),
    dryRun: options.dryRun,
    figures: { n: f.n, measured: f.measured, coverage: f.coverage, avg: f.avg, total: f.total, projection1: f.projection1, min: f.min, max: f.max, desired: f.desired, pending: f.pending },
    instances: f.instances.map((i) => ({ id: i.id, load: i.load, lifecycle: i.lifecycle, health: i.health, lb: i.lb })),
    action: a === null ? null : { kind: a.kind, from: a.from, to: a.to, instance: a.instance ?? null, decrement: a.kind === 'terminate' ? a.decrement : null, rule: a.rule, reason: a.reason },
    executed,
    blocked: decision.blocked.map((b) => ({ rule: b.rule, why: b.why, detail: b.detail })),
    alerts,
    refusal,
    warnings,
    stateFile,
  };
}
