import { z } from 'zod';
import type { State } from '../engine/index.js';

export const STORED_STATE_VERSION = 1;

/** What one group's watchdog remembers between ticks: the engine's state plus the collector's cache. */
export interface StoredState {
  version: typeof STORED_STATE_VERSION;
  region: string;
  group: string;
  savedAt: number;
  engine: State;
  /** Instance id → launch time (epoch ms): launch times never change, so each is read once. */
  launchTimes: Record<string, number>;
  /** The last action AWS refused, kept for the report and the next tick's mail. */
  lastRefusal: { at: number; action: string; message: string } | null;
  /** Ticks in a row that could not read the group from AWS; at 3 an alert goes. */
  awsFailures: { count: number; since: number; last: string } | null;
}

/** Why a stored state could not be used: it is moved aside and the tick starts fresh. */
export interface Corruption {
  movedTo: string;
  reason: string;
}

export interface Loaded {
  state: StoredState | null;
  corruption: Corruption | null;
}

/** Where state lives: one file per group (cron), one DynamoDB item per group (Lambda, later). */
export interface StateStore {
  readonly location: string;
  /** The stored state; a corrupt one is moved aside (left in place with readOnly) and null returned. */
  load(options?: { readOnly?: boolean }): Promise<Loaded>;
  save(state: StoredState): Promise<void>;
  /** Holds the group for one tick; throws LockHeldError when another tick has it. */
  lock(): Promise<() => Promise<void>>;
}

const record = z.object({ at: z.number(), kind: z.enum(['set-desired', 'terminate']), rule: z.string(), from: z.number(), to: z.number(), instance: z.string().optional() });

/** Enough of a check that a hand-edited or truncated file is caught, not trusted. */
export const storedStateSchema = z.object({
  version: z.literal(STORED_STATE_VERSION),
  region: z.string(),
  group: z.string(),
  savedAt: z.number(),
  engine: z.object({
    version: z.literal(1),
    lastTickAt: z.number().nullable(),
    conditions: z.record(z.string(), z.number()),
    lastAction: record.nullable(),
    lastScaleUpAt: z.number().nullable(),
    kills: z.array(record),
    emergencies: z.record(z.string(), z.number()),
    alertsSent: z.record(z.string(), z.number()),
    avgEma: z.number().nullable(),
    history: z.array(z.object({ at: z.number(), n: z.number(), desired: z.number(), avg: z.number().nullable(), action: z.string().optional() })),
  }),
  launchTimes: z.record(z.string(), z.number()),
  lastRefusal: z.object({ at: z.number(), action: z.string(), message: z.string() }).nullable(),
  awsFailures: z.object({ count: z.number(), since: z.number(), last: z.string() }).nullable().default(null),
});
