import type { Signals } from './signals.js';
import type { Capacity } from './sizing.js';
import type { Alert, Action, Blocked, Config, Figures, LoadSample, RuleCode, ScalingPolicyView, Sizing, Snapshot, State } from './types.js';

/** What every rule reads during one tick. Built once by decide(). */
export interface TickContext {
  snapshot: Snapshot;
  /** The group's config, its rise lead lengthened by the group's measured launch (launches.ts). */
  config: Config;
  now: number;
  previous: State;
  figures: Figures;
  signals: Signals;
  /** What the band rules size for, from the fleet load of the recent minutes; null before any is known. */
  sizing: Sizing | null;
  /** The fleet's load of each recent minute, oldest first: what `sizing` was read from. */
  fleetLoad: readonly LoadSample[];
  /** This tick's conditions with their `since`. */
  conditions: Record<string, number>;
  /** How many instances' worth of even shares a count of instances gives the load (sizing.ts): zoned without cross-zone balancing. */
  capacity: Capacity;
  /** The group's own scaling policies the band rules stand aside for (`config.bandRules` is then off); none where the config turned them off itself. */
  ownPolicies: readonly ScalingPolicyView[];
}

export type AlertDraft = Omit<Alert, 'suppressed' | 'forAction'>;

/** What a rule says: an action it wants, why it could not act, alerts, or that nothing later may act. */
export interface RuleResult {
  action?: Action;
  /** Alerts that go with the action as the rails let it through; sent only when it is carried out. */
  actionAlerts?: (final: Action) => AlertDraft[];
  blocked?: Blocked[];
  alerts?: AlertDraft[];
  halt?: boolean;
}

export type Rule = (ctx: TickContext) => RuleResult | null;

export const MINUTE = 60_000;

export function minutesSince(since: number | undefined, now: number): number {
  return since === undefined ? 0 : Math.floor((now - since) / MINUTE);
}

export function blocked(rule: RuleCode, why: Blocked['why'], detail: string): Blocked {
  return { rule, why, detail };
}

/**
 * The group is still moving towards its desired count: launches pending, instances warming up or
 * joining their balancer, or one InService but Unhealthy that it is about to replace. A lower
 * count then has the group pick among all of them, the unhealthy one or not: it may take healthy
 * ones and then replace the unhealthy one too.
 */
export function isConverging(ctx: TickContext): boolean {
  const { figures } = ctx;
  return (
    figures.pending > 0 ||
    figures.launched !== figures.desired ||
    figures.instances.some((i) => i.unmeasured === 'warming-up' || i.unmeasured === 'joining' || (i.lifecycle === 'InService' && i.health === 'Unhealthy'))
  );
}

export function sinceLastAction(ctx: TickContext): number {
  const last = ctx.previous.lastAction;
  return last === null ? Number.POSITIVE_INFINITY : ctx.now - last.at;
}
