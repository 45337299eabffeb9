// Up-and-down: how often a policy turns back on itself soon after acting, the flapping the
// watchdog's windows are meant to stop. docs/simulation.md defines it.

/** How soon a move the other way counts as turning back: the default cooldown. */
export const REVERSAL_MINUTES = 10;

/**
 * The changes of desired that go the other way from the change before them within
 * REVERSAL_MINUTES of it: a scale-out after a scale-in, or a scale-in after a scale-out.
 * Terminations are not moves of desired; actions that leave it as it was are skipped.
 */
export function reversals(actions: ReadonlyArray<{ minute: number; kind: string; from: number; to: number }>): number {
  let count = 0;
  let last: { minute: number; up: boolean } | null = null;
  for (const a of actions) {
    if (a.kind !== 'set-desired' || a.to === a.from) continue;
    const up = a.to > a.from;
    if (last !== null && up !== last.up && a.minute - last.minute <= REVERSAL_MINUTES) count++;
    last = { minute: a.minute, up };
  }
  return count;
}
