import { clampCpu, familyOf, madOf, median, medianWithoutOf, NOTHING_JOINING, sizeOf, SortedLoads, vcpusOf } from './figures.js';
import { NETWORK_BUSIER, NETWORK_RUNAWAY, NETWORK_SERVES, networkWitness, servesKey, type NetworkWitness } from './network.js';
import type { ActionRecord, Config, Datapoint, Figures, InstanceFigures, InstanceView, Joining, LbState, Snapshot, UnmeasuredWhy } from './types.js';

/** A hot outlier: its load and the median of its working peers. */
export interface Outlier {
  id: string;
  load: number;
  peers: number;
  /** A runaway no longer one with each load taken as a share of its zone's (zoneShares): its zone may explain it. */
  zone?: ZoneExplanation;
  /**
   * A dead one read beside a single other (findDead: a fleet of two behind a balancer, or the one
   * there before its +1): `heard` once NetworkOut says it sends less than NETWORK_SERVES of its
   * peers'. The dead rule neither probes nor kills it before.
   */
  oneWitness?: { heard: boolean };
  /** A runaway whose peers all idle in the balancer (runawaysBesideIdle): `peers` is their median, and when the newest of them was launched. */
  besideIdle?: { newestLaunch: number };
  /**
   * A runaway that stands out against a single working peer (findRunaways): that peer, when it
   * was launched, and whether it serves in another zone beside a quiet one (computeSignals):
   * then neither its CPU nor what it sends shows the runaway's share; when the newest instance
   * idling in the balancer beside it was launched (computeSignals, −∞ for none).
   */
  besideOne?: { peer: string; peerLaunch: number; besideQuiet?: true; quietLaunch?: number };
  /**
   * A dead one with no more than twice as many at work (coldOthersMin or more) as quiet
   * (provenDead): how many, and when the newest instance that works where it does not was
   * launched (−∞ for none). The dead rule kills it only once one launched since it was first seen works.
   */
  unproven?: { newestWorking: number; working: number; quiet: number };
}

/** Its zone, with fewer serving instances than the largest: without cross-zone balancing its share is larger. */
export interface ZoneExplanation {
  name: string;
  count: number;
  largest: string;
  largestCount: number;
  n: number;
  /**
   * What was counted: the instances in the balancer now, those with datapoints (one joining is
   * not yet in the loads read), or those in it that answer (one quiet below `coldLoad` aside).
   */
  of: ZoneSplit['of'];
  /**
   * Where its zone's share is not known but shows: the working instances of its zone (itself
   * among them), each as hot, none a runaway beside the others there (zoneRunsHot).
   */
  runsHot?: number;
}

/** A reading CPU made that what the instance sends refused: `sent`, its NetworkOut over its peers' median (network.ts). */
export interface Refused {
  reading: 'runaway' | 'dead' | 'cold';
  outlier: Outlier;
  sent: number;
}

/** What is true of the fleet at this tick, before any rule decides. Conditions are keyed from it. */
export interface Signals {
  blind: boolean;
  runaways: Outlier[];
  /**
   * Pinned beyond what its peers make its share, as a runaway would be, but beside other types
   * only, where a type slower a vCPU (up to TYPE_SPEED_SPREAD) could do as much: rule 2 cannot
   * prove it a runaway, and tells of it instead (only where zones do not split the traffic).
   */
  suspects: Outlier[];
  /** The working instances and their mean; of mixed sizes, `hottest` the size whose mean it is (working()). */
  saturated: { workingMean: number; working: number; hottest: { size: string; count: number } | null } | null;
  dead: Outlier[];
  /**
   * Far below its share, yet above `coldLoad`: below coldRatio × its others' lower median, where
   * that is at work (findCold). Not dead by rule 4's measure; told of, never killed.
   */
  cold: Outlier[];
  /** Read far below its share where CPU cannot tell (findCold's `proven`), until what it sends does. */
  coldUnproven: Outlier[];
  /** Read a runaway or dead by CPU, but serving by what they send (network.ts): neither. */
  serving: Refused[];
  detached: string[];
  /** Serving instances the load balancer has out (detached or unhealthy there), not joining. */
  outCount: number;
  /** More than half the serving fleet out: the application or the balancer, not one bad instance. */
  massDetach: boolean;
  /**
   * Serving instances unmeasured for a reason that does not pass by itself, as warming up and
   * joining do: out of CPU credits (capped at their baseline), or datapoints missing, too few or
   * stale. Each blocks every scale-in while it lasts.
   */
  unmeasured: Array<{ id: string; why: UnmeasuredWhy }>;
  /** The high mark at this fleet size (× 0.9 for a single instance). */
  highThreshold: number;
  /** The N−1 rule's scale-in mark at this fleet size (× 0.95 below 3 instances). */
  lowThreshold: number;
  /** Fewer instances launched than desired (Figures.launched), Launch not suspended (launches.ts, NOT_LAUNCHING_MINUTES). */
  notLaunching: boolean;
}

/**
 * The measured instances as parallel arrays (no object per instance), and whether each one's
 * load is a full one: its newest datapoint is the fleet's (the median of the
 * instances' newest), and it has as many in the loadDatapoints periods up to it as any instance
 * on that newest minute (all of them, unless CloudWatch has not handed them over): no fewer
 * minutes than a peer's. One just measured averages only the minutes since it joined, and beside
 * peers whose loads hold a dip before then it stands above them by that alone, however many of
 * the fleet joined with it (found by the no-false-outliers property: three of six just launched
 * into a surge). One whose newest minute is late or early averages other minutes too. Asked of
 * the few candidates of the outlier rules only, so the fleet's reference is found once, on the
 * first question. An instance out of its balancer is none of them: it takes no share of the
 * traffic, so its CPU is something else's (a deploy, a person's job, a runaway), no candidate and
 * no peer (found by a detached instance whose process then grew: its climb made the one left in
 * the balancer, carrying all, a runaway beside it).
 */
interface Measured {
  ids: string[];
  loads: number[];
  /** When the k-th was launched. */
  launchedAt(k: number): number;
  /** The k-th's newest datapoint (InstanceFigures.newest), clamped. */
  newestValue(k: number): number;
  isFull(k: number): boolean;
  /** Its newest datapoint against its working peers': how far above their median it is (standsOutNow). */
  newestGap(k: number, coldLoad: number): number;
}

function measuredOf(snapshot: Snapshot, figures: Figures, config: Config, include: (view: InstanceView) => boolean = () => true): Measured {
  const ids: string[] = [];
  const loads: number[] = [];
  const cpu: Array<readonly Datapoint[]> = [];
  const newestAt = new Float64Array(figures.instances.length);
  const newestValue = new Float64Array(figures.instances.length);
  const launched = new Float64Array(figures.instances.length);
  // figures.instances follows snapshot.instances, index for index.
  figures.instances.forEach((i, index) => {
    if (i.load === null || i.lb === 'out' || !include(snapshot.instances[index]!)) return;
    // Measured: its newest datapoint is the first its load averages.
    newestAt[ids.length] = i.newest!.at;
    newestValue[ids.length] = clampCpu(i.newest!.value);
    launched[ids.length] = snapshot.instances[index]!.launchTime;
    ids.push(i.id);
    loads.push(i.load);
    cpu.push(snapshot.instances[index]!.cpu);
  });
  const newest: Newest = { at: newestAt.subarray(0, ids.length), value: newestValue.subarray(0, ids.length) };
  let fleet: FleetMinutes | undefined;
  const isFull = (k: number) => {
    fleet ??= fleetMinutes(cpu, newest.at, config.loadDatapoints, snapshot.periodSeconds * 1000);
    return newest.at[k] === fleet.newest && countSince(cpu[k]!, fleet.since) >= fleet.count;
  };
  let working: ((value: number) => number) | undefined;
  const newestGap = (k: number, coldLoad: number) => {
    working ??= medianWithoutOf(atLeast(newest.value, coldLoad));
    const value = newest.value[k]!;
    // Idle on its newest minute, or none: not pinned now.
    if (!(value >= coldLoad)) return Number.NEGATIVE_INFINITY;
    // No peer at work on it (the median of none is NaN): above them all.
    const peers = working(value);
    return Number.isNaN(peers) ? Number.POSITIVE_INFINITY : value - peers;
  };
  return { ids, loads, launchedAt: (k) => launched[k]!, newestValue: (k) => newest.value[k]!, isFull, newestGap };
}

/** Each measured instance's newest datapoint (InstanceFigures.newest): when it begins, and its value clamped. */
interface Newest {
  at: Float64Array;
  value: Float64Array;
}

/** The values at `floor` or more, in their order. */
function atLeast(values: ArrayLike<number>, floor: number): Float64Array {
  return valuesWhere(values, (v) => v >= floor);
}

/** The values below `ceiling`, in their order. */
function below(values: ArrayLike<number>, ceiling: number): Float64Array {
  return valuesWhere(values, (v) => v < ceiling);
}

function valuesWhere(values: ArrayLike<number>, keep: (value: number) => boolean): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (keep(values[i]!)) count++;
  const kept = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (keep(values[i]!)) kept[k++] = values[i]!;
  return kept;
}

/** The indices of the loads `keep` takes. */
function loadsWhere(measured: Measured, keep: (load: number) => boolean): number[] {
  const found: number[] = [];
  for (let k = 0; k < measured.loads.length; k++) if (keep(measured.loads[k]!)) found.push(k);
  return found;
}

/** Of those, the full ones (Measured.isFull): the outlier rules' candidates. */
function fullLoads(measured: Measured, keep: (load: number) => boolean): number[] {
  return loadsWhere(measured, keep).filter((k) => measured.isFull(k));
}

/** The minutes a full load averages: the newest, and how many after `since` (at most loadDatapoints). */
interface FleetMinutes {
  newest: number;
  since: number;
  count: number;
}

function fleetMinutes(cpu: ReadonlyArray<readonly Datapoint[]>, newestAt: Float64Array, loadDatapoints: number, periodMs: number): FleetMinutes {
  const newest = lowerMedian(Float64Array.from(newestAt));
  const since = newest - loadDatapoints * periodMs;
  let most = 0;
  // Most instances have every minute: the first of them ends the search.
  for (let k = 0; k < cpu.length && most < loadDatapoints; k++) if (newestAt[k] === newest) most = Math.max(most, countSince(cpu[k]!, since));
  return { newest, since, count: Math.min(loadDatapoints, most) };
}

/**
 * The lower median of the values (reordered). Most instances share the newest minute and the
 * full count, so it is the highest when more than half have it, found without a sort.
 */
function lowerMedian(values: Float64Array): number {
  let highest = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > highest) highest = v;
  let atHighest = 0;
  for (const v of values) if (v === highest) atHighest++;
  return atHighest > values.length / 2 ? highest : values.sort()[(values.length - 1) >> 1]!;
}

/** An instance's finite datapoints that begin after `since`. */
function countSince(points: readonly Datapoint[], since: number): number {
  let count = 0;
  for (const p of points) if (Number.isFinite(p.value) && p.at > since) count++;
  return count;
}

/** Up to this many working peers, their MAD is computed without the candidate; above, once for all. */
const EXACT_MAD_PEERS = 64;

/**
 * Runaway (hot outlier): at or above `urgent` and far above the median of its working peers
 * (the other measured instances doing at least `coldLoad`). Two ways to be far above: the
 * Menéame ratio, and, in a busy fleet where the ratio cannot fire, a gap of hotGap points (twice
 * that with only two peers) that is also hotZ robust standard deviations away (peers behind one
 * balancer sit close together); with a single peer, 1.5 × hotGap alone.
 * In a large fleet one instance moves the peers' MAD by at most one rank, so it is computed
 * once: a saturated fleet of 10,000 must not cost 10,000 sorts. The peers' median and MAD are
 * found by selection, and only where a candidate is: most ticks, in most fleets, have none.
 * Only an instance with a full load (Measured) is a candidate; any measured one is a peer. One
 * that averages other minutes than its peers' stands 20 points above them on traffic that just
 * surged, by that difference alone. One far below its share (`notWorking`: findCold's, on a full
 * load or not) is no working peer, as a dead one is none: one failing fast beside an overloaded fleet runs at 6 %
 * on its error pages, above coldLoad, and by the median of it and one healthy peer pinned by the
 * overload (53 %) the two healthy ones read as runaways and were killed (a hunt with the
 * simulator's hang that answers errors, 2026-12-07, by CPU and by NetworkOut: the other healthy
 * one's equal share kept the witness from refusing).
 */
export function findRunaways(measured: Measured, config: Config, pinnedAt: number = config.urgent, spread = 1, notWorking: ReadonlySet<string> = NONE): Outlier[] {
  // Other minutes than its peers' (not full): not comparable yet.
  const candidates = fullLoads(measured, (load) => load >= pinnedAt);
  if (candidates.length === 0) return [];
  const working = notWorking.size === 0 ? atLeast(measured.loads, config.coldLoad) : Float64Array.from(measured.loads.filter((load, k) => load >= config.coldLoad && !notWorking.has(measured.ids[k]!)));
  const peerCount = working.length - 1;
  if (peerCount === 0) return []; // alone at work: saturated, not a runaway
  const medianWithout = medianWithoutOf(working);
  // A few peers: their MAD without the candidate; many: once for all (madOf reorders `working`, read once above).
  let sorted: SortedLoads | undefined;
  let sharedMad: number | undefined;
  const peersMad = (load: number) => (peerCount > EXACT_MAD_PEERS ? (sharedMad ??= madOf(working)) : (sorted ??= new SortedLoads(working)).madWithout(load));
  const found: Outlier[] = [];
  for (const k of candidates) {
    const load = measured.loads[k]!;
    const med = medianWithout(load);
    // Beside other types of its size only (TYPE_SPEED_SPREAD): the ratio their speeds cannot make.
    if (spread > 1) {
      if (load >= spread * med) found.push({ id: measured.ids[k]!, load, peers: med });
      continue;
    }
    const byRatio = load >= config.hotRatio * med;
    const gap = load - med;
    // A single peer has no spread to measure: 1.5 × the gap is enough on its own (a runaway beside
    // one peer at 67-85 % was otherwise seen late, by chance; see docs/algorithm.md). A wrong call
    // costs an emergency +1: the kill needs it to stay hot while the peers cool down.
    let byGap = !byRatio && peerCount === 1 && gap >= 1.5 * config.hotGap;
    // Two peers make a shakier median: the gap must be twice as wide (a runaway in a busy fleet of
    // three went unseen for good without this; see docs/algorithm.md).
    if (!byRatio && peerCount >= 2 && gap >= config.hotGap * (peerCount >= 3 ? 1 : 2)) {
      byGap = gap / Math.max(1, 1.4826 * peersMad(load)) >= config.hotZ;
    }
    if (!byRatio && !byGap) continue;
    // With three peers or more, half of them at least are below their median, far below it.
    const one = peerCount <= 2 ? singlePeerBelow(measured, k, load - config.hotGap, config, notWorking) : -1;
    found.push(one >= 0 ? { id: measured.ids[k]!, load, peers: med, besideOne: { peer: measured.ids[one]!, peerLaunch: measured.launchedAt(one) } } : { id: measured.ids[k]!, load, peers: med });
  }
  return found;
}

/** A runaway proven against its single working peer (Outlier.besideOne). */
function withoutBesideOne(r: Outlier): Outlier {
  const proven = { ...r };
  delete proven.besideOne;
  return proven;
}

/**
 * The one working peer of candidate `k` below `under` (hotGap below it), where it stands out
 * against that one only (−1 otherwise): beside a single working peer, or beside two of which the
 * other runs as hot (a healthy one pinned by an overload beside a hang that fails fast, and the
 * instance launched since, pinned too). `asOwn`: each one's load as its share would make `k` run
 * (across sizes).
 */
function singlePeerBelow(measured: Measured, k: number, under: number, config: Config, notWorking: ReadonlySet<string>, asOwn = (j: number) => measured.loads[j]!): number {
  let one = -1;
  for (let j = 0; j < measured.loads.length; j++) {
    if (j === k || asOwn(j) < config.coldLoad || asOwn(j) >= under || notWorking.has(measured.ids[j]!)) continue;
    if (one >= 0) return -1;
    one = j;
  }
  return one;
}

/**
 * Rule 2 where no peer works: instances pinned at `urgent` or more, no more than the others, while
 * every other measured one idles below `coldLoad`, all of them serving in the group's balancers
 * (one out of them is not measured here: measuredOf). A balancer gives each its share of the
 * requests, and the idle ones show what a share costs: a runaway process at night, when the
 * fleet idles (findRunaways, counting working peers only, saw none, and the saturated rule grew
 * the fleet to its max for it). Found by ramped runaways in the simulator. Or the one that serves
 * beside peers that fail fast while their health checks pass (an application down behind a web
 * server that answers them): CPU cannot tell, so the runaway rule kills it only once an instance
 * launched after it was first seen (its emergency +1) idles too. Without a balancer (workers that
 * pull jobs: one busy, the rest waiting), or with none in it beside it (the one left carries
 * everything), idle peers say nothing of the traffic; and where most are pinned, the idle ones
 * may be the sick ones (the saturated rule's, as the fleet load then counts them: fleet-load.ts).
 * Of mixed sizes, the idle peers of every size, where their share on the pinned one's vCPUs
 * stays far below `urgent` (before, the saturated rule grew the fleet for it).
 */
function runawaysBesideIdle(measured: Measured, snapshot: Snapshot, figures: Figures, config: Config, oneType: boolean): Outlier[] {
  if (!snapshot.group.hasLoadBalancers || measured.loads.length < 2) return [];
  // The loads first: a fleet at work leaves at its first instance between coldLoad and urgent.
  const pinned: number[] = [];
  const idle: number[] = [];
  for (let k = 0; k < measured.loads.length; k++) {
    const load = measured.loads[k]!;
    if (load >= config.coldLoad && load < config.urgent) return [];
    (load >= config.coldLoad ? pinned : idle).push(k);
  }
  if (pinned.length === 0 || pinned.length > idle.length) return [];
  const byId = new Map<string, number>();
  figures.instances.forEach((i, index) => byId.set(i.id, index));
  let newestLaunch = Number.NEGATIVE_INFINITY;
  let mostVcpus = 0;
  for (const k of idle) {
    const index = byId.get(measured.ids[k]!)!;
    const peer = figures.instances[index]!;
    if (!peer.serving || peer.lb !== 'in') return [];
    newestLaunch = Math.max(newestLaunch, snapshot.instances[index]!.launchTime);
    mostVcpus = Math.max(mostVcpus, vcpusOf(snapshot.instances[index]!.type) ?? Number.POSITIVE_INFINITY);
  }
  const peers = median(idle.map((k) => measured.loads[k]!));
  // Of mixed sizes, round robin gives a smaller one the same requests as a larger peer: its share
  // is the idle peers' CPU × their vCPUs / its own, and a type of another family up to
  // TYPE_SPEED_SPREAD slower a vCPU does as much again. Pinned beyond that only (unknown vCPUs:
  // not judged).
  const beyondShare = (k: number) => {
    const own = snapshot.instances[byId.get(measured.ids[k]!)!]!.type;
    const spread = speedSpread([own, ...idle.map((j) => snapshot.instances[byId.get(measured.ids[j]!)!]!.type)]);
    const vcpus = vcpusOf(own);
    return vcpus !== null && config.coldLoad * (mostVcpus / vcpus) * spread < config.urgent;
  };
  return pinned.filter((k) => measured.isFull(k) && (oneType || beyondShare(k))).map((k) => ({ id: measured.ids[k]!, load: measured.loads[k]!, peers, besideIdle: { newestLaunch } }));
}

/**
 * A runaway stands out on its newest minute too, by hotGap points above its working peers': its
 * process pins it minute after minute, whatever the fleet does. On a load averaged over minutes
 * in which the fleet changed (zones evened by a scale-in or a launch, a surge that pinned them
 * all on the newest), a healthy instance stands out on the older minutes only (found by
 * no-false-outliers over zoned fleets: an emergency +1 for a fleet that was saturated).
 */
function standsOutNow(measured: Measured, r: Outlier, config: Config): boolean {
  return measured.newestGap(measured.ids.indexOf(r.id), config.coldLoad) >= config.hotGap;
}

/**
 * The others that must work beside a dead one, at least half of them (the lower median): a
 * single one at work, or one of two, may be a runaway climbing through 20-95 % (a leak, a job that
 * grows) beside healthy peers idling at night, and CPU alone cannot tell which of the two is
 * sick. Found by ramped runaways in the simulator: the idle peer was killed as dead. A fleet of
 * two of one type behind a balancer has one (oneWitness).
 */
export const DEAD_WITNESSES = 2;

/**
 * Dead (cold outlier): near 0 % while the others clearly work. At night, when all idle, nobody
 * is dead. An instance pinned at `urgent` or more does not count as "working" here: next to a
 * runaway, a healthy instance on a quiet fleet idles near 0 % too (found by the no-healthy-kills
 * property), and a dead instance whose peers are all saturated is the saturated rule's business.
 * As for a runaway, only an instance with a full load is a candidate.
 * `lone` (behind a balancer, one type): a fleet of two reads its dead one beside the single other
 * (oneWitness). Once an emergency +1 was made for one (`probed`, and when), the others there
 * before it must still read it dead, as they did: the one launched for it is the probe, whose
 * answer is provenDead's; idling beside one that works on its own, it would end the reading (the
 * +1 taken back, another made minutes later, again and again).
 */
export function findDead(measured: Measured, config: Config, probed: ReadonlyMap<string, number> = NONE_PROBED, lone = false): Outlier[] {
  const witnesses = lone ? 1 : DEAD_WITNESSES;
  if (measured.loads.length < 1 + witnesses) return [];
  const candidates = fullLoads(measured, (load) => load < config.coldLoad);
  if (candidates.length === 0) return [];
  const belowUrgent = new SortedLoads(below(measured.loads, config.urgent));
  if (belowUrgent.length < 1 + witnesses) return [];
  const found: Outlier[] = [];
  for (const k of candidates) {
    const load = measured.loads[k]!;
    const probedAt = probed.get(measured.ids[k]!);
    // Its +1 spread the others' loads over one more: at work then is at coldLoad or more (a fleet
    // of three at 22 % fell to 16.5 % beside it, no longer read dead: the +1 taken back, another).
    const atWork = probedAt !== undefined ? config.coldLoad : config.coldOthersMin;
    const reads = (med: number) => med >= atWork && load < config.coldRatio * med;
    // A fleet of two's other (one pinned beside them: no witness, as before).
    const byOne = belowUrgent.length < 1 + DEAD_WITNESSES;
    const all = !byOne ? belowUrgent.lowerMedianWithout(load) : measured.loads.length === 2 ? loneWitness(measured, k, () => true, config) : Number.NEGATIVE_INFINITY;
    const before = lone && probedAt !== undefined ? loneWitness(measured, k, (j) => measured.launchedAt(j) < probedAt, config) : Number.NEGATIVE_INFINITY;
    const id = measured.ids[k]!;
    if (reads(all)) found.push(byOne ? { id, load, peers: all, oneWitness: { heard: false } } : { id, load, peers: all });
    else if (reads(before)) found.push({ id, load, peers: before, oneWitness: { heard: false } });
  }
  return found;
}

const NONE_PROBED: ReadonlyMap<string, number> = new Map();

/**
 * The load of the single other below `urgent` that `of` takes, as a dead one's witness (−∞ for
 * none, or more than one): within the band only, on its load and its newest minute. Above it,
 * one at work on its own is as likely, climbing through it (a hunt over fleets of two,
 * 2026-12-07: one at 89 %, 94.6 on its newest minute, and the one launched for the +1 struck by
 * a runaway of its own as it started, "at work" at 51 %, read the idle healthy one dead and
 * proved it); a fleet that busy grows by the band, and its new instances witness too.
 */
function loneWitness(measured: Measured, k: number, of: (j: number) => boolean, config: Config): number {
  let witness = -1;
  for (let j = 0; j < measured.loads.length; j++) {
    if (j === k || !of(j) || measured.loads[j]! >= config.urgent) continue;
    if (witness >= 0) return Number.NEGATIVE_INFINITY;
    witness = j;
  }
  if (witness < 0 || measured.loads[witness]! >= config.high || measured.newestValue(witness) >= config.high) return Number.NEGATIVE_INFINITY;
  return measured.loads[witness]!;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Far below its share (cold beyond it): at `coldLoad` or more, so not dead by rule 4's measure,
 * but below `coldRatio` × the lower median of the others of its size in the balancer (dead ones
 * read aside, pinned ones counted: an overloaded fleet is at work), that median at
 * `coldOthersMin` or more, of DEAD_WITNESSES others at least. Behind a balancer that shares the
 * requests evenly a healthy instance runs near its peers; one at a fifth of them or less does not
 * do its share. A hang whose web server answers every request at once with an error page (it
 * fails fast, its health checks pass) runs on those pages alone, above `coldLoad` where it is sent
 * enough of them: beside an overloaded fleet, and behind a balancer that routes by least
 * outstanding requests, which sends it more the busier its peers are (the simulator's hang that
 * answers errors, 2026-12-07). Its CPU is no share of the load: the fleet load leaves it out, the
 * N−1 rule waits while it reads so (a lower count removes a healthy one as likely), and it is
 * told of; never killed, as rule 4 kills below `coldLoad` only. Where zones split the traffic
 * (no cross-zone balancing), each load taken as a share of its zone's (zoneShares) under every
 * split that may have set the loads: a crowded zone's instances run at a fraction of a lone
 * one's (two pinned in one zone beside one failing fast alone in the other: one killed).
 * `proven` where more than twice as many of its size are at work (`coldOthersMin`) as not
 * (UNPROVEN_WORKING, as for rule 4): two runaways climbing at 60 % beside two healthy ones
 * idling at 6 % at night read as two at work beside two cold, and taking the idle ones for no
 * share grows the fleet for the runaways' CPU; what it sends tells them apart (network.ts).
 * `partial` where its load averages fewer minutes than its peers' (Measured.isFull): no reading
 * held, but no working peer either (computeSignals).
 */
function findCold(bySize: Measured[], aside: ReadonlySet<string>, out: ReadonlySet<string>, snapshot: Snapshot, figures: Figures, config: Config): Array<{ outlier: Outlier; proven: boolean; partial: boolean }> {
  if (!snapshot.group.hasLoadBalancers) return [];
  const found: Array<{ outlier: Outlier; proven: boolean; partial: boolean }> = [];
  let splits: ZoneSplit[] | undefined;
  for (const measured of bySize) {
    // Partial ones too: no reading of their own, but no working peer (computeSignals).
    const candidates = loadsWhere(measured, (load) => load >= config.coldLoad && load < config.coldRatio * 100);
    if (candidates.length === 0) continue;
    const kept = measured.ids.flatMap((id, k) => (aside.has(id) || out.has(id) ? [] : [k]));
    if (kept.length < 1 + DEAD_WITNESSES) continue;
    splits ??= trafficSplits(snapshot, figures, config);
    // The loads as read, or under each split each as a share of its zone's.
    const views = (splits.length === 0 ? [null] : splits).map((split) => {
      const loads = kept.map((k) => measured.loads[k]! / (split?.share.get(measured.ids[k]!) ?? 1));
      return { split, loads, sorted: new SortedLoads(Float64Array.from(loads)) };
    });
    let working = 0;
    for (const k of kept) if (measured.loads[k]! >= config.coldOthersMin) working++;
    const proven = working > UNPROVEN_WORKING * (kept.length - working);
    for (const k of candidates) {
      const id = measured.ids[k]!;
      if (aside.has(id) || out.has(id)) continue;
      const cold = views.map(({ split, sorted }) => {
        const load = measured.loads[k]! / (split?.share.get(id) ?? 1);
        const med = sorted.lowerMedianWithout(load);
        return med >= config.coldOthersMin && load < config.coldRatio * med ? med : null;
      });
      // Its peers told as what they make its CPU: the median on its own zone's share.
      if (cold.every((med) => med !== null)) found.push({ outlier: { id, load: measured.loads[k]!, peers: cold[0]! * (views[0]!.split?.share.get(id) ?? 1) }, proven, partial: !measured.isFull(k) });
    }
  }
  return found;
}

/**
 * The dead ones found, `unproven` where no more than twice as many of the fleet are at work, at
 * the dead rule's witnesses' level (coldOthersMin) or more, as are quiet below it (measured, in
 * their balancer, below `urgent`; of any size): two runaways climbing through 20-95 % (a leak, a
 * job that grows) beside one or two healthy instances idling at night read as two at work beside
 * dead ones, and CPU cannot tell them apart (the simulator's growing runaways, two at a time; one
 * quiet at 4 %, its zone's small share, counted as at work beside them, and the one idling was
 * killed). An instance launched since can tell (it takes work beside dead ones, idles beside
 * runaways): `newestWorking` (newestWorkingBeside). More at work, one dead among them is the
 * likelier story by far, and its kill does not wait for a launch.
 */
export const UNPROVEN_WORKING = 2;

function provenDead(dead: Outlier[], snapshot: Snapshot, figures: Figures, config: Config): Outlier[] {
  if (dead.length === 0) return dead;
  const indexOf = new Map(dead.map((d) => [d.id, -1]));
  figures.instances.forEach((i, index) => {
    if (indexOf.has(i.id)) indexOf.set(i.id, index);
  });
  // Of mixed sizes, at work also on the dead one's vCPUs: its load there under round robin (as
  // many requests each: × its vCPUs / the dead one's, where that is less) at coldLoad or more.
  // With work from 2.5 % (coldOthersMin), two c5.larges at 3 % are an m5.xlarge's 1.5 %, idle
  // beside it (a hunt over the outlier settings: two runaways climbing, the idle m5.xlarge killed).
  const counts = new Map<number | null, { working: number; quiet: number }>();
  const countFor = (own: number | null) => {
    let found = counts.get(own);
    if (found !== undefined) return found;
    found = { working: 0, quiet: 0 };
    for (let index = 0; index < figures.instances.length; index++) {
      const i = figures.instances[index]!;
      if (i.load === null || i.lb === 'out' || i.load >= config.urgent) continue;
      if (i.load < config.coldOthersMin || lowerShare(i.load, vcpusOf(snapshot.instances[index]!.type), own) < config.coldLoad) found.quiet++;
      else found.working++;
    }
    counts.set(own, found);
    return found;
  };
  return dead.map((d) => {
    const own = vcpusOf(snapshot.instances[indexOf.get(d.id)!]!.type);
    const { working, quiet } = countFor(own);
    return working > UNPROVEN_WORKING * quiet ? d : { ...d, unproven: { newestWorking: newestWorkingBeside(d, own, snapshot, figures, config), working, quiet } };
  });
}

/**
 * When the newest instance that works where the dead one does not was launched (−∞ for none):
 * at coldLoad or more, and the dead one below coldRatio × its load, as beside its peers, its
 * load taken on the dead one's vCPUs (lowerShare). One launched into a zone whose share is larger,
 * at 4 % beside it at 3 %, idles too.
 */
function newestWorkingBeside(d: Outlier, own: number | null, snapshot: Snapshot, figures: Figures, config: Config): number {
  let newest = Number.NEGATIVE_INFINITY;
  figures.instances.forEach((i, index) => {
    // Pinned on its newest minute, or climbing to it (half hotGap above its load: hotGap across
    // the minutes a load of three averages), it is no proof: a process of its own (a runaway
    // struck it as it launched, beside ones climbing) makes it "work" on the older minutes.
    if (i.load === null || i.lb === 'out' || i.load >= config.urgent) return;
    const lastMinute = clampCpu(i.newest!.value);
    if (lastMinute >= config.urgent || lastMinute - i.load >= config.hotGap / 2) return;
    const share = lowerShare(i.load, vcpusOf(snapshot.instances[index]!.type), own);
    if (share < config.coldLoad || d.load >= config.coldRatio * share) return;
    newest = Math.max(newest, snapshot.instances[index]!.launchTime);
  });
  return newest;
}

/**
 * What a load on `theirs` vCPUs would make one of `own` vCPUs run at, the lower of the two
 * balancers' shares: round robin's (as many requests each: × theirs / own) where that is less,
 * else least outstanding requests' (as much); the load itself where either is unknown. A smaller
 * one works where a bigger one's share idles: a c5.large at 2.1 % is a c5.2xlarge's 0.5 % (a hunt
 * over the outlier settings: launched beside an idle 2xlarge, it "worked", and the healthy
 * 2xlarge was killed as dead).
 */
function lowerShare(load: number, theirs: number | null, own: number | null): number {
  return own === null || theirs === null ? load : load * Math.min(1, theirs / own);
}

/** The higher of the two balancers' shares (lowerShare): round robin's where that is more. */
function higherShare(load: number, theirs: number, own: number): number {
  return load * Math.max(1, theirs / own);
}

/** Why a serving instance stays unmeasured until someone or something mends it (Signals.unmeasured). */
const LASTING: ReadonlySet<UnmeasuredWhy> = new Set<UnmeasuredWhy>(['out-of-credits', 'no-datapoints', 'too-few-datapoints', 'stale']);

function lastingUnmeasured(figures: Figures): Signals['unmeasured'] {
  const found: Signals['unmeasured'] = [];
  for (const i of figures.instances) if (i.unmeasured !== null && LASTING.has(i.unmeasured)) found.push({ id: i.id, why: i.unmeasured });
  return found;
}

/** Where the N−1 rule's projection must land: the configured mark, else the lower third of the band. */
export function scaleInMark(config: Config): number {
  return config.scaleInMark ?? config.low + (config.high - config.low) / 3;
}

/**
 * The measured instances by size, each judged against its own for the outlier rules. Behind a
 * balancer that sends each instance as many requests (round robin), a c5.large runs at twice the
 * CPU of a c5.xlarge doing the same work: against the other size a healthy one is a runaway, or
 * dead. One size (the usual group): the fleet, as one.
 */
function measuredBySize(snapshot: Snapshot, figures: Figures, config: Config, oneType: boolean): Measured[] {
  if (oneType) return [measuredOf(snapshot, figures, config)];
  const sizes = new Set<string>();
  figures.instances.forEach((i, index) => {
    if (i.load !== null) sizes.add(sizeOf(snapshot.instances[index]!.type));
  });
  return sizes.size <= 1 ? [measuredOf(snapshot, figures, config)] : [...sizes].map((size) => measuredOf(snapshot, figures, config, (v) => sizeOf(v.type) === size));
}

/** Every measured instance of one type, or of none known (the simulator): the usual group, judged as one, at no cost. */
function ofOneType(snapshot: Snapshot, figures: Figures): boolean {
  let first: string | null = null;
  for (let index = 0; index < figures.instances.length; index++) {
    if (figures.instances[index]!.load === null) continue;
    const type = snapshot.instances[index]!.type ?? '';
    if (first === null) first = type;
    else if (type !== first) return false;
  }
  return true;
}

/**
 * Rules 2 and 4 for the only measured instance of its size, which measuredBySize leaves without
 * peers (and rule 2 for one pinned alone at work in its size, the others of it idle): judged
 * against the others, each peer's load taken as what it would make this one run
 * at under either balancer: as much (least outstanding requests, where sizes run alike), or its
 * load × its vCPUs / this one's (round robin: as many requests each). A runaway reaches
 * TYPE_SPEED_SPREAD × the median of the higher of the two, so that a type up to that much slower
 * a vCPU stays healthy; where all are sizes of one family, alike a vCPU, rule 2's own ratio or gap
 * on those shares (before, a runaway c5.xlarge among c5.larges at 60 % was only a suspect, found
 * by the sick-instance property over mixed sizes); a dead one is under coldRatio × the median of the lower, its peers
 * working (coldOthersMin) as for rule 4. Only where every measured instance's vCPUs are known.
 */
function judgeLoners(snapshot: Snapshot, figures: Figures, config: Config): { runaways: Outlier[]; suspects: Outlier[]; dead: Outlier[] } {
  const none = { runaways: [], suspects: [], dead: [] };
  const vcpus: number[] = [];
  const sizes: string[] = [];
  const types: Array<string | undefined> = [];
  const bySize = new Map<string, number>();
  const workingBySize = new Map<string, number>();
  for (let index = 0; index < figures.instances.length; index++) {
    // As measuredOf: one out of its balancer is neither judged nor a peer.
    const load = figures.instances[index]!.load;
    if (load === null || figures.instances[index]!.lb === 'out') continue;
    const type = snapshot.instances[index]!.type;
    const size = sizeOf(type);
    const v = vcpusOf(type);
    if (v === null) return none;
    vcpus.push(v);
    sizes.push(size);
    types.push(type);
    bySize.set(size, (bySize.get(size) ?? 0) + 1);
    if (load >= config.coldLoad) workingBySize.set(size, (workingBySize.get(size) ?? 0) + 1);
  }
  // Alone of its size, or pinned alone at work in it (the others of its size idle: findRunaways
  // sees it alone at work, saturated, and the N−1 rule's scale-in took it, 30 minutes on).
  const alone = (size: string, load: number) => bySize.get(size) === 1 || (load >= config.urgent && workingBySize.get(size) === 1);
  if (bySize.size < 2 || ![...bySize.keys()].some((size) => bySize.get(size) === 1 || workingBySize.get(size) === 1)) return none;
  const all = measuredOf(snapshot, figures, config);
  const spread = speedSpread(types);
  const found: { runaways: Outlier[]; suspects: Outlier[]; dead: Outlier[] } = { runaways: [], suspects: [], dead: [] };
  all.loads.forEach((load, k) => {
    const own = vcpus[k]!;
    // measuredOf follows figures.instances, as the sizes above.
    if (!alone(sizes[k]!, load) || (load < config.urgent && load >= config.coldLoad) || !all.isFull(k)) return;
    const peers = all.loads.flatMap((peer, j) => (j === k ? [] : [{ peer, theirs: vcpus[j]! }]));
    if (load >= config.urgent && spread === 1) {
      // Sizes of one family alike a vCPU: rule 2 as among its own size, on its working peers'
      // shares (an idle one stays idle: rule 2 beside idle peers is runawaysBesideIdle's).
      const loads = all.loads.map((peer, j) => (j === k || peer < config.coldLoad ? peer : higherShare(peer, vcpus[j]!, own)));
      found.runaways.push(...findRunaways({ ...all, loads }, config).filter((r) => r.id === all.ids[k]));
      return;
    }
    if (load >= config.urgent) {
      const working = peers.filter((p) => p.peer >= config.coldLoad).map((p) => higherShare(p.peer, p.theirs, own));
      const med = working.length === 0 ? null : median(working);
      if (med !== null && load >= TYPE_SPEED_SPREAD * med) found.runaways.push({ id: all.ids[k]!, load, peers: med });
      else if (med !== null && load - med >= SUSPECT_GAP * config.hotGap) found.suspects.push({ id: all.ids[k]!, load, peers: med });
      return;
    }
    const others = peers.filter((p) => p.peer < config.urgent);
    if (others.length < DEAD_WITNESSES || lowerMedian(Float64Array.from(others, (p) => p.peer)) < config.coldOthersMin) return;
    const med = lowerMedian(Float64Array.from(others, (p) => lowerShare(p.peer, p.theirs, own)));
    if (load < config.coldRatio * med) found.dead.push({ id: all.ids[k]!, load, peers: med });
  });
  return found;
}

/**
 * How much slower a vCPU one of these types may be than another: 1 where all are of one family
 * (its sizes share one processor: a c5.xlarge's vCPU is a c5.large's), TYPE_SPEED_SPREAD across
 * families (or any type unknown).
 */
function speedSpread(types: Iterable<string | undefined>): number {
  let first: string | null = null;
  for (const type of types) {
    const family = familyOf(type);
    if (family === '' || (first !== null && family !== first)) return TYPE_SPEED_SPREAD;
    first = family;
  }
  return 1;
}

/**
 * No two instance types of one size differ this much in speed a vCPU: a c5.large's vCPU is a
 * hyperthread, a c7g.large's a core, and the same requests run the c5 at about 1.6 × its CPU.
 */
export const TYPE_SPEED_SPREAD = 2;

/** A loner is a suspect this many hotGaps above what its peers make its share (as wide as rule 2 asks of two peers). */
const SUSPECT_GAP = 2;

/** How a balancer without cross-zone balancing splits the traffic over one set of its instances (zoneShares). */
interface ZoneSplit {
  of: 'serving' | 'measured' | 'answering';
  share: Map<string, number>;
  count: Map<string, number>;
  zoneOf: Map<string, string>;
}

/**
 * Each serving instance's share of the traffic relative to an even one, were its balancer to
 * split the traffic evenly between zones and then between the instances in each (no cross-zone
 * balancing: a network load balancer's default): n / (zones × instances in its zone), over the
 * instances in the balancer that `counted` keeps. Null when every zone holds as many, or a zone
 * is unknown: then every share is even whichever way the balancer splits.
 */
function zoneShares(snapshot: Snapshot, figures: Figures, of: ZoneSplit['of'], counted: (index: number) => boolean): ZoneSplit | null {
  // Counted first (a few zones), the rest only where they are uneven: the usual fleet costs one pass.
  const count = new Map<string, number>();
  let carriers = 0;
  for (let index = 0; index < figures.instances.length; index++) {
    if (!counted(index)) continue;
    const zone = snapshot.instances[index]!.zone;
    if (zone === undefined) return null;
    count.set(zone, (count.get(zone) ?? 0) + 1);
    carriers++;
  }
  const counts = [...count.values()];
  if (counts.every((c) => c === counts[0])) return null;
  const zoneOf = new Map<string, string>();
  const share = new Map<string, number>();
  for (let index = 0; index < figures.instances.length; index++) {
    if (!counted(index)) continue;
    const zone = snapshot.instances[index]!.zone!;
    zoneOf.set(figures.instances[index]!.id, zone);
    share.set(figures.instances[index]!.id, carriers / (count.size * count.get(zone)!));
  }
  return { of, share, count, zoneOf };
}

/** zoneSplits, none where the balancers read as balancing across zones: an instance's zone does not set its share. */
function trafficSplits(snapshot: Snapshot, figures: Figures, config: Config): ZoneSplit[] {
  return snapshot.group.crossZone === true ? [] : zoneSplits(snapshot, figures, config);
}

/**
 * The splits that may have set the loads measured: over the instances in the balancer now; over
 * those with a datapoint, as the newest was carried; and over those with every datapoint a load
 * averages, as the oldest was. They differ while one joins: its zone holds one more now, but the
 * loads read were carried by the zones without it (a healthy instance of a smaller zone, still
 * pinned, was killed by the +1 launched into it: no-false-outliers over zones). And each of
 * those with the quiet ones (below `coldLoad`) aside: a balancer that routes by least
 * outstanding requests sends a hang that answers nothing none (its requests wait out their
 * timeout), and the others in its zone carry the zone without it (a hunt, 2026-12-07: the
 * hang's other pinned at twice its peers, by CPU and by what it sends, killed as a runaway
 * before the hang as dead). Any may explain a hot instance; one that none does is a runaway.
 */
function zoneSplits(snapshot: Snapshot, figures: Figures, config: Config): ZoneSplit[] {
  const carries = (index: number) => figures.instances[index]!.serving && figures.instances[index]!.lb !== 'out';
  const withPoints = (least: number) => (index: number) => carries(index) && snapshot.instances[index]!.cpu.length >= least;
  const answers = (index: number) => (figures.instances[index]!.load ?? Number.POSITIVE_INFINITY) >= config.coldLoad;
  const splits: ZoneSplit[] = [];
  for (const [of, counted] of [['serving', carries], ['measured', withPoints(1)], ['measured', withPoints(config.loadDatapoints)]] as const) {
    for (const split of [zoneShares(snapshot, figures, of, counted), zoneShares(snapshot, figures, 'answering', (index) => counted(index) && answers(index))]) {
      if (split !== null && !splits.some((other) => sameCounts(other, split))) splits.push(split);
    }
  }
  return splits;
}

function sameCounts(a: ZoneSplit, b: ZoneSplit): boolean {
  return a.count.size === b.count.size && [...a.count].every(([zone, n]) => b.count.get(zone) === n);
}

/**
 * The runaways judged again against what else could set a healthy instance so far above its
 * peers, each against the peers it can be compared with:
 * - a faster type of its size (TYPE_SPEED_SPREAD): where a size mixes types, among the working
 *   instances of its own type, or, with none of them beside it, at TYPE_SPEED_SPREAD × its
 *   peers' median or more. One the types explain is no runaway;
 * - a zone that holds fewer (zoneSplits): with each load taken as a share of its zone's and the
 *   urgent mark aside, against the same peers (`notWorking` aside, as in rule 2: a hang failing
 *   fast in the other zone, counted, made the median and a healthy one a runaway, a hunt of
 *   fleets growing under an overload, 2026-12-07). One its zone explains keeps its emergency +1,
 *   which the group launches in the smallest zone; the runaway rule holds its kill
 *   (docs/algorithm.md, rule 2). Killed, it would leave the next one in that zone pinned.
 */
function judgeRunaways(found: Outlier[], suspected: Outlier[], snapshot: Snapshot, figures: Figures, config: Config, oneType: boolean, notWorking: ReadonlySet<string>): { runaways: Outlier[]; suspects: Outlier[] } {
  if (found.length === 0 && suspected.length === 0) return { runaways: [], suspects: [] };
  const splits = trafficSplits(snapshot, figures, config);
  const hotZone = zoneRunsHot(snapshot, figures, config, notWorking);
  if (splits.length === 0 && oneType) return { runaways: found.map((r) => hotZone(r) ?? r), suspects: [] };
  // Where zones split the traffic, a zone may explain what a type could: no suspect is told of.
  const suspects = splits.length === 0 ? [...suspected] : [];
  // Per size, the working measured instances of each type (figures.instances follows snapshot.instances).
  const working = new Map<string, Map<string | undefined, number>>();
  figures.instances.forEach((i, index) => {
    if (i.load === null) return;
    const view = snapshot.instances[index]!;
    const types = working.get(sizeOf(view.type)) ?? new Map<string | undefined, number>();
    types.set(view.type, (types.get(view.type) ?? 0) + (i.load >= config.coldLoad ? 1 : 0));
    working.set(sizeOf(view.type), types);
  });
  const verdicts = new Map<string, { raw: Set<string> | null; even: Array<Set<string>> }>();
  const judge = (key: string, include: (view: InstanceView) => boolean, spread: number, rawKnown: boolean) => {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const measured = measuredOf(snapshot, figures, config, include);
      const ids = (m: Measured, pinnedAt: number) => new Set(findRunaways(m, config, pinnedAt, spread, notWorking).map((o) => o.id));
      verdict = {
        raw: rawKnown ? null : ids(measured, config.urgent),
        even: splits.map((split) => {
          const loads = measured.loads.map((load, k) => load / (split.share.get(measured.ids[k]!) ?? 1));
          return ids({ ...measured, loads }, 0);
        }),
      };
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  const viewOf = new Map(snapshot.instances.map((v) => [v.id, v]));
  const runaways = found.flatMap((r) => {
    const view = viewOf.get(r.id)!;
    const size = sizeOf(view.type);
    const types = working.get(size)!;
    // A runaway is at urgent or more: it is working itself.
    const besideOtherTypes = types.size > 1 && types.get(view.type)! <= 1;
    const verdict =
      types.size <= 1
        ? judge(`size ${size}`, (v) => sizeOf(v.type) === size, 1, true)
        : !besideOtherTypes
          ? judge(`type ${view.type}`, (v) => v.type === view.type, 1, false)
          : judge(`size ${size} beside other types`, (v) => sizeOf(v.type) === size, TYPE_SPEED_SPREAD, false);
    if (verdict.raw !== null && !verdict.raw.has(r.id)) {
      if (besideOtherTypes && splits.length === 0) suspects.push(r);
      return [];
    }
    for (const [k, split] of splits.entries()) {
      if (verdict.even[k]!.has(r.id)) continue;
      const name = split.zoneOf.get(r.id);
      const [largest, largestCount] = [...split.count].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
      if (name === undefined || split.count.get(name)! >= largestCount) continue;
      return [{ ...r, zone: { name, count: split.count.get(name)!, largest, largestCount, n: split.zoneOf.size, of: split.of } }];
    }
    return [hotZone(r) ?? r];
  });
  return { runaways, suspects };
}

/**
 * The zones, where zones may split the traffic, that hold a quiet one in the balancer (below
 * coldLoad, or no working peer: `notWorking`), or one whose metrics are missing (it may be quiet:
 * a hang failing fast whose agent stopped as it began, its zone-mates at half the other zone's,
 * and one of those killed as a runaway; a hunt, 2026-12-08): one there may take much of its
 * zone's part.
 */
function quietZones(snapshot: Snapshot, figures: Figures, config: Config, notWorking: ReadonlySet<string>): Set<string> {
  const quiet = new Set<string>();
  if (snapshot.group.crossZone === true) return quiet;
  figures.instances.forEach((i, index) => {
    const zone = snapshot.instances[index]!.zone;
    if (i.serving && i.lb !== 'out' && zone !== undefined && (isQuiet(i, config, notWorking) || (i.lb === 'in' && MISSING.has(i.unmeasured)))) quiet.add(zone);
  });
  return quiet;
}

/** Why a serving instance past its warm-up is unmeasured where its metrics are missing. */
const MISSING: ReadonlySet<UnmeasuredWhy | null> = new Set<UnmeasuredWhy | null>(['no-datapoints', 'too-few-datapoints', 'stale']);

/** Measured below coldLoad, or no working peer (`notWorking`: far below its share). */
function isQuiet(i: InstanceFigures, config: Config, notWorking: ReadonlySet<string>): boolean {
  return i.load !== null && (i.load < config.coldLoad || notWorking.has(i.id));
}

/**
 * Its zone runs hot, not the instance: where zones may split the traffic, every other working
 * instance of its zone is as hot (within hotGap of it: one just measured is no candidate itself),
 * beside them it is no runaway, and another zone holds a quiet one (below coldLoad, or no working
 * peer) that may take that zone's part. A zone's share is not always what the counts give: behind
 * a balancer that routes by least outstanding requests a hang that fails fast answers at once and
 * is sent most of its zone's requests, its healthy zone-mates little, and the instances of the
 * other zones read far above them (a hunt of fleets growing under an overload beside such a hang,
 * 2026-12-07: zones of 3 and 2, the two of the smaller at 75 % beside 37 %, one killed as a
 * runaway). Two runaways of one zone at once, beside a quiet one in another, are held so too:
 * told of, not killed.
 */
function zoneRunsHot(snapshot: Snapshot, figures: Figures, config: Config, notWorking: ReadonlySet<string>): (r: Outlier) => Outlier | null {
  if (snapshot.group.crossZone === true) return () => null;
  // Counted at the first runaway in a zone: most fleets have none, or no zones (the bench's).
  let zones: { count: Map<string, number>; working: Map<string, number[]>; quiet: Set<string>; carriers: number } | undefined;
  const countZones = () => {
    const count = new Map<string, number>();
    // The loads at work in each zone.
    const working = new Map<string, number[]>();
    let carriers = 0;
    figures.instances.forEach((i, index) => {
      const zone = snapshot.instances[index]!.zone;
      if (!i.serving || i.lb === 'out' || zone === undefined) return;
      count.set(zone, (count.get(zone) ?? 0) + 1);
      carriers++;
      if (i.load === null || isQuiet(i, config, notWorking)) return;
      if (working.has(zone)) working.get(zone)!.push(i.load);
      else working.set(zone, [i.load]);
    });
    // The zones that hold a quiet one: one may take its zone's part.
    return { count, working, quiet: quietZones(snapshot, figures, config, notWorking), carriers };
  };
  return (r) => {
    const name = snapshot.instances.find((v) => v.id === r.id)?.zone;
    if (name === undefined) return null;
    zones ??= countZones();
    const { count, working, quiet, carriers } = zones;
    const mates = working.get(name) ?? [];
    if (count.size < 2 || mates.length < 2 || !mates.every((load) => load >= r.load - config.hotGap) || [...quiet].every((zone) => zone === name)) return null;
    const beside = measuredOf(snapshot, figures, config, (v) => v.zone === name);
    if (findRunaways(beside, config, config.urgent, 1, notWorking).some((o) => o.id === r.id)) return null;
    const [largest, largestCount] = [...count].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
    return { ...r, zone: { name, count: count.get(name)!, largest, largestCount, n: carriers, of: 'serving', runsHot: mates.length } };
  };
}

/**
 * Instances left the fleet (our scale-in or kill) after the oldest minute the loads read began,
 * in a group whose zones may split the traffic: those minutes were carried by the zones as they
 * were, which no count of the instances here gives, and a zone's share then may set a healthy
 * instance far above its peers (found by no-false-outliers over zones and types: one zone lost an
 * instance, and the other's lone instance, pinned by its share before, was taken for a runaway).
 * No one is judged hot until every minute read is of the fleet as it is.
 */
function zonesChangedUnderLoads(snapshot: Snapshot, figures: Figures, config: Config, leftAt: number | null): boolean {
  if (leftAt === null || snapshot.group.crossZone === true) return false;
  const zones = snapshot.group.zones ?? new Set(snapshot.instances.flatMap((i) => (i.zone === undefined ? [] : [i.zone]))).size;
  if (zones < 2) return false;
  // The measured instances (those with a newest datapoint): their datapoints, and the newest's time.
  const cpu = figures.instances.flatMap((i, index) => (i.newest === null ? [] : [snapshot.instances[index]!.cpu]));
  if (cpu.length === 0) return false;
  const newestAt = Float64Array.from(figures.instances.flatMap((i) => (i.newest === null ? [] : [i.newest.at])));
  const periodMs = snapshot.periodSeconds * 1000;
  return fleetMinutes(cpu, newestAt, config.loadDatapoints, periodMs).since + periodMs < leftAt;
}

/**
 * The working instances (measured, at coldLoad or more), and their mean: of mixed sizes, the
 * mean of the size that runs hottest where two or more of it work, as the fleet load takes it
 * (fleet-load.ts). Behind a round-robin balancer the smallest size is pinned first, and the
 * fleet's demand hidden, while larger ones idle along at a half or a quarter of its CPU.
 */
function working(snapshot: Snapshot, figures: Figures, config: Config, oneType: boolean, notWorking: ReadonlySet<string>): { workingMean: number; workingCount: number; hottest: { size: string; count: number } | null } {
  let workingSum = 0;
  let workingCount = 0;
  const bySize = oneType ? null : new Map<string, { sum: number; count: number }>();
  figures.instances.forEach((i, index) => {
    if (i.load === null || i.load < config.coldLoad || notWorking.has(i.id)) return;
    workingSum += i.load;
    workingCount++;
    if (bySize === null) return;
    const size = sizeOf(snapshot.instances[index]!.type);
    const of = bySize.get(size) ?? { sum: 0, count: 0 };
    bySize.set(size, { sum: of.sum + i.load, count: of.count + 1 });
  });
  let workingMean = workingSum / workingCount;
  let hottest: { size: string; count: number } | null = null;
  for (const [size, { sum, count }] of bySize ?? []) {
    if (count < 2 || count === workingCount || sum / count <= workingMean) continue;
    workingMean = sum / count;
    hottest = { size, count };
  }
  return { workingMean, workingCount, hottest };
}

/** How the fleet changed under the loads read: who is joining, and when instances last left it by our action. */
export interface FleetChange {
  joining: Joining;
  /** The last action's time, where it removed instances (a scale-in or a kill); null otherwise. */
  leftAt: number | null;
  /** The instances an emergency +1 was made for, and when (State.emergencies): a dead one's dilutes the others' loads. */
  probed?: ReadonlyMap<string, number>;
}

/** When our last action removed instances from the fleet (a scale-in, a kill); null where it did not. */
export function leftAtOf(last: ActionRecord | null): number | null {
  return last !== null && (last.kind === 'terminate' || last.to < last.from) ? last.at : null;
}

export function computeSignals(snapshot: Snapshot, figures: Figures, now: number, config: Config, { joining, leftAt, probed = NONE_PROBED }: FleetChange = { joining: NOTHING_JOINING, leftAt: null }): Signals {
  const oneType = ofOneType(snapshot, figures);
  const bySize = measuredBySize(snapshot, figures, config, oneType);
  // figures.instances follows snapshot.instances, index for index.
  const detached: string[] = [];
  const out = new Set<string>();
  figures.instances.forEach((i, index) => {
    // Out of its balancer since its launch, it is joining, not detached: a slow boot and a classic
    // balancer's first checks (10 × 30 s) outlast the warm-up (launches.ts: until it is overdue).
    if (!i.serving || i.lb !== 'out' || joining.launching.has(i.id)) return;
    out.add(i.id);
    const pastWarmup = now >= snapshot.instances[index]!.launchTime + config.warmupSeconds * 1000;
    if (snapshot.group.hasLoadBalancers && pastWarmup) detached.push(i.id);
  });
  const loners = oneType ? null : judgeLoners(snapshot, figures, config);
  // Idle because its balancer sends it nothing: the detached rule's, which knows a mass detach.
  // A single other witnesses where both take their share of the requests (findDead).
  const lone = oneType && snapshot.group.hasLoadBalancers;
  const deadOnes = provenDead([...bySize.flatMap((measured) => findDead(measured, config, probed, lone)), ...(loners?.dead ?? [])].filter((d) => !out.has(d.id)), snapshot, figures, config);
  // What they send refuses a reading CPU alone made (network.ts, read while one is held): one
  // serving the traffic is neither. Refusals by reading: runaway, dead, cold.
  let network: NetworkWitness | null | undefined;
  const refused: Record<Refused['reading'], Refused[]> = { runaway: [], dead: [], cold: [] };
  // What it sends says of a reading: nothing (unread), or that it stands, or refused (kept).
  const verdict = (reading: Refused['reading'], least: number, outlier: Outlier, among?: ReadonlySet<string>): 'unread' | 'stands' | 'refused' => {
    network ??= networkWitness(snapshot, figures, config);
    const sent = network?.sent(outlier.id, among) ?? null;
    if (sent === null) return 'unread';
    if (sent < least) return 'stands';
    refused[reading].push({ reading, outlier, sent });
    return 'refused';
  };
  const witnessed = (reading: Refused['reading'], least: number, among?: (id: string) => ReadonlySet<string> | undefined) => (outlier: Outlier) =>
    verdict(reading, least, outlier, among?.(outlier.id)) !== 'refused';
  // Far below its share: where CPU cannot tell (unproven), only once what it sends says it does
  // not serve its share; unread, not yet (the next tick reads it: coldUnproven's key).
  const cold: Outlier[] = [];
  const coldUnproven: Outlier[] = [];
  // On a load of fewer minutes than its peers' (a gap in its datapoints), no reading is held (not
  // comparable yet), but it is no working peer either: a hang failing fast whose agent missed two
  // minutes as it began, at 5 % beside two pinned, made the median of them 52 %, and a healthy
  // one was killed as a runaway (a hunt, 2026-12-07, 1 of 171,600 stories).
  const partial: string[] = [];
  for (const c of findCold(bySize, new Set(deadOnes.map((d) => d.id)), out, snapshot, figures, config)) {
    if (c.partial) {
      partial.push(c.outlier.id);
      continue;
    }
    const said = c.proven ? 'stands' : verdict('cold', NETWORK_SERVES, c.outlier);
    if (said === 'stands') cold.push(c.outlier);
    else if (said === 'unread') coldUnproven.push(c.outlier);
  }
  // No working peer for rule 2 (nor working for rule 3) while so, nor while CPU cannot tell and NetworkOut is unread: two
  // pinned by an overload beside one failing fast read as two runaways beside a healthy one
  // idling, and the kill of a healthy one is the worse mistake (the runaways wait a tick for
  // NetworkOut, or, where it cannot be read, for the saturated rule and the band).
  const notWorking = new Set([...cold, ...coldUnproven].map((c) => c.id).concat(partial));
  // Out of its balancer an instance takes no share of the traffic: its CPU is something else's
  // (a deploy installing, a person's job), and an emergency +1 keeps nothing it served. Rule 5's.
  const hot = [...bySize.flatMap((measured) => findRunaways(measured, config, config.urgent, 1, notWorking).filter((r) => standsOutNow(measured, r, config))), ...(loners?.runaways ?? [])].filter((r) => !out.has(r.id));
  const judged = judgeRunaways(hot, (loners?.suspects ?? []).filter((r) => !out.has(r.id)), snapshot, figures, config, oneType, notWorking);
  const besideIdle = judged.runaways.length === 0 ? runawaysBesideIdle(oneType ? bySize[0]! : measuredOf(snapshot, figures, config), snapshot, figures, config, oneType) : [];
  const { runaways: hotOnes, suspects } = zonesChangedUnderLoads(snapshot, figures, config, leftAt) ? { runaways: [], suspects: [] } : { ...judged, runaways: [...judged.runaways, ...besideIdle] };
  // Against the peers its CPU towered over: of mixed sizes, those of its size where it has any (a
  // healthy c5.large carrying an overload beside a c5.large failing fast on error pages, above
  // coldLoad, sends what a c5.xlarge beside them sends too, and by all the others' median was a
  // runaway: a hunt with the simulator's hang that answers errors, 2026-12-07).
  const among = oneType ? undefined : sizePeersOf(bySize);
  // Standing out against a single working peer, in a fleet of one type (of mixed sizes the others
  // show its share too), what it sends against that peer's proves it a runaway where it sends less than
  // NETWORK_RUNAWAY × as much: otherwise the kill waits for one launched since (rule 2). Not
  // against all in the balancer: the +1 joining serves as a healthy one would.
  const sendsItsShare = (r: Outlier) => {
    const sent = network?.sent(r.id, new Set([r.id, r.besideOne!.peer])) ?? null;
    return sent !== null && sent < NETWORK_RUNAWAY;
  };
  // Where zones split the traffic, a quiet one beside that peer in its zone (a hang failing fast,
  // sent most of the zone's requests by least outstanding requests) leaves the peer little: it
  // runs and sends below the hot one's share, and the hot one was killed on either (a hunt of
  // fleets growing under an overload, 2026-12-07). No proof then.
  let quiet: Set<string> | undefined;
  const besideQuiet = (r: Outlier) => {
    quiet ??= quietZones(snapshot, figures, config, notWorking);
    const zoneOf = (id: string) => snapshot.instances.find((v) => v.id === id)?.zone;
    const peerZone = zoneOf(r.besideOne!.peer);
    return peerZone !== undefined && peerZone !== zoneOf(r.id) && quiet.has(peerZone);
  };
  // Of mixed sizes, against the working instances of every size: the others show its share, but
  // where every other runs as hot, or in a fleet of two, a single peer below it is all there is
  // (a hunt, 2026-12-08: a c5.large pinned by an overload beside a c7g.large failing fast at 5 %
  // was killed while its +1 booted; an m6g.medium beside one failing fast, the c5.larges pinned).
  // Each peer's load as its share would make it run (higherShare: a c5.xlarge at 90 % by round
  // robin gives a c5.large's share as 180 %).
  let fleet: { measured: Measured; views: InstanceView[]; lb: LbState[]; vcpus: Array<number | null> } | undefined;
  const fleetOf = () => {
    if (fleet !== undefined) return fleet;
    const measured = measuredOf(snapshot, figures, config);
    const at = new Map(snapshot.instances.map((v, index) => [v.id, index]));
    const views = measured.ids.map((id) => snapshot.instances[at.get(id)!]!);
    return (fleet = { measured, views, lb: measured.ids.map((id) => figures.instances[at.get(id)!]!.lb), vcpus: views.map((v) => vcpusOf(v.type)) });
  };
  const asOwnOf = (k: number) => {
    const { measured, vcpus } = fleetOf();
    const own = oneType ? null : (vcpus[k] ?? null);
    return (j: number) => (own === null || vcpus[j] === null ? measured.loads[j]! : higherShare(measured.loads[j]!, vcpus[j]!, own));
  };
  const againstEvery = (r: Outlier): Outlier => {
    const { measured } = fleetOf();
    const k = measured.ids.indexOf(r.id);
    const one = k < 0 ? -1 : singlePeerBelow(measured, k, measured.loads[k]! - config.hotGap, config, notWorking, asOwnOf(k));
    return one < 0 ? withoutBesideOne(r) : { ...r, besideOne: { peer: measured.ids[one]!, peerLaunch: measured.launchedAt(one) } };
  };
  // An instance idling in the balancer beside it (below coldLoad on its share, on a full load,
  // not far below its share) shows the traffic light: a healthy one pinned by an overload has none
  // such beside it, as one launched into it takes its share and is pinned too. Where zones split
  // the traffic, in its own zone only (a hang failing fast may leave another zone's little). The
  // newest one's launch: one launched since it was first seen proves it (rule 2). A runaway at
  // night beside a single peer at work, its +1 a larger size idling, waited for its +1 to work.
  const quietLaunch = (r: Outlier): number => {
    const { measured, views, lb } = fleetOf();
    const k = measured.ids.indexOf(r.id);
    if (k < 0) return Number.NEGATIVE_INFINITY;
    const asOwn = asOwnOf(k);
    const zone = views[k]!.zone;
    let newest = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < measured.loads.length; j++) {
      if (j === k || lb[j] !== 'in' || asOwn(j) >= config.coldLoad || !measured.isFull(j) || notWorking.has(measured.ids[j]!)) continue;
      if (snapshot.group.crossZone !== true && zone !== undefined && views[j]!.zone !== undefined && views[j]!.zone !== zone) continue;
      newest = Math.max(newest, measured.launchedAt(j));
    }
    return newest;
  };
  const runaways = hotOnes.filter(witnessed('runaway', NETWORK_BUSIER, among)).map((found) => {
    const r = oneType ? found : againstEvery(found);
    if (r.besideOne === undefined) return r;
    if (besideQuiet(r)) return { ...r, besideOne: { ...r.besideOne, besideQuiet: true as const } };
    if (sendsItsShare(r)) return withoutBesideOne(r);
    return { ...r, besideOne: { ...r.besideOne, quietLaunch: quietLaunch(r) } };
  });
  // Only where CPU cannot tell (unproven): one dead among many at work is the likelier story, and
  // one that fails fast behind its web server may send its share in error pages (a balancer
  // that sends the least busy the most requests sends it more).
  // Beside a single other, where it says it sends less (heard) only: CPU alone reads a healthy
  // one idling beside one busy on its own (a runaway climbing, a job) as dead.
  const dead: Outlier[] = [];
  for (const d of deadOnes) {
    const said = d.unproven === undefined && d.oneWitness === undefined ? 'stands' : verdict('dead', NETWORK_SERVES, d);
    if (said !== 'refused') dead.push(d.oneWitness === undefined ? d : { ...d, oneWitness: { heard: said === 'stands' } });
  }
  const serving = [...refused.runaway, ...refused.dead, ...refused.cold];
  const { workingMean, workingCount, hottest } = working(snapshot, figures, config, oneType, notWorking);
  const highThreshold = config.high * (figures.n === 1 ? 0.9 : 1);
  const lowThreshold = scaleInMark(config) * (figures.n < 3 ? 0.95 : 1);
  return {
    blind: figures.n > 0 && figures.coverage < config.blindCoverage,
    runaways,
    suspects,
    saturated: runaways.length === 0 && workingCount > 0 && workingMean >= config.urgent ? { workingMean, working: workingCount, hottest } : null,
    dead,
    cold,
    coldUnproven,
    serving,
    detached,
    outCount: out.size,
    massDetach: out.size * 2 > figures.n,
    unmeasured: lastingUnmeasured(figures),
    highThreshold,
    lowThreshold,
    notLaunching: figures.launched < figures.desired && snapshot.group.launchSuspended !== true,
  };
}

/**
 * The condition a runaway holds: `runaway:ID` while nothing explains it, `pinned:ID` while its
 * zone does, `runaway-beside-idle:ID` while its peers all idle (runawaysBesideIdle). Each is held
 * only while so, and a kill waits on its own: the minutes an instance was explained by its zone do
 * not count towards it, so once the zones no longer explain it (one joined, one left its
 * balancer) it is killed only after hotKillMinutes more, by when the loads read were carried by
 * the zones as they are; and the minutes it was pinned beside idle peers do not count towards a
 * kill beside working ones: a healthy instance that carried the work alone beside a hung peer,
 * its +1 at work beside it from then, stood 1.5 × hotGap above that one single peer on a minute
 * of noise near the cap, and was killed at once on the minutes held before (a hunt with the
 * simulator's hang whose health checks pass, 2026-12-07).
 */
export function runawayKey(r: Outlier, kind: 'pinned' | 'runaway-beside-idle' | 'runaway' = r.zone !== undefined ? 'pinned' : r.besideIdle !== undefined ? 'runaway-beside-idle' : 'runaway'): string {
  return `${kind}:${r.id}`;
}

/**
 * A runaway beside working peers at twice their median or more, that median at the idle mark's
 * edge (below twice `coldLoad`): held beside idle peers until the last tick, its hold goes on.
 * A peer there (4-5 % beside it at 100 %, at night) moves it between the two readings minute by
 * minute, and each move restarted its hold: killed 25 minutes after it was pinned (the
 * sick-instance property, 2026-12-07). Near the cap, closer than that (a healthy one carrying
 * the work alone beside a hung peer, its +1 at work), a hold of its own (runawayKey); so too
 * beside peers that woke at once clear of the idle mark: a hung peer whose process began to
 * spin, from 0.5 to 25 % in a minute beside the healthy one carrying all, NetworkOut unread, had
 * it killed that minute on the minutes held beside idle peers (a hunt, 2026-12-07).
 */
export const CLEAR_RUNAWAY_RATIO = 2;

/** The idle mark's edge, as a multiple of `coldLoad` (continuedKeys). */
const IDLE_EDGE = 2;

/** The condition keys new at this tick that go on from another (conditions.ts, carryConditions). */
export function continuedKeys(signals: Signals, config: Config): Record<string, string> {
  const continues: Record<string, string> = {};
  for (const r of signals.runaways) {
    if (r.zone !== undefined || r.besideIdle !== undefined || !(r.load >= CLEAR_RUNAWAY_RATIO * r.peers) || !(r.peers < IDLE_EDGE * config.coldLoad)) continue;
    continues[runawayKey(r)] = runawayKey(r, 'runaway-beside-idle');
  }
  return continues;
}

/** The condition a dead one holds: killed (or its +1 made) once held coldKillMinutes. */
export function deadKey(d: Outlier): string {
  return `dead:${d.id}`;
}

/** The condition one far below its share holds: told of once held as long as a dead one before its kill. */
export function coldKey(c: Outlier): string {
  return `cold:${c.id}`;
}

/** The condition one held far below its share by CPU holds until NetworkOut is read (network.ts reads it then). */
export function coldUnprovenKey(c: Outlier): string {
  return `cold-unproven:${c.id}`;
}

/** The condition a suspect holds: told of once held as long as a runaway before its kill. */
export function suspectKey(r: Outlier): string {
  return `suspect:${r.id}`;
}

/** Instances pinned above their share of the traffic: the fleet load leaves them out of the mean. */
export function runawayIds(signals: Signals): Set<string> {
  return new Set(signals.runaways.map((o) => o.id));
}

/** The measured instances of an instance's size, where it has a peer of its size; undefined otherwise. */
function sizePeersOf(bySize: Measured[]): (id: string) => ReadonlySet<string> | undefined {
  const groups = bySize.filter((m) => m.ids.length >= 2).map((m) => new Set(m.ids));
  return (id) => groups.find((g) => g.has(id));
}

/** The condition keys that are true at this tick; each keeps its own `since` in state. */
export function conditionKeys(signals: Signals): string[] {
  const keys: string[] = [];
  if (signals.blind) keys.push('blind');
  for (const r of signals.runaways) keys.push(runawayKey(r));
  for (const r of signals.suspects) keys.push(suspectKey(r));
  if (signals.saturated) keys.push('saturated');
  for (const d of signals.dead) keys.push(deadKey(d));
  for (const c of signals.cold) keys.push(coldKey(c));
  for (const c of signals.coldUnproven) keys.push(coldUnprovenKey(c));
  for (const s of signals.serving) keys.push(servesKey(s.outlier.id));
  for (const id of signals.detached) keys.push(`detached:${id}`);
  if (signals.unmeasured.length > 0) keys.push('unmeasured');
  if (signals.notLaunching) keys.push('not-launching');
  return keys;
}
