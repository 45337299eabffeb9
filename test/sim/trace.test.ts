// Trace demand: a `minute,requests` CSV replayed as a scenario's demand.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demandAt, loadScenario } from '../../src/sim/scenario.js';
import { readTrace, traceDemand } from '../../src/sim/trace.js';
import { cli } from '../cli/run.js';
import { scratchDir } from '../scratch.js';

const csv = (...rows: string[]) => ['minute,requests', ...rows].join('\n') + '\n';
// Four minutes, 10:02 missing (a gap is 0 requests).
const FOUR = csv('2026-01-05T10:00:00+01:00,30', '2026-01-05T10:01:00+01:00,60', '2026-01-05T10:03:00+01:00,90');

describe('readTrace', () => {
  it('reads one value a minute from the first row, gaps as 0; a byte-order mark, CRLF and a missing final newline alike', () => {
    const trace = readTrace(`\uFEFF${FOUR.replace(/\n/g, '\r\n').trimEnd()}`, 'four.csv');
    expect(trace.startMs).toBe(Date.parse('2026-01-05T09:00:00Z'));
    expect([...trace.requests]).toEqual([30, 60, 0, 90]);
  });

  it.each([
    { what: 'no header', text: '2026-01-05T10:00:00Z,3\n', error: "trace t.csv: the first line must be 'minute,requests'" },
    { what: 'only the header', text: 'minute,requests\n', error: 'trace t.csv: no rows after the header' },
    { what: 'a time without offset', text: csv('2026-01-05T10:00:00,3'), error: "trace t.csv line 2: expected 'ISO-8601 minute with offset,requests', got '2026-01-05T10:00:00,3'" },
    { what: 'seconds inside the minute', text: csv('2026-01-05T10:00:30Z,3'), error: "trace t.csv line 2: expected 'ISO-8601 minute with offset,requests', got '2026-01-05T10:00:30Z,3'" },
    { what: 'a negative count', text: csv('2026-01-05T10:00:00Z,-1'), error: "trace t.csv line 2: expected 'ISO-8601 minute with offset,requests', got '2026-01-05T10:00:00Z,-1'" },
    { what: 'a missing count', text: csv('2026-01-05T10:00:00Z,'), error: "trace t.csv line 2: expected 'ISO-8601 minute with offset,requests', got '2026-01-05T10:00:00Z,'" },
    { what: 'a third column', text: csv('2026-01-05T10:00:00Z,3,4'), error: "trace t.csv line 2: expected 'ISO-8601 minute with offset,requests', got '2026-01-05T10:00:00Z,3,4'" },
    { what: 'rows out of order', text: csv('2026-01-05T10:01:00Z,3', '2026-01-05T10:00:00Z,3'), error: 'trace t.csv line 3: 2026-01-05T10:00:00Z is not after the row before it' },
    { what: 'the same minute twice, written in two offsets', text: csv('2026-01-05T10:00:00Z,3', '2026-01-05T11:00:00+01:00,3'), error: 'trace t.csv line 3: 2026-01-05T11:00:00+01:00 is not after the row before it' },
  ])('$what: one line', ({ text, error }) => {
    expect(() => readTrace(text, 't.csv')).toThrow(error);
  });
});

describe('traceDemand', () => {
  const trace = readTrace(FOUR, 'four.csv');
  it.each([
    { what: 'from the first row, 10 requests a unit', window: { minutes: 4 }, duration: 4, units: [3, 6, 0, 9] },
    { what: 'from 10:01 (any offset), 30 a unit', window: { from: '2026-01-05T09:01:00Z', minutes: 3 }, duration: 3, units: [2, 0, 3], perUnit: 30 },
    { what: 'a scenario longer than its minutes replays them again', window: { minutes: 2 }, duration: 5, units: [3, 6, 3, 6, 3] },
  ])('$what', ({ window, duration, units, perUnit }) => {
    expect([...traceDemand(trace, { trace: 'four.csv', requestsPerUnit: perUnit ?? 10, ...window }, duration, 'demand')]).toEqual(units);
  });

  it.each([
    { what: 'a from before the trace', window: { from: '2026-01-05T08:59:00Z', minutes: 1 }, error: 'demand.from: 2026-01-05T08:59:00Z is not in four.csv' },
    { what: 'a from after it', window: { from: '2026-01-05T09:04:00Z', minutes: 1 }, error: 'demand.from: 2026-01-05T09:04:00Z is not in four.csv' },
    { what: 'a from that is not a minute', window: { from: 'yesterday', minutes: 1 }, error: "demand.from: 'yesterday' is not an ISO-8601 minute with offset" },
    { what: 'too few rows', window: { from: '2026-01-05T09:02:00Z', minutes: 3 }, error: 'demand: four.csv has 2 minutes from 2026-01-05T09:02:00Z, and 3 are needed' },
  ])('$what: one line', ({ window, error }) => {
    expect(() => traceDemand(trace, { trace: 'four.csv', requestsPerUnit: 10, ...window }, 3, 'demand')).toThrow(error);
  });
});

describe('a scenario with trace demand', () => {
  const dir = scratchDir('asgw-trace-');
  writeFileSync(join(dir, 'four.csv'), FOUR);
  const scenario = (demand: unknown, durationMinutes = 4) => {
    const file = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ version: 1, name: 't', durationMinutes, seed: 1, group: { name: 'web', min: 1, max: 4, desired: 1, launchMinutes: 1, loadBalancer: 'none' }, demand }));
    return file;
  };

  it('reads the CSV relative to the scenario file; demand at a minute is one lookup', () => {
    const s = loadScenario(scenario({ trace: 'four.csv', requestsPerUnit: 30 }));
    expect([0, 1, 2, 3].map((m) => demandAt(s, m))).toEqual([1, 2, 0, 3]);
  });

  it.each([
    { what: 'a missing trace file', demand: { trace: 'nope.csv', requestsPerUnit: 10 }, error: /^asg-watchdog: cannot read trace .*nope\.csv: no such file or directory \(ENOENT\)\n$/ },
    { what: 'too few rows for the scenario', demand: { trace: 'four.csv', requestsPerUnit: 10 }, duration: 5, error: /^asg-watchdog: .*: demand: four\.csv has 4 minutes from 2026-01-05T09:00:00Z, and 5 are needed\n$/ },
    { what: 'requestsPerUnit 0', demand: { trace: 'four.csv', requestsPerUnit: 0 }, error: /^asg-watchdog: .*: demand\.requestsPerUnit: .*\n$/ },
  ])('$what: `simulate` says so in one line, exit 2', async ({ demand, duration, error }) => {
    const r = await cli(['simulate', '--scenario', scenario(demand, duration)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(error);
  });
});
