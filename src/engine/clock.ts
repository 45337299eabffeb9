import type { Config, Snapshot } from './types.js';

/**
 * How far the host's clock is off AWS's when further than `maxClockOffsetSeconds`: AWS's minus
 * the host's, in seconds (positive: the host is behind); null when within it, or not known. The
 * tick reads CloudWatch's minutes by the host's clock: behind, it takes minutes long past for the
 * newest; ahead, it finds the newest missing.
 */
export function clockOff(snapshot: Snapshot, config: Config): number | null {
  const offset = snapshot.clockOffsetSeconds;
  return offset !== undefined && Math.abs(offset) > config.maxClockOffsetSeconds ? offset : null;
}

/** `the host's clock is 3 min 5 s behind AWS's`, `the host's clock is 45 s ahead of AWS's`: to the second, which is all a Date header tells. */
export function clockWords(offsetSeconds: number): string {
  const s = Math.round(Math.abs(offsetSeconds));
  const span = s >= 60 ? `${Math.floor(s / 60)} min${s % 60 > 0 ? ` ${s % 60} s` : ''}` : `${s} s`;
  return `the host's clock is ${span} ${offsetSeconds > 0 ? 'behind' : 'ahead of'} AWS's`;
}
