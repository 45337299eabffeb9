import type { Action, Config, Figures, HistoryEntry, LoadSample, State } from './types.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** How long the take-back stays off once one was followed by another surge (recordAction). */
const TAKE_BACK_OFF_MS = 24 * HOUR;

export const STATE_VERSION = 1;

export function initialState(): State {
  return {
    version: STATE_VERSION,
    lastTickAt: null,
    conditions: {},
    lastAction: null,
    lastScaleUpAt: null,
    kills: [],
    emergencies: {},
    alertsSent: {},
    avgEma: null,
    history: [],
    fleetLoad: [],
    takeBackOffUntil: null,
    launching: [],
    launches: [],
  };
}

function pushHistory(history: HistoryEntry[], entry: HistoryEntry, length: number): HistoryEntry[] {
  if (length === 0) return [];
  const next = history.length >= length ? history.slice(history.length - length + 1) : [...history];
  next.push(entry);
  return next;
}

/** What one tick saw that the next one remembers. */
export interface Observations {
  conditions: Record<string, number>;
  figures: Figures;
  fleetLoad: LoadSample[];
  launches: Pick<State, 'launching' | 'launches'>;
}

/** The state after this tick's observations, before any action: conditions, memory, history. Old alert records are dropped. */
export function observedState(previous: State, seen: Observations, now: number, config: Config): State {
  const { conditions, figures, fleetLoad } = seen;
  // An alert record past the dedup window no longer suppresses anything: forget it.
  const alertsSent: Record<string, number> = {};
  for (const [key, at] of Object.entries(previous.alertsSent)) {
    if (now - at < config.alertDedupSeconds * 1000) alertsSent[key] = at;
  }
  // Forget emergencies for instances gone from the group (rarely more than one or two).
  const emergencies: Record<string, number> = {};
  for (const [id, at] of Object.entries(previous.emergencies)) {
    if (figures.instances.some((i) => i.id === id)) emergencies[id] = at;
  }
  const a = config.avgEmaAlpha;
  return {
    version: STATE_VERSION,
    lastTickAt: now,
    conditions,
    lastAction: previous.lastAction,
    lastScaleUpAt: previous.lastScaleUpAt,
    kills: previous.kills.filter((k) => now - k.at < HOUR),
    emergencies,
    alertsSent,
    avgEma: figures.avg === null ? previous.avgEma : previous.avgEma === null ? figures.avg : a * figures.avg + (1 - a) * previous.avgEma,
    history: pushHistory(previous.history, { at: now, n: figures.n, desired: figures.desired, avg: figures.avg }, config.historyLength),
    fleetLoad,
    takeBackOffUntil: previous.takeBackOffUntil,
    launching: seen.launches.launching,
    launches: seen.launches.launches,
  };
}

/**
 * The state once the action has been carried out. A scale-out within the sizing window after a
 * take-back says the surge it took back after came again (bursts in pairs): the take-back stays
 * off for a day.
 */
export function recordAction(observed: State, action: Action, now: number, config: Pick<Config, 'sizingWindowMinutes'>): State {
  const record = {
    at: now,
    kind: action.kind,
    rule: action.rule,
    from: action.from,
    to: action.to,
    ...(action.instance !== undefined && { instance: action.instance }),
  };
  // A lower count (a scale-in, a kill the N−1 rule allowed to decrement, one that takes its own
  // +1 back) takes every emergency +1 with it but those it keeps: for instances still pinned or
  // read dead, or, taking its own back, every other.
  const resized = action.to < action.from;
  const kept = action.keeps ?? [];
  const emergencies = resized ? Object.fromEntries(Object.entries(observed.emergencies).filter(([id]) => kept.includes(id))) : { ...observed.emergencies };
  if (action.kind === 'set-desired' && (action.rule === 'runaway' || action.rule === 'dead') && action.instance !== undefined) emergencies[action.instance] = now;
  if (action.kind === 'terminate') delete emergencies[action.instance];
  const last = observed.history.at(-1);
  const history = last ? [...observed.history.slice(0, -1), { ...last, desired: action.to, action: action.rule }] : observed.history;
  const previous = observed.lastAction;
  const surgedAgain = action.to > action.from && previous !== null && previous.rule === 'take-back' && now - previous.at < config.sizingWindowMinutes * MINUTE;
  return {
    ...observed,
    lastAction: record,
    lastScaleUpAt: action.to > action.from ? now : observed.lastScaleUpAt,
    takeBackOffUntil: surgedAgain ? now + TAKE_BACK_OFF_MS : observed.takeBackOffUntil,
    kills: action.kind === 'terminate' ? [...observed.kills, record] : observed.kills,
    emergencies,
    history,
  };
}
