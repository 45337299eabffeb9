import { blocked, minutesSince, type Rule, type RuleResult } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { mean } from '../figures.js';
import type { ZoneExplanation } from '../signals.js';
import { terminate, terminateAlert, vs } from './terminate.js';

/**
 * Rule 2, runaway: an instance pinned near 100 % far above its working peers (a runaway
 * process, `yes > /dev/null`). First an emergency +1, so the fleet does not lose capacity when
 * it goes; if it is still a hot outlier after hotKillMinutes, terminate it.
 */
export const runawayRule: Rule = (ctx) => {
  const { signals, conditions, now, config, figures, previous, snapshot } = ctx;
  const result: Required<Pick<RuleResult, 'blocked' | 'alerts'>> = { blocked: [], alerts: [] };
  const longestFirst = [...signals.runaways].sort(
    (a, b) => conditions[`runaway:${a.id}`]! - conditions[`runaway:${b.id}`]! || a.id.localeCompare(b.id),
  );
  for (const r of longestFirst) {
    const key = `runaway:${r.id}`;
    const minutes = minutesSince(conditions[key], now);
    const figuresText = `${r.id} ${vs(r.load, r.peers)} of its working peers for ${minutes} min`;
    if (heldMinutes(conditions, key, now, config.hotKillMinutes) && r.zone !== undefined) {
      const detail = zoneExplains(r.id, r.zone);
      result.blocked.push(blocked('runaway', 'not-killable', detail));
      result.alerts.push({ key: `zone:${r.id}`, rule: 'runaway', subject: `${snapshot.group.name}: not terminating ${detail}; a balancer that splits the traffic by zone overloads the smaller ones: turn cross-zone load balancing on` });
      continue;
    }
    if (heldMinutes(conditions, key, now, config.hotKillMinutes)) {
      const others = figures.instances.filter((i) => i.id !== r.id && i.load !== null).map((i) => i.load!);
      // Take back our own +1 only when the rest of the fleet does not need it.
      const decrement = previous.emergencies[r.id] !== undefined && mean(others) < config.high;
      const action = terminate(ctx, r.id, decrement, 'runaway', `runaway: ${figuresText}`);
      return { ...result, action, actionAlerts: terminateAlert(ctx, `runaway, ${vs(r.load, r.peers)}`) };
    }
    if (previous.emergencies[r.id] !== undefined) continue; // +1 made; waiting for the hold
    const to = figures.n + 1;
    // Its zone may explain it: told so from the first, not as a runaway (the +1 evens the zones).
    const subject = r.zone === undefined ? `${snapshot.group.name}: ${r.id} runaway (${vs(r.load, r.peers)})` : `${snapshot.group.name}: ${r.id} pinned (${vs(r.load, r.peers)}), as ${zoneShare(r.zone)}`;
    const then = r.zone === undefined ? `terminating it after ${config.hotKillMinutes} min` : `terminating it after ${config.hotKillMinutes} min only if the zones do not explain it then`;
    if (to > figures.max) {
      result.blocked.push(blocked('runaway', 'bounds', `no emergency +1: ${figures.n} serving, max ${figures.max}`));
    } else if (to > figures.desired) {
      const evens = r.zone === undefined ? '' : ' (launched in the smallest zone)';
      const action = { kind: 'set-desired' as const, from: figures.desired, to, rule: 'runaway' as const, instance: r.id, reason: `runaway: ${figuresText}${r.zone === undefined ? '' : `, as ${zoneShare(r.zone)}`}; emergency +1${evens}` };
      return { ...result, action, actionAlerts: (a) => [{ key, rule: 'runaway', subject: `${subject}; emergency +1${evens}, desired ${a.from} → ${a.to}` }] };
    }
    result.alerts.push({ key, rule: 'runaway', subject: `${subject}; ${then}` });
  }
  return result.blocked.length + result.alerts.length > 0 ? result : null;
};

/** `i-0 is the only one of 5 serving in us-east-1c, 2 in us-east-1a: ...`. */
function zoneExplains(id: string, z: ZoneExplanation): string {
  return `${id} is ${zoneShare(z)}, and that explains its CPU`;
}

/** `the only one of 5 serving in us-east-1c, 2 in us-east-1a: without cross-zone balancing its share is 2.0 × theirs`. */
function zoneShare(z: ZoneExplanation): string {
  const which = z.count === 1 ? 'the only one' : `one of ${z.count}`;
  return `${which} of ${z.n} serving in ${z.name}, ${z.largestCount} in ${z.largest}: without cross-zone balancing its share is ${(z.largestCount / z.count).toFixed(1)} × theirs`;
}
