// Least outstanding requests beside targets that fail fast (src/sim/balancer.ts): the part of
// the requests they draw, worked out by hand where it has a closed form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failFastPart, tiedPart } from '../../src/sim/balancer.js';

describe('tiedPart: what k targets with none outstanding take beside n healthy ones at utilisation u', () => {
  it.each<{ k: number; n: number; u: number; expected: number }>([
    // Idle, every target is tied at none: an even share.
    { k: 1, n: 3, u: 0, expected: 0.25 },
    { k: 2, n: 8, u: 0, expected: 0.2 },
    // Never idle, the healthy ones are never among the least: all of it.
    { k: 1, n: 3, u: 1, expected: 1 },
    // One beside one: the healthy one idle half the time, then half of those requests: 0.5 + 0.25.
    { k: 1, n: 1, u: 0.5, expected: 0.75 },
    // One beside three at 50 %: (1 − u⁴) / (4 (1 − u)) = 0.9375 / 2.
    { k: 1, n: 3, u: 0.5, expected: 0.46875 },
    // Two beside two at 50 %: X idle of 2 is 0, 1, 2 with 1/4, 1/2, 1/4: 1/4 + 1/2 × 2/3 + 1/4 × 2/4.
    { k: 2, n: 2, u: 0.5, expected: 0.25 + 1 / 3 + 0.125 },
  ])('$k beside $n at $u: $expected', ({ k, n, u, expected }) => {
    expect(tiedPart(k, n, u)).toBeCloseTo(expected, 12);
  });

  it('for one target, the closed form (1 − u^(n+1)) / ((n + 1)(1 − u)), up to fleets of 10,000', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (n, u) => {
        expect(tiedPart(1, n, u)).toBeCloseTo((1 - u ** (n + 1)) / ((n + 1) * (1 - u)), 9);
      }),
    );
  });
});

describe('failFastPart: the part they draw once the healthy ones are left the rest', () => {
  it.each<{ what: string; k: number; n: number; load: number; expected: number }>([
    { what: 'none fails fast', k: 0, n: 4, load: 0.8, expected: 0 },
    { what: 'no healthy one', k: 2, n: 0, load: 0.8, expected: 1 },
    { what: 'no load: the even share', k: 1, n: 3, load: 0, expected: 0.25 },
    // f = (1 + u) / 2 with u = 1.2 (1 − f): f = 2.2 / 3.2.
    { what: 'one beside one at 1.2 of its capacity', k: 1, n: 1, load: 1.2, expected: 0.6875 },
    // A fleet of 4 at 80 % (3.2 units on the 3 healthy): f where f = (1 − u⁴) / (4 (1 − u)), u = (1 − f) × 3.2 / 3.
    { what: 'a fleet of 4 at 80 %: twice its share', k: 1, n: 3, load: 3.2 / 3, expected: 0.4957 },
    // A fleet of 10 at 80 %: 2.8 × its share of 0.1.
    { what: 'a fleet of 10 at 80 %', k: 1, n: 9, load: 8 / 9, expected: 0.2767 },
    { what: 'a fleet of 100 at 80 %', k: 1, n: 99, load: 0.8, expected: 0.0427 },
  ])('$what: $expected', ({ k, n, load, expected }) => {
    expect(failFastPart(k, n, load)).toBeCloseTo(expected, 4);
  });

  // Within the binomial sum's rounding (1e-9): at loads near 0 it is the even share, to the last digits.
  it('is the fixed point, between the even share and 1, and draws more as the load grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), (k, n, a, b) => {
        const part = failFastPart(k, n, a);
        expect(part).toBeGreaterThanOrEqual(k / (k + n) - 1e-9);
        expect(part).toBeLessThanOrEqual(1);
        expect(tiedPart(k, n, Math.min(1, (1 - part) * a))).toBeCloseTo(part, 9);
        expect(failFastPart(k, n, Math.max(a, b))).toBeGreaterThanOrEqual(failFastPart(k, n, Math.min(a, b)) - 1e-9);
      }),
    );
  });
});
