import { act, type ActOutcome } from './aws/act.js';
import type { Clients } from './aws/clients.js';
import { collect, groupMoved, readGroup, withGroupNow, type Collected, type Prefetched } from './aws/collect.js';
import { heldWhileSuspended, notCountingInstances, suspendedOf } from './aws/group-shape.js';
import { describeAwsError } from './aws/errors.js';
import type { MailerOptions } from './alert/mailer.js';
import { alertDue, CREDITS_EXHAUSTED, decide, initialState, metricWindow, networkWanted, notLaunchingLong, reconcileIntent } from './engine/index.js';
import type { Config, Decision, Intent, Reconciliation, State } from './engine/index.js';
import { Deadline } from './deadline.js';
import { RuntimeFailure, UsageError } from './errors.js';
import { emptyStoredState, STORED_STATE_VERSION, type Corruption, type OutboxEntry, type Pause, type StateStore, type StoredState } from './state/store.js';
import { ACT_RESERVE_MS, AWS_FAILURE_ALERT_TICKS, MAIL_SAVE_MARGIN_MS, TICK_BUDGET_SECONDS } from './config/defaults.js';
import { mergeOutbox } from './state/outbox.js';
import { report, type TickReport } from './tick-report.js';
import { toTheSecond } from './render/time.js';

export type { TickReport } from './tick-report.js';

export interface TickOptions {
  group: string;
  config: Config;
  dryRun: boolean;
  /** Where alerts are mailed; none: alerts are printed only. */
  mail?: (MailerOptions & { signature: { host: string; version: string } }) | null;
  /** The whole tick, lock to mail, on the real clock; default TICK_BUDGET_SECONDS. */
  budgetMs?: number;
  /** The config file's "paused": the same as `watch --pause`, for as long as the file says so. */
  paused?: Pause | null;
  /** The group and its CPU, read with the other groups of a run of many (watch-many.ts); absent: the tick reads them. */
  prefetched?: Prefetched;
}

export interface TickDeps {
  clients: Clients;
  store: StateStore;
  /** The wall clock; the demo and tests pass the local endpoint's virtual one. */
  clock: () => number;
  /** The EC2 instance this host is (host-instance.ts); null or absent: none (off EC2, the Lambda). */
  hostInstance?: string | null;
}

/** The value one tick hands from step to step. */
export interface Run {
  options: TickOptions;
  deps: TickDeps;
  deadline: Deadline;
  now: number;
  stored: StoredState | null;
  corruption: Corruption | null;
  collected: Collected;
  /** The engine state the decision starts from: the stored one, or the one an intent left behind proves. */
  previous: State;
  reconciled: Reconciliation | null;
  decision: Decision;
  /** Why the decision's action was not carried out although it was not a dry run. */
  heldBack: string | null;
  /** The action waits for a process it relies on, suspended on the group: what is told by mail (plan). */
  suspendedHold: string | null;
  outcome: ActOutcome | null;
  /** The engine state to remember. */
  engine: State;
  intent: Intent | null;
  /** Alerts due this tick, merged with those an earlier tick could not mail. */
  outbox: OutboxEntry[];
  /** This tick's own alerts (the report shows them), a subset of the outbox. */
  due: OutboxEntry[];
  /** Alerts of earlier ticks in the outbox, not raised again by this one. */
  carried: number;
  mailed: boolean;
  mailError: string | null;
  /** A runtime failure after the decision: the tick exits 1 with it. */
  failure: string | null;
  /** Paused (the state's `watch --pause`, or the config file): nothing acts, nothing is mailed. */
  paused: Pause | null;
}

/**
 * One tick for one group, the whole product in a straight line:
 * lock → remember → look → reconcile → decide → recheck → act → tell → chronicle → report.
 * A dry run plans the same action but takes no lock, calls no mutating API, mails nothing and
 * writes nothing. Before any mutating call the intent is saved; after it nothing can throw before
 * the outcome is saved; past its budget the tick stops without acting.
 */
export async function tick(options: TickOptions, deps: TickDeps): Promise<TickReport> {
  const deadline = new Deadline(options.budgetMs ?? TICK_BUDGET_SECONDS * 1000);
  const release = options.dryRun ? null : await deps.store.lock();
  try {
    const remembered = await remember(options, deps, deadline);
    const seen = await look(remembered);
    const planned = plan(reconcile(seen));
    const checked = await recheck(planned);
    const acted = await carryOut(checked);
    return report(await chronicle(await tell(acted)));
  } finally {
    deadline.dispose();
    await release?.();
  }
}

type Remembered = Pick<Run, 'options' | 'deps' | 'deadline' | 'now' | 'stored' | 'corruption' | 'paused'>;
type Seen = Remembered & Pick<Run, 'collected'>;

async function remember(options: TickOptions, deps: TickDeps, deadline: Deadline): Promise<Remembered> {
  const loaded = await deps.store.load({ readOnly: options.dryRun });
  const paused = loaded.state?.paused ?? options.paused ?? null;
  return { options, deps, deadline, now: deps.clock(), stored: loaded.state, corruption: loaded.corruption, paused };
}

/** The group, its CPU and its balancers; a group that cannot be read is counted, and alerted at the third tick. */
async function look(run: Remembered): Promise<Seen> {
  const { options, deps, deadline, now, stored } = run;
  const window = { ...metricWindow(now, options.config, 60), periodSeconds: 60 };
  let collected: Collected;
  try {
    collected = await collect(deps.clients, {
      group: options.group,
      window,
      launchTimes: stored?.launchTimes ?? {},
      crossZone: stored?.crossZone ?? null,
      scalingPolicies: stored?.scalingPolicies ?? null,
      now,
      creditsExhausted: CREDITS_EXHAUSTED,
      signal: deadline.signal,
      hostInstance: deps.hostInstance ?? null,
      // By the conditions the last tick held: an ordinary scale-out, launched within a minute, asks nothing.
      askWhyNotLaunching: notLaunchingLong(stored?.engine.conditions ?? {}, now),
      // And NetworkOut only while an outlier rule holds a reading: a fleet without pays for its CPU alone.
      askNetwork: networkWanted(stored?.engine.conditions ?? {}),
      ...(options.prefetched && { prefetched: options.prefetched }),
    });
  } catch (error) {
    const failure = deadline.expired() ? deadline.exceeded('reading the group') : error;
    if (!options.dryRun && failure instanceof RuntimeFailure) await recordAwsFailure(run, failure.message);
    throw failure;
  }
  if (deadline.expired()) throw deadline.exceeded('reading the group');
  // Every size it plans is a count of instances: in other units it would be another size.
  if (collected.capacityUnits !== null) {
    throw new UsageError(`${notCountingInstances(options.group, collected.capacityUnits)}; the watchdog sizes in instances and leaves this group alone (docs/operations.md)`);
  }
  if (!options.dryRun) await own(run, collected.account);
  return { ...run, collected };
}

/**
 * One group, one actor, once the group's account is known: a state file kept for a group of the
 * same name in another account is not this group's, and a group watched with another state file
 * is not this tick's to act on.
 */
async function own(run: Remembered, account: string): Promise<void> {
  const { stored, options, deps } = run;
  if (stored?.account && stored.account !== account) {
    throw new UsageError(
      `state file ${deps.store.location} is for group '${options.group}' of account ${stored.account}, and these credentials reach account ${account}: give each account its own --state-dir`,
    );
  }
  await deps.store.claim(account);
}

/** An intent left behind by a tick that died between its AWS call and its save: what AWS shows decides. */
function reconcile(run: Seen): Seen & Pick<Run, 'previous' | 'reconciled'> {
  const stored = run.stored;
  const engine = stored?.engine ?? initialState();
  if (!stored?.intent) return { ...run, previous: engine, reconciled: null };
  const reconciled = reconcileIntent(stored.intent, engine, run.collected.snapshot);
  return { ...run, previous: reconciled.state, reconciled };
}

type Planned = ReturnType<typeof reconcile> & Pick<Run, 'decision' | 'heldBack' | 'suspendedHold' | 'failure'>;

function plan(run: ReturnType<typeof reconcile>): Planned {
  const decision = decide(run.collected.snapshot, run.previous, run.options.config, run.now);
  return held({ ...run, decision });
}

/**
 * Paused for maintenance, or the group's own processes suspended for it: the action waits. The
 * tick still looks and remembers, so that it resumes where it is.
 */
function held(run: ReturnType<typeof reconcile> & Pick<Run, 'decision'>): Planned {
  const { decision } = run;
  const paused = run.paused && decision.action ? `paused since ${toTheSecond(run.paused.since)} by ${run.paused.by}` : null;
  const suspendedHold = paused === null && decision.action ? heldWhileSuspended(decision.action, run.collected.suspended) : null;
  return { ...run, heldBack: paused ?? suspendedHold, suspendedHold, failure: null };
}

/**
 * Right before acting, the group is read again (Karpenter re-validates a command before executing
 * it): a desired count a person changed, or an instance that left, is decided again, not overwritten.
 */
async function recheck(run: Planned, attempt = 1): Promise<Planned> {
  const { options, deps, deadline, decision } = run;
  if (decision.action === null || options.dryRun || run.heldBack !== null) return run;
  let moved: string | null;
  let collected = run.collected;
  try {
    const group = await readGroup(deps.clients, options.group, deadline.signal);
    moved = groupMoved(collected, group);
    if (moved !== null) collected = { ...collected, snapshot: withGroupNow(collected.snapshot, group, run.now), suspended: suspendedOf(group) };
  } catch (error) {
    const why = `could not read the group again before acting: ${error instanceof RuntimeFailure ? error.message : describeAwsError(error, 'DescribeAutoScalingGroups', deps.clients)}`;
    return { ...run, heldBack: why, failure: why };
  }
  if (moved === null) return run;
  if (attempt >= 2) return { ...run, heldBack: `the group keeps changing under the tick (${moved}); deciding again next tick` };
  const again = decide(collected.snapshot, run.previous, options.config, run.now);
  return recheck(held({ ...run, collected, decision: again }), attempt + 1);
}

type Acted = Planned & Pick<Run, 'outcome' | 'engine' | 'intent'>;

/** Write-ahead: the intent is saved before the call, the outcome right after it. */
async function carryOut(run: Planned): Promise<Acted> {
  const { options, deps, deadline, decision, now } = run;
  const idle: Acted = { ...run, outcome: null, engine: decision.stateWithoutAction, intent: null };
  const action = decision.action;
  if (action === null || options.dryRun || run.heldBack !== null) return idle;
  if (deadline.remaining() < Math.min(ACT_RESERVE_MS, deadline.budgetMs / 4)) {
    const why = `only ${(deadline.remaining() / 1000).toFixed(1)} s of the tick's budget left; not starting ${decision.summary}`;
    return { ...idle, heldBack: why, failure: why };
  }
  const intent: Intent = { at: now, action, ifDone: decision.state, alerts: actionAlerts(run) };
  try {
    await deps.store.save(toStored(idle, { engine: decision.stateWithoutAction, intent }));
  } catch (error) {
    const why = `cannot record what it is about to do, so it does nothing: ${(error as Error).message}`;
    return { ...idle, heldBack: why, failure: why };
  }
  const outcome = await act(deps.clients, options.group, action, deadline.signal);
  // From here to the save below nothing may throw: the outcome must be remembered.
  const engine = outcome.kind === 'done' ? decision.state : decision.stateWithoutAction;
  return { ...run, outcome, engine, intent: outcome.kind === 'unknown' ? intent : null };
}

/** The alerts that go with the action, mailed once it is known to be carried out. */
function actionAlerts(run: Planned): Intent['alerts'] {
  return run.decision.alerts.filter((a) => a.forAction && !a.suppressed).map((a) => ({ key: a.key, subject: a.subject }));
}

/** Saves the outcome with the alerts due in the outbox, mails them within the budget, and saves what was mailed. */
async function tell(run: Acted): Promise<Run> {
  const { options, now } = run;
  const due = alertsDue(run);
  const outbox = mergeOutbox(run.stored?.outbox ?? [], due, now);
  const carried = options.mail ? outbox.filter((e) => !due.some((d) => d.key === e.key)).length : 0;
  let told: Run = { ...run, due, carried, outbox: options.mail ? outbox : [], mailed: false, mailError: null };
  if (options.dryRun) return told;
  // Paused: nothing is mailed, and nothing is kept to flood the first tick after the resume.
  if (run.paused) told = { ...told, outbox: run.stored?.outbox ?? [], carried: 0 };
  // The outcome first: a mail server that hangs or a crash while mailing must not lose it.
  told = await saveOrFail(told);
  if (!options.mail || told.outbox.length === 0 || run.paused) return told;
  // The mailer, SES and the fleet table load only when there is something to mail.
  const { deliver, tickMail } = await import('./tick-mail.js');
  const delivered = await deliver(told, await tickMail(told));
  if (!delivered.mailed) return delivered;
  return saveOrFail(delivered);
}

/** A real tick goes into the group's history (status, its page); one that cannot is a warning, not a failure. */
async function chronicle(run: Run): Promise<Run> {
  const keep = run.options.config.historyLogMinutes;
  if (run.options.dryRun || keep === 0) return run;
  try {
    const { historyRecord } = await import('./tick-history.js');
    await run.deps.store.appendHistory(historyRecord(run), keep);
    return run;
  } catch (error) {
    return { ...run, collected: { ...run.collected, warnings: [...run.collected.warnings, `${(error as Error).message}; status will miss this tick`] } };
  }
}

async function saveOrFail(run: Run): Promise<Run> {
  try {
    await run.deps.store.save(toStored(run, { engine: run.engine, intent: run.intent, outbox: run.outbox }));
    return run;
  } catch (error) {
    const after = run.outcome?.kind === 'done' ? 'acted, but ' : '';
    const next = run.intent || run.outcome?.kind === 'done' ? '; the next tick reconciles what it did with what AWS shows' : '';
    return { ...run, failure: run.failure ?? `${after}${(error as Error).message}${next}` };
  }
}

function toStored(run: Acted | Run | Planned, patch: Pick<StoredState, 'engine' | 'intent'> & Partial<StoredState>): StoredState {
  const refusal = 'outcome' in run && run.outcome && run.outcome.kind !== 'done' ? { at: run.now, action: run.decision.summary, message: run.outcome.message } : null;
  return {
    version: STORED_STATE_VERSION,
    region: run.deps.clients.region,
    group: run.options.group,
    account: run.collected.account,
    savedAt: run.now,
    launchTimes: run.collected.launchTimes,
    crossZone: run.collected.crossZone,
    scalingPolicies: run.collected.scalingPolicies,
    lastRefusal: refusal ?? run.stored?.lastRefusal ?? null,
    awsFailures: null,
    outbox: run.stored?.outbox ?? [],
    paused: run.stored?.paused ?? null,
    ...patch,
  };
}

/** The engine's alerts not yet mailed (the action's only if it was carried out), and the tick's own. */
function alertsDue(run: Acted): OutboxEntry[] {
  const { options, decision, now, outcome, previous } = run;
  const g = options.group;
  const due: OutboxEntry[] = [];
  const add = (key: string, subject: string) => due.push({ key, subject, at: now });
  if (run.corruption) add('state-corrupt', `${g}: state file was corrupt (${run.corruption.reason}); moved to ${run.corruption.movedTo}, starting fresh`);
  if (run.reconciled?.done) for (const a of run.stored!.intent!.alerts) add(a.key, a.subject);
  for (const a of decision.alerts) {
    if (a.suppressed || (a.forAction && outcome?.kind !== 'done' && !options.dryRun)) continue;
    add(a.key, a.subject);
  }
  const action = decision.action;
  if (action && outcome && outcome.kind !== 'done' && alertDue(previous, `refused:${action.rule}`, now, options.config)) {
    const what = action.kind === 'terminate' ? `terminate ${action.instance}` : `set desired ${action.from} → ${action.to}`;
    add(`refused:${action.rule}`, `${g}: ${outcome.kind === 'refused' ? 'AWS refused to' : 'no certain answer from AWS to'} ${what} (${action.rule}): ${outcome.code}`);
  }
  if (run.failure && action && run.heldBack === run.failure) add('not-acted', `${g}: did not ${decision.summary}: ${run.failure}`);
  // Held while the group's processes are suspended: what waits (a sick instance, a fleet too small).
  if (action && run.suspendedHold !== null && alertDue(previous, `held:${action.rule}`, now, options.config)) {
    add(`held:${action.rule}`, `${g}: did not ${decision.summary}: ${run.suspendedHold}`);
  }
  return due;
}

/** The group could not be read: count it, and at the third tick in a row, say so by mail. */
async function recordAwsFailure(run: Remembered, message: string): Promise<void> {
  const { options, deps, now, stored } = run;
  const count = (stored?.awsFailures?.count ?? 0) + 1;
  const since = stored?.awsFailures?.since ?? now;
  const engine = stored?.engine ?? initialState();
  const key = 'aws-failing';
  const alert = count >= AWS_FAILURE_ALERT_TICKS && alertDue(engine, key, now, options.config)
    ? [{ key, subject: `${options.group}: AWS failing for ${count} ticks in a row since ${toTheSecond(since)}: ${message}`, at: now }]
    : [];
  const outbox = options.mail ? mergeOutbox(stored?.outbox ?? [], alert, now) : [];
  // An intent left behind waits for a tick that can see the group; the rest is kept as it was.
  const base: StoredState = {
    ...(stored ?? emptyStoredState({ region: deps.clients.region, group: options.group }, now, engine)),
    savedAt: now,
    engine,
    awsFailures: { count, since, last: message },
    outbox,
  };
  await deps.store.save(base);
  if (outbox.length === 0 || !options.mail || run.deadline.remaining() < MAIL_SAVE_MARGIN_MS) return;
  const { deliver, blindMail } = await import('./tick-mail.js');
  const delivered = await deliver({ ...run, outbox, engine }, blindMail(options, outbox));
  if (delivered.mailed) await deps.store.save({ ...base, engine: delivered.engine, outbox: [] });
}
