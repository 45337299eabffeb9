// The cost–service frontier (`simulate --frontier`): each policy over a sweep of its own main knob,
// instance-minutes against unserved demand, so that a reader sees whether one policy is better at
// every cost or only at the defaults (docs/simulation.md, "The frontier").
import { resolveConfig } from '../config/index.js';
import { HpaPolicy } from './policies/hpa.js';
import type { Policy, PolicyName } from './policies/policy.js';
import { TargetTrackingPolicy, TEN_SECONDS } from './policies/target-tracking.js';
import { WatchdogPolicy } from './policies/watchdog.js';
import { runPolicy, SAME_FIGURE } from './run.js';
import type { Scenario } from './scenario.js';

const every = (from: number, to: number, step: number): number[] => Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);
/** Target tracking's and the HPA's target CPU, %, every 2.5 points (77.5 is their default here). */
export const TARGETS: readonly number[] = every(50, 90, 2.5);
/** The watchdog's high mark, %, every 2.5 points: the whole band moves with it (70-85 by default); urgent stays 95 or above. */
export const HIGH_MARKS: readonly number[] = every(55, 95, 2.5);

export interface FrontierPoint {
  /** The knob's value: the target, or the watchdog's high mark; null for a policy without one. */
  knob: number | null;
  isDefault: boolean;
  instanceMinutes: number;
  unservedUnitMinutes: number;
  overloadMinutes: number;
  actions: number;
}

export interface FrontierCurve {
  policy: PolicyName;
  /** What was swept: `target` (%), `high` (%), or nothing (one point). */
  knob: 'target' | 'high' | null;
  points: FrontierPoint[];
}

/** How the watchdog's curve lies against another's: at each of its points within the watchdog's range of cost. */
export interface Dominance {
  rival: PolicyName;
  /** The rival's points whose instance-minutes the watchdog's curve spans. */
  compared: number;
  /** Of those, where the watchdog leaves no more unserved demand (or the figure told) at the same instance-minutes. */
  atOrBelow: number;
  /** The rival's points cheaper or dearer than any of the watchdog's. */
  outside: number;
}

export interface Frontier {
  scenario: string;
  minutes: number;
  curves: FrontierCurve[];
  dominance: Dominance[];
}

/** The knob each policy is swept over, and the policy at one of its values. */
function sweep(name: PolicyName, scenario: Scenario): { knob: FrontierCurve['knob']; values: Array<{ knob: number | null; isDefault: boolean; policy?: Policy }> } {
  const { low, high } = scenario.config;
  const target = (low + high) / 2;
  const targets = [...new Set([...TARGETS, target])].sort((a, b) => a - b);
  switch (name) {
    case 'watchdog': {
      const marks = [...new Set([...HIGH_MARKS, high])].sort((a, b) => a - b);
      return {
        knob: 'high',
        values: marks.map((mark) => {
          const shift = mark - high;
          const { scaleInMark, urgent } = scenario.config;
          const band = resolveConfig(
            { ...scenario.config, high: mark, low: low + shift, urgent: Math.max(urgent, mark + 1), scaleInMark: scaleInMark === null ? null : scaleInMark + shift },
            `the watchdog at high ${mark}`,
          );
          return { knob: mark, isDefault: mark === high, policy: new WatchdogPolicy(band) };
        }),
      };
    }
    case 'target-tracking':
      return { knob: 'target', values: targets.map((t) => ({ knob: t, isDefault: t === target, policy: new TargetTrackingPolicy(t) })) };
    case 'target-tracking-fast':
      return { knob: 'target', values: targets.map((t) => ({ knob: t, isDefault: t === target, policy: new TargetTrackingPolicy(t, TEN_SECONDS) })) };
    case 'hpa':
      return { knob: 'target', values: targets.map((t) => ({ knob: t, isDefault: t === target, policy: new HpaPolicy(t) })) };
    case 'seed':
    case 'oracle':
      return { knob: null, values: [{ knob: null, isDefault: true }] };
  }
}

export function frontierCurve(scenario: Scenario, name: PolicyName): FrontierCurve {
  const { knob, values } = sweep(name, scenario);
  const points = values.map((v) => {
    const { report } = runPolicy(scenario, name, v.policy);
    return {
      knob: v.knob,
      isDefault: v.isDefault,
      instanceMinutes: report.instanceMinutes,
      unservedUnitMinutes: report.unservedUnitMinutes,
      overloadMinutes: report.overloadMinutes,
      actions: report.actions.length,
    };
  });
  return { policy: name, knob, points };
}

/** What a curve can be read at: unserved demand (the frontier's), or minutes above the high mark. */
export type FrontierFigure = 'unservedUnitMinutes' | 'overloadMinutes';

/**
 * A figure of a curve at a given cost (unserved demand unless told): linear between its two points
 * around it (its points in order of instance-minutes); null outside its range.
 */
export function figureAt(curve: readonly FrontierPoint[], instanceMinutes: number, figure: FrontierFigure = 'unservedUnitMinutes'): number | null {
  const points = [...curve].sort((a, b) => a.instanceMinutes - b.instanceMinutes);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p.instanceMinutes === instanceMinutes) return p[figure];
    const next = points[i + 1];
    if (next && p.instanceMinutes < instanceMinutes && instanceMinutes < next.instanceMinutes) {
      const share = (instanceMinutes - p.instanceMinutes) / (next.instanceMinutes - p.instanceMinutes);
      return p[figure] + share * (next[figure] - p[figure]);
    }
  }
  return null;
}

/** Where the watchdog's curve lies against each swept rival's points, on unserved demand unless told. */
export function dominance(watchdog: FrontierCurve, rivals: readonly FrontierCurve[], figure: FrontierFigure = 'unservedUnitMinutes'): Dominance[] {
  return rivals
    .filter((r) => r.knob !== null && r.policy !== 'watchdog')
    .map((rival) => {
      let compared = 0;
      let atOrBelow = 0;
      for (const p of rival.points) {
        const ours = figureAt(watchdog.points, p.instanceMinutes, figure);
        if (ours === null) continue;
        compared++;
        if (ours <= p[figure] + SAME_FIGURE) atOrBelow++;
      }
      return { rival: rival.policy, compared, atOrBelow, outside: rival.points.length - compared };
    });
}

/** Every named policy over its sweep; the watchdog's curve against the others when it is among them. */
export function frontier(scenario: Scenario, names: readonly PolicyName[]): Frontier {
  const curves = names.map((name) => frontierCurve(scenario, name));
  const watchdog = curves.find((c) => c.policy === 'watchdog');
  return { scenario: scenario.name, minutes: scenario.durationMinutes, curves, dominance: watchdog ? dominance(watchdog, curves) : [] };
}
