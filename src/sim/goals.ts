// Issue 11's goals at the defaults (docs/performance.md, "The goals of issue 11"): the watchdog
// against AWS target tracking on the same traffic, and against the true oracle where it serves
// everything. One home for them: the suite checks them on every shipped scenario
// (test/sim/scenarios.test.ts), `npm run held-out -- --goals N` on traffic none was tuned on.
import { SAME_FIGURE, type PolicyReport } from './run.js';

/** How many more overload minutes than target tracking's the goals allow. */
export const OVERLOAD_ALLOWANCE = 5;
/** How many times target tracking's actions the watchdog's band actions may be. */
export const ACTIONS_RATIO = 1.25;
/** How many times the oracle's instance-minutes the watchdog may use where the oracle serves everything. */
export const ORACLE_RATIO = 1.15;

export type Goal = 'instanceMinutes' | 'unserved' | 'overload' | 'actions' | 'oracle';
export const GOALS: readonly Goal[] = ['instanceMinutes', 'unserved', 'overload', 'actions', 'oracle'];
/** Each goal's name in the benchmarks' tables (docs/performance.md). */
export const GOAL_WORDS: Readonly<Record<Goal, string>> = { instanceMinutes: 'instance-minutes', unserved: 'unserved', overload: 'overload min', actions: 'actions', oracle: '× oracle' };

type Report = Pick<PolicyReport, 'instanceMinutes' | 'unservedUnitMinutes' | 'overloadMinutes' | 'actions'>;

/**
 * The band actions: the sick instance's emergency +1 (a runaway's, or a dead one's to see whether
 * a new instance works) and kill are left out (target tracking never takes them, so 1.25 × its
 * none could not hold where a sick instance must go).
 */
export function bandActions(report: Pick<PolicyReport, 'actions'>): number {
  return report.actions.filter((a) => a.kind === 'set-desired' && a.rule !== 'runaway' && a.rule !== 'dead').length;
}

/**
 * Which goals the watchdog meets: instance-minutes no more than target tracking's (plus
 * `allowance`), unserved demand no more (within SAME_FIGURE),
 * overload minutes at most OVERLOAD_ALLOWANCE more, band actions at most ACTIONS_RATIO × its
 * actions, and instance-minutes within ORACLE_RATIO × the oracle's where it serves everything.
 */
export function goalsMet(reports: { watchdog: Report; targetTracking: Report; oracle: Report }, allowance = 0): Record<Goal, boolean> {
  const { watchdog, targetTracking: tt, oracle } = reports;
  return {
    instanceMinutes: watchdog.instanceMinutes <= tt.instanceMinutes + allowance,
    unserved: watchdog.unservedUnitMinutes <= tt.unservedUnitMinutes + SAME_FIGURE,
    overload: watchdog.overloadMinutes <= tt.overloadMinutes + OVERLOAD_ALLOWANCE,
    actions: bandActions(watchdog) <= ACTIONS_RATIO * tt.actions.length,
    oracle: oracle.unservedUnitMinutes > 0 || watchdog.instanceMinutes <= ORACLE_RATIO * oracle.instanceMinutes,
  };
}

/**
 * Whether target tracking is at least as good on every count (instance-minutes, unserved demand,
 * overload minutes) and better on one: where a goal fails but this does not, the watchdog traded
 * one count for another, and the frontier (frontier.ts) says whether the trade was fair.
 */
export function outdone(watchdog: Report, targetTracking: Report): boolean {
  const counts = (r: Report) => [r.instanceMinutes, r.unservedUnitMinutes, r.overloadMinutes];
  const [ours, theirs] = [counts(watchdog), counts(targetTracking)];
  // Unserved demand within SAME_FIGURE is the same.
  const tolerance = [0, SAME_FIGURE, 0];
  const noBetter = ours.every((x, i) => x >= theirs[i]! - tolerance[i]!);
  const worse = ours.some((x, i) => x > theirs[i]! + tolerance[i]!);
  return noBetter && worse;
}
