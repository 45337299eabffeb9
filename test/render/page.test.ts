// status's page (src/render/page.ts) says what the text says: the conditions held, in heldLine's
// words, and the alerts of the window, folded as the text folds them.
import { describe, expect, it } from 'vitest';
import { initialState, type HeldCondition } from '../../src/engine/index.js';
import { emptyStoredState } from '../../src/state/store.js';
import { statusPage } from '../../src/render/page.js';
import { statusView } from '../../src/status.js';
import { historyRecord } from '../state/records.js';

const NOW = Date.parse('2026-12-06T08:00:00Z');
const page = (held: HeldCondition[], alerts: Array<[string, string]>[]) => {
  const history = alerts.map((raised, i) => historyRecord(NOW - (alerts.length - 1 - i) * 60_000, { held, alerts: raised.map(([, s]) => s), alertKeys: raised.map(([k]) => k) }));
  return statusPage({ view: statusView({ group: 'web', region: 'us-east-1', stateFile: 'f', now: NOW, since: NOW - 3_600_000, state: null, history }), history }, {});
};

describe("status's page", () => {
  it.each([
    // A condition of the fleet has no instance: its rule once ("blind blind" before).
    { what: 'blind, of the fleet', held: { rule: 'blind', instance: null, heldMinutes: 1, ofMinutes: 3, then: 'alert', inMinutes: 2 } as const, expected: '<dt>holding</dt><dd>blind, held 1 of 3 min: alert in 2 min</dd>' },
    { what: 'a runaway, due now', held: { rule: 'runaway', instance: 'i-0', heldMinutes: 5, ofMinutes: 5, then: 'terminate', inMinutes: 0 } as const, expected: '<dt>holding</dt><dd>i-0 runaway, held 5 of 5 min: terminate now</dd>' },
  ])('holding: $what', ({ held, expected }) => expect(page([held], [[]])).toContain(expected));

  it.each([
    { what: 'none', alerts: [[], []], expected: '<h2>Alerts</h2><p class="muted">No alert in this window.</p>' },
    // Raised at both ticks: one line, in the newer words.
    {
      what: 'one alert at two ticks',
      alerts: [[['clock', 'web: clock 1 min behind']], [['clock', 'web: clock 2 min behind']]] as Array<[string, string]>[],
      expected: '<h2>Alerts</h2><ul id="alerts"><li>2026-12-06T07:59:00Z  web: clock 2 min behind (at each of 2 ticks to 2026-12-06T08:00:00Z)</li></ul>',
    },
  ])('alerts: $what', ({ alerts, expected }) => expect(page([], alerts as Array<[string, string]>[])).toContain(expected));

  // Where the text's State line says something is wrong, the page says it too; a state that reads, nothing.
  it.each([
    { what: 'a state that reads', state: emptyStoredState({ region: 'us-east-1', group: 'web' }, NOW, initialState()), corruption: null, expected: null },
    { what: 'none saved there', state: null, corruption: null, expected: "<dt>state</dt><dd>/s/us-east-1--web.json: nothing saved there (no tick of web with this state directory; cron's user may keep its own: docs/status.md)</dd>" },
    { what: 'paused: to the second, as the text says it', state: { ...emptyStoredState({ region: 'us-east-1', group: 'web' }, NOW, initialState()), paused: { since: NOW - 90_500, reason: 'AMI upgrade', by: 'ops@bastion' } }, corruption: null, expected: null, paused: '<dt>PAUSED</dt><dd>since 2026-12-06T07:58:29Z by ops@bastion (AMI upgrade)</dd>' },
    { what: 'one that does not parse', state: null, corruption: 'not JSON: Unexpected end', expected: '<dt>state</dt><dd>/s/us-east-1--web.json: does not parse (not JSON: Unexpected end); the next tick moves it aside, alerts and starts afresh</dd>' },
  ])('state: $what', ({ state, corruption, expected, paused }) => {
    const html = statusPage({ view: statusView({ group: 'web', region: 'us-east-1', stateFile: '/s/us-east-1--web.json', now: NOW, since: NOW - 3_600_000, state, history: [], corruption }), history: [] }, {});
    expect([/<dt>state<\/dt><dd>[^<]*<\/dd>/.exec(html)?.[0] ?? null, /<dt>PAUSED<\/dt><dd>[^<]*<\/dd>/.exec(html)?.[0] ?? null]).toEqual([expected, paused ?? null]);
  });
});
