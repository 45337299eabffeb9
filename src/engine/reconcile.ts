import type { Intent, Reconciliation, Snapshot, State } from './types.js';

const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

/**
 * An intent without an outcome, judged by what AWS shows now: desired already at the target, or
 * the instance terminating or gone, means the call went through before the tick died; the kill
 * budget and the cooldowns then count it. Anything else means it never reached AWS.
 */
export function reconcileIntent(intent: Intent, stored: State, snapshot: Snapshot): Reconciliation {
  const a = intent.action;
  const what = a.kind === 'set-desired' ? `set desired ${a.from} → ${a.to}` : `terminate ${a.instance}`;
  const of = `the ${what} (${a.rule}) decided at ${hhmm(intent.at)}`;
  if (a.kind === 'set-desired') {
    const desired = snapshot.group.desired;
    return desired === a.to
      ? { done: true, evidence: `${of} was carried out: desired is ${desired}`, state: intent.ifDone }
      : { done: false, evidence: `${of} did not take effect: desired is ${desired}`, state: stored };
  }
  const instance = snapshot.instances.find((i) => i.id === a.instance);
  if (instance === undefined) return { done: true, evidence: `${of} was carried out: ${a.instance} is gone from the group`, state: intent.ifDone };
  if (instance.lifecycle.startsWith('Terminat')) return { done: true, evidence: `${of} was carried out: ${a.instance} is ${instance.lifecycle}`, state: intent.ifDone };
  return { done: false, evidence: `${of} did not take effect: ${a.instance} is ${instance.lifecycle}`, state: stored };
}
