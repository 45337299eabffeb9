import { blocked, minutesSince, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';

/**
 * Rule 1, blind: fewer than half of the serving instances are measured (CloudWatch down, agents
 * dead, most instances new). Acting on half a picture is how healthy instances get killed and
 * fleets scaled in under load, so nothing later may act; after blindAlertMinutes, one alert.
 */
export const blindRule: Rule = (ctx) => {
  const { figures, conditions, now, config, snapshot } = ctx;
  if (!ctx.signals.blind) return null;
  const minutes = minutesSince(conditions['blind'], now);
  const detail = `${figures.measured} of ${figures.n} instances measured for ${minutes} min`;
  const alerts = heldMinutes(conditions, 'blind', now, config.blindAlertMinutes)
    ? [{ key: 'blind', rule: 'blind' as const, subject: `${snapshot.group.name}: blind, ${detail}; no scaling and no kills` }]
    : [];
  return { halt: true, blocked: [blocked('blind', 'blind', detail)], alerts };
};
