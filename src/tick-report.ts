import type { Action, Figures, LbState } from './engine/index.js';
import type { Run } from './tick.js';

/** One tick as `watch --json` prints it (docs/cli.md), plus what a person needs to know. */
export interface TickReport {
  group: string;
  time: string;
  dryRun: boolean;
  figures: Pick<Figures, 'n' | 'measured' | 'coverage' | 'avg' | 'total' | 'projection1'> & { min: number; max: number; desired: number; pending: number };
  instances: Array<{ id: string; load: number | null; lifecycle: string; health: string; lb: LbState }>;
  action: (Pick<Action, 'kind' | 'from' | 'to' | 'rule' | 'reason'> & { instance: string | null; decrement: boolean | null }) | null;
  executed: boolean;
  blocked: Array<{ rule: string; why: string; detail: string }>;
  /** The alerts due this tick (not those mailed within the dedup window); `sent` once mailed. */
  alerts: Array<{ key: string; subject: string; sent: boolean }>;
  /** Alerts of earlier ticks that could not be mailed: they went with this tick's mail when `mailed`, else they still wait. */
  outbox: number;
  mailed: boolean;
  /** AWS answered no (`uncertain` false), or gave no answer to trust: the next tick reconciles. */
  refusal: { code: string; message: string; transient: boolean; uncertain: boolean } | null;
  /** What an intent left behind by an earlier tick turned out to be. */
  reconciled: string | null;
  /** Why the planned action was not started although this was not a dry run. */
  heldBack: string | null;
  /** A runtime failure after the decision (exit 1). */
  failure: string | null;
  /** Why the mail did not go, when it did not (exit 4). */
  mailError: string | null;
  warnings: string[];
}

export function report(run: Run): TickReport {
  const { options, decision, now, outcome } = run;
  const f = decision.figures;
  const a = decision.action;
  return {
    group: options.group,
    time: new Date(now).toISOString(),
    dryRun: options.dryRun,
    figures: { n: f.n, measured: f.measured, coverage: f.coverage, avg: f.avg, total: f.total, projection1: f.projection1, min: f.min, max: f.max, desired: f.desired, pending: f.pending },
    instances: f.instances.map((i) => ({ id: i.id, load: i.load, lifecycle: i.lifecycle, health: i.health, lb: i.lb })),
    action: a === null ? null : { kind: a.kind, from: a.from, to: a.to, instance: a.instance ?? null, decrement: a.kind === 'terminate' ? a.decrement : null, rule: a.rule, reason: a.reason },
    executed: outcome?.kind === 'done',
    blocked: decision.blocked.map((b) => ({ rule: b.rule, why: b.why, detail: b.detail })),
    alerts: run.due.map((d) => ({ key: d.key, subject: d.subject, sent: run.mailed })),
    outbox: run.carried,
    mailed: run.mailed,
    refusal: outcome && outcome.kind !== 'done' ? { code: outcome.code, message: outcome.message, transient: outcome.kind === 'refused' ? outcome.transient : true, uncertain: outcome.kind === 'unknown' } : null,
    reconciled: run.reconciled?.evidence ?? null,
    heldBack: run.heldBack,
    failure: run.failure,
    mailError: run.mailError,
    warnings: run.collected.warnings,
  };
}

/** 0 the tick ran · 1 a runtime failure (AWS refused, no certain answer, state unwritable, out of budget) · 4 only the mail failed. */
export function tickExitCode(r: TickReport): number {
  if (r.failure !== null || r.refusal !== null) return 1;
  if (r.mailError !== null) return 4;
  return 0;
}
