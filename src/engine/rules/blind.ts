import { blocked, minutesSince, type AlertDraft, type Rule } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { UNMEASURED_WORDS } from '../figures.js';

/**
 * Rule 1, blind: fewer than half of the serving instances are measured (CloudWatch down, agents
 * dead, most instances new, burstable instances out of CPU credits). Acting on half a picture is
 * how healthy instances get killed and fleets scaled in under load, so nothing later may act;
 * after blindAlertMinutes, one alert.
 *
 * Fewer unmeasured for as long, for a reason that does not pass by itself (out of CPU credits,
 * datapoints missing, too few or stale: Signals.unmeasured), are told of too: each blocks every
 * scale-in (the N−1 rule wants every instance measured), and nothing else would say why the
 * fleet stays large.
 */
export const blindRule: Rule = (ctx) => {
  const { figures, conditions, now, config, snapshot, signals } = ctx;
  if (!signals.blind) {
    if (signals.unmeasured.length === 0 || !heldMinutes(conditions, 'unmeasured', now, config.blindAlertMinutes)) return null;
    const which = signals.unmeasured.map((u) => `${u.id} ${UNMEASURED_WORDS[u.why]}`).join(', ');
    const subject = `${snapshot.group.name}: ${signals.unmeasured.length} of ${figures.n} serving unmeasured for ${minutesSince(conditions['unmeasured'], now)} min (${which}); no scale-in until every one is measured`;
    return { alerts: [{ key: 'unmeasured', rule: 'blind', subject }] };
  }
  const minutes = minutesSince(conditions['blind'], now);
  const capped = signals.unmeasured.filter((u) => u.why === 'out-of-credits').length;
  const detail = `${figures.measured} of ${figures.n} instances measured for ${minutes} min${capped > 0 ? ` (${capped} ${UNMEASURED_WORDS['out-of-credits']})` : ''}`;
  const alerts: AlertDraft[] = heldMinutes(conditions, 'blind', now, config.blindAlertMinutes)
    ? [{ key: 'blind', rule: 'blind', subject: `${snapshot.group.name}: blind, ${detail}; no scaling and no kills` }]
    : [];
  return { halt: true, blocked: [blocked('blind', 'blind', detail)], alerts };
};
