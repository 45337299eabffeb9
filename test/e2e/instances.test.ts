// `asg-watchdog instances`: the fleet at a glance, set desired, kill one; every guard.
import { afterEach, describe, expect, it } from 'vitest';
import { lockGroup } from '../../src/state/group-lock.js';
import { fleetScenario, MUTATING, shipped, startLocal, type Local } from './local.js';

let local: Local | null = null;
afterEach(async () => {
  await local?.close();
  local = null;
});
const start = async (advanceTo = 17) => (local = await startLocal(shipped('runaway-cpu'), { advanceTo }));
const mutations = (l: Local) => Object.keys(l.calls()).filter((op) => MUTATING.includes(op));

describe('the table', () => {
  it('lists every instance, the hottest first, under the summary line', async () => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^web: 2 in service \(min 2, max 6, desired 2\), average \d+\.\d %, with one fewer \d+\.\d %$/);
    expect(lines[2]).toMatch(/│ instance\s+│ CPU\s+│ state\s+│ health\s+│ LB\s+│ zone\s+│ type\s+│ private IP\s+│ age\s+│/);
    expect(lines[3]).toMatch(/│ i-00000000100000000 │ 100\.0 % │ InService │ Healthy │ in │ us-east-1a │ c5\.large │ 10\.0\.0\.10\s+│ 1h 17m │/);
    expect(lines[4]).toMatch(/│ i-00000000100000001 │ \d\d\.\d %\s+│ InService/);
    // What it reads: the group, EC2's details, the CPU, the balancer; not the cross-zone setting a tick sizes with.
    expect(Object.keys(l.calls()).sort()).toEqual(['DescribeAutoScalingGroups', 'DescribeInstanceHealth', 'DescribeInstances', 'GetMetricData']);
  });

  it('-a adds private DNS, image and launch time', async () => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web', '-a']);
    expect(r.stdout).toMatch(/│ private DNS\s+│ image\s+│ launched\s+│/);
    expect(r.stdout).toMatch(/ip-10-0-0-10\.ec2\.internal │ ami-0\w+ │ \d{4}-\d\d-\d\dT/);
  });

  it('says why an instance has no CPU', async () => {
    const l = await start();
    await l.cli(['instances', '-g', 'web', '-i', '3']);
    l.server.world.advance(3);
    const r = await l.cli(['instances', '-g', 'web']);
    expect(r.stdout).toMatch(/│ i-00000000100000002 │ — warming up │ InService │/);
  });

  // Without detailed monitoring EC2 publishes every 5 minutes, each datapoint stamped at the
  // start of its 5 on the clock and in only after them: the window holds none, one too few, or
  // one stale, by where the clock's 5 minutes fall.
  const basicMonitoring = '2 in service with no CPU datapoints in the last 5 minutes, too few or stale: CPU every minute needs detailed monitoring (docs/operations.md)';
  it('says what an instance without one-minute CPU needs, in the text and in --json', async () => {
    const runaway = shipped('runaway-cpu');
    const l = (local = await startLocal({ ...runaway, group: { ...runaway.group, monitoring: 'basic' } }, { advanceTo: 17 }));
    const r = await l.cli(['instances', '-g', 'web']);
    const json = await l.cli(['instances', '-g', 'web', '--json']);
    expect({ code: r.code, stderr: r.stderr, rows: r.stdout.match(/│ — (no datapoints|too few datapoints|stale) │/g)?.length, jsonWarnings: JSON.parse(json.stdout).warnings }).toEqual({
      code: 0,
      stderr: `warning: ${basicMonitoring}\n`,
      rows: 2,
      jsonWarnings: [basicMonitoring],
    });
  });

  // A group that launches nothing (local-aws's launch-failure, from minute 30): desired raised by
  // hand, the line says what is not launched and the warning AWS's reason, from its scaling activities.
  it('says what desired has not launched, and AWS’s reason', async () => {
    const failing = fleetScenario(4, { demand: [[0, 2]], group: { name: 'web', min: 1, max: 12, desired: 4, launchMinutes: 3, loadBalancer: 'target-group' }, faults: [{ kind: 'launch-failure', atMinute: 30, minutes: 30 }] });
    const l = (local = await startLocal(failing, { advanceTo: 40 }));
    const before = await l.cli(['instances', '-g', 'web']);
    const askedBefore = l.calls()['DescribeScalingActivities'] ?? 0;
    await l.cli(['instances', '-g', 'web', '-i', '5']);
    l.server.world.advance(3);
    const r = await l.cli(['instances', '-g', 'web']);
    const json = JSON.parse((await l.cli(['instances', '-g', 'web', '--json'])).stdout) as { desired: number; launched: number; warnings: string[] };
    const reason = "web: 1 desired not launched; AWS's last failed launch, 0 min ago: \"We currently do not have sufficient c5.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity.\"";
    expect({
      // All launched: no activity read.
      before: [before.stdout.split('\n')[0], before.stderr, askedBefore],
      after: [r.code, r.stdout.split('\n')[0], r.stderr],
      json: [json.desired, json.launched, json.warnings],
    }).toEqual({
      before: [expect.stringMatching(/^web: 4 in service \(min 1, max 12, desired 4\), average/), '', 0],
      after: [0, expect.stringMatching(/^web: 4 in service \(min 1, max 12, desired 5, 1 not launched\), average/), `warning: ${reason}\n`],
      json: [5, 4, [reason]],
    });
  });

  it('--json gives the same data', async () => {
    const l = await start();
    const out = JSON.parse((await l.cli(['instances', '-g', 'web', '--json'])).stdout);
    expect(out).toMatchObject({ group: 'web', min: 2, max: 6, desired: 2, n: 2, measured: 2, warnings: [] });
    expect(out.instances[0]).toEqual({
      id: 'i-00000000100000000',
      load: 100,
      why: null,
      lifecycle: 'InService',
      health: 'Healthy',
      lb: 'in',
      protected: false,
      zone: 'us-east-1a',
      type: 'c5.large',
      privateIp: '10.0.0.10',
      privateDns: 'ip-10-0-0-10.ec2.internal',
      imageId: expect.stringMatching(/^ami-/),
      launchTime: expect.stringMatching(/Z$/),
      ageSeconds: 77 * 60,
    });
  });
});

describe('-i N sets the desired count (and every refusal of -i and -k)', () => {
  it('prints the change and the new state', async () => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web', '-i', '4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^web: desired 2 → 4\nweb: 2 in service \(min 2, max 6, desired 4\)/);
    expect(r.stdout.match(/Pending/g)).toHaveLength(2);
    expect(l.server.world.groups.get('web')!.desired).toBe(4);
  });

  it('--dry-run only prints', async () => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web', '-i', '3', '--dry-run']);
    expect(r.stdout).toMatch(/^dry run, would set desired 2 → 3\n/);
    expect(mutations(l)).toEqual([]);
  });

  it.each<[string, string[], RegExp]>([
    ['above max', ['-i', '7'], /-i 7: outside the group's bounds \[2, 6\]; nothing done/],
    ['below min', ['-i', '1'], /-i 1: outside the group's bounds \[2, 6\]; nothing done/],
    ['more than 2 away without --force', ['-i', '5'], /-i 5: more than 2 away from the current desired 2; add --force if you mean it; nothing done/],
    ['the same count', ['-i', '2'], /desired is already 2; nothing done/],
    ['not a whole number', ['-i', '2.5'], /--set-desired "2.5": expected a whole number of 0 or more/],
    ['with -k too', ['-i', '3', '-k', 'i-x'], /--set-desired and --kill go one at a time/],
    ['-k of an id not in the group', ['-k', 'i-0123'], /-k i-0123: not an instance of 'web'; nothing done/],
    ['-k --decrement below min', ['-k', 'i-00000000100000000', '--decrement'], /desired 2 is already the minimum 2; drop --decrement to have it replaced; nothing done/],
    ['--decrement without -k', ['--decrement'], /--decrement goes with -k ID/],
  ])('refuses %s: exit 2, nothing done', async (_, args, message) => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(mutations(l)).toEqual([]);
  });

  // On the runaway's fleet at minute 17, its group's minimum lowered: 2 in service, one pinned.
  it.each<{ what: string; min: number; to: string; refused: string | RegExp }>([
    { what: '-i 0: the group would serve nothing', min: 0, to: '0', refused: /^asg-watchdog: -i 0: the group would serve nothing; add --force if you mean it; nothing done\n$/ },
    // 100 % + ~50 % on 1: ~150 %.
    { what: '-i below what the load needs: the watchdog would scale out again', min: 1, to: '1', refused: /^asg-watchdog: -i 1: the load of the 2 in service would run 1 at 1[45]\d\.\d %, above the high mark 85\.0 %, and the watchdog would scale out again; add --force if you mean it; nothing done\n$/ },
  ])('$what: refused, then done with --force', async ({ min, to, refused }) => {
    const runaway = shipped('runaway-cpu');
    const l = (local = await startLocal({ ...runaway, group: { ...runaway.group, min } }, { advanceTo: 17 }));
    const first = await l.cli(['instances', '-g', 'web', '-i', to]);
    const refusedMutations = mutations(l);
    const forced = await l.cli(['instances', '-g', 'web', '-i', to, '--force']);
    expect({ refused: [first.code, first.stderr], refusedMutations, forced: [forced.code, l.server.world.groups.get('web')!.desired] }).toEqual({
      refused: [2, expect.stringMatching(refused)],
      refusedMutations: [],
      forced: [0, Number(to)],
    });
  });

  it('--force allows a bigger step', async () => {
    const l = await start();
    expect((await l.cli(['instances', '-g', 'web', '-i', '5', '--force'])).code).toBe(0);
    expect(l.server.world.groups.get('web')!.desired).toBe(5);
  });
});

describe('-k ID terminates one instance', () => {
  it('the group replaces it', async () => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000000']);
    expect(r.stdout).toMatch(/^web: terminating i-00000000100000000 \(the group replaces it\)\nweb: 1 in service \(min 2, max 6, desired 2\)/);
    expect(r.stdout).toMatch(/i-00000000100000002 │\s+│ Pending/);
  });

  it('with --decrement desired goes down instead', async () => {
    const l = await start();
    await l.cli(['instances', '-g', 'web', '-i', '3']);
    const r = await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000000', '--decrement']);
    expect(r.stdout).toMatch(/^web: terminating i-00000000100000000 \(desired 3 → 2\)/);
    expect(l.server.world.groups.get('web')!.desired).toBe(2);
  });

  it('the only one in service takes --force: nothing would serve until its replacement does', async () => {
    const l = await start();
    await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000000']);
    l.resetCalls();
    const refused = await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000001']);
    const refusedMutations = mutations(l);
    const forced = await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000001', '--force']);
    expect({ refused: [refused.code, refused.stderr], refusedMutations, forced: [forced.code, forced.stdout.split('\n')[0]] }).toEqual({
      refused: [2, 'asg-watchdog: -k i-00000000100000001: the only instance in service; the group would serve nothing until a replacement does; add --force if you mean it; nothing done\n'],
      refusedMutations: [],
      forced: [0, 'web: terminating i-00000000100000001 (the group replaces it)'],
    });
  });

  it('--dry-run only prints', async () => {
    const l = await start();
    const r = await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000001', '--dry-run']);
    expect(r.stdout).toMatch(/^dry run, would terminate i-00000000100000001 \(the group replaces it\)/);
    expect(mutations(l)).toEqual([]);
  });
});

describe('beside a running tick', () => {
  it('-i and -k wait for no tick: while one holds the group, exit 3 and nothing done; the list still shows', async () => {
    const l = await start();
    const release = await lockGroup({ endpoint: l.url, region: 'us-east-1', group: 'web' }, l.lockDir);
    try {
      const set = await l.cli(['instances', '-g', 'web', '-i', '3']);
      const kill = await l.cli(['instances', '-g', 'web', '-k', 'i-00000000100000000']);
      const list = await l.cli(['instances', '-g', 'web']);
      expect({ set: set.code, kill: kill.code, list: list.code, says: set.stderr, mutations: mutations(l), desired: l.server.world.groups.get('web')!.desired }).toEqual({
        set: 3,
        kill: 3,
        list: 0,
        says: expect.stringMatching(/^asg-watchdog: another tick holds the lock for group 'web' in us-east-1/),
        mutations: [],
        desired: 2,
      });
    } finally {
      await release();
    }
  });
});
