import type { Config, State } from './types.js';

/**
 * Carries each condition's `since` from the previous tick to this one. A condition holds for X
 * minutes only when it was true at every tick since `since`: one tick where it is false drops
 * it, and a gap between ticks longer than maxTickGapSeconds (or a clock that went back) starts
 * every condition afresh, because nobody looked in between. A key new at this tick that
 * `continues` another held at the last one takes its `since` (signals.ts, continuedKeys).
 */
export function carryConditions(
  previous: State,
  trueNow: Iterable<string>,
  now: number,
  config: Config,
  continues: Readonly<Record<string, string>> = {},
): Record<string, number> {
  const last = previous.lastTickAt;
  const continuous = last !== null && now >= last && now - last <= config.maxTickGapSeconds * 1000;
  const next: Record<string, number> = {};
  for (const key of trueNow) {
    const earlier = continues[key];
    const since = continuous ? (previous.conditions[key] ?? (earlier === undefined ? undefined : previous.conditions[earlier])) : undefined;
    next[key] = since ?? now;
  }
  return next;
}

/** How long a condition has held at `now`, in milliseconds; -1 when it does not hold. */
export function heldFor(conditions: Record<string, number>, key: string, now: number): number {
  const since = conditions[key];
  return since === undefined ? -1 : now - since;
}

export function heldMinutes(conditions: Record<string, number>, key: string, now: number, minutes: number): boolean {
  const held = heldFor(conditions, key, now);
  return held >= 0 && held >= minutes * 60_000;
}
