// Up-and-down: changes of desired that turn back on the one before within 10 minutes (src/sim/reversals.ts).
import { describe, expect, it } from 'vitest';
import { reversals } from '../../src/sim/reversals.js';

const up = (minute: number, from: number) => ({ minute, kind: 'set-desired', from, to: from + 1 });
const down = (minute: number, from: number) => ({ minute, kind: 'set-desired', from, to: from - 1 });
const kill = (minute: number, from: number) => ({ minute, kind: 'terminate', from, to: from - 1 });

describe('reversals', () => {
  it.each([
    { what: 'no action', actions: [], expected: 0 },
    { what: 'up, then up again', actions: [up(0, 4), up(3, 5)], expected: 0 },
    { what: 'down, up 2 minutes later', actions: [down(0, 5), up(2, 4)], expected: 1 },
    { what: 'up, down 10 minutes later: still within', actions: [up(0, 4), down(10, 5)], expected: 1 },
    { what: 'up, down 11 minutes later', actions: [up(0, 4), down(11, 5)], expected: 0 },
    // Each turn is judged against the move just before it: up-down-up is two.
    { what: 'up, down, up, a minute apart', actions: [up(0, 4), down(1, 5), up(2, 4)], expected: 2 },
    // A termination (replaced or decremented) is not a move of desired, nor is a change to the same count.
    { what: 'up, a termination with decrement, then nothing', actions: [up(0, 2), kill(5, 3)], expected: 0 },
    { what: 'down, a kill, up: judged against the down', actions: [down(0, 5), kill(1, 4), up(3, 4)], expected: 1 },
    { what: 'a change to the same count is skipped', actions: [up(0, 4), { minute: 1, kind: 'set-desired', from: 5, to: 5 }, up(2, 5)], expected: 0 },
  ])('$what → $expected', ({ actions, expected }) => {
    expect(reversals(actions)).toBe(expected);
  });
});
