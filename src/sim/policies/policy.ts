import type { Fleet } from '../fleet.js';

export const POLICY_NAMES = ['watchdog', 'seed', 'target-tracking', 'target-tracking-fast', 'hpa', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** One thing a policy did, in the report's words. */
export interface SimAction {
  kind: 'set-desired' | 'terminate';
  from: number;
  to: number;
  instance: string | null;
  decrement: boolean | null;
  rule: string;
  reason: string;
}

/** A scaling policy: looks at the fleet as its metrics source would show it, and acts. */
export interface Policy {
  readonly name: PolicyName;
  /** Called once a simulated minute, after launches and faults, before traffic. */
  tick(fleet: Fleet): SimAction[];
}

export function setDesired(fleet: Fleet, to: number, rule: string, reason: string): SimAction {
  return { kind: 'set-desired', from: fleet.desired, to, instance: null, decrement: null, rule, reason };
}

export function clampToGroup(fleet: Fleet, n: number): number {
  const { min, max } = fleet.scenario.group;
  return Math.min(max, Math.max(min, n));
}
