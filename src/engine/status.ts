// What a tick can say when it does nothing, truthfully: where the fleet stands against the band,
// and which conditions are being held, for how long, and what they will do and when.
import { loadOn, loadSource, ownPolicies } from './band-words.js';
import { MINUTE, type TickContext } from './context.js';
import { formatPercent } from './figures.js';
import { NOT_LAUNCHING_MINUTES } from './launches.js';
import type { BandStatus, HeldCondition } from './types.js';

/** Every state of the band, in the order a reader meets them (the JSON schemas, the Prometheus file). */
export const BAND_STATES = ['no-instances', 'no-load', 'above', 'in-band', 'below-held', 'below'] as const satisfies ReadonlyArray<BandStatus['state']>;

// As formatPercent rounds, so that the JSON and the line agree to the last digit.
const round1 = (x: number) => Number(x.toFixed(1));

/**
 * The band as the band rules see it: above when the scale-out load would run the desired count
 * above the high mark, or runs those carrying the traffic above it while desired covers it ("for
 * now": never "in band" at 100 %); below when the scale-in load runs the fleet below `low`, held by the N−1
 * rule when one instance fewer would not be below the scale-in mark; else in band. Where they
 * stand aside for the group's own scaling policies, the line says so.
 */
export function bandStatus(ctx: TickContext): BandStatus {
  const seen = bandSeen(ctx);
  return ctx.ownPolicies.length === 0 ? seen : { ...seen, line: `${seen.line}; the band rules stand aside: ${ownPolicies(ctx.ownPolicies)}` };
}

function bandSeen(ctx: TickContext): BandStatus {
  const { figures, sizing, signals, config, capacity } = ctx;
  if (figures.n === 0) return { state: 'no-instances', load: null, source: null, average: null, withOneFewer: null, mark: null, line: 'no instance in service' };
  if (sizing === null) return { state: 'no-load', load: null, source: null, average: null, withOneFewer: null, mark: null, line: 'no CPU known yet' };
  const ordered = Math.max(1, figures.desired);
  if (sizing.out / capacity.of(ordered) > signals.highThreshold) {
    const average = sizing.out / capacity.of(ordered);
    const source = loadSource(sizing, 'out', config);
    return { state: 'above', load: round1(sizing.out), source, average: round1(average), withOneFewer: null, mark: signals.highThreshold, line: `above the band: ${loadOn(sizing.out, ordered, source, 0, capacity)} > ${formatPercent(signals.highThreshold)}` };
  }
  const source = loadSource(sizing, 'in', config);
  // As the N−1 rule counts them: an instance out of the balancer carries nothing.
  const out = signals.outCount;
  const carriers = Math.max(1, figures.n - out);
  const average = sizing.in / capacity.of(carriers);
  const withOneFewer = carriers > 1 ? sizing.in / capacity.of(carriers - 1) : null;
  // `with one fewer 90.0 % in the smallest of 2 zones`: where the zones split the traffic unevenly then.
  const fewerWords = (value: number) => `with one fewer ${formatPercent(value)}${capacity.zones !== null && capacity.of(carriers - 1) !== carriers - 1 ? ` in the smallest of ${capacity.zones} zones` : ''}`;
  const on = loadOn(sizing.in, carriers, source, out, capacity);
  const common = { load: round1(sizing.in), source, average: round1(average), withOneFewer: withOneFewer === null ? null : round1(withOneFewer), mark: signals.lowThreshold };
  // Those carrying the traffic above the band while the desired count covers it (a launch on its
  // way, one out of the balancer that the detached rule replaces): above now, said with what is ordered.
  if (ordered > carriers && average > signals.highThreshold) {
    // Ordered but not serving: launching, or replacing an unhealthy one, or not yet begun.
    const coming = Math.max(0, ordered - figures.n);
    const why = [coming > 0 && `${coming} on ${coming === 1 ? 'its' : 'their'} way`, out > 0 && `${out} out of the balancer`].filter(Boolean).join(', ');
    const counted = `on the ${ordered} ordered${why === '' ? '' : ` (${why})`} ${formatPercent(sizing.out / capacity.of(ordered))}`;
    return { state: 'above', ...common, withOneFewer: null, mark: signals.highThreshold, line: `above the band for now: ${on} > ${formatPercent(signals.highThreshold)}; ${counted}` };
  }
  if (average >= config.low) return { state: 'in-band', ...common, line: `in band: ${on}${withOneFewer === null ? '' : `, ${fewerWords(withOneFewer)}`}` };
  if (withOneFewer === null || withOneFewer >= signals.lowThreshold) {
    const held = withOneFewer === null ? `a single instance${out > 0 ? ' in the balancer' : ''}` : `${fewerWords(withOneFewer)} ≥ ${formatPercent(signals.lowThreshold)}`;
    return { state: 'below-held', ...common, line: `below the band, held by the N−1 rule: ${on} < ${formatPercent(config.low)}, but ${held}` };
  }
  return { state: 'below', ...common, line: `below the band: ${on} < ${formatPercent(config.low)}, ${fewerWords(withOneFewer)} < ${formatPercent(signals.lowThreshold)}` };
}

/** Conditions a rule waits on before it acts: how long held, how long it waits, what it will do. */
export function heldConditions(ctx: TickContext): HeldCondition[] {
  const { conditions, now, config } = ctx;
  const waits: Record<string, { minutes: number; then: HeldCondition['then'] }> = {
    runaway: { minutes: config.hotKillMinutes, then: 'terminate' },
    // Beside peers that all idle: killed after as long, once one launched since idles too.
    'runaway-beside-idle': { minutes: config.hotKillMinutes, then: 'terminate' },
    // Its zone explains it: after as long, not its kill but the alert to turn cross-zone balancing on.
    pinned: { minutes: config.hotKillMinutes, then: 'alert' },
    // Pinned beside other types beyond its share: told of after as long, never killed.
    suspect: { minutes: config.hotKillMinutes, then: 'alert' },
    dead: { minutes: config.coldKillMinutes, then: 'terminate' },
    // Far below its share above coldLoad: told of after as long, never killed.
    cold: { minutes: config.coldKillMinutes, then: 'alert' },
    detached: { minutes: config.detachedKillMinutes, then: 'terminate' },
    blind: { minutes: config.blindAlertMinutes, then: 'alert' },
    'not-launching': { minutes: NOT_LAUNCHING_MINUTES, then: 'alert' },
  };
  const held: HeldCondition[] = [];
  for (const [key, since] of Object.entries(conditions)) {
    const [rule, instance] = key.split(':') as [string, string | undefined];
    const wait = waits[rule];
    if (wait === undefined) continue;
    const heldMinutes = Math.floor((now - since) / MINUTE);
    held.push({ rule: rule as HeldCondition['rule'], instance: instance ?? null, heldMinutes, ofMinutes: wait.minutes, then: wait.then, inMinutes: Math.max(0, Math.ceil(wait.minutes - heldMinutes)) });
  }
  return held.sort((a, b) => a.inMinutes - b.inMinutes || (a.instance ?? '').localeCompare(b.instance ?? ''));
}

/** `i-0abc runaway, held 3 of 5 min: terminate in 2 min`. */
export function heldLine(h: HeldCondition): string {
  const what = h.instance === null ? h.rule : `${h.instance} ${h.rule}`;
  const when = h.inMinutes === 0 ? 'now' : `in ${h.inMinutes} min`;
  return `${what}, held ${h.heldMinutes} of ${h.ofMinutes} min: ${h.then} ${when}`;
}
