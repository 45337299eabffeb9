import { medianWithoutOf } from './figures.js';
import type { Config, Figures, Snapshot } from './types.js';

// Per-instance NetworkOut, a second witness for the outlier rules. Behind a balancer each instance
// is sent its share of the requests, and what it sends back is what it serves: a runaway's process
// sends nothing of its own, a hung application nothing at all. CPU alone cannot tell a runaway
// from the one healthy instance carrying the work beside hung peers whose checks pass, nor a dead
// one from a healthy one idling beside runaways; where both faults strike at once, the proofs the
// rules ask of an instance launched since are fooled too (hunts of 2026-12-07). What each sends
// against its peers tells them apart.

/** A runaway reading on one that sends this many times its peers' median: it serves what they do not, and they are the sick ones. */
export const NETWORK_BUSIER = 3;

/**
 * A runaway reading against a single working peer stands on one that sends less than this many
 * times what that peer sends: its process sends nothing of its own, it serves its share or less.
 * One sending more may be a healthy one pinned by an overload beside a hang that fails fast, whose
 * error pages rival what it serves (signals.ts, besideOne).
 */
export const NETWORK_RUNAWAY = 1.5;

/** An unproven dead reading (signals.ts, provenDead) on one that sends at least this part of its peers' median: it serves its share, idle by that share, not dead. */
export const NETWORK_SERVES = 0.5;

/** The outlier rules' conditions whose readings the network may refuse, and the refusals themselves (`serves:`). */
const WITNESSED = ['runaway:', 'runaway-beside-idle:', 'dead:', 'cold:', 'cold-unproven:', 'serves:'];

/**
 * Whether the next tick reads NetworkOut, by the conditions this one held: only while an outlier
 * rule holds a reading, or the network refuses one. A reading is first held by CPU alone and is
 * witnessed from the next minute on, before any kill (each waits minutes of holding): a fleet
 * without outliers pays for no more metrics than its CPU.
 */
export function networkWanted(conditions: Readonly<Record<string, number>>): boolean {
  return Object.keys(conditions).some((key) => WITNESSED.some((prefix) => key.startsWith(prefix)));
}

/**
 * What the network says of an instance: what it sends over its peers' median; null where it says
 * nothing of it. Its peers: the others in the balancer, or those of `among` (the ones its CPU was
 * judged against).
 */
export interface NetworkWitness {
  sent(id: string, among?: ReadonlySet<string>): number | null;
}

/**
 * Each instance's NetworkOut over the minutes its load averages (the loadDatapoints newest of the
 * fleet's), over the median of the others' in the balancer: null where the group has no
 * balancer (workers that pull jobs send what their jobs do, not a share of requests) or nothing
 * was read. One that sent nothing, read without a datapoint there, or with no peer read, is not
 * judged (null); beside peers that sent nothing at all, it sends infinitely more.
 */
export function networkWitness(snapshot: Snapshot, figures: Figures, config: Config): NetworkWitness | null {
  if (!snapshot.group.hasLoadBalancers) return null;
  let newest = Number.NEGATIVE_INFINITY;
  for (const view of snapshot.instances) for (const p of view.network ?? []) if (p.at > newest) newest = p.at;
  if (newest === Number.NEGATIVE_INFINITY) return null;
  const since = newest - (config.loadDatapoints - 1) * snapshot.periodSeconds * 1000;
  // figures.instances follows snapshot.instances, index for index: the peers are those in the balancer.
  const sent = new Map<string, number>();
  snapshot.instances.forEach((view, index) => {
    const i = figures.instances[index]!;
    if (!i.serving || i.lb !== 'in') return;
    let sum = 0;
    let count = 0;
    for (const p of view.network ?? []) {
      if (p.at < since || !(p.value >= 0)) continue;
      sum += p.value;
      count++;
    }
    if (count > 0) sent.set(view.id, sum / count);
  });
  // The median of the others': one selection for every instance asked (medianWithoutOf).
  const peersOf = medianWithoutOf(Float64Array.from(sent.values()));
  const amongOf = (among: ReadonlySet<string>) => medianWithoutOf(Float64Array.from([...sent].filter(([id]) => among.has(id)).map(([, value]) => value)));
  return {
    sent: (id, among) => {
      const own = sent.get(id);
      if (own === undefined || !(own > 0) || (among !== undefined && !among.has(id))) return null;
      const theirs = among === undefined ? peersOf(own) : amongOf(among)(own);
      if (Number.isNaN(theirs)) return null;
      return theirs > 0 ? own / theirs : Number.POSITIVE_INFINITY;
    },
  };
}

/** The condition an outlier reading holds while the network refuses it: NetworkOut is read on while so. */
export function servesKey(id: string): string {
  return `serves:${id}`;
}
