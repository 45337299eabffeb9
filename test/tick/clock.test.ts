// A host clock off AWS's: the tick reads CloudWatch's minutes and the instances' ages by it, so
// it would place them wrongly. AWS's answers carry its clock (their Date header; local-aws sends
// its virtual time); beyond maxClockOffsetSeconds (60) the tick removes nothing and says why at
// once, and still adds what the fleet needs. The tick in-process, its clock off the endpoint's.
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario, shipped } from '../e2e/local.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const SECOND = 1000;
// A Date header tells the second its answer was made; the reading takes the middle of it (+0.5 s).
// local-aws's clock stands still on the second here, so the offsets below are half a second short
// of the figures they read as.
const HALF = 500;

/** Ticks a minute apart from the endpoint's minute `from` to `to`: the actions carried out, the blocks met and the alerts due, each once. */
async function story(from: number, to: number) {
  const actions: string[] = [];
  const blocked = new Set<string>();
  const alerts = new Set<string>();
  for (let minute = from; minute <= to; minute++) {
    const { report } = await h!.tick();
    const a = report!.action;
    if (a && report!.executed) actions.push(a.kind === 'terminate' ? `terminate (${a.rule})` : `${a.from} → ${a.to} (${a.rule})`);
    for (const b of report!.blocked) if (b.why === 'clock') blocked.add(`${b.rule}: ${b.detail}`);
    for (const k of report!.alerts) if (k.key === 'clock') alerts.add(k.subject);
    h!.server.world.advance(1);
  }
  return { actions, blocked: [...blocked], alerts: [...alerts] };
}

describe('a host clock off AWS’s', () => {
  // runaway-cpu: one of two instances pins its CPU at minute 10; on time, the +1 at minute 15 and the kill 5 minutes later.
  it.each([
    { what: 'on time', hostAheadMs: 0, actions: ['2 → 3 (runaway)', 'terminate (runaway)'], blocked: [], alerts: [] },
    { what: '30 s behind: within the minute allowed', hostAheadMs: -30 * SECOND, actions: ['2 → 3 (runaway)', 'terminate (runaway)'], blocked: [], alerts: [] },
    {
      what: '2 min 30 s behind: the +1, no kill',
      hostAheadMs: -150 * SECOND + HALF,
      actions: ['2 → 3 (runaway)'],
      // The N−1 rule keeps the +1 while the runaway is pinned (`emergency`): only the kill meets the clock.
      blocked: ["runaway: the host's clock is 2 min 30 s behind AWS's; not terminating i-00000000100000000"],
      alerts: ["web: the host's clock is 2 min 30 s behind AWS's (by AWS's answers): CloudWatch's minutes cannot be placed; no scale-in and no kill until it is set right (chrony, ntpd or systemd-timesyncd)"],
    },
    {
      what: '2 min 30 s ahead: the +1, no kill',
      hostAheadMs: 150 * SECOND + HALF,
      actions: ['2 → 3 (runaway)'],
      blocked: ["runaway: the host's clock is 2 min 30 s ahead of AWS's; not terminating i-00000000100000000"],
      alerts: ["web: the host's clock is 2 min 30 s ahead of AWS's (by AWS's answers): CloudWatch's minutes cannot be placed; no scale-in and no kill until it is set right (chrony, ntpd or systemd-timesyncd)"],
    },
  ])('a runaway, the host $what', async ({ hostAheadMs, actions, blocked, alerts }) => {
    h = await inProcess(shipped('runaway-cpu'), { advanceTo: 15 }, { hostAheadMs });
    // To minute 40: the N−1 rule's 20 minutes of fleet load are known by then, however the clock reads them.
    expect(await story(15, 40)).toEqual({ actions, blocked, alerts });
  });

  // The offset is in the report (`watch --json`) and the metrics file, to graph and alert on before it matters.
  it.each([
    { what: 'on time', hostAheadMs: 0, offset: 0.5 },
    { what: '2 min 30 s behind', hostAheadMs: -150 * SECOND + HALF, offset: 150 },
    { what: '40 s ahead', hostAheadMs: 40 * SECOND + HALF, offset: -40 },
  ])('the report says how far off: $what', async ({ hostAheadMs, offset }) => {
    h = await inProcess(shipped('runaway-cpu'), { advanceTo: 15 }, { hostAheadMs });
    const { report } = await h.tick({ dryRun: true });
    expect(report!.clockOffsetSeconds).toBe(offset);
  });

  // Six instances at 45 % (2.7 units): on time the N−1 rule takes the fleet down to four (67.5 %).
  it.each([
    { what: 'on time', hostAheadMs: 0, actions: ['6 → 4 (n-minus-1)'], blocked: [] },
    { what: '3 min behind', hostAheadMs: -180 * SECOND + HALF, actions: [], blocked: ["n-minus-1: the host's clock is 3 min behind AWS's; not scaling in to 4"] },
  ])('a surplus, the host $what', async ({ hostAheadMs, actions, blocked }) => {
    h = await inProcess(fleetScenario(6, { demand: [[0, 2.7]] }), { advanceTo: 40 }, { hostAheadMs });
    const { actions: done, blocked: held } = await story(40, 55);
    expect({ actions: done, blocked: held }).toEqual({ actions, blocked });
  });
});
