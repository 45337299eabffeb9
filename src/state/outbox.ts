import { OUTBOX_MAX_AGE_HOURS } from '../config/defaults.js';
import type { OutboxEntry } from './store.js';

/**
 * The alerts still to mail: those waiting from earlier ticks and this tick's, one entry a key (the
 * oldest kept, so its age counts from when it was first due), none older than OUTBOX_MAX_AGE_HOURS.
 */
export function mergeOutbox(pending: readonly OutboxEntry[], due: readonly OutboxEntry[], now: number): OutboxEntry[] {
  const byKey = new Map<string, OutboxEntry>();
  for (const e of [...pending, ...due]) if (!byKey.has(e.key)) byKey.set(e.key, e);
  return [...byKey.values()].filter((e) => now - e.at < OUTBOX_MAX_AGE_HOURS * 3_600_000);
}
