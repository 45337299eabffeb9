import { act, type ActOutcome } from './aws/act.js';
import type { Clients } from './aws/clients.js';
import { collect, readInstanceDetails, type InstanceDetails } from './aws/collect.js';
import { composeMail } from './alert/compose.js';
import { sendMail, type MailerOptions } from './alert/mailer.js';
import { alertDue, decide, formatPercent, initialState, metricWindow, recordAlertsSent } from './engine/index.js';
import type { Action, Config, Decision, Figures, LbState, State } from './engine/index.js';
import { RuntimeFailure } from './errors.js';
import { fleetView, renderFleet } from './render/fleet.js';
import { STORED_STATE_VERSION, type Corruption, type StateStore, type StoredState } from './state/store.js';
import { AWS_FAILURE_ALERT_TICKS } from './config/defaults.js';

export interface TickOptions {
  group: string;
  config: Config;
  dryRun: boolean;
  /** Where alerts are mailed; none: alerts are printed only. */
  mail?: (MailerOptions & { signature: { host: string; version: string } }) | null;
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
  /** The alerts due this tick (not those mailed within the dedup window); `sent` once mailed. */
  alerts: Array<{ key: string; subject: string; sent: boolean }>;
  /** Set when AWS refused the action: the tick exits 1 and a later tick decides afresh. */
  refusal: { code: string; message: string; transient: boolean } | null;
  /** Why the mail did not go, when it did not. */
  mailError: string | null;
  warnings: string[];
}

type Due = { key: string; subject: string; forAction: boolean };

/**
 * One tick for one group, the whole product in a straight line:
 * lock → load state → collect → decide → act → tell → save → report. A dry run plans the same
 * action but takes no lock, calls no mutating API, mails nothing and writes nothing.
 */
export async function tick(options: TickOptions, deps: TickDeps): Promise<TickReport> {
  const { group, config, dryRun } = options;
  const release = dryRun ? null : await deps.store.lock();
  try {
    const loaded = await deps.store.load({ readOnly: dryRun });
    const previous = loaded.state?.engine ?? initialState();
    const now = deps.clock();
    const window = { ...metricWindow(now, config, 60), periodSeconds: 60 };
    let collected;
    try {
      collected = await collect(deps.clients, group, window, loaded.state?.launchTimes ?? {}, now);
    } catch (error) {
      if (!dryRun && error instanceof RuntimeFailure) await recordAwsFailure(options, deps, loaded.state, previous, now, error.message);
      throw error;
    }
    const decision = decide(collected.snapshot, previous, config, now);

    const outcome: ActOutcome | null = decision.action && !dryRun ? await act(deps.clients, group, decision.action) : null;
    const executed = outcome?.executed === true;
    const refusal = outcome && !outcome.executed ? { code: outcome.code, message: outcome.message, transient: outcome.transient } : null;

    const due = alertsDue(options, decision, previous, now, executed, refusal, loaded.corruption);
    let engine: State = executed ? decision.state : decision.stateWithoutAction;
    let mailError: string | null = null;
    let mailed = false;
    if (!dryRun && options.mail && due.length > 0) {
      const facts = await mailFacts(options, deps, decision, collected.snapshot, now, executed, refusal, engine);
      const sent = await sendMail(options.mail, composeMail({ ...facts, alerts: due.map((d) => d.subject) }));
      mailed = sent.sent;
      if (!sent.sent) mailError = sent.error;
    }
    // What was mailed is not mailed again within the dedup window; what failed is tried next time.
    if (mailed) engine = recordAlertsSent(engine, due.map((d) => d.key), now);
    if (!dryRun) {
      await deps.store.save({
        version: STORED_STATE_VERSION,
        region: deps.clients.region,
        group,
        savedAt: now,
        engine,
        launchTimes: collected.launchTimes,
        lastRefusal: refusal ? { at: now, action: decision.summary, message: refusal.message } : (loaded.state?.lastRefusal ?? null),
        awsFailures: null,
      });
    }
    return report(options, decision, now, executed, refusal, due.map((d) => ({ key: d.key, subject: d.subject, sent: mailed })), mailError, collected.warnings);
  } finally {
    await release?.();
  }
}

/** The engine's alerts not yet mailed, the action's only if it was carried out, and the tick's own. */
function alertsDue(options: TickOptions, decision: Decision, previous: State, now: number, executed: boolean, refusal: TickReport['refusal'], corruption: Corruption | null): Due[] {
  const g = options.group;
  const fresh = (key: string) => alertDue(previous, key, now, options.config);
  const due: Due[] = [];
  if (corruption) due.push({ key: 'state-corrupt', subject: `${g}: state file was corrupt (${corruption.reason}); moved to ${corruption.movedTo}, starting fresh`, forAction: false });
  for (const a of decision.alerts) {
    if (a.suppressed || (a.forAction && !executed && !options.dryRun)) continue;
    due.push({ key: a.key, subject: a.subject, forAction: a.forAction });
  }
  if (refusal && fresh(`refused:${decision.action?.rule}`)) {
    due.push({ key: `refused:${decision.action?.rule}`, subject: `${g}: AWS refused to ${decision.action?.kind === 'terminate' ? `terminate ${decision.action.instance}` : `set desired ${decision.action?.from} → ${decision.action?.to}`} (${decision.action?.rule}): ${refusal.code}`, forAction: false });
  }
  return due;
}

/** The body of the mail: the decision, the figures, the fleet with EC2's details, the last 30 minutes. */
async function mailFacts(options: TickOptions, deps: TickDeps, decision: Decision, snapshot: Parameters<typeof fleetView>[0], now: number, executed: boolean, refusal: TickReport['refusal'], engine: State) {
  const f = decision.figures;
  let details = new Map<string, InstanceDetails>();
  try {
    details = await readInstanceDetails(deps.clients, options.group);
  } catch {
    // The table goes without zones and addresses rather than the mail not at all.
  }
  const outcome = decision.action === null ? '' : executed ? ' (done)' : refusal ? ` (refused: ${refusal.message})` : '';
  return {
    group: options.group,
    region: deps.clients.region,
    time: now,
    decision: `${decision.summary}${outcome}`,
    figures: `${f.n} serving (min ${f.min}, max ${f.max}, desired ${f.desired}), ${f.measured} measured, average ${formatPercent(f.avg)}, with one fewer ${formatPercent(f.projection1)}`,
    table: renderFleet(fleetView(snapshot, f, details, now)),
    history: engine.history,
    host: options.mail!.signature.host,
    version: options.mail!.signature.version,
  };
}

/** The group could not be read: count it, and at the third tick in a row, say so by mail. */
async function recordAwsFailure(options: TickOptions, deps: TickDeps, stored: StoredState | null, engine: State, now: number, message: string): Promise<void> {
  const count = (stored?.awsFailures?.count ?? 0) + 1;
  const since = stored?.awsFailures?.since ?? now;
  const key = 'aws-failing';
  if (count >= AWS_FAILURE_ALERT_TICKS && options.mail && alertDue(engine, key, now, options.config)) {
    const subject = `${options.group}: AWS failing for ${count} ticks in a row since ${new Date(since).toISOString()}: ${message}`;
    const text = `${subject}\n\nThe watchdog cannot read the group, so it does nothing: no scaling, no kills.\n\n-- \nasg-watchdog ${options.mail.signature.version} on ${options.mail.signature.host}\n`;
    const sent = await sendMail(options.mail, { subject: `[asg-watchdog] ${subject}`, text });
    if (sent.sent) engine = recordAlertsSent(engine, [key], now);
  }
  await deps.store.save({
    version: STORED_STATE_VERSION,
    region: deps.clients.region,
    group: options.group,
    savedAt: now,
    engine,
    launchTimes: stored?.launchTimes ?? {},
    lastRefusal: stored?.lastRefusal ?? null,
    awsFailures: { count, since, last: message },
  });
}

function report(
  options: TickOptions,
  decision: Decision,
  now: number,
  executed: boolean,
  refusal: TickReport['refusal'],
  alerts: TickReport['alerts'],
  mailError: string | null,
  warnings: string[],
): TickReport {
  const f = decision.figures;
  const a = decision.action;
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
    mailError,
    warnings,
  };
}
