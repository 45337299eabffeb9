import { ownPolicies } from '../band-words.js';
import type { Rule } from '../context.js';

/**
 * The group's own scaling policies move its desired count: two controllers on one count undo each
 * other, a scale-in of one the other's scale-out a few minutes later. While the group has one, the
 * band rules stand aside (decide: `bandRules` off, as the config can set it), the sick-instance
 * rules act as ever, and this rule says so: the band line says it at each tick, a mail at once.
 */
export const ownPoliciesRule: Rule = (ctx) => {
  if (ctx.ownPolicies.length === 0) return null;
  const subject = `${ctx.snapshot.group.name}: ${ownPolicies(ctx.ownPolicies)}; the watchdog's band rules stand aside, since two controllers on one count undo each other: delete or disable ${ctx.ownPolicies.length === 1 ? 'it' : 'them'} to give the band to the watchdog, or set "bandRules": false to leave it there`;
  return { alerts: [{ key: 'own-policies', rule: 'high-band', subject }] };
};
