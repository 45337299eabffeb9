// The history of a group's ticks, for `status` and its page: one JSON line per real tick, beside the
// state file. Append-only, so a crash mid-append can tear only the line being written, which a
// reader skips; bounded by rotating the file aside once its first line is older than the window,
// so the newest records are never the ones dropped.
import { open, readFile, rename, stat } from 'node:fs/promises';
import { errorCode, RuntimeFailure, systemWords } from '../errors.js';
import type { BandStatus, HeldCondition } from '../engine/index.js';

/** One tick, as `status` reads it back. Version 1; `v` moves on when a field changes meaning. */
export interface HistoryRecord {
  v: 1;
  at: number;
  n: number;
  desired: number;
  min: number;
  max: number;
  /** The band of the tick's config, for the page's shading. */
  low: number;
  high: number;
  pending: number;
  /** The serving instances without a measured share, as the fleet's line counts them (render/fleet.ts; records before 2026-12-06 have none). */
  notCarrying?: { joining: number; outOfCredits: number; unmeasured: number; outOfBalancer: number };
  avg: number | null;
  projection1: number | null;
  band: Pick<BandStatus, 'state' | 'load' | 'average' | 'line'>;
  /** Each serving instance's load (null when unmeasured), the hottest first, at most HISTORY_INSTANCES. */
  loads: Record<string, number | null>;
  /** Serving instances beyond those listed. */
  more: number;
  action: {
    kind: 'set-desired' | 'terminate';
    from: number;
    to: number;
    instance: string | null;
    rule: string;
    reason: string;
    /** done; refused (AWS said no) or unknown (no certain answer); held (not attempted: paused, the intent unsaved, no time left). */
    outcome: 'done' | 'refused' | 'unknown' | 'held';
  } | null;
  blocked: Array<{ rule: string; why: string; detail: string }>;
  held: HeldCondition[];
  alerts: string[];
  /** Each alert's key, index for index (records before 2026-12-06 have none): `status` folds an alert raised at consecutive ticks by it. */
  alertKeys?: string[];
  paused: boolean;
}

/** Instances whose load each record keeps: enough for a fleet's heat strip, bounded for a fleet of 10,000. */
export const HISTORY_INSTANCES = 100;


/** The records of a log's text, oldest first; a line a crash tore (not JSON, or not a record) is skipped. */
export function parseHistory(text: string): HistoryRecord[] {
  const records: HistoryRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as Partial<HistoryRecord>;
      if (r.v === 1 && typeof r.at === 'number') records.push(r as HistoryRecord);
    } catch {
      // a torn last line: the record being written when the tick died
    }
  }
  return records;
}

/** A group's history in `FILE` (the current one) and `FILE.1` (the one before, rotated aside). */
export class HistoryLog {
  constructor(
    readonly file: string,
    private readonly keepMinutes: number,
  ) {}

  private get previous(): string {
    return `${this.file}.1`;
  }

  /**
   * Appends one record and makes it durable (fsync). Before, when the current file's first record is
   * older than the window, the file is moved aside (replacing the one before): the reader then has
   * between one and two windows, never fewer than one.
   */
  async append(record: HistoryRecord): Promise<void> {
    try {
      await this.rotateIfOld(record.at);
      const handle = await open(this.file, 'a+', 0o600);
      try {
        // A line a crash tore has no newline: end it, or this record would be glued to it and lost too.
        const { size } = await handle.stat();
        const last = size === 0 ? '\n' : (await handle.read(Buffer.alloc(1), 0, 1, size - 1)).buffer.toString('utf8', 0, 1);
        await handle.appendFile(`${last === '\n' ? '' : '\n'}${JSON.stringify(record)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new RuntimeFailure(`cannot append to history ${this.file}: ${systemWords(error)}`, { cause: error });
    }
  }

  /** Records from `since` on, oldest first, from both files. */
  async read(since = Number.NEGATIVE_INFINITY): Promise<HistoryRecord[]> {
    const texts = await Promise.all([this.previous, this.file].map((f) => readFile(f, 'utf8').catch((error: unknown) => (errorCode(error) === 'ENOENT' ? '' : Promise.reject(error)))));
    return texts.flatMap(parseHistory).filter((r) => r.at >= since).sort((a, b) => a.at - b.at);
  }

  private async rotateIfOld(now: number): Promise<void> {
    const size = await stat(this.file).then((s) => s.size, () => 0);
    if (size === 0) return;
    // Only the first line is read: a day of records is not read every minute.
    const handle = await open(this.file, 'r');
    let first: string;
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(Math.min(size, 64 * 1024)), 0, Math.min(size, 64 * 1024), 0);
      first = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0]!;
    } finally {
      await handle.close();
    }
    const oldest = parseHistory(first)[0]?.at;
    if (oldest !== undefined && now - oldest < this.keepMinutes * 60_000) return;
    await rename(this.file, this.previous);
  }
}
