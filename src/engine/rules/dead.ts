import { blocked, minutesSince, type Rule, type RuleResult } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { coldKey, deadKey, type Outlier } from '../signals.js';
import { formatPercent } from '../figures.js';
import type { Snapshot } from '../types.js';
import { loweringOf, scaleInPlan } from './low-band.js';
import { servesWords, takeBackOwnPlusOne, terminate, terminateAlert, vs } from './terminate.js';

/**
 * Rule 4, dead: an instance near 0 % while the others clearly work (dropped by the balancer, a
 * hung service) costs money and serves nothing. Terminate it after coldKillMinutes; keep the
 * count (the group replaces it) unless the N−1 rule would scale in now anyway. With no more than
 * twice as many at work as quiet (`unproven`), it may be a healthy one beside runaways climbing
 * through the working range: killed only once an instance launched since it was first seen
 * works, and for that, where none was launched, an emergency +1 first.
 */
export const deadRule: Rule = (ctx) => {
  const { signals, conditions, now, config, previous, figures, snapshot } = ctx;
  const result: Required<Pick<RuleResult, 'blocked' | 'alerts'>> = { blocked: [], alerts: [] };
  for (const s of signals.serving) if (s.reading === 'dead') result.blocked.push(blocked('dead', 'serves', servesWords(s)));
  // Since it was first seen, or since its +1 (ordered then; the hold may have begun again since).
  const sinceOf = (d: Outlier) => Math.min(conditions[deadKey(d)] ?? Number.POSITIVE_INFINITY, previous.emergencies[d.id] ?? Number.POSITIVE_INFINITY);
  // One +1 serves all: once one was made, or an instance launched, since the first of them was
  // seen, no other (one launched and idling reads dead itself, on its own hold).
  const firstSeen = Math.min(...signals.dead.filter((d) => d.unproven !== undefined).map(sinceOf));
  for (const d of signals.dead) {
    const key = deadKey(d);
    if (!heldMinutes(conditions, key, now, config.coldKillMinutes)) continue;
    // Beside a single other, nothing before NetworkOut says it sends less than its share. Told of
    // meanwhile, as one far below its share: the one way the operator learns of a hang behind
    // checks that pass, half the requests lost; under a key of its own, so that the +1's mail,
    // once NetworkOut is read and says it, is no repeat of this one.
    if (d.oneWitness?.heard === false) {
      result.blocked.push(blocked('dead', 'not-killable', `${d.id} reads dead beside its single other (${vs(d.load, d.peers)}), but what it sends is unread (NetworkOut): CPU alone cannot tell it from a healthy one idling beside one busy on its own`));
      result.alerts.push({ key: `dead-unread:${d.id}`, rule: 'dead', subject: unreadWords(d, minutesSince(conditions[key], now), snapshot.group.name) });
      continue;
    }
    const figuresText = `${d.id} ${vs(d.load, d.peers)} of the others for ${minutesSince(conditions[key], now)} min`;
    const since = sinceOf(d);
    if (d.unproven === undefined || d.unproven.newestWorking >= since) {
      const proof = d.unproven === undefined ? '' : ', and one launched since works';
      const lowering = takeBackOwnPlusOne(ctx, d.id) ?? loweringOf(scaleInPlan(ctx));
      return { action: terminate(ctx, d.id, lowering, 'dead', `dead: ${figuresText}${proof}`), actionAlerts: terminateAlert(ctx, `dead, ${vs(d.load, d.peers)}`) };
    }
    // A +1 made since, or one launched since (on its way, or idling too: then the ones at work are the odd ones): wait.
    if (Object.values(previous.emergencies).some((at) => at >= firstSeen) || newestLaunch(snapshot) >= firstSeen) continue;
    const beside = `only ${d.unproven.working} of ${d.unproven.working + d.unproven.quiet} at work`;
    const subject = `${snapshot.group.name}: ${d.id} dead (${vs(d.load, d.peers)}), ${beside}`;
    const to = figures.n + 1;
    if (to > figures.max) {
      result.blocked.push(blocked('dead', 'bounds', `no emergency +1: ${figures.n} serving, max ${figures.max}`));
      result.alerts.push({ key, rule: 'dead', subject: `${subject}; ${unprovenAtMax(d, figures.max, snapshot.group.name)}` });
    } else if (to > figures.desired) {
      const action = { kind: 'set-desired' as const, from: figures.desired, to, rule: 'dead' as const, instance: d.id, reason: `dead: ${figuresText}, ${beside}; emergency +1` };
      const then = 'terminating it once an instance launched since works (not idling too, as beside runaways climbing on their own)';
      return { ...result, action, actionAlerts: (a) => [{ key, rule: 'dead', subject: `${subject}; emergency +1, desired ${a.from} → ${a.to}; ${then}` }] };
    }
  }
  // Far below its share above coldLoad, held as long as a dead one before its kill: told of, never killed.
  for (const c of signals.cold) {
    const key = coldKey(c);
    if (heldMinutes(conditions, key, now, config.coldKillMinutes)) result.alerts.push({ key, rule: 'dead', subject: coldWords(c, minutesSince(conditions[key], now), config.coldLoad, snapshot.group.name) });
  }
  return result.blocked.length + result.alerts.length > 0 ? result : null;
};

/**
 * `web: i-0 far below its share for 5 min (CPU 6.0 % vs 100.0 % of the others, above the 4.0 % a
 * dead one reads): ...`.
 */
function coldWords(c: Outlier, minutes: number, coldLoad: number, group: string): string {
  return `${group}: ${c.id} far below its share for ${minutes} min (${vs(c.load, c.peers)} of the others, above the ${formatPercent(coldLoad)} a dead one reads): a hang whose web server answers every request at once with an error page (behind least-outstanding-requests balancing it is sent more than its share), or work of its own; not terminated, and no scale-in while it reads so: look at it, and replace it with \`asg-watchdog instances -g ${group} --kill ${c.id}\` if it fails its requests`;
}

/**
 * `web: i-0 reads dead beside its single other for 5 min (CPU 0.5 % vs 60.0 %), what it sends
 * unread (NetworkOut): ...`.
 */
function unreadWords(d: Outlier, minutes: number, group: string): string {
  return `${group}: ${d.id} reads dead beside its single other for ${minutes} min (${vs(d.load, d.peers)}), what it sends unread (NetworkOut): a hang behind a web server that still passes the balancer's checks (half the requests lost), or a healthy one idling beside one busy on its own (a nightly job), which CPU alone cannot tell apart; not terminated: look at it, and replace it with \`asg-watchdog instances -g ${group} --kill ${d.id}\` if it fails its requests`;
}

/** When the group's newest instance was launched, pending ones included. */
function newestLaunch(snapshot: Snapshot): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const i of snapshot.instances) newest = Math.max(newest, i.launchTime);
  return newest;
}

/** At the group's max no instance can be launched to show whether a new one takes work. */
function unprovenAtMax(d: Outlier, max: number, group: string): string {
  return `not terminated: at the group's max (${max}) no instance can be launched to show whether a new one takes work (it is dead) or idles too (the ones at work climb on their own); replace it with \`asg-watchdog instances -g ${group} --kill ${d.id}\` if it is dead`;
}
