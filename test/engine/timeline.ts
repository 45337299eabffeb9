// Replays a fleet minute by minute through decide(), carrying the state, as cron would.
import { defaultConfig } from '../../src/config/index.js';
import { decide, initialState } from '../../src/engine/index.js';
import type { Config, Decision, Snapshot, State } from '../../src/engine/index.js';
import { at } from './fleet.js';

/** Ticks at minutes 0..last with the same fleet shape; returns every decision. */
export function tickMinutes(
  last: number,
  snapshotAt: (now: number, minute: number) => Snapshot,
  options: { config?: Config; state?: State; from?: number } = {},
): Decision[] {
  const config = options.config ?? defaultConfig;
  let state = options.state ?? initialState();
  const decisions: Decision[] = [];
  for (let m = options.from ?? 0; m <= last; m++) {
    const d = decide(snapshotAt(at(m), m), state, config, at(m));
    decisions.push(d);
    state = d.state;
  }
  return decisions;
}

/** The decision after the fleet has looked the same for `minutes` minutes. */
export function afterHolding(minutes: number, snapshotAt: (now: number) => Snapshot, options: { config?: Config; state?: State } = {}): Decision {
  return tickMinutes(minutes, snapshotAt, options).at(-1)!;
}

export function withConfig(overrides: Partial<Config>): Config {
  return { ...defaultConfig, ...overrides };
}

/**
 * `state` as a watchdog that watched the same fleet for `minutes` minutes before minute 0 would
 * have it: their fleet load remembered, nothing held or done (its band rules off meanwhile). The
 * N−1 rule waits for 20 minutes of fleet load (twice recentWindowMinutes); a watchdog running
 * for a while has them.
 */
export function watchedFor(minutes: number, snapshotAt: (now: number) => Snapshot, state: State = initialState(), config: Config = defaultConfig): State {
  const before = tickMinutes(-1, snapshotAt, { config: { ...config, bandRules: false }, from: -minutes });
  return { ...state, fleetLoad: before.at(-1)!.state.fleetLoad };
}
