// A group behind a target group whose first health checks take 2 minutes, on the local fleet: the
// runaway's emergency +1 is InService and `initial` for 2 minutes before it takes traffic. The real
// binary holds it as joining (no load, no scale-in), measures its launch to when it served, and
// status says so.
import { describe, expect, it } from 'vitest';
import { peersClosedAfterEach, shipped, startLocal } from './local.js';

const peers = peersClosedAfterEach();
/** The third instance the scenario's group launches: the runaway's emergency +1. */
const ADDED = 'i-00000000100000002';

interface Row {
  id: string;
  lifecycle: string;
  lb: string | null;
  why: string | null;
}

describe('a new instance in its target group’s first health checks', () => {
  it('watch holds it as joining; status counts its launch to when it served', async () => {
    const base = shipped('runaway-cpu');
    const local = (peers.local = await startLocal({ ...base, group: { ...base.group, loadBalancer: 'target-group', initialChecksMinutes: 2 } }, { advanceTo: 5 }));
    const seen: string[] = [];
    const lines: string[] = [];
    for (let minute = 5; minute < 25; minute++) {
      const r = await local.watch(['--json']);
      expect(r.code).toBe(0);
      const added = (JSON.parse(r.stdout).instances as Row[]).find((i) => i.id === ADDED);
      if (added) seen.push(`${minute} ${added.lifecycle} ${added.lb} ${added.why ?? 'measured'}`);
      if (minute === 18) lines.push((await local.watch(['--dry-run'])).stdout.split('\n')[0]!);
      local.server.world.advance(1);
    }
    // Ordered at 15 (the emergency +1), InService at 18, passed by its target group at 20: on its
    // way until then (launched to served: 19.5 − 15 = 4.5, 5 minutes in whole minutes). Its idle
    // datapoints of 18 and 19 are no load: it has one once 2 datapoints from 20 on are published,
    // 2 minutes after each minute ends.
    expect(seen).toEqual([
      '16 Pending null not-serving',
      '17 Pending null not-serving',
      '18 InService unknown joining',
      '19 InService unknown joining',
      '20 InService in no-datapoints',
      '21 InService in no-datapoints',
      '22 InService in no-datapoints',
      '23 InService in too-few-datapoints',
      '24 InService in measured',
    ]);
    // A dry run at 18 (nothing saved): the log line counts it joining, not merely unmeasured.
    expect(lines).toEqual([expect.stringMatching(/ web: 3 in service \(min 2, max 6, desired 3, 1 joining\), average /)]);
    const status = await local.cli(['status', '-g', 'web']);
    expect(status.stdout).toContain('\nLaunches:    5 min to serve (the one launch seen): rises are sized 2 min further ahead\n');
  });
});
