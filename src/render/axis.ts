// The time axis of the page's chart and of `simulate --chart`: where it is labelled, and how a scenario's minute reads.

/** Steps between the time axis's labels, in minutes: round times of a clock, then whole days (doubled past a week). */
const AXIS_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080];

/**
 * Where the time axis is labelled: at every multiple of the smallest round step that gives at
 * most `most` labels between x0 and x1 (00:00, 00:15, 00:30, 00:45 over an hour, not 00:44 and
 * 00:59); x0 alone where no multiple falls between them (a single instant).
 */
export function axisTicks(x0: number, x1: number, most: number, minute: number): number[] {
  for (let k = 0; ; k++) {
    const step = (AXIS_STEPS[k] ?? AXIS_STEPS.at(-1)! * 2 ** (k - AXIS_STEPS.length + 1)) * minute;
    const first = Math.ceil(x0 / step) * step;
    const count = Math.floor((x1 - first) / step) + 1;
    if (count < 1) return [x0];
    if (count <= most) return Array.from({ length: count }, (_, i) => first + i * step);
  }
}

/** A scenario minute as `day 2 14:05`, or `14:05` within the first day. */
export const scenarioClock = (minute: number): string => {
  const m = Math.max(0, Math.round(minute));
  const hhmm = `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return m >= 1440 ? `day ${Math.floor(m / 1440) + 1} ${hhmm}` : hhmm;
};
