import { metricWindow, vcpusOf } from '../engine/index.js';
import type { Config, LbState, Snapshot } from '../engine/index.js';
import { failFastPart } from './balancer.js';
import { seededRandom } from './random.js';
import { demandAt, type Fault, type Scenario } from './scenario.js';

/** Simulated minute 0 on the wall clock of the engine: fixed, so that runs repeat. */
export const SIM_EPOCH = Date.UTC(2026, 0, 5, 0, 0, 0);
export const MINUTE_MS = 60_000;
export const toMillis = (minute: number): number => SIM_EPOCH + minute * MINUTE_MS;

/** The simulated group's zone of that index in a region: us-east-1a, us-east-1b, … (local-aws names them so too). */
export const zoneName = (zone: number, region = 'us-east-1'): string => `${region}${'abcdef'[zone]}`;

/** The type of every instance where the scenario names none: it serves 1 unit. */
export const DEFAULT_TYPE = 'c5.large';

/** What an instance of the type serves at 100 % CPU, in units: its vCPUs / 2 (a c5.large, 1). */
export const unitsOf = (type: string): number => (vcpusOf(type) ?? 2) / 2;

/** CloudWatch publishes a 1-minute datapoint this many minutes after its period ends. */
export const METRIC_DELAY_MINUTES = 2;
/** Minutes between two datapoints of an instance without detailed monitoring. */
const BASIC_PERIOD = 5;
/** A hung instance fails the balancer's health checks after this long. */
export const HANG_DETECT_MINUTES = 2;
/** Minutes of traffic simulated before minute 0, so that the first tick has metrics. */
const PREROLL_MINUTES = 15;
/** Datapoints kept per instance. */
const METRIC_RETENTION_MINUTES = 24 * 60;

/**
 * NetworkOut a minute per unit served (a c5.large's whole capacity: 1 MB/s of responses), and
 * what an instance sends serving nothing (its agents, its health checks' answers). A runaway's
 * process sends nothing of its own; a hung application nothing at all.
 */
export const NETWORK_UNIT_BYTES = 60_000_000;
export const NETWORK_IDLE_BYTES = 20_000;
/**
 * A hang that answers errors (`answers: "errors"`): its web server answers each request it is sent
 * at once with an error page, which costs it this part of what serving the request costs the
 * application in CPU, and sends this part of a page's bytes.
 */
export const ERROR_WORK = 0.02;
export const ERROR_BYTES = 0.05;

export type SickKind = 'runaway' | 'detach' | 'hang';

/** How much of the machine a runaway's process holds at minute m, from 0 to 1: all of it at once, or growing over its ramp. */
function runawayHold(sick: { since: number; rampMinutes?: number }, m: number): number {
  return Math.min(1, (m - sick.since + 1) / (sick.rampMinutes ?? 1));
}
/**
 * Where the balancer has an instance: `initial` while it passes its first health checks after it
 * is InService (`group.initialChecksMinutes`), no traffic yet; `none` without a balancer.
 */
export type Registration = 'in' | 'initial' | 'out' | 'none';
export type RemovedBy = 'terminate' | 'scale-in' | 'crash';

export interface SimInstance {
  id: string;
  /** Launch order, from 0. */
  seq: number;
  /** Its zone, from 0 (0 where the scenario has no zones). */
  zone: number;
  /** Its instance type (DEFAULT_TYPE where the scenario names none): what it serves is unitsOf(type). */
  type: string;
  launchedAt: number;
  readyAt: number;
  lifecycle: 'Pending' | 'InService' | 'Terminated';
  /** The fault it has: a runaway's process takes its full hold `rampMinutes` after `since` (1 where it strikes at once). */
  sick: { kind: SickKind; since: number; rampMinutes?: number; answers?: 'errors' } | null;
  lbOutSince: number | null;
  gapUntil: number;
  /** Published CPUUtilization by period-start minute. */
  cpu: Map<number, number>;
  /** Published NetworkOut, bytes a minute, by minute: what it served (NETWORK_UNIT_BYTES a unit) and NETWORK_IDLE_BYTES besides. */
  network: Map<number, number>;
  removedAt: number | null;
  removedBy: RemovedBy | null;
}

/** What happened in one simulated minute; the report adds these up. */
export interface MinuteRecord {
  minute: number;
  demand: number;
  inService: number;
  pending: number;
  desired: number;
  /** Mean CPU of the InService instances; of mixed types, of the type whose mean is highest: the size that saturates first (null when none). */
  avgCpu: number | null;
  unserved: number;
}

export interface FaultEvent {
  kind: Fault['kind'];
  index: number | null;
  instance: string | null;
  atMinute: number;
  removedAtMinute: number | null;
  removedBy: RemovedBy | null;
}

/**
 * The simulated Auto Scaling group behind its load balancer, minute by minute: traffic shared by
 * the instances in the balancer, launch delay, CPU capped at 100 %, unserved demand, CloudWatch
 * datapoints visible late, and the injected faults. `local-aws` serves this same model.
 */
export class Fleet {
  readonly scenario: Scenario;
  minute: number;
  desired: number;
  readonly instances: SimInstance[] = [];
  readonly records: MinuteRecord[] = [];
  readonly faults: FaultEvent[] = [];
  /** The minutes it tried to launch and could not (a `launch-failure`): what AWS's scaling activities record as failed. */
  readonly failedLaunches: number[] = [];
  private readonly random: () => number;
  private nextSeq = 0;
  private outageUntil = Number.NEGATIVE_INFINITY;
  private launchesFailUntil = Number.NEGATIVE_INFINITY;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
    this.random = seededRandom(scenario.seed);
    this.desired = scenario.group.desired;
    for (let i = 0; i < scenario.group.desired; i++) this.launch(-60, 0);
    this.minute = -PREROLL_MINUTES;
    while (this.minute < 0) this.advance();
    this.records.length = 0;
  }

  get live(): SimInstance[] {
    return this.instances.filter((i) => i.lifecycle !== 'Terminated');
  }

  get inService(): SimInstance[] {
    return this.instances.filter((i) => i.lifecycle === 'InService');
  }

  /**
   * One minute with nobody deciding: begin, reconcile, serve. A policy run instead calls begin(),
   * lets the policy look and act, then reconcile() and serve().
   */
  advance(): void {
    this.begin();
    this.reconcile();
    this.serve();
  }

  /** Minute m begins: launches finish, faults strike. */
  begin(): void {
    const m = this.minute;
    for (const i of this.instances) if (i.lifecycle === 'Pending' && m >= i.readyAt) i.lifecycle = 'InService';
    for (const fault of this.scenario.faults) if (fault.atMinute === m) this.strike(fault);
  }

  /** Serves minute m and moves on to m + 1. */
  serve(): void {
    const m = this.minute;
    const demand = demandAt(this.scenario, Math.max(0, m));
    const serving = this.inService;
    const receiving = serving.filter((i) => this.receives(i, m));
    const weights = receiving.map(() => 1 + this.scenario.noise * (2 * this.random() - 1));
    // Each instance's share: of the whole, or, split by zone, of its zone's even part.
    const byZone = this.scenario.group.zones !== undefined && !this.scenario.group.crossZone;
    const pools = new Map<number, number[]>();
    receiving.forEach((instance, k) => {
      const pool = byZone ? instance.zone : 0;
      const members = pools.get(pool);
      if (members) members.push(k);
      else pools.set(pool, [k]);
    });
    const shares = new Float64Array(receiving.length);
    for (const members of pools.values()) this.share(demand, pools.size, members.map((k) => ({ instance: receiving[k]!, weight: weights[k]! })), (at, share) => (shares[members[at]!] = share));
    let served = 0;
    const cpuSums = new Map<string, { sum: number; count: number }>();
    const cpuOf = new Map<SimInstance, number>();
    const servedBy = new Map<SimInstance, number>();
    const sentBy = new Map<SimInstance, number>();
    receiving.forEach((instance, k) => {
      const share = shares[k]!;
      const sick = instance.sick?.kind;
      const units = unitsOf(instance.type);
      if (sick === 'runaway') {
        // The runaway process, at its full hold, pins the CPU and eats half the machine; growing, a part of that.
        const hold = runawayHold(instance.sick!, m);
        const own = Math.min(100, (share / units) * 100);
        servedBy.set(instance, Math.min(share, units) * (1 - hold / 2));
        cpuOf.set(instance, hold === 1 ? 100 : own + hold * (100 - own));
      } else if (sick === 'hang' && instance.sick!.answers === 'errors') {
        // Its share is lost, each request answered at once with an error page.
        cpuOf.set(instance, Math.min(100, 0.5 + ERROR_WORK * (share / units) * 100));
        sentBy.set(instance, share * ERROR_BYTES);
      } else if (sick === 'hang') {
        cpuOf.set(instance, 0.5); // its share is lost until the balancer notices
      } else {
        servedBy.set(instance, Math.min(share, units));
        cpuOf.set(instance, Math.min(100, (share / units) * 100));
      }
    });
    for (const units of servedBy.values()) served += units;
    for (const instance of serving) {
      const cpu = cpuOf.get(instance) ?? (instance.sick?.kind === 'runaway' ? runawayHold(instance.sick, m) * 100 : instance.sick?.kind === 'hang' ? 0.5 : 1);
      const ofType = cpuSums.get(instance.type) ?? { sum: 0, count: 0 };
      cpuSums.set(instance.type, { sum: ofType.sum + cpu, count: ofType.count + 1 });
      if (m >= instance.gapUntil) {
        instance.cpu.set(m, Math.round(cpu * 1000) / 1000);
        instance.network.set(m, Math.round((servedBy.get(instance) ?? sentBy.get(instance) ?? 0) * NETWORK_UNIT_BYTES + NETWORK_IDLE_BYTES));
      }
      instance.cpu.delete(m - METRIC_RETENTION_MINUTES);
      instance.network.delete(m - METRIC_RETENTION_MINUTES);
    }
    this.records.push({
      minute: m,
      demand,
      inService: serving.length,
      pending: this.instances.filter((i) => i.lifecycle === 'Pending').length,
      desired: this.desired,
      avgCpu: serving.length === 0 ? null : Math.max(...[...cpuSums.values()].map((t) => t.sum / t.count)),
      unserved: Math.max(0, demand - served),
    });
    this.minute = m + 1;
  }

  /** SetDesiredCapacity: refused outside [min, max], as AWS does. */
  setDesired(to: number): void {
    const { min, max } = this.scenario.group;
    if (!Number.isInteger(to) || to < min || to > max) throw new RangeError(`desired ${to} is outside [${min}, ${max}]`);
    this.desired = to;
  }

  /** TerminateInstanceInAutoScalingGroup: the instance goes now; without decrement the group replaces it. */
  terminate(id: string, decrement: boolean): void {
    const instance = this.instances.find((i) => i.id === id && i.lifecycle !== 'Terminated');
    if (!instance) throw new RangeError(`instance ${id} is not in the group`);
    if (decrement && this.desired - 1 < this.scenario.group.min) throw new RangeError(`decrementing below min ${this.scenario.group.min}`);
    this.remove(instance, 'terminate');
    if (decrement) this.desired -= 1;
  }

  /** Brings the live count to desired: launches, or removes the oldest InService first. */
  reconcile(): void {
    let live = this.live;
    while (live.length < this.desired && this.minute >= this.launchesFailUntil) {
      this.launch(this.minute, this.scenario.group.launchMinutes);
      live = this.live;
    }
    if (live.length < this.desired && this.failedLaunches.at(-1) !== this.minute) this.failedLaunches.push(this.minute);
    const excess = live.length - this.desired;
    const oldestFirst = (instances: SimInstance[]) => [...instances].sort((a, b) => (a.lifecycle === b.lifecycle ? a.seq - b.seq : a.lifecycle === 'InService' ? -1 : 1));
    const types = this.scenario.group.types;
    // One type in one zone (local-aws's fleets of 10,000 among them): the oldest, in one sort.
    if (excess > 0 && this.scenario.group.zones === undefined && types === undefined) {
      for (const instance of oldestFirst(live).slice(0, excess)) this.remove(instance, 'scale-in');
    }
    // As AWS does: from the zone that holds the most (the first such); within it, as a mixed
    // instances policy keeps them, of the type that has the most (the last such); oldest first.
    for (let k = 0; k < excess && (types !== undefined || this.scenario.group.zones !== undefined); k++) {
      const zones = this.zoneCounts();
      const fullest = zones.indexOf(Math.max(...zones));
      const inZone = this.live.filter((i) => i.zone === fullest);
      const names = types ?? [DEFAULT_TYPE];
      const perType = this.typeCounts().map((count, t) => (inZone.some((i) => i.type === names[t]) ? count : -1));
      const most = names[perType.lastIndexOf(Math.max(...perType))];
      this.remove(oldestFirst(inZone.filter((i) => i.type === most))[0]!, 'scale-in');
    }
  }

  /** Live instances of each of the scenario's types, in its order. */
  private typeCounts(): number[] {
    const types = this.scenario.group.types ?? [DEFAULT_TYPE];
    return types.map((type) => this.live.filter((i) => i.type === type).length);
  }

  /** Live instances in each zone (one zone where the scenario has none). */
  private zoneCounts(): number[] {
    const counts = Array<number>(this.scenario.group.zones ?? 1).fill(0);
    for (const i of this.live) counts[i.zone]!++;
    return counts;
  }

  registration(instance: SimInstance, m = this.minute): Registration {
    const { loadBalancer, initialChecksMinutes } = this.scenario.group;
    if (loadBalancer === 'none') return 'none';
    if (instance.lifecycle !== 'InService') return 'out';
    if (instance.lbOutSince !== null && m >= instance.lbOutSince) return 'out';
    return m < instance.readyAt + initialChecksMinutes ? 'initial' : 'in';
  }

  /**
   * Shares one pool's part of the demand (an even part of `pools`) among the instances the
   * balancer sends to in it, each by its noise weight: round robin, all alike; by least
   * outstanding requests (`group.balancing`), a hang that answers nothing none (its requests wait
   * out their timeout, so it is never among the least), the hangs that answer errors the part
   * failFastPart gives them, the rest what is left.
   */
  private share(demand: number, pools: number, members: { instance: SimInstance; weight: number }[], give: (at: number, share: number) => void): void {
    const byWeight = (part: number, among: number[]) => {
      const sum = among.reduce((total, at) => total + members[at]!.weight, 0);
      for (const at of among) give(at, sum > 0 ? (part * members[at]!.weight) / sum / pools : 0);
    };
    const all = members.map((_, at) => at);
    if (this.scenario.group.balancing !== 'least-outstanding-requests') return byWeight(demand, all);
    const hang = (at: number) => members[at]!.instance.sick?.kind === 'hang';
    const failingFast = all.filter((at) => hang(at) && members[at]!.instance.sick!.answers === 'errors');
    const answering = all.filter((at) => !hang(at));
    const capacity = answering.reduce((total, at) => total + unitsOf(members[at]!.instance.type), 0);
    const part = failFastPart(failingFast.length, answering.length, capacity > 0 ? demand / pools / capacity : 1);
    byWeight(demand * part, failingFast);
    byWeight(demand * (1 - part), answering);
    for (const at of all) if (hang(at) && !failingFast.includes(at)) give(at, 0);
  }

  /** The balancer sends it traffic. */
  receives(instance: SimInstance, m = this.minute): boolean {
    const at = this.registration(instance, m);
    return at === 'in' || at === 'none';
  }

  /**
   * The balancer's view as the collector reads it: a target group's `initial` is `unknown`, a
   * classic balancer shows an instance whose registration is in progress OutOfService.
   */
  lbState(instance: SimInstance, m = this.minute): LbState {
    const at = this.registration(instance, m);
    if (at !== 'initial') return at;
    return this.scenario.group.loadBalancer === 'target-group' ? 'unknown' : 'out';
  }

  metricsReadable(m = this.minute): boolean {
    return m >= this.outageUntil;
  }

  /** Published datapoints of one of its series (`instance.cpu`, `instance.network`) of periods in [start, end) minutes, as visible at minute `now`. */
  datapoints(series: ReadonlyMap<number, number>, start: number, end: number, now = this.minute, clockMinuteOfZero = 0): Array<{ minute: number; value: number }> {
    const last = Math.min(end - 1, now - 1 - METRIC_DELAY_MINUTES);
    const out: Array<{ minute: number; value: number }> = [];
    if (this.scenario.group.monitoring === 'basic') {
      // Basic monitoring: a datapoint every 5 minutes of the clock (minute 0 is `clockMinuteOfZero`
      // minutes since the epoch: local-aws's minute 0 is when it started), at the start of its 5,
      // once all are in.
      const shift = ((clockMinuteOfZero % BASIC_PERIOD) + BASIC_PERIOD) % BASIC_PERIOD;
      for (let p = Math.ceil((start + shift) / BASIC_PERIOD) * BASIC_PERIOD - shift; p + BASIC_PERIOD - 1 <= now - 1 - METRIC_DELAY_MINUTES && p <= last; p += BASIC_PERIOD) {
        const values = Array.from({ length: BASIC_PERIOD }, (_, k) => series.get(p + k)).filter((v): v is number => v !== undefined);
        if (values.length > 0) out.push({ minute: p, value: values.reduce((a, b) => a + b, 0) / values.length });
      }
      return out;
    }
    for (let p = start; p <= last; p++) {
      const value = series.get(p);
      if (value !== undefined) out.push({ minute: p, value });
    }
    return out;
  }

  /**
   * What the watchdog's collector would see at this minute; NetworkOut where it asks for it
   * (`network`, the engine's networkWanted) and the scenario lets it read it (`group.networkOut`).
   */
  snapshot(config: Config, { network = false }: { network?: boolean } = {}): Snapshot {
    const now = toMillis(this.minute);
    const window = metricWindow(now, config, 60);
    const start = Math.round((window.start - SIM_EPOCH) / MINUTE_MS);
    const end = Math.round((window.end - SIM_EPOCH) / MINUTE_MS);
    const metricsOk = this.metricsReadable();
    const readsNetwork = network && this.scenario.group.networkOut;
    return {
      group: {
        name: this.scenario.group.name,
        min: this.scenario.group.min,
        max: this.scenario.group.max,
        desired: this.desired,
        hasLoadBalancers: this.scenario.group.loadBalancer !== 'none',
        ...(this.scenario.group.zones !== undefined && { zones: this.scenario.group.zones, crossZone: this.scenario.group.crossZone }),
      },
      instances: this.live.map((i) => ({
        id: i.id,
        lifecycle: i.lifecycle,
        health: 'Healthy' as const,
        protectedFromScaleIn: false,
        launchTime: toMillis(i.launchedAt),
        lb: this.lbState(i),
        cpu: metricsOk ? this.datapoints(i.cpu, start, end).reverse().map((d) => ({ at: toMillis(d.minute), value: d.value })) : [],
        ...(readsNetwork && { network: metricsOk ? this.datapoints(i.network, start, end).reverse().map((d) => ({ at: toMillis(d.minute), value: d.value })) : [] }),
        ...(this.scenario.group.zones !== undefined && { zone: zoneName(i.zone) }),
        ...(this.scenario.group.types !== undefined && { type: i.type }),
      })),
      periodSeconds: 60,
      metricsOk,
    };
  }

  /** The injected fault the instance had at this minute, if any; metrics gaps do not make it sick. */
  sickAt(id: string): SickKind | null {
    return this.instances.find((i) => i.id === id)?.sick?.kind ?? null;
  }

  private launch(at: number, launchMinutes: number): SimInstance {
    const seq = this.nextSeq++;
    // Into the zone that holds the fewest (the first such), as AWS keeps zones even.
    const counts = this.scenario.group.zones === undefined ? [0] : this.zoneCounts();
    // Of the type that has the fewest (the first such): the types stay within one of each other.
    const types = this.scenario.group.types;
    const perType = types === undefined ? [0] : this.typeCounts();
    const type = types?.[perType.indexOf(Math.min(...perType))] ?? DEFAULT_TYPE;
    const instance: SimInstance = {
      id: `i-0${(this.scenario.seed >>> 0).toString(16).padStart(8, '0')}${seq.toString(16).padStart(8, '0')}`,
      seq,
      zone: counts.indexOf(Math.min(...counts)),
      type,
      launchedAt: at,
      readyAt: at + launchMinutes,
      lifecycle: launchMinutes === 0 ? 'InService' : 'Pending',
      sick: null,
      lbOutSince: null,
      gapUntil: Number.NEGATIVE_INFINITY,
      cpu: new Map(),
      network: new Map(),
      removedAt: null,
      removedBy: null,
    };
    this.instances.push(instance);
    return instance;
  }

  private remove(instance: SimInstance, by: RemovedBy): void {
    instance.lifecycle = 'Terminated';
    instance.removedAt = this.minute;
    instance.removedBy = by;
    for (const event of this.faults) {
      if (event.instance === instance.id && event.removedAtMinute === null) {
        event.removedAtMinute = this.minute;
        event.removedBy = by;
      }
    }
  }

  private strike(fault: Fault): void {
    const m = this.minute;
    if (fault.kind === 'cloudwatch-outage' || fault.kind === 'launch-failure') {
      if (fault.kind === 'cloudwatch-outage') this.outageUntil = m + fault.minutes;
      else this.launchesFailUntil = m + fault.minutes;
      this.faults.push({ kind: fault.kind, index: null, instance: null, atMinute: m, removedAtMinute: null, removedBy: null });
      return;
    }
    const target = this.inService.sort((a, b) => a.seq - b.seq)[fault.instance];
    this.faults.push({ kind: fault.kind, index: fault.instance, instance: target?.id ?? null, atMinute: m, removedAtMinute: null, removedBy: null });
    if (!target) return; // fewer instances in service than the index: nothing to strike
    switch (fault.kind) {
      case 'runaway':
        target.sick = fault.rampMinutes === undefined ? { kind: 'runaway', since: m } : { kind: 'runaway', since: m, rampMinutes: fault.rampMinutes };
        break;
      case 'detach':
        target.sick = { kind: 'detach', since: m };
        target.lbOutSince = m;
        break;
      case 'hang':
        target.sick = fault.answers === 'errors' ? { kind: 'hang', since: m, answers: 'errors' } : { kind: 'hang', since: m };
        if (fault.healthChecks !== 'pass') target.lbOutSince = m + HANG_DETECT_MINUTES;
        break;
      case 'crash':
        this.remove(target, 'crash');
        break;
      case 'metrics-gap':
        target.gapUntil = m + fault.minutes;
        break;
    }
  }
}
