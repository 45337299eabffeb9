import { blocked, minutesSince, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { loweringOf, scaleInPlan } from './low-band.js';
import { terminate, terminateAlert } from './terminate.js';
import type { InstanceView } from '../types.js';

/**
 * Rule 5, detached: the load balancer has had the instance out for detachedKillMinutes while it
 * keeps running (and costing). Terminate it; keep the count (the group launches a fresh one)
 * unless the N−1 rule would scale in now anyway, as for a dead instance. When more than half the
 * fleet is out, the fault is the application or the balancer: kill nothing, alert.
 */
/**
 * `, not registered in it`: failing its health checks is the balancer's verdict; not registered
 * is someone's act (a deploy that deregistered it, docs/operations.md) or a registration that
 * never happened.
 */
function outOfBalancerWords(why: InstanceView['outOfBalancer']): string {
  return why === 'failing-checks' ? ', failing its health checks' : why === 'not-registered' ? ', not registered in it' : '';
}

export const detachedRule: Rule = (ctx) => {
  const { signals, conditions, now, config, figures, snapshot } = ctx;
  if (signals.detached.length === 0) return null;
  if (signals.massDetach) {
    const detail = `${signals.outCount} of ${figures.n} serving instances are out of the load balancer`;
    return {
      blocked: [blocked('detached', 'mass-detach', `${detail}; not killing any`)],
      alerts: [{ key: 'mass-detach', rule: 'detached', subject: `${snapshot.group.name}: ${detail}; check the application and the balancer` }],
    };
  }
  for (const id of signals.detached) {
    const key = `detached:${id}`;
    if (!heldMinutes(conditions, key, now, config.detachedKillMinutes)) continue;
    const why = outOfBalancerWords(snapshot.instances.find((v) => v.id === id)?.outOfBalancer);
    const reason = `detached: ${id} out of the load balancer for ${minutesSince(conditions[key], now)} min${why}`;
    return { action: terminate(ctx, id, loweringOf(scaleInPlan(ctx, 'one-out-of-balancer')), 'detached', reason), actionAlerts: terminateAlert(ctx, `out of the load balancer${why}`) };
  }
  return null;
};
