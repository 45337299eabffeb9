import { blocked, sinceLastAction, type Rule, type TickContext } from '../context.js';
import { formatPercent } from '../figures.js';

/**
 * Instances that would bring the measured load to the middle of the band: ceil(total / target).
 * With `ahead`, the load is first carried forward along a rising trend for riseLeadMinutes, the
 * time a new instance takes to be seen helping: on a ramp, sizing for now is sizing too late.
 */
export function neededForTarget(ctx: TickContext, ahead = false): number {
  const { figures, config } = ctx;
  const target = (config.low + config.high) / 2;
  const climb = ahead && figures.trend !== null && figures.trend > 0 ? figures.trend * config.riseLeadMinutes * figures.measured : 0;
  return Math.ceil((figures.total + climb) / target - 1e-9);
}

/**
 * Rule 3, saturated fleet: the working instances average `urgent` or more with no runaway to
 * blame. At 100 % CPU the real demand is hidden, so grow by half at once. The growth is counted
 * on the instances proven saturated (measured and working): instances launched by the last step
 * are capacity on its way until their own CPU is known, so a flash crowd grows ×1.5 per
 * measurement, not ×1.5 every two minutes. Idle measured instances are not capacity.
 */
export const saturatedRule: Rule = (ctx) => {
  const { signals, figures, config, snapshot } = ctx;
  if (!signals.saturated) return null;
  const proven = signals.saturated.working;
  // Measured instances doing nothing (dead, detached) are not capacity: the new count adds them back.
  const idle = figures.measured - proven;
  const want = Math.max(proven + 1, Math.ceil(proven * config.saturatedGrowth), neededForTarget(ctx));
  const to = Math.min(figures.max, want + idle);
  const detail = `${proven} working instance${proven === 1 ? ' averages' : 's average'} ${formatPercent(signals.saturated.workingMean)}`;
  if (to <= figures.desired) {
    const why = figures.desired >= figures.max ? 'bounds' : 'converging';
    return { blocked: [blocked('saturated', why, `${detail}; desired ${figures.desired} already covers ${to} (max ${figures.max})`)] };
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
