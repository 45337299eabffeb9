// A group whose instances publish CPU every 5 minutes (basic monitoring, a launch template's
// default): the tick in-process against local-aws, which publishes that way for a scenario's
// `group.monitoring: "basic"`. Every instance has one datapoint in the window or none: unmeasured,
// blind, nothing scaled or killed, and the alert says what gives a datapoint a minute
// (docs/operations.md, "One-minute CPU").
import { afterEach, describe, expect, it } from 'vitest';
import { fleetScenario } from '../e2e/local.js';
import { inProcess, type InProcess } from './harness.js';

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

// Six instances at 45 % (2.7 units): measured, the N−1 rule would take the fleet down to four.
const surplus = (monitoring: 'basic' | 'detailed') =>
  fleetScenario(6, { demand: [[0, 2.7]], group: { name: 'web', min: 1, max: 12, desired: 6, launchMinutes: 3, loadBalancer: 'target-group', monitoring } });

/** What an instance without detailed monitoring shows in the window, by turns. */
const LACKING = '(no datapoints|too few datapoints|stale)';

describe('one-minute CPU', () => {
  it.each([
    { what: 'detailed monitoring: measured, the surplus goes', monitoring: 'detailed' as const, measured: 6, action: '6 → 4 (n-minus-1)', blind: [] as unknown[], alerts: [] as unknown[] },
    {
      what: 'basic monitoring: blind, nothing done, and said why',
      monitoring: 'basic' as const,
      measured: 0,
      action: null,
      // The window, the 5 minutes to 2 minutes ago, holds no datapoint, or one stamped at the
      // start of its 5 on the clock (stale, or too few), by where the clock's 5 minutes fall: each
      // tick says which, and what is missing (the first six, to the alert).
      blind: [0, 1, 2, 3, 4, 5].map((minutes) => expect.stringMatching(new RegExp(`^0 of 6 instances measured for ${minutes} min \\(6 ${LACKING}: CPU every minute needs detailed monitoring\\)$`))),
      alerts: [expect.stringMatching(new RegExp(`^web: blind, 0 of 6 instances measured for 5 min \\(6 ${LACKING}: CPU every minute needs detailed monitoring\\); no scaling and no kills$`))],
    },
  ])('$what', async ({ monitoring, measured, action, blind, alerts }) => {
    h = await inProcess(surplus(monitoring), { advanceTo: 40 });
    // 16 minutes: a scale-in waits for 20 of fleet load, 5 at the first tick and one a tick.
    const reports = [];
    for (let minute = 40; minute <= 55; minute++) {
      reports.push((await h.tick()).report!);
      h.server.world.advance(1);
    }
    const acted = reports.flatMap((r) => (r.action === null ? [] : [`${r.action.from} → ${r.action.to} (${r.action.rule})`]));
    expect({
      measured: reports[0]!.figures.measured,
      acted,
      blind: reports.slice(0, 6).flatMap((r) => r.blocked.filter((b) => b.rule === 'blind').map((b) => b.detail)),
      alerts: reports.slice(0, 6).flatMap((r) => r.alerts.map((a) => a.subject)),
    }).toEqual({ measured, acted: action === null ? [] : [action], blind, alerts });
  });
});
