import type { Fleet } from '../fleet.js';
import { demandAt } from '../scenario.js';
import { clampToGroup, setDesired, type Policy, type SimAction } from './policy.js';

/**
 * Knows the demand: desired = ceil(demand / (high / 100)) every minute, at once (launches still
 * take launchMinutes). The floor for instance-minutes at no overload.
 */
export class OraclePolicy implements Policy {
  readonly name = 'oracle' as const;
  constructor(private readonly high: number) {}

  tick(fleet: Fleet): SimAction[] {
    const demand = demandAt(fleet.scenario, fleet.minute);
    const to = clampToGroup(fleet, Math.ceil(demand / (this.high / 100) - 1e-9));
    return to === fleet.desired ? [] : [setDesired(fleet, to, 'oracle', `demand ${demand.toFixed(2)} units needs ${to} at ${this.high} %`)];
  }
}
