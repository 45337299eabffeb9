import type { Config, State } from './types.js';

// Alert dedup, the one rule for every alert (the engine's and the tick's own): a key mailed within
// alertDedupSeconds is not mailed again. The engine only judges; whoever mails records it.

export function alertDue(state: State, key: string, now: number, config: Config): boolean {
  const sentAt = state.alertsSent[key];
  return sentAt === undefined || now - sentAt >= config.alertDedupSeconds * 1000;
}

/** The state once these alert keys have been mailed at `now`. */
export function recordAlertsSent(state: State, keys: readonly string[], now: number): State {
  if (keys.length === 0) return state;
  const alertsSent = { ...state.alertsSent };
  for (const key of keys) alertsSent[key] = now;
  return { ...state, alertsSent };
}
