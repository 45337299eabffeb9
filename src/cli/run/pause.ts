import { hostname, userInfo } from 'node:os';
import { initialState } from '../../engine/index.js';
import { emptyStoredState, type Pause, type StateStore, type StoredState } from '../../state/store.js';
import { toTheSecond } from '../../render/time.js';
import type { CliIo } from '../io.js';

/** user@host, for who paused a group. */
export function whoAmI(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry in some containers
  }
  return `${user}@${hostname()}`;
}

/** The version of the `watch --pause/--resume --json` object (docs/json.md). */
export const PAUSE_SCHEMA = 'asg-watchdog/pause@1';

/**
 * `watch --pause` / `--resume`: under the group's lock (never beside a tick), the group's state
 * says paused or not. No AWS call: a paused group must be pausable while AWS misbehaves.
 */
export async function setPause(
  store: StateStore,
  change: { group: string; region: string; now: number; pause: Pause | null; json: boolean },
  io: CliIo,
): Promise<void> {
  const release = await store.lock();
  let was: Pause | null;
  try {
    const { state } = await store.load();
    was = state?.paused ?? null;
    const base: StoredState = state ?? emptyStoredState(change, change.now, initialState());
    // A pause already in place keeps its time and reason; a second --pause only says so.
    const paused = change.pause === null ? null : (was ?? change.pause);
    await store.save({ ...base, savedAt: change.now, paused });
  } finally {
    await release();
  }
  const at = toTheSecond(change.now);
  const now = change.pause === null ? null : (was ?? change.pause);
  if (change.json) {
    const shown = now === null ? null : { since: new Date(now.since).toISOString(), reason: now.reason, by: now.by };
    io.stdout(`${JSON.stringify({ schema: PAUSE_SCHEMA, group: change.group, paused: shown, changed: (was === null) !== (now === null) })}\n`);
    return;
  }
  const why = (p: Pause) => `${toTheSecond(p.since)} by ${p.by}${p.reason ? ` (${p.reason})` : ''}`;
  if (now !== null) {
    const already = was !== null ? 'already ' : '';
    // The reason typed now is not the pause's: say so, rather than drop it unsaid.
    const kept = was !== null && change.pause !== null && change.pause.reason !== null && change.pause.reason !== was.reason ? `; the pause keeps its reason, not "${change.pause.reason}" (--resume, then --pause --reason, to change it)` : '';
    io.stdout(`${at} ${change.group}: ${already}paused since ${why(now)}: ticks look and report, nothing acts and nothing is mailed until: asg-watchdog watch -g ${change.group} --resume${kept}\n`);
  } else {
    io.stdout(`${at} ${change.group}: ${was ? `resumed (paused since ${why(was)})` : 'was not paused'}: ticks act and mail again\n`);
  }
}
