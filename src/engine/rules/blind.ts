import { clockOff, clockWords } from '../clock.js';
import { blocked, minutesSince, type AlertDraft, type Rule, type TickContext } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { ONE_MINUTE_CPU, lacksOneMinuteCpu, UNMEASURED_WORDS } from '../figures.js';
import type { UnmeasuredWhy } from '../types.js';

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
 *
 * Blind in time: a host clock off AWS's places CloudWatch's minutes and the instances' ages
 * wrongly. The rails hold every scale-in and kill while it lasts; this rule tells at once, since
 * it does not pass by itself.
 */
export const blindRule: Rule = (ctx) => {
  const { figures, conditions, now, config, snapshot, signals } = ctx;
  const alerts = clockAlerts(ctx);
  if (!signals.blind) {
    if (signals.unmeasured.length > 0 && heldMinutes(conditions, 'unmeasured', now, config.blindAlertMinutes)) {
      const which = signals.unmeasured.map((u) => `${u.id} ${UNMEASURED_WORDS[u.why]}`).join(', ');
      const subject = `${snapshot.group.name}: ${signals.unmeasured.length} of ${figures.n} serving unmeasured for ${minutesSince(conditions['unmeasured'], now)} min (${which}${monitoringHint(ctx)}); no scale-in until every one is measured`;
      alerts.push({ key: 'unmeasured', rule: 'blind', subject });
    }
    return alerts.length === 0 ? null : { alerts };
  }
  const minutes = minutesSince(conditions['blind'], now);
  const why = lastingCounts(ctx);
  const detail = `${figures.measured} of ${figures.n} instances measured for ${minutes} min${why === '' ? '' : ` (${why}${monitoringHint(ctx)})`}`;
  if (heldMinutes(conditions, 'blind', now, config.blindAlertMinutes)) alerts.push({ key: 'blind', rule: 'blind', subject: `${snapshot.group.name}: blind, ${detail}; no scaling and no kills` });
  return { halt: true, blocked: [blocked('blind', 'blind', detail)], alerts };
};

/**
 * The serving instances unmeasured for a reason that does not pass by itself, counted by it:
 * `4 too few datapoints`, `2 out of CPU credits, 1 stale`. Where CloudWatch did not answer, the
 * tick's warning says why, and every instance has no datapoints: nothing.
 */
function lastingCounts({ snapshot, signals }: TickContext): string {
  if (!snapshot.metricsOk) return '';
  const counts = new Map<UnmeasuredWhy, number>();
  for (const u of signals.unmeasured) counts.set(u.why, (counts.get(u.why) ?? 0) + 1);
  return [...counts].map(([why, count]) => `${count} ${UNMEASURED_WORDS[why]}`).join(', ');
}

/** `: CPU every minute needs detailed monitoring` (ONE_MINUTE_CPU) where CloudWatch answered and an instance lacks its datapoints (lacksOneMinuteCpu). */
function monitoringHint({ snapshot, signals }: TickContext): string {
  return snapshot.metricsOk && signals.unmeasured.some((u) => lacksOneMinuteCpu(u.why)) ? `: ${ONE_MINUTE_CPU}` : '';
}

function clockAlerts(ctx: TickContext): AlertDraft[] {
  const off = clockOff(ctx.snapshot, ctx.config);
  if (off === null) return [];
  const subject = `${ctx.snapshot.group.name}: ${clockWords(off)} (by AWS's answers): CloudWatch's minutes cannot be placed; no scale-in and no kill until it is set right (chrony, ntpd or systemd-timesyncd)`;
  return [{ key: 'clock', rule: 'blind', subject }];
}
