import { clockOff, clockWords } from './clock.js';
import { blocked, type AlertDraft, type TickContext } from './context.js';
import type { Action, Blocked } from './types.js';

const HOUR = 3_600_000;

/** What an operator does about a watchdog on an instance of its own group. */
export const RUN_ELSEWHERE = 'run it on a host outside the group, or as the Lambda (docs/operations.md)';

/** Terminations allowed in any rolling hour: 10 % of the fleet, but always at least one. */
function killBudget(ctx: TickContext): { allowed: number; used: number } {
  const allowed = Math.max(1, Math.ceil(ctx.config.maxKillFraction * ctx.figures.n));
  const used = ctx.previous.kills.filter((k) => ctx.now - k.at < HOUR).length;
  return { allowed, used };
}

/**
 * Why this instance may not be terminated at all, or null when it may. `until` where only a
 * person can change that: what it is (`the watchdog runs on it`) and what to do.
 */
function notKillable(ctx: TickContext, id: string): { why: string; until?: { key: string; is: string; todo: string } } | null {
  const index = ctx.snapshot.instances.findIndex((i) => i.id === id);
  const view = ctx.snapshot.instances[index];
  const fig = ctx.figures.instances[index];
  if (!view || !fig) return { why: `${id} is not in the group` };
  if (view.lifecycle !== 'InService') return { why: `${id} is ${view.lifecycle}` };
  // Before its protection: lifting that (or killProtected) must not make it killable.
  if (id === ctx.snapshot.hostInstance) return { why: `${id} is the host the watchdog runs on`, until: { key: `host:${id}`, is: 'the watchdog runs on it', todo: RUN_ELSEWHERE } };
  if (view.protectedFromScaleIn && !ctx.config.killProtected) {
    return { why: `${id} is protected from scale-in`, until: { key: `protected:${id}`, is: 'it is protected from scale-in', todo: 'remove the protection or set killProtected' } };
  }
  if (fig.load === null) return { why: `${id} is not measured (${fig.unmeasured})` };
  if (ctx.figures.measured <= 1) return { why: `${id} is the only measured instance` };
  return null;
}

/**
 * The safety rails every plan passes before it becomes the tick's action. A plan the rails
 * refuse becomes a `blocked` entry (and, for a kill over budget, an alert) instead.
 */
export function applyRails(
  action: Action,
  ctx: TickContext,
): { action: Action } | { blocked: Blocked; alert?: AlertDraft } {
  const { min, max, desired } = ctx.figures;
  if (min > max) return { blocked: blocked(action.rule, 'bounds', `bounds are inconsistent (min ${min} > max ${max}); acting on nothing`) };
  // A clock off AWS's reads CloudWatch's minutes as others: what it says is surplus may not be.
  // More capacity is no harm done; less waits for the clock (the alert: rule 1).
  const clock = clockOff(ctx.snapshot, ctx.config);
  if (action.kind === 'set-desired') {
    const to = Math.min(max, Math.max(min, action.to));
    if (to === desired) return { blocked: blocked(action.rule, 'bounds', `desired stays ${desired} within [${min}, ${max}]`) };
    if (to < desired && clock !== null) return { blocked: blocked(action.rule, 'clock', `${clockWords(clock)}; not scaling in to ${to}`) };
    return { action: { ...action, from: desired, to } };
  }
  if (clock !== null) return { blocked: blocked(action.rule, 'clock', `${clockWords(clock)}; not terminating ${action.instance}`) };
  const refused = notKillable(ctx, action.instance);
  if (refused !== null) {
    const held = blocked(action.rule, 'not-killable', refused.why);
    // A sick instance that stays unkillable until a person acts (the watchdog's host, one the
    // operator protected) stays sick: say so once, rather than let the earlier alert ("terminating
    // it after 5 min") stand as a promise nobody keeps.
    if (refused.until === undefined) return { blocked: held };
    const { key, is, todo } = refused.until;
    return { blocked: held, alert: { key, rule: action.rule, subject: `${ctx.snapshot.group.name}: not terminating ${action.instance}, ${is} (${action.reason}); ${todo}` } };
  }
  const budget = killBudget(ctx);
  if (budget.used >= budget.allowed) {
    const detail = `${budget.used} of ${budget.allowed} terminations in the last hour; not terminating ${action.instance}`;
    return {
      blocked: blocked(action.rule, 'kill-budget', detail),
      alert: { key: `kill-budget:${action.instance}`, rule: action.rule, subject: `${ctx.snapshot.group.name}: kill budget spent, ${detail} (${action.reason})` },
    };
  }
  // A decrement below min would be refused by AWS; replacing the instance keeps the group whole.
  const decrement = action.decrement && desired - 1 >= min;
  return { action: { ...action, decrement, from: desired, to: decrement ? desired - 1 : desired } };
}
