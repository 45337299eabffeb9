import { blocked, isConverging, minutesSince, sinceLastAction, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { formatPercent } from '../figures.js';
import { neededForTarget } from './saturated.js';

/**
 * Rule 6, high band: the fleet average above `high` for highMinutes → enough instances to bring
 * the measured load to the middle of the band, at least one more, at most maxStepUp at once.
 * While the group is still converging (launches pending, instances warming up) the metrics are
 * older than the capacity: only what the measured load proves missing is added, with no +1 and
 * no cooldown, as AWS target tracking counts warming instances as capacity. Once converged, the
 * cooldown since the last action applies.
 */
export const highBandRule: Rule = (ctx) => {
  const { figures, config, conditions, now, signals, snapshot } = ctx;
  const high = heldMinutes(conditions, 'high', now, config.highMinutes);
  // The trend is a regression over the whole window, already steadier than one reading: a shorter hold.
  const rising = !high && heldMinutes(conditions, 'rising', now, config.riseMinutes);
  if (!high && !rising) return null;
  const n = figures.n;
  const detail = high
    ? `average ${formatPercent(figures.avg)} > ${formatPercent(signals.highThreshold)} for ${minutesSince(conditions['high'], now)} min`
    : `average ${formatPercent(figures.avg)} rising ${figures.trend!.toFixed(1)} points/min towards ${formatPercent(signals.highThreshold)} for ${minutesSince(conditions['rising'], now)} min`;
  if (n >= figures.max) return { blocked: [blocked('high-band', 'bounds', `${detail}, but ${n} serving is the maximum ${figures.max}`)] };
  const maxStep = config.maxStepUp ?? Math.max(1, Math.ceil(0.5 * n));
  const converging = isConverging(ctx);
  const needed = neededForTarget(ctx, true);
  const to = Math.min(figures.max, n + maxStep, converging ? needed : Math.max(n + 1, needed));
  if (to <= figures.desired) {
    return { blocked: [blocked('high-band', 'converging', `${detail}; desired ${figures.desired} already covers ${to}`)] };
  }
  if (!converging && sinceLastAction(ctx) < config.cooldownSeconds * 1000) {
    return { blocked: [blocked('high-band', 'cooldown', `${detail}; last action under ${config.cooldownSeconds} s ago`)] };
  }
  const reason = `high-band: ${detail}; desired ${figures.desired} → ${to}`;
  return {
    action: { kind: 'set-desired', from: figures.desired, to, rule: 'high-band', reason },
    ...(config.alertOnBandScaling && { actionAlerts: () => [{ key: 'high-band', rule: 'high-band' as const, subject: `${snapshot.group.name}: scale out, ${reason}` }] }),
  };
};
