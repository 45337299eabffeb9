import { minutesSince, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { loweringOf, scaleInPlan } from './low-band.js';
import { terminate, terminateAlert, vs } from './terminate.js';

/**
 * Rule 4, dead: an instance near 0 % while the others clearly work (dropped by the balancer, a
 * hung service) costs money and serves nothing. Terminate it after coldKillMinutes; keep the
 * count (the group replaces it) unless the N−1 rule would scale in now anyway.
 */
export const deadRule: Rule = (ctx) => {
  const { signals, conditions, now, config } = ctx;
  for (const d of signals.dead) {
    const key = `dead:${d.id}`;
    if (!heldMinutes(conditions, key, now, config.coldKillMinutes)) continue;
    const reason = `dead: ${d.id} ${vs(d.load, d.peers)} of the others for ${minutesSince(conditions[key], now)} min`;
    return { action: terminate(ctx, d.id, loweringOf(scaleInPlan(ctx)), 'dead', reason), actionAlerts: terminateAlert(ctx, `dead, ${vs(d.load, d.peers)}`) };
  }
  return null;
};
