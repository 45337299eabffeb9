import type { AlertDraft, TickContext } from '../context.js';
import { formatPercent, mean } from '../figures.js';
import type { Refused } from '../signals.js';
import type { Action, RuleCode, TerminateAction } from '../types.js';

/** A terminate action with the desired-count bookkeeping every kill rule shares. */
export function terminate(ctx: TickContext, instance: string, lowering: Lowering, rule: RuleCode, reason: string): TerminateAction {
  const from = ctx.figures.desired;
  const { decrement, keeps } = lowering;
  return { kind: 'terminate', instance, decrement, from, to: decrement ? from - 1 : from, rule, reason, ...(keeps !== undefined && { keeps }) };
}

/** Whether a kill lowers desired, and the emergency +1s the lower count keeps (the N−1 rule's plan). */
export interface Lowering {
  decrement: boolean;
  keeps?: string[];
}

/**
 * A kill takes back the emergency +1 made for the instance it kills (the instance launched for it
 * serves in its place) where the rest of the fleet does not need it, the others' mean below
 * `high`; every other +1 kept. Null where it takes none back.
 */
export function takeBackOwnPlusOne(ctx: TickContext, instance: string): Lowering | null {
  const { previous, figures, config } = ctx;
  if (previous.emergencies[instance] === undefined) return null;
  const others = figures.instances.filter((i) => i.id !== instance && i.load !== null).map((i) => i.load!);
  if (mean(others) >= config.high) return null;
  const keeps = figures.instances.filter((i) => i.id !== instance && previous.emergencies[i.id] !== undefined).map((i) => i.id);
  return { decrement: true, ...(keeps.length > 0 && { keeps }) };
}

/** The alert of a kill: `web: terminated i-0abc (runaway, CPU 99.6 % vs 41.2 %); the group replaces it`. */
export function terminateAlert(ctx: TickContext, why: string): (final: Action) => AlertDraft[] {
  return (action) => (action.kind === 'terminate' ? [{ key: `terminate:${action.instance}`, rule: action.rule, subject: terminateSubject(ctx, action, why) }] : []);
}

function terminateSubject(ctx: TickContext, action: TerminateAction, why: string): string {
  const replaced = action.decrement ? `desired ${action.from} → ${action.to}` : 'the group replaces it';
  return `${ctx.snapshot.group.name}: terminated ${action.instance} (${why}); ${replaced}`;
}

export function vs(load: number, peers: number): string {
  return `CPU ${formatPercent(load)} vs ${formatPercent(peers)}`;
}

/** `i-0 a runaway by CPU (CPU 100.0 % vs 1.0 %), but it sends 3000.0 × its peers' median (NetworkOut): it serves what they do not`. */
export function servesWords(s: Refused): string {
  const sends = Number.isFinite(s.sent) ? `it sends ${s.sent.toFixed(1)} × its peers' median` : 'it sends while its peers send nothing';
  const what = s.reading === 'runaway' ? 'a runaway by CPU' : 'dead by CPU';
  const serves = s.reading === 'runaway' ? 'it serves what they do not' : 'it serves its share';
  return `${s.outlier.id} ${what} (${vs(s.outlier.load, s.outlier.peers)}), but ${sends} (NetworkOut): ${serves}`;
}
