// A run of many groups exits with the code of the group that needs a person most (docs/cli.md).
import { describe, expect, it } from 'vitest';
import { foldExitCodes } from '../src/watch-many.js';

describe('foldExitCodes', () => {
  it.each([
    { codes: [], exit: 0 },
    { codes: [0, 0, 0], exit: 0 },
    { codes: [0, 4, 0], exit: 4 }, // the mail failed: the alerts wait in the outbox
    { codes: [4, 3], exit: 3 }, // another actor holds a group
    { codes: [3, 2, 4], exit: 2 }, // a group's settings or state are wrong
    { codes: [2, 1, 3, 4, 0], exit: 1 }, // AWS failed, or refused an action
  ])('$codes → $exit', ({ codes, exit }) => {
    expect(foldExitCodes(codes)).toBe(exit);
  });
});
