import { decide, initialState, networkWanted } from '../../engine/index.js';
import type { Config, Decision, State } from '../../engine/index.js';
import { toMillis, type Fleet } from '../fleet.js';
import type { Policy, SimAction } from './policy.js';

/**
 * This project's engine, run every minute as cron would, on what its collector would see.
 * `heard` is told each minute's whole decision (its alerts, what it held), for tests to read.
 */
export class WatchdogPolicy implements Policy {
  readonly name = 'watchdog' as const;
  private state: State = initialState();
  constructor(
    private readonly config: Config,
    private readonly heard: (decision: Decision, minute: number) => void = () => {},
  ) {}

  tick(fleet: Fleet): SimAction[] {
    // NetworkOut only where the collector would read it: while the last minute held an outlier reading.
    const snapshot = fleet.snapshot(this.config, { network: networkWanted(this.state.conditions) });
    const decision = decide(snapshot, this.state, this.config, toMillis(fleet.minute));
    this.state = decision.state;
    this.heard(decision, fleet.minute);
    const a = decision.action;
    if (a === null) return [];
    return [
      a.kind === 'terminate'
        ? { kind: a.kind, from: a.from, to: a.to, instance: a.instance, decrement: a.decrement, rule: a.rule, reason: a.reason }
        : { kind: a.kind, from: a.from, to: a.to, instance: a.instance ?? null, decrement: null, rule: a.rule, reason: a.reason },
    ];
  }
}
