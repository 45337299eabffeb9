import { blocked, isConverging, minutesSince, sinceLastAction, type Rule, type TickContext } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { projectionAhead } from '../signals.js';
import { formatPercent, mean, measuredLoads } from '../figures.js';
import type { Blocked } from '../types.js';

/**
 * How many instances the N−1 rule would remove now, or why none: the largest k with
 * projection(k) below the low mark, within min and maxStepDown. The dead rule asks it too.
 */
export function scaleInPlan(ctx: TickContext): { k: number; detail: string } | Blocked | null {
  const { figures, config, conditions, now, previous, signals } = ctx;
  const n = figures.n;
  if (figures.coverage < 1 && figures.avg !== null && n > 1) {
    // The measured part suggests scale-in, but an unknown load may be the one that matters.
    const estimate = (mean(measuredLoads(figures.instances)) * n) / (n - 1);
    if (estimate < signals.lowThreshold && n > figures.min) {
      return blocked('n-minus-1', 'coverage', `with one fewer about ${formatPercent(estimate)}, but only ${figures.measured} of ${n} measured`);
    }
  }
  if (!heldMinutes(conditions, 'low', now, config.lowMinutes)) return null;
  const projection = `with one fewer ${formatPercent(figures.projection1)} < ${formatPercent(signals.lowThreshold)} for ${minutesSince(conditions['low'], now)} min`;
  if (n <= figures.min) return blocked('n-minus-1', 'bounds', `${projection}, but ${n} serving is the minimum ${figures.min}`);
  if (previous.lastScaleUpAt !== null && now - previous.lastScaleUpAt < config.scaleInDelayAfterUpSeconds * 1000) {
    return blocked('n-minus-1', 'scale-in-delay', `${projection}, but the last scale-up was under ${config.scaleInDelayAfterUpSeconds} s ago`);
  }
  if (sinceLastAction(ctx) < config.cooldownSeconds * 1000) {
    return blocked('n-minus-1', 'cooldown', `${projection}, but the last action was under ${config.cooldownSeconds} s ago`);
  }
  if (isConverging(ctx)) return blocked('n-minus-1', 'converging', `${projection}, but the group has not settled at desired ${figures.desired}`);
  const maxStep = config.maxStepDown ?? Math.max(1, Math.floor(0.1 * n));
  let k = 0;
  for (let next = 1; next <= maxStep && n - next >= figures.min; next++) {
    const p = projectionAhead(next, figures, ctx.config);
    if (p === null || p >= signals.lowThreshold) break;
    k = next;
  }
  if (k === 0) return null;
  return { k, detail: projection };
}

/** Rule 7, the N−1 rule: remove instances only while the fleet with fewer would still be below low. */
export const lowBandRule: Rule = (ctx) => {
  const plan = scaleInPlan(ctx);
  if (plan === null) return null;
  if ('why' in plan) return { blocked: [plan] };
  const from = ctx.figures.desired;
  const to = from - plan.k;
  const reason = `n-minus-1: ${plan.detail}; desired ${from} → ${to}`;
  const alertOn = ctx.config.alertOnBandScaling;
  return {
    action: { kind: 'set-desired', from, to, rule: 'n-minus-1', reason },
    ...(alertOn && { actionAlerts: () => [{ key: 'n-minus-1', rule: 'n-minus-1' as const, subject: `${ctx.snapshot.group.name}: scale in, ${reason}` }] }),
  };
};
