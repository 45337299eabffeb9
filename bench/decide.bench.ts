// decide() on fleets of 10, 1,000 and 10,000 instances: the engine's share of one tick.
// Run: npm run bench. Record the figures in docs/performance.md.
import { bench, describe } from 'vitest';
import { defaultConfig } from '../src/config/index.js';
import { decide, initialState } from '../src/engine/index.js';
import type { Snapshot, State } from '../src/engine/index.js';
import { at, fleet } from '../test/engine/fleet.js';

function busyFleet(size: number): { snapshot: Snapshot; state: State } {
  const now = at(10);
  // A realistic mix: most instances in the band with noise, one runaway, one detached, a few new.
  const loads = Array.from({ length: size }, (_, i) => {
    if (i === 0) return { load: 100 };
    if (i === 1) return { load: 1, lb: 'out' as const };
    if (i % 97 === 0) return { load: 30, age: 2 };
    return { points: [70 + ((i * 7) % 13), 71 + ((i * 5) % 11), 72 + ((i * 3) % 9), 73, 74] };
  });
  const snapshot = fleet(now, loads, { min: 2, max: size * 2 });
  const state = decide(fleet(at(9), loads, { min: 2, max: size * 2 }), initialState(), defaultConfig, at(9)).state;
  return { snapshot, state };
}

for (const size of [10, 1_000, 10_000]) {
  const { snapshot, state } = busyFleet(size);
  describe(`decide on ${size.toLocaleString('en')} instances`, () => {
    bench(
      `${size} instances`,
      () => {
        decide(snapshot, state, defaultConfig, at(10));
      },
      { time: 2_000, warmupTime: 500 },
    );
  });
}
