// `status --since`: how far back, read strictly (a typo is exit 2, not "everything").
import { describe, expect, it } from 'vitest';
import { parseSince } from '../src/status.js';

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
