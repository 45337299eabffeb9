import { z } from 'zod';
import type { Intent, ScalingPolicyView, State } from '../engine/index.js';
import type { HistoryRecord } from './history.js';

export const STORED_STATE_VERSION = 1;

/** An alert not mailed yet: it goes with the next tick that can mail, until sent or a day old. */
export interface OutboxEntry {
  key: string;
  subject: string;
  /** When it was first due. */
  at: number;
}

/** What one group's watchdog remembers between ticks: the engine's state plus the collector's cache. */
export interface StoredState {
  version: typeof STORED_STATE_VERSION;
  region: string;
  group: string;
  /** The account of the group, from its ARN; null in files written before it was kept. */
  account: string | null;
  savedAt: number;
  engine: State;
  /** Instance id → launch time (epoch ms): launch times never change, so each is read once. */
  launchTimes: Record<string, number>;
  /** Whether the group's balancers balance across zones, and when that was read: read again once an hour. */
  crossZone: { value: boolean | null; at: number } | null;
  /** The group's own scaling policies that move desired, and when they were read: read again every 10 minutes. */
  scalingPolicies: { value: ScalingPolicyView[]; at: number } | null;
  /** The last action AWS refused, kept for the report and the next tick's mail. */
  lastRefusal: { at: number; action: string; message: string } | null;
  /** Ticks in a row that could not read the group from AWS; at 3 an alert goes. */
  awsFailures: { count: number; since: number; last: string } | null;
  /** Written before a mutating AWS call, cleared with its outcome: left behind only by a tick that died. */
  intent: Intent | null;
  outbox: OutboxEntry[];
  /** Paused by `watch --pause`: ticks look and report, nothing acts or mails, until `watch --resume`. */
  paused: Pause | null;
}

/** Why the watchdog does nothing to a group: set by `watch --pause`, or by the config file's "paused". */
export interface Pause {
  since: number;
  reason: string | null;
  /** user@host of the `--pause`, or the config file's path. */
  by: string;
}

/** The state of a group no tick has saved yet, around the engine's first state (`initialState()`). */
export function emptyStoredState(group: { region: string; group: string }, now: number, engine: State): StoredState {
  return {
    version: STORED_STATE_VERSION,
    region: group.region,
    group: group.group,
    account: null,
    savedAt: now,
    engine,
    launchTimes: {},
    crossZone: null,
    scalingPolicies: null,
    lastRefusal: null,
    awsFailures: null,
    intent: null,
    outbox: [],
    paused: null,
  };
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
  /** Durable when it returns (the intent depends on it); throws RuntimeFailure when it cannot be. */
  save(state: StoredState): Promise<void>;
  /** Holds the group for one tick, whatever state it uses; throws LockHeldError when another tick has it. */
  lock(): Promise<() => Promise<void>>;
  /** Under the lock: this store watches the group of this account; throws LockHeldError when another store does. */
  claim(account: string): Promise<void>;
  /** Appends one tick to the group's history, keeping `keepMinutes` of it; throws RuntimeFailure. */
  appendHistory(record: HistoryRecord, keepMinutes: number): Promise<void>;
  /** The group's ticks from `since` on, oldest first. */
  readHistory(since?: number): Promise<HistoryRecord[]>;
}

const record = z.object({ at: z.number(), kind: z.enum(['set-desired', 'terminate']), rule: z.string(), from: z.number(), to: z.number(), instance: z.string().optional() });

const engineStateSchema = z.object({
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
  // Added with the sizing windows: a file written before starts them empty.
  fleetLoad: z.array(z.object({ at: z.number(), load: z.number(), capped: z.literal(true).optional(), size: z.string().optional() })).default([]),
  // Added with the take-back: a file written before has it on.
  takeBackOffUntil: z.number().nullable().default(null),
  // Added with the measured launch: a file written before has seen none.
  launching: z.array(z.string()).default([]),
  launches: z.array(z.number()).default([]),
});

const actionSchema = z.object({
  kind: z.enum(['set-desired', 'terminate']),
  from: z.number(),
  to: z.number(),
  rule: z.string(),
  reason: z.string(),
  instance: z.string().optional(),
  decrement: z.boolean().optional(),
});

/** Enough of a check that a hand-edited or truncated file is caught, not trusted. */
export const storedStateSchema = z.object({
  version: z.literal(STORED_STATE_VERSION),
  region: z.string(),
  group: z.string(),
  account: z.string().nullable().default(null),
  savedAt: z.number(),
  engine: engineStateSchema,
  launchTimes: z.record(z.string(), z.number()),
  crossZone: z.object({ value: z.boolean().nullable(), at: z.number() }).nullable().default(null),
  scalingPolicies: z
    .object({ value: z.array(z.object({ name: z.string(), type: z.enum(['TargetTrackingScaling', 'StepScaling', 'SimpleScaling']) })), at: z.number() })
    .nullable()
    .default(null),
  lastRefusal: z.object({ at: z.number(), action: z.string(), message: z.string() }).nullable(),
  awsFailures: z.object({ count: z.number(), since: z.number(), last: z.string() }).nullable().default(null),
  // Added after the first release: files written before have neither, and load as "nothing pending".
  intent: z
    .object({ at: z.number(), action: actionSchema, ifDone: engineStateSchema, alerts: z.array(z.object({ key: z.string(), subject: z.string() })) })
    .nullable()
    .default(null),
  outbox: z.array(z.object({ key: z.string(), subject: z.string(), at: z.number() })).default([]),
  paused: z.object({ since: z.number(), reason: z.string().nullable(), by: z.string() }).nullable().default(null),
});
