import { loadOn, loadSource } from '../band-words.js';
import { blocked, type Rule } from '../context.js';
import { formatPercent } from '../figures.js';
import { scaleOutSize, stepUpLimit } from '../sizing.js';

/**
 * Rule 6, high band: the scale-out load (sizing.ts) would run the desired count above the high
 * mark → enough instances for the level at the middle of the band and for the load ahead at the
 * high mark (scaleOutSize), at least one more, at most maxStepUp
 * (n: the fleet at most doubles) more than serve. The load is the fleet's, in instances' worth,
 * and it is compared with desired: launches pending and instances warming up are capacity on its
 * way, so a step already taken is never taken twice, and no cooldown is needed.
 */
export const highBandRule: Rule = (ctx) => {
  const { figures, config, sizing, signals, snapshot, capacity } = ctx;
  if (!config.bandRules || sizing === null || figures.n === 0) return null;
  const ordered = Math.max(1, figures.desired);
  if (sizing.out / capacity.of(ordered) <= signals.highThreshold) return null;
  const detail = `${loadOn(sizing.out, ordered, loadSource(sizing, 'out', config), 0, capacity)} > ${formatPercent(signals.highThreshold)}`;
  if (figures.desired >= figures.max) return { blocked: [blocked('high-band', 'bounds', `${detail}, but desired ${figures.desired} is the maximum ${figures.max}`)] };
  const maxStep = stepUpLimit(figures.n, config);
  const to = scaleOutSize(sizing, { ...figures, capacity }, config, maxStep);
  if (to <= figures.desired) {
    return { blocked: [blocked('high-band', 'converging', `${detail}; ${figures.desired - figures.n} launching already, at most ${maxStep} more than the ${figures.n} serving at once`)] };
  }
  const reason = `high-band: ${detail}; desired ${figures.desired} → ${to}`;
  return {
    action: { kind: 'set-desired', from: figures.desired, to, rule: 'high-band', reason },
    ...(config.alertOnBandScaling && { actionAlerts: () => [{ key: 'high-band', rule: 'high-band' as const, subject: `${snapshot.group.name}: scale out, ${reason}` }] }),
  };
};
