// --state-table: the group's state in DynamoDB (dynalite here), so that two hosts can run the same
// cron line: at every minute both look, exactly one acts, the other says another runner holds it.
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../src/state/dynamo-store.js';
import { bin } from '../cli/run.js';
import { startDynamo, type Dynamo } from '../state/dynalite.js';
import { MUTATING, peersClosedAfterEach, shipped, startLocal } from './local.js';

const peers = peersClosedAfterEach();
let db: Dynamo | null = null;
afterEach(async () => {
  await db?.close();
  db = null;
});

describe('watch --state-table', () => {
  it('two hosts ticking the same group every minute: each action done once, the loser says why', async () => {
    db = await startDynamo();
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 13 }));
    const perMinute: Array<{ minute: number; codes: number[]; lost: number }> = [];
    // Minutes 13 to 21: the emergency +1 falls at 15, the kill at 20.
    for (let minute = 13; minute <= 21; minute++) {
      const env = local.env({ AWS_ENDPOINT_URL_DYNAMODB: db.url });
      const host = () => bin(['watch', '-g', 'web', '--state-table', db!.table, '--endpoint-url', local.url], { env });
      const runs = await Promise.all([host(), host()]);
      perMinute.push({ minute, codes: runs.map((r) => r.code).sort(), lost: runs.filter((r) => /another runner holds its lease in dynamodb:\/\/asg-watchdog\/us-east-1\/web until \S+ \(\S+\); this one does nothing\n$/.test(r.stderr)).length });
      local.server.world.advance(1);
    }
    const calls = local.calls();
    expect({
      mutations: Object.fromEntries(MUTATING.map((op) => [op, calls[op] ?? 0])),
      removed: local.server.world.groups.get('web')!.faults[0]!.removedBy,
      // A minute where one host got the lease first and finished before the other asked is 0 and 0.
      everyMinuteOneOrBoth: perMinute.every((m) => (m.codes.join() === '0,3' && m.lost === 1) || (m.codes.join() === '0,0' && m.lost === 0)),
    }).toEqual({ mutations: { SetDesiredCapacity: 1, TerminateInstanceInAutoScalingGroup: 1 }, removed: 'terminate', everyMinuteOneOrBoth: true });

    // status reads the same table: the two actions, done.
    const status = await local.cli(['status', '-g', 'web', '--state-table', db.table, '--json'], { AWS_ENDPOINT_URL_DYNAMODB: db.url });
    expect(JSON.parse(status.stdout).actions.map((a: { kind: string; outcome: string }) => `${a.kind} ${a.outcome}`)).toEqual(['set-desired done', 'terminate done']);
  }, 60_000);

  it("instances -k with --state-table waits for no one: while a host's tick holds the lease, exit 3, nothing killed", async () => {
    db = await startDynamo();
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const tick = new DynamoStateStore({ client: db.client, table: db.table, identity: { region: 'us-east-1', group: 'web' }, clock: () => local.server.world.virtualNow(), leaseMs: 60_000, owner: 'host-b' });
    const release = await tick.lock();
    const env = { AWS_ENDPOINT_URL_DYNAMODB: db.url };
    const held = await local.cli(['instances', '-g', 'web', '-k', 'i-00000000100000000', '--state-table', db.table], env);
    await release();
    const free = await local.cli(['instances', '-g', 'web', '-k', 'i-00000000100000000', '--state-table', db.table], env);
    expect([held.code, held.stderr, free.code, local.calls()['TerminateInstanceInAutoScalingGroup']]).toEqual([
      3,
      expect.stringMatching(/another runner holds its lease in dynamodb:\/\/asg-watchdog\/us-east-1\/web until \S+ \(host-b\); this one does nothing\n$/),
      0,
      1,
    ]);
  });

  it.each([
    { flags: ['--state-table', 'x'], error: "--state-table x: a DynamoDB table name is 3 to 255 letters, digits, '_', '-' and '.'" },
    { flags: ['--state-table', 'asg-watchdog', '--state-dir', '/tmp'], error: '--state-dir and --state-table: state is in files or in a table, not both' },
  ])('refuses $flags: exit 2, nothing called', async ({ flags, error }) => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const r = await local.watch(flags);
    expect([r.code, r.stdout, r.stderr, local.calls()]).toEqual([2, '', `asg-watchdog: ${error}\n`, {}]);
  });

  it('a table that is not there: exit 1 with what to do, nothing acted', async () => {
    db = await startDynamo();
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const r = await local.watch(['--state-table', 'not-created'], { AWS_ENDPOINT_URL_DYNAMODB: db.url });
    expect([r.code, r.stderr, Object.keys(local.calls()).filter((op) => MUTATING.includes(op))]).toEqual([
      1,
      'asg-watchdog: DynamoDB UpdateItem on dynamodb://not-created/us-east-1/web failed: table not-created not found (docs/operations.md, "DynamoDB": create it, or pass the right --state-table)\n',
      [],
    ]);
  });
});
