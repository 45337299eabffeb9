// A time in a line of text: to the second, as every text line of the CLI says it (a log line
// needs no milliseconds; --json keeps them).

/** `2026-12-06T08:04:22Z`, from epoch milliseconds or an ISO time. */
export function toTheSecond(time: number | string): string {
  return (typeof time === 'number' ? new Date(time).toISOString() : time).replace(/\.\d+Z$/, 'Z');
}
