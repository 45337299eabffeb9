import { blocked, minutesSince, type Rule, type RuleResult } from '../context.js';
import { heldMinutes } from '../conditions.js';
import { NETWORK_RUNAWAY } from '../network.js';
import { runawayKey, suspectKey, TYPE_SPEED_SPREAD, type Outlier, type ZoneExplanation } from '../signals.js';
import { servesWords, takeBackOwnPlusOne, terminate, terminateAlert, vs } from './terminate.js';

/**
 * Rule 2, runaway: an instance pinned near 100 % far above its working peers (a runaway
 * process, `yes > /dev/null`). First an emergency +1, so the fleet does not lose capacity when
 * it goes; if it is still a hot outlier after hotKillMinutes, terminate it.
 */
export const runawayRule: Rule = (ctx) => {
  const { signals, conditions, now, config, figures, previous, snapshot } = ctx;
  const result: Required<Pick<RuleResult, 'blocked' | 'alerts'>> = { blocked: [], alerts: [] };
  for (const s of signals.serving) if (s.reading === 'runaway') result.blocked.push(blocked('runaway', 'serves', servesWords(s)));
  const longestFirst = [...signals.runaways].sort((a, b) => conditions[runawayKey(a)]! - conditions[runawayKey(b)]! || a.id.localeCompare(b.id));
  for (const r of longestFirst) {
    const key = runawayKey(r);
    const minutes = minutesSince(conditions[key], now);
    const figuresText = `${r.id} ${vs(r.load, r.peers)} of its ${r.besideIdle ? 'peers idling in the balancer' : 'working peers'}${minutes === 0 ? ', first seen now' : ` for ${minutes} min`}`;
    if (heldMinutes(conditions, key, now, config.hotKillMinutes) && r.zone !== undefined) {
      const detail = zoneExplains(r.id, r.zone);
      result.blocked.push(blocked('runaway', 'not-killable', detail));
      const why = r.zone.runsHot === undefined ? 'overloads the smaller ones' : 'gives each zone an even part, whatever its instances serve (one failing fast in another takes much of its part)';
      result.alerts.push({ key: `zone:${r.id}`, rule: 'runaway', subject: `${snapshot.group.name}: not terminating ${detail}; a balancer that splits the traffic by zone ${why}: turn cross-zone load balancing on` });
      continue;
    }
    // Beside idle peers, killed only once one launched since it was first seen, or since its +1
    // (ordered then; the hold may have begun again since), idles too: the traffic is light, not
    // failing on the peers (runawaysBesideIdle).
    const since = Math.min(conditions[key]!, previous.emergencies[r.id] ?? Number.POSITIVE_INFINITY);
    const proven = r.besideIdle === undefined || r.besideIdle.newestLaunch >= since;
    // Standing out against a single working peer, killed only once what it sends or one launched
    // since (working below it, or idling in the balancer beside it: the traffic light) proves it,
    // where one can be launched: a healthy one pinned by an overload beside a hang that fails fast
    // stands as far above it, and what the hang sends in error pages may rival what it serves
    // (signals.ts, besideOne).
    const provenBesideOne = r.besideOne === undefined || (r.besideOne.besideQuiet === undefined && Math.max(r.besideOne.peerLaunch, r.besideOne.quietLaunch ?? Number.NEGATIVE_INFINITY) >= since) || figures.n + 1 > figures.max;
    if (heldMinutes(conditions, key, now, config.hotKillMinutes) && proven && provenBesideOne) {
      const action = terminate(ctx, r.id, takeBackOwnPlusOne(ctx, r.id) ?? { decrement: false }, 'runaway', `runaway: ${figuresText}`);
      return { ...result, action, actionAlerts: terminateAlert(ctx, `runaway, ${vs(r.load, r.peers)}`) };
    }
    if (heldMinutes(conditions, key, now, config.hotKillMinutes) && proven) result.blocked.push(blocked('runaway', 'not-killable', besideOneWords(r)));
    if (previous.emergencies[r.id] !== undefined) continue; // +1 made; waiting for the hold
    const to = figures.n + 1;
    const told = plusOneWords(r, figuresText, snapshot.group.name, config.hotKillMinutes);
    if (to > figures.max) {
      result.blocked.push(blocked('runaway', 'bounds', `no emergency +1: ${figures.n} serving, max ${figures.max}`));
    } else if (to > figures.desired) {
      const action = { kind: 'set-desired' as const, from: figures.desired, to, rule: 'runaway' as const, instance: r.id, reason: told.reason };
      return { ...result, action, actionAlerts: (a) => [{ key, rule: 'runaway', subject: `${told.subject}; ${told.plusOne}, desired ${a.from} → ${a.to}` }] };
    }
    const then = !proven && to > figures.max ? unprovenAtMax(r.id, figures.max, snapshot.group.name) : told.then;
    result.alerts.push({ key, rule: 'runaway', subject: `${told.subject}; ${then}` });
  }
  // Held as long as a runaway before its kill: told of, never killed on a speed rule 2 cannot know.
  for (const r of signals.suspects) {
    const key = suspectKey(r);
    if (!heldMinutes(conditions, key, now, config.hotKillMinutes)) continue;
    const type = snapshot.instances.find((i) => i.id === r.id)?.type ?? 'of another type';
    result.alerts.push({ key, rule: 'runaway', subject: suspectWords(r, type, minutesSince(conditions[key], now), snapshot.group.name) });
  }
  return result.blocked.length + result.alerts.length > 0 ? result : null;
};

/**
 * What is said of a runaway before its kill: of one its zone explains, that it is pinned by its
 * zone's share (the +1, launched in the smallest zone, evens them), not that it runs away.
 */
function plusOneWords(r: Outlier, figuresText: string, group: string, killMinutes: number): { subject: string; reason: string; plusOne: string; then: string } {
  if (r.besideIdle !== undefined) {
    const then = `terminating it once an instance launched since idles beside it too (light traffic, not peers failing fast), at ${killMinutes} min at the soonest`;
    return { subject: `${group}: ${r.id} runaway (${vs(r.load, r.peers)}, its peers idling in the balancer)`, reason: `runaway: ${figuresText}; emergency +1`, plusOne: 'emergency +1', then };
  }
  if (r.zone === undefined) {
    const then = r.besideOne === undefined ? `terminating it after ${killMinutes} min` : `terminating it after ${killMinutes} min once the instance launched or what it sends confirms it (it stands out against a single working peer)`;
    return { subject: `${group}: ${r.id} runaway (${vs(r.load, r.peers)})`, reason: `runaway: ${figuresText}; emergency +1`, plusOne: 'emergency +1', then };
  }
  const share = zoneShare(r.zone);
  const plusOne = r.zone.runsHot === undefined ? 'emergency +1 (launched in the smallest zone)' : 'emergency +1';
  return { subject: `${group}: ${r.id} pinned (${vs(r.load, r.peers)}), as ${share}`, reason: `runaway: ${figuresText}, as ${share}; ${plusOne}`, plusOne, then: `terminating it after ${killMinutes} min only if the zones do not explain it then` };
}

/** Why a runaway that stands out against a single working peer waits (Outlier.besideOne). */
function besideOneWords(r: Outlier): string {
  const proof = r.besideOne?.besideQuiet
    ? 'not while that peer serves in another zone beside a quiet one, which may take most of that zone\'s part (no proof of its share)'
    : `terminated once an instance launched since works below it too or idles in the balancer beside it, or it sends less than ${NETWORK_RUNAWAY} × what that peer does (NetworkOut)`;
  return `${r.id} stands out against a single working peer (${vs(r.load, r.peers)}): ${proof}; a healthy one pinned by an overload beside a hang that fails fast reads so`;
}

/** Beside idle peers at the group's max: no instance can be launched to show that the traffic is light. */
function unprovenAtMax(id: string, max: number, group: string): string {
  return `not terminated: at the group's max (${max}) no instance can be launched to show the traffic light rather than the peers failing fast; replace it with \`asg-watchdog instances -g ${group} --kill ${id}\` if it is a runaway`;
}

/**
 * `web: i-0 (c5.large) pinned for 5 min (CPU 100.0 % vs 60.0 %, what its peers' CPU makes its
 * share): a runaway process, or a type up to 2 × slower a vCPU than theirs, ...`.
 */
function suspectWords(r: Outlier, type: string, minutes: number, group: string): string {
  return `${group}: ${r.id} (${type}) pinned for ${minutes} min (${vs(r.load, r.peers)}, what its peers' CPU makes its share): a runaway process, or a type up to ${TYPE_SPEED_SPREAD} × slower a vCPU than theirs, which rule 2 cannot tell apart across types; not terminated: look at it, and replace it with \`asg-watchdog instances -g ${group} --kill ${r.id}\` if it is a runaway`;
}

/** `i-0 is the only one of 5 serving in us-east-1c, 2 in us-east-1a: ...`. */
function zoneExplains(id: string, z: ZoneExplanation): string {
  return `${id} is ${zoneShare(z)}, and that explains its CPU`;
}

/**
 * `the only one of 5 serving in us-east-1c, 2 in us-east-1a: without cross-zone balancing its
 * share is 2.0 × theirs`; where its zone runs hot (runsHot), `one of 2 at work in us-east-1b,
 * all as hot (2 of 5 serving): without cross-zone balancing the zone's part of the traffic sets them`.
 */
function zoneShare(z: ZoneExplanation): string {
  if (z.runsHot !== undefined) return `one of ${z.runsHot} at work in ${z.name}, all as hot (${z.count} of ${z.n} serving): without cross-zone balancing the zone's part of the traffic sets them`;
  const which = z.count === 1 ? 'the only one' : `one of ${z.count}`;
  return `${which} of ${z.n} ${z.of} in ${z.name}, ${z.largestCount} in ${z.largest}: without cross-zone balancing its share is ${(z.largestCount / z.count).toFixed(1)} × theirs`;
}
