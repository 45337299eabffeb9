import { blocked, sinceLastAction, type Rule } from '../context.js';
import { formatPercent } from '../figures.js';
import { saturatedSize, stepUpLimit } from '../sizing.js';

/**
 * Rule 3, saturated fleet: the working instances average `urgent` or more with no runaway to
 * blame. At 100 % CPU the real demand is hidden, so grow beyond it at once. The growth is counted
 * on the instances proven saturated (measured and working): instances launched by the last step
 * are capacity on its way until their own CPU is known, so a flash crowd grows by
 * `saturatedGrowth` per measurement, not every two minutes. Idle measured instances are not
 * capacity. The arithmetic is `saturatedSize` (sizing.ts).
 */
export const saturatedRule: Rule = (ctx) => {
  const { signals, figures, config, snapshot, sizing, capacity } = ctx;
  if (!config.bandRules || !signals.saturated) return null;
  // A burst of a few minutes at 100 % is not an emergency: the recent minutes must show it on what
  // is already ordered (a launch on its way covers what it was ordered for). Once one step was taken
  // for it, the same saturation, unbroken, needs no new proof to go on growing.
  const since = ctx.conditions['saturated'];
  const last = ctx.previous.lastAction;
  const ongoing = last !== null && last.rule === 'saturated' && since !== undefined && since <= last.at;
  if (!ongoing && (sizing === null || sizing.recent / capacity.of(Math.max(1, figures.desired)) < config.urgent)) return null;
  const proven = signals.saturated.working;
  // Measured instances doing nothing (dead, detached) are not capacity: the new count adds them back.
  const idle = figures.measured - proven;
  const load = Math.max(figures.total, sizing?.out ?? 0);
  // As rule 6: a wrong figure at most doubles the fleet (maxStepUp) at once.
  const to = saturatedSize(load, { n: figures.n, proven, idle, max: figures.max, capacity }, config, stepUpLimit(figures.n, config));
  const { hottest, workingMean } = signals.saturated;
  const detail =
    hottest === null
      ? `${proven} working instance${proven === 1 ? ' averages' : 's average'} ${formatPercent(workingMean)}`
      : `the ${hottest.count} ${hottest.size} of ${proven} working instances average ${formatPercent(workingMean)}`;
  if (to <= figures.desired) {
    const held = (why: 'bounds' | 'converging') => blocked('saturated', why, `${detail}; desired ${figures.desired} already covers ${to} (max ${figures.max})`);
    if (figures.desired < figures.max) return { blocked: [held('converging')] };
    // At its maximum the fleet turns requests away and nothing here can help: the operator must hear it.
    const subject = `${snapshot.group.name}: saturated at its maximum, ${detail}, and desired ${figures.desired} is the most it may have: raise the group's max size (or the config's maxInstances)`;
    return { blocked: [held('bounds')], alerts: [{ key: 'saturated-at-max', rule: 'saturated', subject }] };
  }
  if (sinceLastAction(ctx) < config.emergencyCooldownSeconds * 1000) {
    return { blocked: [blocked('saturated', 'cooldown', `${detail}; last action under ${config.emergencyCooldownSeconds} s ago`)] };
  }
  const reason = `saturated: ${detail}; desired ${figures.desired} → ${to}`;
  return {
    action: { kind: 'set-desired', from: figures.desired, to, rule: 'saturated', reason },
    actionAlerts: (a) => [{ key: 'saturated', rule: 'saturated', subject: `${snapshot.group.name}: saturated, ${detail}; desired ${a.from} → ${a.to}` }],
  };
};
