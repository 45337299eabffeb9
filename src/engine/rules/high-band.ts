import { blocked, isConverging, minutesSince, sinceLastAction, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { formatPercent } from '../figures.js';
import { neededForTarget } from './saturated.js';

/**
 * Rule 6, high band: the fleet average above `high` for highMinutes → enough instances to bring
 * it to the middle of the band, at most maxStepUp at once. Launches still pending count as
 * capacity, as AWS target tracking counts instances in warm-up.
 */
export const highBandRule: Rule = (ctx) => {
  const { figures, config, conditions, now, signals, snapshot } = ctx;
  if (!heldMinutes(conditions, 'high', now, config.highMinutes)) return null;
  const n = figures.n;
  const detail = `average ${formatPercent(figures.avg)} > ${formatPercent(signals.highThreshold)} for ${minutesSince(conditions['high'], now)} min`;
  if (n >= figures.max) return { blocked: [blocked('high-band', 'bounds', `${detail}, but ${n} serving is the maximum ${figures.max}`)] };
  const maxStep = config.maxStepUp ?? Math.max(1, Math.ceil(0.5 * n));
  const to = Math.min(figures.max, n + maxStep, Math.max(n + 1, neededForTarget(ctx)));
  if (to <= figures.desired) {
    return { blocked: [blocked('high-band', 'converging', `${detail}; desired ${figures.desired} already covers ${to}`)] };
  }
  if (sinceLastAction(ctx) < config.cooldownSeconds * 1000 && !isConverging(ctx)) {
    return { blocked: [blocked('high-band', 'cooldown', `${detail}; last action under ${config.cooldownSeconds} s ago`)] };
  }
  const reason = `high-band: ${detail}; desired ${figures.desired} → ${to}`;
  return {
    action: { kind: 'set-desired', from: figures.desired, to, rule: 'high-band', reason },
    ...(config.alertOnBandScaling && { actionAlerts: () => [{ key: 'high-band', rule: 'high-band' as const, subject: `${snapshot.group.name}: scale out, ${reason}` }] }),
  };
};
