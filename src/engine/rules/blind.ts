import { blocked, minutesSince, type AlertDraft, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';

/**
 * Rule 1, blind: fewer than half of the serving instances are measured (CloudWatch down, agents
 * dead, most instances new, burstable instances out of CPU credits). Acting on half a picture is
 * how healthy instances get killed and fleets scaled in under load, so nothing later may act;
 * after blindAlertMinutes, one alert.
 *
 * Instances out of CPU credits for as long are told of even when most of the fleet is measured:
 * the CPU of each reads its baseline, not its load, so no scale-in is made while one is (the
 * N−1 rule wants every instance measured), and nothing else would say why.
 */
export const blindRule: Rule = (ctx) => {
  const { figures, conditions, now, config, snapshot, signals } = ctx;
  const capped = signals.outOfCredits;
  const cappedWords = capped.length === 1 ? `${capped[0]} is out of CPU credits, capped at its baseline` : `${capped.length} instances are out of CPU credits, capped at their baseline`;
  if (!signals.blind) {
    if (capped.length === 0 || !heldMinutes(conditions, 'out-of-credits', now, config.blindAlertMinutes)) return null;
    const minutes = minutesSince(conditions['out-of-credits'], now);
    return { alerts: [{ key: 'out-of-credits', rule: 'blind', subject: `${snapshot.group.name}: ${cappedWords} for ${minutes} min; no scale-in while a capped CPU hides the load` }] };
  }
  const minutes = minutesSince(conditions['blind'], now);
  const detail = `${figures.measured} of ${figures.n} instances measured for ${minutes} min${capped.length > 0 ? ` (${cappedWords})` : ''}`;
  const alerts: AlertDraft[] = heldMinutes(conditions, 'blind', now, config.blindAlertMinutes)
    ? [{ key: 'blind', rule: 'blind', subject: `${snapshot.group.name}: blind, ${detail}; no scaling and no kills` }]
    : [];
  return { halt: true, blocked: [blocked('blind', 'blind', detail)], alerts };
};
