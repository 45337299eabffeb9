// What `status` tells about a group, from its state and its history alone (no AWS call): the last
// tick, the conditions held and when they act, what is blocked, the recent actions with their
// reasons, like `kubectl describe`; and `--explain ID`, why an instance was (or would be) terminated.
import { ASSUMED_LAUNCH_MINUTES, extraLeadMinutes, launchMinutes, type HeldCondition } from './engine/index.js';
import type { HistoryRecord } from './state/history.js';
import { toTheSecond } from './render/time.js';
import type { StoredState } from './state/store.js';

export const STATUS_SCHEMA = 'asg-watchdog/status@1';
export const EXPLAIN_SCHEMA = 'asg-watchdog/explain@1';

const iso = (ms: number) => new Date(ms).toISOString();

export interface StatusView {
  schema: typeof STATUS_SCHEMA;
  group: string;
  region: string;
  stateFile: string;
  /** A tick has saved the group's state there: false for a group never watched with that state directory or table, or a name mistyped. */
  stateSaved: boolean;
  /** Why the state saved there does not parse: the next tick moves it aside, alerts, and starts afresh; null where it parses or none is there. */
  stateCorrupt: string | null;
  now: string;
  since: string;
  /** Real ticks recorded since `since` (dry runs record none). */
  ticks: number;
  lastTick: (Omit<HistoryRecord, 'v' | 'at' | 'loads' | 'more' | 'alerts' | 'alertKeys'> & { time: string }) | null;
  paused: { since: string; reason: string | null; by: string } | null;
  actions: Array<{ time: string; kind: string; from: number; to: number; instance: string | null; rule: string; reason: string; outcome: string }>;
  /** Each alert from its first tick; one raised at consecutive ticks is one entry, to its last (`until`), in its latest words. */
  alerts: Array<{ time: string; until: string; ticks: number; subject: string }>;
  /** The last action AWS refused, the AWS failures in a row, alerts still waiting to be mailed. */
  lastRefusal: { time: string; action: string; message: string } | null;
  awsFailures: { count: number; since: string; last: string } | null;
  outbox: number;
  /** How long the group's launches take, as the rise lead counts them (engine/launches.ts). */
  launches: { seen: number; minutes: number | null; line: string };
}

/** `8 min to serve (the median of the last 5 launches seen): rises are sized 5 min further ahead`. */
function launchesView(launches: readonly number[]): StatusView['launches'] {
  const minutes = launchMinutes(launches);
  const seen = launches.length;
  if (minutes === null) return { seen, minutes, line: `none seen yet: rises are sized for a ${ASSUMED_LAUNCH_MINUTES}-minute launch` };
  const measured = `${minutes} min to serve (${seen === 1 ? 'the one launch seen' : `the median of the last ${seen} launches seen`})`;
  const extra = extraLeadMinutes(launches);
  return { seen, minutes, line: extra > 0 ? `${measured}: rises are sized ${extra} min further ahead` : measured };
}

/**
 * The alerts of the ticks, an alert raised at consecutive ticks as one entry, from its first tick
 * to its last, in its latest words (a clock off by a minute more each tick, a held kill). An alert
 * is mailed at most every 30 minutes, and a watchdog that mails records it as often; one that
 * mails nothing (logs and metrics only) records it at every tick. By key, where the record has
 * them; by its words before.
 */
function foldAlerts(history: readonly HistoryRecord[]): StatusView['alerts'] {
  const folded: StatusView['alerts'] = [];
  let open = new Map<string, StatusView['alerts'][number]>();
  for (const r of history) {
    const next = new Map<string, StatusView['alerts'][number]>();
    r.alerts.forEach((subject, i) => {
      const key = r.alertKeys?.[i] ?? subject;
      const run = open.get(key);
      const entry = run === undefined ? { time: iso(r.at), until: iso(r.at), ticks: 1, subject } : Object.assign(run, { until: iso(r.at), ticks: run.ticks + 1, subject });
      if (run === undefined) folded.push(entry);
      next.set(key, entry);
    });
    open = next;
  }
  return folded;
}

/**
 * Where the state is, and what is wrong with it: status's State line, and its page where something
 * is. Run as another user than cron's, or with another state directory, status finds nothing:
 * it says where it looked.
 */
export function stateLine(v: Pick<StatusView, 'group' | 'stateFile' | 'stateSaved' | 'stateCorrupt'>): string {
  if (v.stateCorrupt !== null) return `${v.stateFile}: does not parse (${v.stateCorrupt}); the next tick moves it aside, alerts and starts afresh`;
  if (v.stateSaved) return v.stateFile;
  const where = v.stateFile.startsWith('dynamodb://') ? 'table' : "directory; cron's user may keep its own";
  return `${v.stateFile}: nothing saved there (no tick of ${v.group} with this state ${where}: docs/status.md)`;
}

/** An alert as `status` and its page list it: `2026-12-06T08:03:00Z  web: … (at each of 4 ticks to 2026-12-06T08:06:00Z)`. */
export function alertLine(a: StatusView['alerts'][number]): string {
  return `${toTheSecond(a.time)}  ${a.subject}${a.ticks > 1 ? ` (at each of ${a.ticks} ticks to ${toTheSecond(a.until)})` : ''}`;
}

export function statusView(input: { group: string; region: string; stateFile: string; now: number; since: number; state: StoredState | null; history: readonly HistoryRecord[]; corruption?: string | null }): StatusView {
  const { state, history } = input;
  const last = history.at(-1) ?? null;
  const p = state?.paused ?? null;
  return {
    schema: STATUS_SCHEMA,
    group: input.group,
    region: input.region,
    stateFile: input.stateFile,
    // A file there that does not parse was saved all the same (the next tick moves it aside and alerts).
    stateSaved: state !== null || (input.corruption ?? null) !== null,
    stateCorrupt: input.corruption ?? null,
    now: iso(input.now),
    since: iso(input.since),
    ticks: history.length,
    lastTick:
      last === null
        ? null
        : { time: iso(last.at), n: last.n, desired: last.desired, min: last.min, max: last.max, low: last.low, high: last.high, pending: last.pending, ...(last.notCarrying && { notCarrying: last.notCarrying }), avg: last.avg, projection1: last.projection1, band: last.band, action: last.action, blocked: last.blocked, held: last.held, paused: last.paused },
    paused: p === null ? null : { since: iso(p.since), reason: p.reason, by: p.by },
    actions: history.filter((r) => r.action !== null).map((r) => ({ time: iso(r.at), ...r.action! })),
    alerts: foldAlerts(history),
    lastRefusal: state?.lastRefusal ? { time: iso(state.lastRefusal.at), action: state.lastRefusal.action, message: state.lastRefusal.message } : null,
    awsFailures: state?.awsFailures ? { count: state.awsFailures.count, since: iso(state.awsFailures.since), last: state.awsFailures.last } : null,
    outbox: state?.outbox.length ?? 0,
    launches: launchesView(state?.engine.launches ?? []),
  };
}

export interface ExplainView {
  schema: typeof EXPLAIN_SCHEMA;
  group: string;
  instance: string;
  since: string;
  /** One line: terminated when and why, or when it would be, or that no rule holds it. */
  verdict: string;
  /** Each tick that saw it: its load, the conditions held on it, and what was done or blocked about it. */
  ticks: Array<{ time: string; load: number | null; held: HeldCondition[]; action: string | null; blocked: string[] }>;
}

/** Why an instance was, or would be, terminated: the figures of each tick that led to it. */
export function explainInstance(group: string, id: string, since: number, history: readonly HistoryRecord[]): ExplainView {
  const ticks: ExplainView['ticks'] = [];
  for (const r of history) {
    const held = r.held.filter((h) => h.instance === id);
    const mine = r.action !== null && r.action.instance === id;
    const blocked = r.blocked.filter((b) => b.detail.includes(id)).map((b) => `${b.rule} blocked (${b.why}): ${b.detail}`);
    const seen = id in r.loads;
    if (!seen && held.length === 0 && !mine && blocked.length === 0) continue;
    const action = mine ? `${r.action!.kind === 'terminate' ? 'terminate' : `set desired ${r.action!.from} → ${r.action!.to}`} (${r.action!.outcome}): ${r.action!.reason}` : null;
    ticks.push({ time: iso(r.at), load: r.loads[id] ?? null, held, action, blocked });
  }
  const kill = [...history].reverse().find((r) => r.action?.kind === 'terminate' && r.action.instance === id);
  const lastSeen = [...history].reverse().find((r) => id in r.loads || r.held.some((h) => h.instance === id));
  let verdict: string;
  if (kill) verdict = `terminated at ${toTheSecond(kill.at)} (${kill.action!.outcome}) by the ${kill.action!.rule} rule: ${kill.action!.reason}`;
  else if (lastSeen === undefined) verdict = `not seen in ${group} since ${toTheSecond(since)}`;
  else {
    const held = lastSeen.held.filter((h) => h.instance === id && h.then === 'terminate');
    const soonest = held.sort((a, b) => a.inMinutes - b.inMinutes)[0];
    verdict = soonest
      ? `would be terminated ${soonest.inMinutes === 0 ? 'now' : `in ${soonest.inMinutes} min`} as of ${toTheSecond(lastSeen.at)}: ${soonest.rule}, held ${soonest.heldMinutes} of ${soonest.ofMinutes} min`
      : `no rule holds it as of ${toTheSecond(lastSeen.at)}: load ${lastSeen.loads[id] === null || lastSeen.loads[id] === undefined ? 'not measured' : `${lastSeen.loads[id]!.toFixed(1)} %`}`;
  }
  return { schema: EXPLAIN_SCHEMA, group, instance: id, since: iso(since), verdict, ticks };
}

/** `30m`, `2h`, `1d`, `90s`, or an ISO time: the start of what `status` shows. */
export function parseSince(text: string, now: number): number | null {
  const m = /^(\d+)(s|m|h|d)$/.exec(text);
  if (m) return now - Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const at = Date.parse(text);
  return /^\d{4}-\d\d-\d\d/.test(text) && Number.isFinite(at) ? at : null;
}
