import { loadOn, loadSource } from '../band-words.js';
import { blocked, isConverging, sinceLastAction, type Rule, type TickContext } from '../context.js';
import { formatPercent } from '../figures.js';
import { scaleInSize, scaleInWaitSeconds, stepDownLimit } from '../sizing.js';
import type { Blocked } from '../types.js';

/**
 * What the N−1 rule would do now: the desired count it would set, or why it may not, or null
 * when the fleet with one fewer would not be below the scale-in mark. The dead rule asks it too.
 */
export function scaleInPlan(ctx: TickContext): { to: number; detail: string } | Blocked | null {
  const { figures, config, now, previous, signals, sizing } = ctx;
  const n = figures.n;
  if (!config.bandRules || sizing === null || n < 2 || sizing.in / (n - 1) >= signals.lowThreshold) return null;
  const detail = `${loadOn(sizing.in, n - 1, loadSource(sizing, 'in', config))} < ${formatPercent(signals.lowThreshold)}`;
  // An unmeasured instance's load is unknown, and it may be the one that matters.
  if (figures.coverage < 1) return blocked('n-minus-1', 'coverage', `${detail}, but only ${figures.measured} of ${n} measured`);
  if (n <= figures.min) return blocked('n-minus-1', 'bounds', `${detail}, but ${n} serving is the minimum ${figures.min}`);
  if (sizing.minutes < config.recentWindowMinutes) {
    return blocked('n-minus-1', 'history', `${detail}, but only ${sizing.minutes} of the ${config.recentWindowMinutes} minutes of fleet load a scale-in reads are known`);
  }
  if (previous.lastScaleUpAt !== null && now - previous.lastScaleUpAt < config.scaleInDelayAfterUpSeconds * 1000) {
    return blocked('n-minus-1', 'scale-in-delay', `${detail}, but the last scale-up was under ${config.scaleInDelayAfterUpSeconds} s ago`);
  }
  if (isConverging(ctx)) return blocked('n-minus-1', 'converging', `${detail}, but the group has not settled at desired ${figures.desired}`);
  const maxStep = stepDownLimit(n, config);
  const to = scaleInSize(sizing, figures, { scaleIn: signals.lowThreshold, high: signals.highThreshold }, maxStep);
  // The scale-out load on fewer would cross the high mark: the same minutes cannot call for both.
  if (to >= n) return null;
  // No scale-in within the cooldown of the last action, twice that for a small step.
  const wait = scaleInWaitSeconds(n, n - to, config);
  if (sinceLastAction(ctx) < wait * 1000) {
    const why = wait > config.cooldownSeconds ? `a step of ${n - to} of ${n} waits ${wait} s after the last action` : `the last action was under ${wait} s ago`;
    return blocked('n-minus-1', 'cooldown', `${detail}, but ${why}`);
  }
  return { to, detail };
}

/**
 * Rule 7, the N−1 rule: remove instances only while the fleet with fewer would still be below
 * the scale-in mark, as many as that allows (at most maxStepDown, ⌊n / 2⌋) in one step.
 */
export const lowBandRule: Rule = (ctx) => {
  const plan = scaleInPlan(ctx);
  if (plan === null) return null;
  if ('why' in plan) return { blocked: [plan] };
  const from = ctx.figures.desired;
  const reason = `n-minus-1: ${plan.detail}; desired ${from} → ${plan.to}`;
  const alertOn = ctx.config.alertOnBandScaling;
  return {
    action: { kind: 'set-desired', from, to: plan.to, rule: 'n-minus-1', reason },
    ...(alertOn && { actionAlerts: () => [{ key: 'n-minus-1', rule: 'n-minus-1' as const, subject: `${ctx.snapshot.group.name}: scale in, ${reason}` }] }),
  };
};
