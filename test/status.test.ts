// `status`: how far back `--since` reaches, read strictly (a typo is exit 2, not "everything"),
// and what it says of the group's launches.
import { describe, expect, it } from 'vitest';
import { initialState } from '../src/engine/index.js';
import { emptyStoredState, type StoredState } from '../src/state/store.js';
import { parseSince, statusView } from '../src/status.js';
import { historyRecord } from './state/records.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('parseSince', () => {
  it.each([
    { text: '90s', since: '2026-11-29T11:58:30.000Z' },
    { text: '30m', since: '2026-11-29T11:30:00.000Z' },
    { text: '2h', since: '2026-11-29T10:00:00.000Z' },
    { text: '1d', since: '2026-11-28T12:00:00.000Z' },
    { text: '2026-11-29T06:15:00Z', since: '2026-11-29T06:15:00.000Z' },
    { text: '2026-11-28', since: '2026-11-28T00:00:00.000Z' },
    { text: '', since: null },
    { text: '2 h', since: null },
    { text: '-1h', since: null },
    { text: '1w', since: null },
    { text: 'yesterday', since: null },
    { text: '1700000000', since: null },
    { text: '2026-13-45', since: null },
  ])('$text → $since', ({ text, since }) => {
    const at = parseSince(text, NOW);
    expect(at === null ? null : new Date(at).toISOString()).toBe(since);
  });
});

describe('statusView: launches', () => {
  const withLaunches = (launches: number[]): StoredState => emptyStoredState({ region: 'us-east-1', group: 'web' }, NOW, { ...initialState(), launches });
  it.each<{ what: string; state: StoredState | null; expected: { seen: number; minutes: number | null; line: string } }>([
    { what: 'no state yet', state: null, expected: { seen: 0, minutes: null, line: 'none seen yet: rises are sized for a 3-minute launch' } },
    { what: 'one 3-minute launch', state: withLaunches([170]), expected: { seen: 1, minutes: 3, line: '3 min to serve (the one launch seen)' } },
    // Sorted 300, 470, 480, 490, 500: the median 480 s is 8 minutes, 5 beyond the 3 the lead counts.
    { what: 'five, one of them fast', state: withLaunches([480, 300, 500, 470, 490]), expected: { seen: 5, minutes: 8, line: '8 min to serve (the median of the last 5 launches seen): rises are sized 5 min further ahead' } },
  ])('$what', ({ state, expected }) => {
    const view = statusView({ group: 'web', region: 'us-east-1', stateFile: 'f', now: NOW, since: NOW, state, history: [] });
    expect(view.launches).toEqual(expected);
  });
});

// The alerts of five ticks a minute apart; each tick's alerts as [key, subject].
describe('statusView: an alert raised at consecutive ticks is one entry', () => {
  const at = (minute: number) => NOW - (5 - minute) * 60_000;
  const time = (minute: number) => new Date(at(minute)).toISOString();
  const ticks = (alerts: Array<Array<[string, string]>>, keyed = true) =>
    alerts.map((raised, minute) => historyRecord(at(minute), { alerts: raised.map(([, subject]) => subject), ...(keyed && { alertKeys: raised.map(([key]) => key) }) }));
  const clock = (m: number): [string, string] => ['clock', `web: the host's clock is ${m} min behind AWS's`];
  const kill: [string, string] = ['runaway', 'web: terminated i-0 (runaway)'];
  it.each([
    {
      what: 'a mail-less watchdog: the clock alert at every tick, its words changing',
      history: ticks([[clock(1)], [clock(2)], [clock(3)], [], []]),
      expected: [{ time: time(0), until: time(2), ticks: 3, subject: "web: the host's clock is 3 min behind AWS's" }],
    },
    {
      what: 'a tick without it ends the run: raised again, a new entry',
      history: ticks([[clock(1)], [], [clock(3)], [clock(4)], []]),
      expected: [
        { time: time(0), until: time(0), ticks: 1, subject: "web: the host's clock is 1 min behind AWS's" },
        { time: time(2), until: time(3), ticks: 2, subject: "web: the host's clock is 4 min behind AWS's" },
      ],
    },
    {
      what: 'two alerts, each its own run, in the order they began',
      history: ticks([[clock(1)], [clock(2), kill], [clock(3)], [], []]),
      expected: [
        { time: time(0), until: time(2), ticks: 3, subject: "web: the host's clock is 3 min behind AWS's" },
        { time: time(1), until: time(1), ticks: 1, subject: 'web: terminated i-0 (runaway)' },
      ],
    },
    {
      // Records written before the keys were kept: the same words only.
      what: 'no keys: folded where the words are the same',
      history: ticks([[kill], [kill], [clock(3)], [clock(4)], []], false),
      expected: [
        { time: time(0), until: time(1), ticks: 2, subject: 'web: terminated i-0 (runaway)' },
        { time: time(2), until: time(2), ticks: 1, subject: "web: the host's clock is 3 min behind AWS's" },
        { time: time(3), until: time(3), ticks: 1, subject: "web: the host's clock is 4 min behind AWS's" },
      ],
    },
  ])('$what', ({ history, expected }) => {
    const view = statusView({ group: 'web', region: 'us-east-1', stateFile: 'f', now: NOW, since: NOW - 3_600_000, state: null, history });
    expect(view.alerts).toEqual(expected);
  });
});
