// A history record of a quiet two-instance fleet at `at`, for the tests of the history's stores.
import type { HistoryRecord } from '../../src/state/history.js';

export const historyRecord = (at: number, extra: Partial<HistoryRecord> = {}): HistoryRecord => ({
  v: 1,
  at,
  n: 2,
  desired: 2,
  min: 2,
  max: 6,
  low: 70,
  high: 85,
  pending: 0,
  avg: 50,
  projection1: 100,
  band: { state: 'below-held', load: 100, average: 50, line: 'below the band' },
  loads: { 'i-0': 50, 'i-1': 50 },
  more: 0,
  action: null,
  blocked: [],
  held: [],
  alerts: [],
  paused: false,
  ...extra,
});
