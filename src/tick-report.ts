import type { Action, BandStatus, Figures, HeldCondition, LbState, Sizing, UnmeasuredWhy } from './engine/index.js';
import type { Run } from './tick.js';

/** The version of the `watch --json` object (docs/json.md); a field removed or renamed moves it on. */
export const WATCH_SCHEMA = 'asg-watchdog/watch@1';

/** One tick as `watch --json` prints it (docs/json.md): everything the text says, and the figures behind it. */
export interface TickReport {
  schema: typeof WATCH_SCHEMA;
  group: string;
  region: string;
  time: string;
  dryRun: boolean;
  /** Paused (`watch --pause`, or the config file's "paused"): it looks and reports; nothing acts, nothing is mailed. */
  paused: { since: string; reason: string | null; by: string } | null;
  figures: Pick<Figures, 'n' | 'measured' | 'coverage' | 'avg' | 'total' | 'projection1' | 'min' | 'max' | 'desired' | 'pending'>;
  /** What the band rules sized for (CPU % summed over instances), rounded; null before any minute is known. */
  sizing: Pick<Sizing, 'out' | 'in' | 'window' | 'recent' | 'minutes' | 'moving'> | null;
  band: BandStatus;
  /** Conditions a rule is holding before it acts, soonest first. */
  held: HeldCondition[];
  /** `lb` is null for an instance not in service: the balancer's view does not apply to it. */
  instances: Array<{ id: string; load: number | null; why: UnmeasuredWhy | null; lifecycle: string; health: string; lb: LbState | null; protected: boolean }>;
  action: (Pick<Action, 'kind' | 'from' | 'to' | 'rule' | 'reason'> & { instance: string | null; decrement: boolean | null }) | null;
  executed: boolean;
  /** The tick in one line: the action's reason, the first block, or where the band stands. */
  summary: string;
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
  /** AWS's clock minus the host's, in seconds, from AWS's answers (positive: the host is behind); null where none said. Beyond maxClockOffsetSeconds nothing is removed. */
  clockOffsetSeconds: number | null;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r1n = (x: number | null) => (x === null ? null : r1(x));

export function report(run: Run): TickReport {
  const { options, decision, now, outcome } = run;
  const f = decision.figures;
  const a = decision.action;
  const s = decision.sizing;
  return {
    schema: WATCH_SCHEMA,
    group: options.group,
    region: run.deps.clients.region,
    time: new Date(now).toISOString(),
    dryRun: options.dryRun,
    paused: run.paused === null ? null : { since: new Date(run.paused.since).toISOString(), reason: run.paused.reason, by: run.paused.by },
    figures: { n: f.n, measured: f.measured, coverage: Math.round(f.coverage * 1000) / 1000, avg: r1n(f.avg), total: r1(f.total), projection1: r1n(f.projection1), min: f.min, max: f.max, desired: f.desired, pending: f.pending },
    sizing: s === null ? null : { out: r1(s.out), in: r1(s.in), window: r1(s.window), recent: r1(s.recent), minutes: s.minutes, moving: s.moving },
    band: decision.band,
    held: decision.held,
    instances: f.instances.map((i, index) => ({
      id: i.id,
      load: r1n(i.load),
      why: i.unmeasured,
      lifecycle: i.lifecycle,
      health: i.health,
      lb: i.lifecycle === 'InService' ? i.lb : null,
      protected: run.collected.snapshot.instances[index]?.protectedFromScaleIn ?? false,
    })),
    action: a === null ? null : { kind: a.kind, from: a.from, to: a.to, instance: a.instance ?? null, decrement: a.kind === 'terminate' ? a.decrement : null, rule: a.rule, reason: a.reason },
    executed: outcome?.kind === 'done',
    summary: decision.summary,
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
    clockOffsetSeconds: r1n(run.collected.snapshot.clockOffsetSeconds ?? null),
  };
}

/** 0 the tick ran · 1 a runtime failure (AWS refused, no certain answer, state unwritable, out of budget) · 4 only the mail failed. */
export function tickExitCode(r: TickReport): number {
  if (r.failure !== null || r.refusal !== null) return 1;
  if (r.mailError !== null) return 4;
  return 0;
}
