// The DynamoDB state store against dynalite (a DynamoDB-compatible server): versions, the lease and
// its expiry, races between runners, and writes that fail leaving the item as it was.
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialState } from '../../src/engine/index.js';
import { LockHeldError, RuntimeFailure } from '../../src/errors.js';
import { STATE_TABLE_ACTIONS } from '../../src/aws/iam.js';
import { DynamoStateStore } from '../../src/state/dynamo-store.js';
import type { HistoryRecord } from '../../src/state/history.js';
import { STORED_STATE_VERSION, type StoredState } from '../../src/state/store.js';
import { startDynamo, type Dynamo } from './dynalite.js';
import { historyRecord } from './records.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 29, 12);
const LEASE = 60_000;

let db: Dynamo;
beforeAll(async () => {
  db = await startDynamo();
});
afterAll(async () => db.close());

let groups = 0;
/** Runners of one fresh group, each with its own clock (ms after T0). */
function runners(count: number) {
  const group = `web-${++groups}`;
  const clocks = Array.from({ length: count }, () => ({ now: T0 }));
  const stores = clocks.map((c, i) => new DynamoStateStore({ client: db.client, table: db.table, identity: { region: 'us-east-1', group }, clock: () => c.now, leaseMs: LEASE, owner: `runner-${i}` }));
  return { group, clocks, stores };
}

const state = (group: string, savedAt: number, launchTimes: Record<string, number> = {}): StoredState => ({
  version: STORED_STATE_VERSION,
  region: 'us-east-1',
  group,
  account: '123456789012',
  savedAt,
  engine: initialState(),
  launchTimes,
  crossZone: null,
  scalingPolicies: null,
  lastRefusal: null,
  awsFailures: null,
  intent: null,
  outbox: [],
  paused: null,
});

const record = (minute: number): HistoryRecord => historyRecord(T0 + minute * MIN);

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: Error) => (e instanceof LockHeldError ? 'held' : e instanceof RuntimeFailure ? `failed: ${e.message}` : `threw ${e.name}`),
  );

describe('DynamoStateStore', () => {
  it('saves and loads a group, its version moving on with each save', async () => {
    const { group, stores: [a, b] } = runners(2);
    const release = await a!.lock();
    expect(await a!.load()).toEqual({ state: null, corruption: null });
    await a!.save(state(group, T0));
    await a!.save(state(group, T0 + MIN));
    await release();
    const item = await db.client.send(new GetItemCommand({ TableName: db.table, Key: { pk: { S: `group#us-east-1#${group}` }, sk: { S: 'state' } } }));
    expect([(await b!.load()).state?.savedAt, item.Item?.['version']?.N, item.Item?.['leaseOwner']]).toEqual([T0 + MIN, '2', undefined]);
  });

  it.each([
    { situation: 'while the first holds it', after: 0, second: 'held' },
    { situation: 'once the first lease has lapsed', after: LEASE + 1, second: 'ok' },
  ])('a second runner taking the lease $situation: $second', async ({ after, second }) => {
    const { clocks, stores: [a, b] } = runners(2);
    await a!.lock();
    clocks[1]!.now = T0 + after;
    expect(await outcome(b!.lock())).toBe(second);
  });

  it('says who holds the group and until when', async () => {
    const { group, stores: [a, b] } = runners(2);
    await a!.lock();
    await expect(b!.lock()).rejects.toThrow(`${group}: another runner holds its lease in dynamodb://asg-watchdog/us-east-1/${group} until 2026-11-29T12:01:00Z (runner-0); this one does nothing`);
  });

  it('a runner whose lease lapsed and was taken writes nothing', async () => {
    const { group, clocks, stores: [a, b] } = runners(2);
    await a!.lock();
    await a!.load();
    clocks[1]!.now = T0 + LEASE + 1;
    await b!.lock();
    await b!.load();
    await b!.save(state(group, T0 + LEASE + 1));
    expect(await outcome(a!.save(state(group, T0 + 5)))).toMatch(/^failed: cannot write the state of web-\d+ to .*: this runner no longer holds the group's lease, or another runner wrote it since it was read; nothing was written$/);
    expect((await b!.load()).state?.savedAt).toBe(T0 + LEASE + 1);
  });

  it('a runner that read before another wrote cannot write over it, even holding the lease again', async () => {
    const { group, stores: [a, b] } = runners(2);
    let release = await a!.lock();
    await a!.load();
    await a!.save(state(group, T0));
    await release();
    release = await b!.lock();
    await b!.load();
    await b!.save(state(group, T0 + MIN));
    await release();
    await a!.lock();
    expect(await outcome(a!.save(state(group, T0 + 2 * MIN)))).toMatch(/^failed: .*another runner wrote it since it was read; nothing was written$/);
    expect((await b!.load()).state?.savedAt).toBe(T0 + MIN);
  });

  it('50 races of two runners for one group: exactly one wins each', async () => {
    const wins: number[] = [];
    for (let race = 0; race < 50; race++) {
      const { group, stores } = runners(2);
      const results = await Promise.all(stores.map(async (s) => (await outcome(s.lock().then(async () => { await s.load(); await s.save(state(group, T0)); }))) === 'ok'));
      wins.push(results.filter(Boolean).length);
    }
    expect(wins).toEqual(Array(50).fill(1));
  });

  it('a state too big for an item: refused with its size, the stored one left whole', async () => {
    const { group, stores: [a] } = runners(1);
    await a!.lock();
    await a!.load();
    await a!.save(state(group, T0));
    // Launch times that do not compress: 30,000 random ids.
    const huge = Object.fromEntries(Array.from({ length: 30_000 }, () => [`i-${Math.random().toString(16).slice(2)}${Math.random().toString(16).slice(2)}`, Math.floor(Math.random() * 1e12)]));
    expect(await outcome(a!.save(state(group, T0 + MIN, huge)))).toMatch(/^failed: cannot write the state of web-\d+ to .*: \d+ KB compressed, over DynamoDB's 400 KB item limit$/);
    expect((await a!.load()).state?.savedAt).toBe(T0);
  });

  it('a corrupt state is moved aside and the group starts fresh', async () => {
    const { group, stores: [a] } = runners(1);
    await db.client.send(new PutItemCommand({ TableName: db.table, Item: { pk: { S: `group#us-east-1#${group}` }, sk: { S: 'state' }, version: { N: '3' }, state: { B: gzipSync('{"version": 1, "group": 7}') } } }));
    await a!.lock();
    const loaded = await a!.load();
    expect([loaded.state, loaded.corruption?.movedTo, loaded.corruption?.reason]).toEqual([null, `dynamodb://asg-watchdog/us-east-1/${group}#corrupt#2026-11-29T12:00:00Z`, expect.stringMatching(/^region: /)]);
    expect((await a!.load()).corruption).toBeNull();
  });

  it('keeps the history, oldest first, from a time on, each record expiring by TTL', async () => {
    const { group, stores: [a] } = runners(1);
    for (const m of [3, 1, 2, 4]) await a!.appendHistory(record(m), 1440);
    const items = await db.client.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :minute1)',
        ExpressionAttributeValues: { ':pk': { S: `group#us-east-1#${group}` }, ':minute1': { S: 'history#001795953660000#runner-0#' } },
      }),
    );
    expect({
      all: (await a!.readHistory()).map((r) => (r.at - T0) / MIN),
      fromMinute2: (await a!.readHistory(T0 + 2 * MIN)).map((r) => (r.at - T0) / MIN),
      ttl: items.Items?.map((item) => Number(item['expiresAt']?.N) - (T0 + MIN) / 1000),
    }).toEqual({ all: [1, 2, 3, 4], fromMinute2: [2, 3, 4], ttl: [1440 * 60] });
  });

  it('two runners that write a record in the same millisecond keep both', async () => {
    // Two hosts in one minute, one after the other, with clocks that agree to the millisecond: the
    // first one's action must not be overwritten by the second one's "nothing to do".
    const { stores: [a, b] } = runners(2);
    await a!.appendHistory({ ...record(1), desired: 3 }, 1440);
    await b!.appendHistory({ ...record(1), desired: 2 }, 1440);
    expect((await a!.readHistory()).map((r) => r.desired).sort()).toEqual([2, 3]);
  });

  it("iam-policy --state-table allows exactly the calls a runner's life makes", async () => {
    const { group, stores: [a] } = runners(1);
    const calls = new Set<string>();
    const send = db.client.send.bind(db.client);
    db.client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
      calls.add(`dynamodb:${command.constructor.name.replace(/Command$/, '')}`);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof db.client.send;
    try {
      const release = await a!.lock();
      await a!.load();
      await a!.save(state(group, T0));
      await a!.appendHistory(record(1), 60);
      await a!.readHistory(T0);
      await release();
    } finally {
      db.client.send = send;
    }
    expect([...calls].sort()).toEqual([...STATE_TABLE_ACTIONS].sort());
  });

  it('a table that does not exist: a message a person can act on', async () => {
    const store = new DynamoStateStore({ client: db.client, table: 'no-such-table', identity: { region: 'us-east-1', group: 'web' }, clock: () => T0, leaseMs: LEASE });
    await expect(store.load()).rejects.toThrow('DynamoDB GetItem on dynamodb://no-such-table/us-east-1/web failed: table no-such-table not found (docs/operations.md, "DynamoDB": create it, or pass the right --state-table)');
  });
});
