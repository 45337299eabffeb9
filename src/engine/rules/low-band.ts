import { loadOn, loadSource, surgeOverOn } from '../band-words.js';
import { heldMinutes } from '../conditions.js';
import { blocked, isConverging, minutesSince, sinceLastAction, type Rule, type TickContext } from '../context.js';
import { formatPercent } from '../figures.js';
import { scaleInSize, scaleInWaitSeconds, stepDownLimit, surgeOver } from '../sizing.js';
import { deadKey, type Outlier } from '../signals.js';
import type { Blocked, Config, InstanceFigures } from '../types.js';
import { vs, type Lowering } from './terminate.js';

/** A scale-in to `to`; `keeps`: the instances whose emergency +1 it keeps (still pinned, or still read dead). */
interface ScaleInPlan {
  to: number;
  detail: string;
  keeps?: string[];
}

/**
 * What the N−1 rule would do now: the desired count it would set, or why it may not, or null
 * when the fleet with one fewer would not be below the scale-in mark. The dead and detached rules
 * ask it too, before a kill that lowers the count: the detached one names the instance that goes,
 * one out of the balancer (`removes`).
 */
export function scaleInPlan(ctx: TickContext, removes: 'any' | 'one-out-of-balancer' = 'any'): ScaleInPlan | Blocked | null {
  const { figures, config, now, previous, signals, sizing, capacity } = ctx;
  const n = figures.n;
  // Out of the balancer, an instance carries nothing, and a lower desired count may remove any:
  // the fleet with fewer is counted on its carriers, unless the one that goes is out itself.
  const out = signals.outCount - (removes === 'one-out-of-balancer' ? 1 : 0);
  const carriers = n - out;
  if (!config.bandRules || sizing === null || carriers < 2 || sizing.in / capacity.of(carriers - 1) >= signals.lowThreshold) return null;
  const detail = `${loadOn(sizing.in, carriers - 1, loadSource(sizing, 'in', config), out, capacity)} < ${formatPercent(signals.lowThreshold)}`;
  // A mass detach kills nothing (rule 5), and a lower count would have the group kill: hands off
  // the instances an operator is looking into until the balancer has them back.
  if (signals.massDetach) return blocked('n-minus-1', 'mass-detach', `${detail}, but ${signals.outCount} of ${n} serving are out of the load balancer`);
  // An unmeasured instance's load is unknown, and it may be the one that matters.
  if (figures.coverage < 1) return blocked('n-minus-1', 'coverage', `${detail}, but only ${figures.measured} of ${n} measured`);
  if (n <= figures.min) return blocked('n-minus-1', 'bounds', `${detail}, but ${n} serving is the minimum ${figures.min}`);
  // The group cannot remove an instance protected from scale-in: on a lower count it lowers
  // desired all the same and stays above it, never settled, until the protection is lifted (and
  // then removes that instance at once). Never below them.
  const kept = protectedCount(ctx);
  if (n <= kept) return blocked('n-minus-1', 'bounds', `${detail}, but ${kept} of ${n} serving are protected from scale-in`);
  // Both windows must say the load is low (sizing.ts), and until the window holds as many minutes
  // before the recent ones as in them, the two are mostly the same minutes: one reading. A
  // watchdog started afresh (or back from blindness) waits for twice the recent window, or the
  // whole window where that is shorter.
  const known = Math.min(2 * config.recentWindowMinutes, config.sizingWindowMinutes);
  if (sizing.minutes < known) {
    return blocked('n-minus-1', 'history', `${detail}, but only ${sizing.minutes} of the ${known} minutes of fleet load a scale-in waits for are known`);
  }
  if (previous.lastScaleUpAt !== null && now - previous.lastScaleUpAt < config.scaleInDelayAfterUpSeconds * 1000) {
    return blocked('n-minus-1', 'scale-in-delay', `${detail}, but the last scale-up was under ${config.scaleInDelayAfterUpSeconds} s ago`);
  }
  if (isConverging(ctx)) return blocked('n-minus-1', 'converging', `${detail}, but the group has not settled at desired ${figures.desired}`);
  const maxStep = stepDownLimit(n, config);
  const sized = scaleInSize(sizing, { n, min: Math.max(figures.min, kept), outOfBalancer: out, capacity }, { scaleIn: signals.lowThreshold, high: signals.highThreshold }, maxStep);
  // The scale-out load or the newest minute on fewer would cross the high mark: the same minutes
  // cannot call for both.
  if (sized >= n) {
    const newest = sizing.newest > sizing.out;
    const load = loadOn(newest ? sizing.newest : sizing.out, carriers - 1, newest ? 'the newest minute' : loadSource(sizing, 'out', config), out, capacity);
    return blocked('n-minus-1', 'high-mark', `${detail}, but ${load} > ${formatPercent(signals.highThreshold)}`);
  }
  // A runaway's emergency +1 is no surplus while the instance it was made for is pinned: taken
  // back, its peers heat again, and a proof that comes and goes restarted its hold with a new +1
  // each time; a dead one's likewise while it reads dead (keptPlusOnes). The step keeps one
  // instance for each such; where that leaves none to remove, none.
  const plusOnes = keptPlusOnes(ctx);
  const to = Math.min(n, sized + plusOnes.length);
  if (to >= n) return blocked('n-minus-1', 'emergency', `${detail}, but that would take back ${keptWords(plusOnes, ctx.config)}`);
  // No scale-in within the cooldown of the last action, twice that for a small step.
  const wait = scaleInWaitSeconds(n, n - to, config);
  if (sinceLastAction(ctx) < wait * 1000) {
    const why = wait > config.cooldownSeconds ? `a step of ${n - to} of ${n} waits ${wait} s after the last action` : `the last action was under ${wait} s ago`;
    return blocked('n-minus-1', 'cooldown', `${detail}, but ${why}`);
  }
  // An instance read dead waits for the dead rule (its hold, coldKillMinutes): on a lower count
  // the group removes any, a healthy one as likely, and the fewer left may no longer tell the dead
  // one (DEAD_WITNESSES: a fleet of two tells it only where NetworkOut is read, behind a
  // balancer, of one type). Its kill then lowers the count where this plan still would (loweringOf).
  const reading = readDeadUnderHold(ctx);
  if (reading !== null) {
    return blocked('n-minus-1', 'dead-reading', `${detail}, but ${reading.id} reads dead (CPU ${formatPercent(reading.load)} for ${minutesSince(ctx.conditions[deadKey(reading)], now)} min): the dead rule decides first`);
  }
  // One far below its share (signals.cold) is likelier sick than the one a lower count removes,
  // and beside one failing fast behind least-outstanding-requests balancing the fewer left send
  // it more of the requests: no scale-in while one reads so.
  const cold = signals.cold[0];
  if (cold !== undefined) {
    return blocked('n-minus-1', 'cold-reading', `${detail}, but ${cold.id} runs far below its share (${vs(cold.load, cold.peers)} of the others): the group would remove a healthy one as likely`);
  }
  if (plusOnes.length === 0) return { to, detail };
  return { to, detail: `${detail}, keeping ${keptWords(plusOnes, ctx.config)}`, keeps: plusOnes.map((i) => i.id) };
}

/**
 * A kill lowers desired only where the N−1 rule would scale in now anyway, keeping what it keeps
 * (the dead and detached rules; a runaway's kill takes back its own +1).
 */
export function loweringOf(plan: ScaleInPlan | Blocked | null): Lowering {
  if (plan === null || 'why' in plan) return { decrement: false };
  return { decrement: true, ...(plan.keeps !== undefined && { keeps: plan.keeps }) };
}

/**
 * The serving instances an emergency +1 was made for, still as when it was made: the runaway
 * rule's at `urgent` or more, the dead rule's still read dead (taken back, the instance launched
 * for it would go too, and a dead one still unproven would have another made).
 */
function keptPlusOnes(ctx: TickContext): InstanceFigures[] {
  const { figures, previous, config, signals } = ctx;
  const dead = new Set(signals.dead.map((d) => d.id));
  return figures.instances.filter((i) => previous.emergencies[i.id] !== undefined && i.serving && i.load !== null && (i.load >= config.urgent || dead.has(i.id)));
}

/**
 * `i-0's emergency +1 while it is pinned (CPU 100.0 %)`; for two, `the emergency +1s of i-0 and
 * i-1 while they are pinned (CPU 100.0 %, 98.0 %)`; the dead rule's, `while it reads dead`.
 */
function keptWords(plusOnes: InstanceFigures[], config: Pick<Config, 'urgent'>): string {
  const cpu = plusOnes.map((i) => formatPercent(i.load!)).join(', ');
  const dead = plusOnes.filter((i) => i.load! < config.urgent).length;
  if (plusOnes.length === 1) return `${plusOnes[0]!.id}'s emergency +1 while it ${dead === 0 ? 'is pinned' : 'reads dead'} (CPU ${cpu})`;
  const ids = plusOnes.map((i) => i.id);
  const state = dead === 0 ? 'are pinned' : dead === plusOnes.length ? 'read dead' : 'are pinned or read dead';
  return `the emergency +1s of ${ids.slice(0, -1).join(', ')} and ${ids.at(-1)} while they ${state} (CPU ${cpu})`;
}

/** Serving instances protected from scale-in: a lower desired count cannot remove them. */
function protectedCount(ctx: TickContext): number {
  let count = 0;
  // figures.instances follows snapshot.instances, index for index.
  ctx.figures.instances.forEach((i, index) => {
    if (i.serving && ctx.snapshot.instances[index]!.protectedFromScaleIn) count++;
  });
  return count;
}

/**
 * The take-back (takeBackSurges): the last action was the high-band rule's scale-out, under
 * scaleInDelayAfterUpSeconds ago and nothing since, and the surge to capacity it answered is over
 * (surgeOver: two minutes pinned at capacity off a calm level, and the newest two back on it). A
 * surge shorter than a launch ends before the step's instances serve; the N−1 rule would keep them
 * for the delay and then for as long as the surge's capped minutes hold its 75th percentile up.
 * Sized as the N−1 rule sizes, on the level the traffic came back to, never below the count before
 * the step; like any scale-in, only with every instance measured and the group settled. Not for
 * a day after a take-back was followed by another scale-out within the sizing window
 * (takeBackOffUntil, state.ts): where bursts come in pairs, the second finds the fleet taken back.
 */
export function takeBackPlan(ctx: TickContext): ScaleInPlan | null {
  const { figures, config, now, previous, signals } = ctx;
  const step = previous.lastAction;
  if (previous.takeBackOffUntil !== null && now < previous.takeBackOffUntil) return null;
  if (!config.bandRules || !config.takeBackSurges || step === null || step.rule !== 'high-band' || step.kind !== 'set-desired' || step.to <= step.from) return null;
  if (now - step.at >= config.scaleInDelayAfterUpSeconds * 1000 || figures.desired !== step.to) return null;
  if (figures.coverage < 1 || isConverging(ctx) || signals.massDetach) return null;
  // The window sizingOf read: the newest `minutes` of the fleet load (sizingSpans).
  const { sizing } = ctx;
  const load = sizing === null ? null : surgeOver(ctx.fleetLoad.slice(-sizing.minutes), step.at, config);
  if (sizing === null || load === null) return null;
  const n = figures.n;
  // The level the traffic came back to, for both loads; the newest minute guards it as any scale-in.
  const f = { n, min: Math.max(figures.min, protectedCount(ctx)), outOfBalancer: signals.outCount, capacity: ctx.capacity };
  const to = scaleInSize({ in: load, out: load, newest: sizing.newest }, f, { scaleIn: signals.lowThreshold, high: signals.highThreshold }, Math.min(stepDownLimit(n, config), n - step.from));
  if (to >= n) return null;
  // Never below the count before the step, which held any emergency +1 made before it.
  const keeps = keptPlusOnes(ctx).map((i) => i.id);
  return { to, detail: `${surgeOverOn(load, to - f.outOfBalancer, f.outOfBalancer, ctx.capacity)} < ${formatPercent(signals.lowThreshold)}`, ...(keeps.length > 0 && { keeps }) };
}

/**
 * Rule 7, the N−1 rule: remove instances only while the fleet with fewer would still be below
 * the scale-in mark, as many as that allows (at most maxStepDown, ⌊n / 2⌋) in one step; first,
 * the take-back of a step a surge that is over called for (takeBackPlan).
 */
export const lowBandRule: Rule = (ctx) => {
  const back = takeBackPlan(ctx);
  const plan: ScaleInPlan | Blocked | null = back ?? scaleInPlan(ctx);
  if (plan === null) return null;
  if ('why' in plan) return { blocked: [plan] };
  const rule = back === null ? 'n-minus-1' : 'take-back';
  const from = ctx.figures.desired;
  const reason = `${rule}: ${plan.detail}; desired ${from} → ${plan.to}`;
  const alertOn = ctx.config.alertOnBandScaling;
  return {
    action: { kind: 'set-desired', from, to: plan.to, rule, reason, ...(plan.keeps !== undefined && { keeps: plan.keeps }) },
    ...(alertOn && { actionAlerts: () => [{ key: rule, rule, subject: `${ctx.snapshot.group.name}: scale in, ${reason}` }] }),
  };
};

/** The first instance read dead for less than coldKillMinutes: the dead rule has yet to act on it. */
function readDeadUnderHold(ctx: TickContext): Outlier | null {
  const { signals, conditions, now, config } = ctx;
  return signals.dead.find((d) => !heldMinutes(conditions, deadKey(d), now, config.coldKillMinutes)) ?? null;
}
