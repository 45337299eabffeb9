// The fleet's load of each minute, remembered in state for the sizing windows (sizing.ts): one tick
// reads only its metric window (5 minutes), the band rules look back 30 (60 on noisy minutes).
import { clampCpu, median, metricWindow, sizeOf, vcpusOf } from './figures.js';
import { DEAD_WITNESSES } from './signals.js';
import { longestWindowMinutes } from './sizing.js';
import type { ActionRecord, Config, Figures, Joining, LoadSample, Snapshot } from './types.js';

/** At most this many periods in one metric window (15 minutes of 1-minute periods, with room). */
const MAX_PERIODS = 64;

/**
 * The fleet's load in each period of this tick's metric window: CPU percent summed over the
 * instances that carried traffic then, e.g. 620 for 6.2 instances' worth.
 *
 * Behind a balancer each instance gets an even share, so a period's load is the mean CPU of the
 * instances that show it (measured, in the balancer, not a runaway, and not idle while others
 * work: their CPU is not their share) times the instances that carried traffic: every serving
 * instance in the balancer with a datapoint then, or with a gap then inside its metrics, or past
 * its warm-up before the window began (a broken agent does not stop traffic); none while on its
 * way, none before the group's launch time after its launch (`joining`). Instances the N−1
 * rule removed since are counted back, so the minutes before a scale-in keep the load they had.
 * A period no reference instance shows is left out: missing data is never 0 %.
 *
 * Of mixed sizes (a mixed instances policy counted in instances), the mean is that of the size
 * that runs hottest, where two or more of its instances show it: behind a balancer that sends
 * each instance as many requests (round robin, an application load balancer's default) a
 * c5.large runs at twice the CPU of a c5.xlarge, and the fleet is sized for its smallest, which
 * a lower count would push over the band first whichever instances the group removes. Behind one
 * that sends each as much as it can take, the sizes run alike. One instance of a size alone
 * counts at its CPU only as far as its share explains it (loneShare): a c5.large at 100 % beside
 * a c5.2xlarge at 25 % is pinned by the requests round robin sends it, and the fleet is short.
 */
export function fleetLoadOfWindow(
  snapshot: Snapshot,
  figures: Figures,
  { runaways, serving, cold }: { runaways: ReadonlySet<string>; serving: ReadonlySet<string>; cold: ReadonlySet<string> },
  lastAction: ActionRecord | null,
  joining: Joining,
  now: number,
  config: Config,
): LoadSample[] {
  if (!snapshot.metricsOk) return [];
  const period = snapshot.periodSeconds * 1000;
  const { start, end } = metricWindow(now, config, snapshot.periodSeconds);
  const periods = Math.min(MAX_PERIODS, Math.round((end - start) / period));
  const refSum = new Float64Array(periods);
  const refCount = new Uint32Array(periods);
  const carriers = new Uint32Array(periods); // serving instances a period: each counted where it starts, summed after
  const sizes = sizesOf(snapshot, figures);
  const sizeSum = sizes === null ? null : new Float64Array(periods * sizes.count);
  const sizeCount = sizes === null ? null : new Uint32Array(periods * sizes.count);
  // Of mixed sizes, each reference instance's CPU in each period (NaN: none), for loneShare.
  const values = sizes === null ? null : new Float64Array(snapshot.instances.length * periods).fill(Number.NaN);
  // Behind one balancer an idle instance beside working ones is not showing its share, where they
  // are as many as the dead rule's witnesses (signals.ts, DEAD_WITNESSES): one at work, or fewer
  // than half of its others, may be a runaway climbing beside idle healthy peers, whose CPU is
  // their share. Not the dead rule itself: peers pinned at urgent work here (the saturated rule
  // sizes on them), where rule 4 leaves a dead one beside them to rule 3. A runaway found is busy
  // with something else than its share: it works for nobody. An idle one that sends its share
  // (signals.serving: what it sends refused its dead reading) shows it: beside runaways climbing
  // through the band, their CPU is not the fleet's load (two at 77 % beside one at 3 % read as
  // 819 % on 4, and the fleet was grown from 3 to 16 at night). One far below its share above
  // coldLoad (signals.cold: a hang answering errors on its own) shows no share either: beside
  // two overloaded at 100 %, one at 6 % read the fleet as in the band, 206 % on 3.
  const idleIsNoShare = idleReadsDead(figures, runaways, config);
  for (let index = 0; index < snapshot.instances.length; index++) {
    const view = snapshot.instances[index]!;
    const fig = figures.instances[index]!;
    if (!fig.serving || fig.lb === 'out') continue;
    const reference = fig.load !== null && !runaways.has(fig.id) && !cold.has(fig.id) && (!idleIsNoShare || fig.load >= config.coldLoad || serving.has(fig.id));
    // Past its warm-up before the window began, it carried its share all through it, datapoints
    // or not: an agent that stopped publishing did not stop the traffic (a window with no
    // datapoint of it would otherwise drop its share from the load). A newer one: from its first datapoint.
    // Still on its way, or in the periods before the group's launches take to serve, it took no
    // traffic: it was booting, or idle in a target group's first health checks (types.ts, Joining).
    if (joining.launching.has(view.id)) continue;
    const joined = joining.launchMs === null ? 0 : Math.max(0, Math.ceil((view.launchTime + joining.launchMs - start) / period));
    let first = view.launchTime + config.warmupSeconds * 1000 <= start ? joined : periods;
    for (const p of view.cpu) {
      if (!Number.isFinite(p.value)) continue;
      const slot = Math.round((p.at - start) / period);
      if (slot < joined || slot >= periods) continue;
      if (slot < first) first = slot;
      if (reference) {
        const value = clampCpu(p.value);
        refSum[slot] = refSum[slot]! + value;
        refCount[slot] = refCount[slot]! + 1;
        if (sizes !== null) {
          const cell = sizes.of[index]! * periods + slot;
          sizeSum![cell] = sizeSum![cell]! + value;
          sizeCount![cell] = sizeCount![cell]! + 1;
          if (Number.isNaN(values![index * periods + slot]!)) values![index * periods + slot] = value;
        }
      }
    }
    // From its first datapoint on it carried traffic, datapoint or not (counted where it starts, summed below).
    if (first < periods) carriers[first] = carriers[first]! + 1;
  }
  for (let slot = 1; slot < periods; slot++) carriers[slot] = carriers[slot]! + carriers[slot - 1]!;
  const removed = lastAction !== null && lastAction.kind === 'set-desired' && lastAction.to < lastAction.from ? lastAction : null;
  const samples: LoadSample[] = [];
  for (let slot = 0; slot < periods; slot++) {
    if (refCount[slot] === 0) continue;
    const at = start + slot * period;
    const back = removed !== null && at < removed.at ? removed.from - removed.to : 0;
    let mean = refSum[slot]! / refCount[slot]!;
    let size: string | null = null;
    for (let k = 0; sizes !== null && k < sizes.count; k++) {
      const count = sizeCount![k * periods + slot]!;
      const of = count >= 2 ? sizeSum![k * periods + slot]! / count : count === 1 ? loneShare(values!, sizes, k, slot, periods) : Number.NaN;
      if (of > mean) [mean, size] = [of, sizes.names[k]!];
    }
    // At urgent or above the fleet serves what it can: the load was at least this, maybe more.
    samples.push({ at, load: round1(mean * (carriers[slot]! + back)), ...(mean >= config.urgent && { capped: true }), ...(size !== null && { size }) });
  }
  return samples;
}

/**
 * Whether an idle instance (below coldLoad) has others enough at work to be taken for dead: of
 * the measured instances in the balancer but runaways, DEAD_WITNESSES or more work (at coldLoad
 * or more, pinned ones too), and at least half of the others (its others' lower median is at
 * work): the idle ones besides it at most ⌊(others − 1) / 2⌋.
 */
function idleReadsDead(figures: Figures, runaways: ReadonlySet<string>, config: Config): boolean {
  let measured = 0;
  let working = 0;
  for (const i of figures.instances) {
    if (i.load === null || !i.serving || i.lb === 'out' || runaways.has(i.id)) continue;
    measured++;
    if (i.load >= config.coldLoad) working++;
  }
  const idle = measured - working;
  return working >= DEAD_WITNESSES && idle - 1 <= (measured - 2) >> 1;
}

/**
 * The CPU of the only instance of size k in this period, as far as its share of the requests
 * explains it: at most what its peers' CPU makes it run at behind round robin (as many requests
 * each: a peer's CPU × its vCPUs / this one's, their median). Behind a balancer that sends each
 * as much as it can take the sizes run alike, and a smaller loner's CPU is below that bound: it
 * counts as it runs. One pinned beyond it is busy with something else than its share (rule 2's
 * loners), and the fleet is not short for that. NaN where a vCPU count is unknown or it has no
 * peer in the period.
 */
function loneShare(values: Float64Array, sizes: { of: Int32Array; vcpus: Array<number | null> }, k: number, slot: number, periods: number): number {
  const count = sizes.of.length;
  let lone = -1;
  for (let index = 0; index < count && lone < 0; index++) if (sizes.of[index] === k && !Number.isNaN(values[index * periods + slot]!)) lone = index;
  const own = sizes.vcpus[lone];
  if (own === null || own === undefined) return Number.NaN;
  const peers: number[] = [];
  for (let index = 0; index < count; index++) {
    const value = values[index * periods + slot]!;
    if (index === lone || Number.isNaN(value)) continue;
    const theirs = sizes.vcpus[index];
    if (theirs === null || theirs === undefined) return Number.NaN;
    peers.push((value * theirs) / own);
  }
  return peers.length === 0 ? Number.NaN : Math.min(values[lone * periods + slot]!, median(peers));
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Each measured instance's size as a number (by snapshot index) and its vCPUs, or null when they are of one size: the usual fleet. */
function sizesOf(snapshot: Snapshot, figures: Figures): { of: Int32Array; count: number; names: string[]; vcpus: Array<number | null> } | null {
  // Types first (no string made): the usual fleet is of one type, or of none known (the simulator).
  let firstType: string | undefined | null = null;
  let firstSize: string | null = null;
  let mixed = false;
  for (let index = 0; index < figures.instances.length && !mixed; index++) {
    if (figures.instances[index]!.load === null) continue;
    const view = snapshot.instances[index]!;
    if (firstType === null) firstType = view.type;
    if (view.type === firstType) continue;
    firstSize ??= sizeOf(firstType);
    mixed = sizeOf(view.type) !== firstSize;
  }
  if (!mixed) return null;
  const numbers = new Map<string, number>();
  const of = new Int32Array(snapshot.instances.length);
  snapshot.instances.forEach((view, index) => {
    const size = sizeOf(view.type);
    if (!numbers.has(size)) numbers.set(size, numbers.size);
    of[index] = numbers.get(size)!;
  });
  return { of, count: numbers.size, names: [...numbers.keys()], vcpus: snapshot.instances.map((view) => vcpusOf(view.type)) };
}

/**
 * The remembered minutes with this tick's merged in, oldest first, the last longestWindowMinutes
 * before this tick's window end. A minute seen by several ticks keeps its largest load: a later
 * tick may miss an instance that has gone since, never one that was not there.
 */
export function mergeFleetLoad(remembered: readonly LoadSample[], fresh: readonly LoadSample[], now: number, config: Config, periodSeconds: number): LoadSample[] {
  const { end } = metricWindow(now, config, periodSeconds);
  const oldest = end - longestWindowMinutes(config) * 60_000;
  const byAt = new Map<number, number>();
  // A sample from beyond this tick's window is from a clock that went back: not a minute we know.
  for (const s of remembered) if (s.at >= oldest && s.at < end) byAt.set(s.at, s.load);
  const capped = new Set<number>();
  const size = new Map<number, string>();
  for (const s of remembered) {
    if (s.capped && byAt.has(s.at)) capped.add(s.at);
    if (s.size !== undefined && byAt.has(s.at)) size.set(s.at, s.size);
  }
  for (const s of fresh) {
    // The larger load stands, and the size it was taken at with it.
    if (s.load >= (byAt.get(s.at) ?? 0)) {
      if (s.size !== undefined) size.set(s.at, s.size);
      else size.delete(s.at);
    }
    byAt.set(s.at, Math.max(s.load, byAt.get(s.at) ?? 0));
    if (s.capped) capped.add(s.at);
  }
  return [...byAt].sort((a, b) => a[0] - b[0]).map(([at, load]) => ({ at, load, ...(capped.has(at) && { capped: true }), ...(size.has(at) && { size: size.get(at)! }) }));
}
