// The outbox: what waits to be mailed, once per key, for a day.
import { describe, expect, it } from 'vitest';
import { mergeOutbox } from '../../src/state/outbox.js';

const H = 3_600_000;
const now = 100 * H;
const entry = (key: string, hoursAgo: number) => ({ key, subject: key, at: now - hoursAgo * H });

describe('mergeOutbox', () => {
  it.each([
    { what: 'nothing waiting, nothing due', pending: [], due: [], kept: [] },
    { what: 'a due alert waits', pending: [], due: [entry('a', 0)], kept: [entry('a', 0)] },
    { what: 'waiting and due, both kept', pending: [entry('a', 2)], due: [entry('b', 0)], kept: [entry('a', 2), entry('b', 0)] },
    { what: 'raised again: one entry, aged from the first time', pending: [entry('a', 5)], due: [entry('a', 0)], kept: [entry('a', 5)] },
    { what: '23 hours old: still kept', pending: [entry('a', 23)], due: [], kept: [entry('a', 23)] },
    { what: 'a day old: dropped unsent', pending: [entry('a', 24), entry('b', 1)], due: [], kept: [entry('b', 1)] },
  ])('$what', ({ pending, due, kept }) => {
    expect(mergeOutbox(pending, due, now)).toEqual(kept);
  });
});
