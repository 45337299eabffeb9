// The history log (src/state/history.ts): append-only, rotated by age, and a crash mid-append
// (SIGKILL while writing) never costs more than the record being written.
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryLog, parseHistory, type HistoryRecord } from '../../src/state/history.js';
import { historyRecord } from './records.js';
import { scratchDir } from '../scratch.js';

const MIN = 60_000;
const record = (minute: number, extra: Partial<HistoryRecord> = {}): HistoryRecord => historyRecord(minute * MIN, extra);
const file = () => join(scratchDir('asgw-history-'), 'us-east-1--web.history.jsonl');

describe('the history log', () => {
  it('gives back what was appended, oldest first, from a time on', async () => {
    const log = new HistoryLog(file(), 60);
    for (const m of [1, 2, 3, 4]) await log.append(record(m));
    expect((await log.read()).map((r) => r.at / MIN)).toEqual([1, 2, 3, 4]);
    expect((await log.read(3 * MIN)).map((r) => r.at / MIN)).toEqual([3, 4]);
  });

  it('rotates once its first record is a window old: between one and two windows are kept, the newest always', async () => {
    const f = file();
    const log = new HistoryLog(f, 10);
    for (let m = 0; m <= 25; m++) await log.append(record(m));
    // 0-9 in the first file; at 10 it went aside; at 20 again, 10-19 aside, 20-25 current.
    expect((await log.read()).map((r) => r.at / MIN)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(parseHistory(readFileSync(f, 'utf8')).map((r) => r.at / MIN)).toEqual([20, 21, 22, 23, 24, 25]);
  });

  it('skips a line a crash tore, and the next record is not glued to it', async () => {
    const f = file();
    const log = new HistoryLog(f, 60);
    await log.append(record(1));
    writeFileSync(f, `${readFileSync(f, 'utf8')}{"v":1,"at":120000,"n":2,"des`);
    await log.append(record(3));
    expect((await log.read()).map((r) => r.at / MIN)).toEqual([1, 3]);
  });

  it('SIGKILL while appending: every record before the kill is read back whole', async () => {
    const f = file();
    // A child appending records as fast as it can (each fsynced), killed at a random moment: the
    // log's module bundled for plain node.
    const dir = scratchDir('asgw-appender-');
    await build({ entryPoints: [new URL('../../src/state/history.ts', import.meta.url).pathname], outfile: join(dir, 'history.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'error' });
    const source = `
      import { HistoryLog } from './history.mjs';
      const log = new HistoryLog(${JSON.stringify(f)}, 1e9);
      const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['i-' + i, i]));
      for (let m = 0; ; m++) await log.append({ v: 1, at: m * 60000, n: 100, desired: 100, min: 2, max: 200, low: 70, high: 85, pending: 0, avg: 50, projection1: 50, band: { state: 'in-band', load: 1, average: 1, line: 'x'.repeat(2000) }, loads: big, more: 0, action: null, blocked: [], held: [], alerts: [], paused: false });
    `;
    const script = join(dir, 'appender.mjs');
    writeFileSync(script, source);
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, [script], { stdio: 'ignore' });
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await new Promise((r) => setTimeout(r, 150 + round * 37));
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
    }
    const records = await new HistoryLog(f, 1e9).read();
    expect(records.length).toBeGreaterThan(5);
    // Each child starts again at minute 0: the records are whole, in the order written.
    for (const r of records) expect(Object.keys(r.loads)).toHaveLength(100);
    const lines = readFileSync(f, 'utf8').split('\n').filter(Boolean);
    expect(lines.length - records.length).toBeLessThanOrEqual(5);
  }, 30_000);
});
