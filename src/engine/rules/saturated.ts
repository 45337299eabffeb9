import { blocked, sinceLastAction, type Rule, type TickContext } from '../context.js';
import { formatPercent, mean } from '../figures.js';

/**
 * Instances needed to bring the fleet to the middle of the band. Demand is the mean measured
 * load times the serving count: instances still warming up take their share of the traffic.
 */
export function neededForTarget(ctx: TickContext): number {
  const { figures, config } = ctx;
  const loads = figures.instances.filter((i) => i.load !== null).map((i) => i.load!);
  if (loads.length === 0) return figures.n;
  const target = (config.low + config.high) / 2;
  return Math.ceil((mean(loads) * figures.n) / target - 1e-9);
}

/**
 * Rule 3, saturated fleet: the working instances average `urgent` or more with no runaway to
 * blame. At 100 % CPU the real demand is hidden, so grow by half at once.
 */
export const saturatedRule: Rule = (ctx) => {
  const { signals, figures, config, snapshot } = ctx;
  if (!signals.saturated) return null;
  const n = figures.n;
  const to = Math.min(figures.max, Math.max(n + 1, Math.ceil(n * config.saturatedGrowth), neededForTarget(ctx)));
  const detail = `working instances average ${formatPercent(signals.saturated.workingMean)}`;
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
