// State in DynamoDB, for runners on more than one host (two cron hosts, AWS Lambda): one item per
// group holding its state (gzip'd JSON), a version and a lease; its history as items of the same
// partition that expire by TTL. Every write is conditional: the state only by the runner holding
// the lease and only over the version it read, so two runners can never act on one group at once
// and a write that fails leaves the item as it was (DynamoDB applies an update whole or not at all).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LEASE_MARGIN_MS } from '../config/defaults.js';
import { LockHeldError, RuntimeFailure } from '../errors.js';
import type { GroupIdentity } from './names.js';
import { parseHistory, type HistoryRecord } from './history.js';
import { storedStateSchema, type Loaded, type StateStore, type StoredState } from './store.js';
import { toTheSecond } from '../render/time.js';

export interface DynamoStateStoreOptions {
  client: DynamoDBClient;
  table: string;
  /** `account`: the account of the role the group is reached through, when a config names one. */
  identity: { region: string; group: string; account?: string | undefined };
  clock: () => number;
  /** How long a lease holds the group: longer than a tick's budget, so it never lapses under a live tick. */
  leaseMs: number;
  /** Who holds the lease, in messages: the Lambda request, or user@host:pid. */
  owner?: string;
}

/** DynamoDB refuses items over 400 KB: the state is compressed, and one too big is said, not half-written. */
export const MAX_ITEM_BYTES = 400 * 1024;

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const HISTORY = 'history#';
/**
 * History sort keys: the time in ms, zero-padded so that text order is time order, then the runner
 * that wrote it: two runners' records of the same millisecond (two hosts, one after the other in a
 * minute) are two items, where one key for both let the second overwrite the first.
 */
const historyTime = (at: number) => `${HISTORY}${String(Math.max(0, Math.floor(at))).padStart(15, '0')}`;
const historyKey = (at: number, runner: string) => `${historyTime(at)}#${runner}`;

/** The stores of one run's groups in one table, each lease outliving the run's budget by LEASE_MARGIN_MS. */
export function dynamoStores(run: { client: DynamoDBClient; table: string; clock: () => number; budgetMs: number; owner?: string }): (identity: GroupIdentity) => DynamoStateStore {
  return (identity) =>
    new DynamoStateStore({
      client: run.client,
      table: run.table,
      identity: { region: identity.region, group: identity.group, account: identity.account },
      clock: run.clock,
      leaseMs: run.budgetMs + LEASE_MARGIN_MS,
      ...(run.owner !== undefined && { owner: run.owner }),
    });
}

export class DynamoStateStore implements StateStore {
  readonly location: string;
  private readonly pk: string;
  private readonly me: string;
  /** The version this runner read, which its next save must find; null before a load (or for a new group). */
  private version: number | null = null;

  constructor(private readonly options: DynamoStateStoreOptions) {
    const { region, group, account } = options.identity;
    this.pk = `group#${account ? `${account}#` : ''}${region}#${group}`;
    this.location = `dynamodb://${options.table}/${account ? `${account}/` : ''}${region}/${group}`;
    this.me = `${options.owner ?? `${hostname()}:${process.pid}`}#${randomUUID().slice(0, 8)}`;
  }

  async load(options: { readOnly?: boolean } = {}): Promise<Loaded> {
    const out = await this.call('GetItem', () => this.options.client.send(new GetItemCommand({ TableName: this.options.table, Key: this.key('state'), ConsistentRead: true })));
    const item = out.Item;
    this.version = item?.['version']?.N !== undefined ? Number(item['version'].N) : null;
    const blob = item?.['state']?.B;
    if (!blob) return { state: null, corruption: null };
    let reason: string;
    try {
      const parsed = storedStateSchema.safeParse(JSON.parse(gunzipSync(blob).toString('utf8')));
      if (parsed.success) return { state: parsed.data as StoredState, corruption: null };
      const issue = parsed.error.issues[0];
      reason = `${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`;
    } catch (error) {
      reason = `not gzip'd JSON: ${(error as Error).message}`;
    }
    if (options.readOnly) return { state: null, corruption: { movedTo: this.location, reason } };
    // Moved aside as a file store does: kept under its own key, the group starts fresh.
    const aside = `corrupt#${toTheSecond(this.options.clock())}`;
    await this.call('PutItem', () => this.options.client.send(new PutItemCommand({ TableName: this.options.table, Item: { ...this.key(aside), state: { B: blob }, reason: S(reason) } })));
    await this.update('REMOVE #state', {}, 'the corrupt state');
    return { state: null, corruption: { movedTo: `${this.location}#${aside}`, reason } };
  }

  async save(state: StoredState): Promise<void> {
    const blob = gzipSync(JSON.stringify(state));
    if (blob.length > MAX_ITEM_BYTES - 4096) {
      throw new RuntimeFailure(`cannot write the state of ${this.options.identity.group} to ${this.location}: ${Math.ceil(blob.length / 1024)} KB compressed, over DynamoDB's 400 KB item limit`);
    }
    await this.update('SET #state = :state, savedAt = :at', { ':state': { B: blob }, ':at': N(state.savedAt) }, 'the state');
  }

  /**
   * The lease: a conditional update that succeeds only when no other runner holds an unexpired one.
   * The loser gets LockHeldError (exit 3) and acts on nothing; the release clears only our own lease.
   */
  async lock(): Promise<() => Promise<void>> {
    // Twice at most: a lease released between our try and our look is taken at the second try.
    for (let attempt = 1; ; attempt++) {
      const now = this.options.clock();
      if (await this.takeLease(now)) break;
      const held = await this.call('GetItem', () => this.options.client.send(new GetItemCommand({ TableName: this.options.table, Key: this.key('state'), ConsistentRead: true })));
      const owner = held.Item?.['leaseOwner']?.S;
      const heldUntil = Number(held.Item?.['leaseUntil']?.N ?? 0);
      if ((owner !== undefined && heldUntil >= now) || attempt >= 2) {
        throw new LockHeldError(`${this.options.identity.group}: another runner holds its lease in ${this.location} until ${toTheSecond(heldUntil)} (${(owner ?? 'another runner').split('#')[0]}); this one does nothing`);
      }
    }
    return async () => {
      try {
        await this.options.client.send(
          new UpdateItemCommand({
            TableName: this.options.table,
            Key: this.key('state'),
            UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
            ConditionExpression: 'leaseOwner = :me',
            ExpressionAttributeValues: { ':me': S(this.me) },
          }),
        );
      } catch {
        // Gone already (it lapsed and another took it), or DynamoDB did not answer: it lapses by itself.
      }
    };
  }

  /** The conditional update of the lease: true when it is ours now. */
  private async takeLease(now: number): Promise<boolean> {
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: this.key('state'),
          UpdateExpression: 'SET leaseOwner = :me, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :me',
          ExpressionAttributeValues: { ':me': S(this.me), ':until': N(now + this.options.leaseMs), ':now': N(now) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw this.failure('UpdateItem', error);
    }
  }

  /** One item per group and region is the one owner: nothing more to claim. */
  async claim(): Promise<void> {}

  async appendHistory(record: HistoryRecord, keepMinutes: number): Promise<void> {
    // TTL is in epoch seconds; DynamoDB deletes within a day or two of it, and readers filter by time anyway.
    const expiresAt = Math.ceil((record.at + keepMinutes * 60_000) / 1000);
    await this.call('PutItem', () =>
      this.options.client.send(new PutItemCommand({ TableName: this.options.table, Item: { ...this.key(historyKey(record.at, this.me)), record: S(JSON.stringify(record)), expiresAt: N(expiresAt) } })),
    );
  }

  async readHistory(since = 0): Promise<HistoryRecord[]> {
    const lines: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.call('Query', () =>
        this.options.client.send(
          new QueryCommand({
            TableName: this.options.table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': S(this.pk), ':from': S(historyTime(since)), ':to': S(`${HISTORY}~`) },
            ...(start && { ExclusiveStartKey: start }),
          }),
        ),
      );
      for (const item of page.Items ?? []) if (item['record']?.S) lines.push(item['record'].S);
      start = page.LastEvaluatedKey;
    } while (start);
    return parseHistory(lines.join('\n'));
  }

  private key(sk: string): Record<string, AttributeValue> {
    return { pk: S(this.pk), sk: S(sk) };
  }

  /** A write of the state item: only under our lease, only over the version we read; the version moves on. */
  private async update(expression: string, values: Record<string, AttributeValue>, what: string): Promise<void> {
    const expected = this.version;
    const [set, remove] = expression.startsWith('REMOVE') ? ['', expression] : [expression, ''];
    try {
      await this.options.client.send(
        new UpdateItemCommand({
          TableName: this.options.table,
          Key: this.key('state'),
          UpdateExpression: `${set ? `${set}, ` : 'SET '}#version = :next ${remove}`.trim(),
          ConditionExpression: `leaseOwner = :me AND ${expected === null ? 'attribute_not_exists(#version)' : '#version = :expected'}`,
          ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
          ExpressionAttributeValues: { ...values, ':me': S(this.me), ':next': N((expected ?? 0) + 1), ...(expected !== null && { ':expected': N(expected) }) },
        }),
      );
      this.version = (expected ?? 0) + 1;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new RuntimeFailure(`cannot write ${what} of ${this.options.identity.group} to ${this.location}: this runner no longer holds the group's lease, or another runner wrote it since it was read; nothing was written`);
      }
      throw this.failure('UpdateItem', error);
    }
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, error: unknown): RuntimeFailure {
    const e = error as { name?: string; message?: string; code?: string };
    const what = e.name === 'ResourceNotFoundException' ? `table ${this.options.table} not found (docs/operations.md, "DynamoDB": create it, or pass the right --state-table)` : `${e.name ?? e.code ?? 'Error'}: ${e.message ?? String(error)}`;
    return new RuntimeFailure(`DynamoDB ${operation} on ${this.location} failed: ${what}`, { cause: error });
  }
}
