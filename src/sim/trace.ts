import { UsageError } from '../errors.js';
import { toTheSecond } from '../render/time.js';

// Real traffic as a scenario's demand: a `minute,requests` CSV (docs/simulation.md, "Replaying
// real traffic"), one row a minute, ISO-8601 minutes with their offset.

const MINUTE_MS = 60_000;
const ISO_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:00(\.0+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Requests in each minute from `startMs`, gaps filled with 0. */
export interface Trace {
  startMs: number;
  requests: Float64Array;
}

/** The epoch milliseconds of an ISO-8601 minute with offset, or null. */
export function parseMinute(text: string): number | null {
  if (!ISO_MINUTE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** Parses a trace CSV; anything else is a one-line UsageError naming the line. */
export function readTrace(text: string, file: string): Trace {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  if (lines[0]?.trim() !== 'minute,requests') throw new UsageError(`trace ${file}: the first line must be 'minute,requests'`);
  if (lines.length < 2) throw new UsageError(`trace ${file}: no rows after the header`);
  const times: number[] = [];
  const counts: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [time = '', count = '', extra] = lines[i]!.split(',');
    const at = parseMinute(time.trim());
    const requests = count.trim() === '' ? Number.NaN : Number(count);
    if (extra !== undefined || at === null || !(requests >= 0) || !Number.isFinite(requests)) {
      throw new UsageError(`trace ${file} line ${i + 1}: expected 'ISO-8601 minute with offset,requests', got '${lines[i]!.slice(0, 60)}'`);
    }
    if (times.length > 0 && at <= times.at(-1)!) throw new UsageError(`trace ${file} line ${i + 1}: ${time} is not after the row before it`);
    times.push(at);
    counts.push(requests);
  }
  const startMs = times[0]!;
  const requests = new Float64Array((times.at(-1)! - startMs) / MINUTE_MS + 1);
  times.forEach((at, i) => (requests[(at - startMs) / MINUTE_MS] = counts[i]!));
  return { startMs, requests };
}

export interface TraceWindow {
  trace: string;
  requestsPerUnit: number;
  /** The trace minute that is the scenario's minute 0 (default: the first row). */
  from?: string | undefined;
  /** How many trace minutes are replayed; a scenario longer than that replays them again. */
  minutes: number;
}

/** The scenario's demand in units for each of its `durationMinutes`, from the trace. */
export function traceDemand(trace: Trace, window: TraceWindow, durationMinutes: number, where: string): Float64Array {
  let offset = 0;
  if (window.from !== undefined) {
    const at = parseMinute(window.from);
    if (at === null) throw new UsageError(`${where}.from: '${window.from}' is not an ISO-8601 minute with offset`);
    offset = (at - trace.startMs) / MINUTE_MS;
    if (offset < 0 || offset >= trace.requests.length) throw new UsageError(`${where}.from: ${window.from} is not in ${window.trace}`);
  }
  const available = trace.requests.length - offset;
  if (available < window.minutes) {
    throw new UsageError(`${where}: ${window.trace} has ${available} minutes from ${toTheSecond(trace.startMs + offset * MINUTE_MS)}, and ${window.minutes} are needed`);
  }
  const demand = new Float64Array(durationMinutes);
  for (let m = 0; m < durationMinutes; m++) demand[m] = trace.requests[offset + (m % window.minutes)]! / window.requestsPerUnit;
  return demand;
}
