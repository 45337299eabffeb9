// SPEC's elasticity metrics on series small enough to work out by hand.
import { describe, expect, it } from 'vitest';
import { demandedInstances, elasticity } from '../../src/sim/elasticity.js';

describe('demandedInstances: the demand d_t, instances needed at the high mark, at least one', () => {
  it.each([
    { units: 4.25, high: 85, d: 5 }, // 4.25 / 0.85 = 5 exactly
    { units: 4.26, high: 85, d: 6 },
    { units: 0, high: 85, d: 1 }, // never 0: θ divides by it
    { units: 8.5, high: 85, d: 10 }, // 8.5 / 0.85 is 10.000000000000002 in floating point
  ])('$units units at $high % → $d', ({ units, high, d }) => {
    expect(demandedInstances(units, high)).toBe(d);
  });
});

describe('elasticity', () => {
  it.each([
    {
      what: 'supply equal to demand: all zero',
      demand: [2, 3, 4, 3],
      supply: [2, 3, 4, 3],
      expected: { thetaU: 0, thetaO: 0, tauU: 0, tauO: 0, instability: 0 },
    },
    {
      // t0: short 1 of 4 → 25 %; t1: surplus 2 of 2 → 100 %; t2: equal; t3: short 1 of 2 → 50 %.
      // θU = (25 + 50) / 4 = 18.75; θO = 100 / 4 = 25; τU = 2 of 4; τO = 1 of 4.
      // Steps: d 4→2 down, s 3→4 up: against. d 2→2, s 4→2 moves alone: against. d 2→2, s 2→1: against.
      what: 'short, then over, then equal, then short',
      demand: [4, 2, 2, 2],
      supply: [3, 4, 2, 1],
      expected: { thetaU: 18.75, thetaO: 25, tauU: 50, tauO: 25, instability: 100 },
    },
    {
      // Supply follows demand a minute late: steps 1 (d up, s holds: not counted), 2 (d holds, s up:
      // against), 3 (d down, s holds), 4 (d holds, s down: against) → 2 of 4.
      // t1 short 1 of 3 (33.3 %), t3 over 1 of 2 (50 %): θU = 33.333 / 5, θO = 50 / 5.
      what: 'a minute late on the way up and down',
      demand: [2, 3, 3, 2, 2],
      supply: [2, 2, 3, 3, 2],
      expected: { thetaU: 6.667, thetaO: 10, tauU: 20, tauO: 20, instability: 50 },
    },
    {
      // Demand moves every minute, supply holds at 3: never unstable. Over 1 of 2 at t0 and t2.
      what: 'steady supply on noisy demand',
      demand: [2, 3, 2, 3],
      supply: [3, 3, 3, 3],
      expected: { thetaU: 0, thetaO: 25, tauU: 0, tauO: 50, instability: 0 },
    },
  ])('$what', ({ demand, supply, expected }) => {
    expect(elasticity(demand, supply)).toEqual(expected);
  });
});
