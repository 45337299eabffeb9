// The engine's vocabulary. Times are epoch milliseconds; loads are CPU percent (0-100).

/** The settings every rule reads. Defaults and validation live in src/config/. */
export interface Config {
  low: number;
  high: number;
  urgent: number;
  metricLagSeconds: number;
  windowMinutes: number;
  warmupSeconds: number;
  minDatapoints: number;
  staleSeconds: number;
  loadDatapoints: number;
  maxTickGapSeconds: number;
  maxClockOffsetSeconds: number;
  blindAlertMinutes: number;
  blindCoverage: number;
  hotRatio: number;
  hotGap: number;
  hotZ: number;
  hotKillMinutes: number;
  saturatedGrowth: number;
  emergencyCooldownSeconds: number;
  coldLoad: number;
  coldRatio: number;
  coldOthersMin: number;
  coldKillMinutes: number;
  detachedKillMinutes: number;
  scaleInMark: number | null;
  sizingWindowMinutes: number;
  noisyWindowMinutes: number;
  recentWindowMinutes: number;
  sizingQuantile: number;
  riseConfidence: number;
  riseLeadMinutes: number;
  fallConfidence: number;
  fallLeadMinutes: number;
  maxStepUp: number | null;
  maxStepDown: number | null;
  cooldownSeconds: number;
  scaleInDelayAfterUpSeconds: number;
  takeBackSurges: boolean;
  bandRules: boolean;
  /** False: the balancer splits the traffic evenly between zones (no cross-zone balancing); GroupView.crossZone, where read, wins. */
  crossZone: boolean;
  minInstances: number | null;
  maxInstances: number | null;
  maxKillFraction: number;
  killProtected: boolean;
  alertDedupSeconds: number;
  alertOnBandScaling: boolean;
  historyLength: number;
  historyLogMinutes: number;
  avgEmaAlpha: number;
}

/** One CloudWatch datapoint: `at` is the start of its period. */
export interface Datapoint {
  at: number;
  value: number;
}

/**
 * The load balancer's view of one instance: `in` when registered and healthy everywhere,
 * `out` when deregistered or unhealthy somewhere, `unknown` when we could not tell,
 * `none` when the group has no load balancer.
 */
export type LbState = 'in' | 'out' | 'unknown' | 'none';

export interface InstanceView {
  id: string;
  /** The Auto Scaling lifecycle state: Pending, InService, Terminating, Standby, ... */
  lifecycle: string;
  health: 'Healthy' | 'Unhealthy';
  protectedFromScaleIn: boolean;
  launchTime: number;
  lb: LbState;
  /** CPUUtilization datapoints of the metric window, any order. */
  cpu: Datapoint[];
  /** NetworkOut datapoints (bytes a period) of the metric window, any order: read only while an outlier rule holds a reading (networkWanted); absent where unread. */
  network?: Datapoint[];
  /** A burstable instance's (t2, t3, t3a, t4g) newest CPU credit figures; absent for others, or when unread. */
  credits?: CpuCredits;
  /** Its EC2 instance type (c5.large) as the group lists it; absent where unknown (the simulator). */
  type?: string;
  /** Its Availability Zone as the group lists it; absent where unknown (the simulator). */
  zone?: string;
  /** Where `lb` is out: failing a balancer's health checks, or not registered in one (deregistered, draining, or never registered); absent where unknown. */
  outOfBalancer?: 'failing-checks' | 'not-registered';
}

/**
 * A burstable instance's CPU credits (CloudWatch, 5-minute periods): the least balance of the
 * newest period, and the most surplus credits spent beyond it (unlimited mode only). Out of
 * credits in standard mode, EC2 caps the instance's CPU at its baseline (10 to 40 %): its
 * CPUUtilization then shows the cap, not its load.
 */
export interface CpuCredits {
  balance: number;
  surplus: number;
}

export interface GroupView {
  name: string;
  min: number;
  max: number;
  desired: number;
  hasLoadBalancers: boolean;
  /** The group's own default instance warmup (DefaultInstanceWarmup), in seconds, when set. */
  instanceWarmupSeconds?: number;
  /** The Availability Zones the group spreads its instances over; absent where unknown (the simulator). */
  zones?: number;
  /** Whether every balancer of the group balances across zones, as read from them; absent where unknown. */
  crossZone?: boolean;
  /** The group's own enabled policies that move its desired count, as read from it; absent where unknown (the simulator). */
  scalingPolicies?: ScalingPolicyView[];
  /** Launch is suspended on the group (an operator's maintenance, told of as such): it launches nothing by design. Absent: it is not, or unknown. */
  launchSuspended?: boolean;
  /** AWS's own word on the group's last launch that failed since one succeeded (its scaling activities), read only while it has not launched for NOT_LAUNCHING_MINUTES. */
  launchFailure?: LaunchFailure;
}

/** A launch the group tried and AWS failed or cancelled: when it began, and AWS's status message. */
export interface LaunchFailure {
  at: number;
  message: string;
}

/** A scaling policy of the group's own that moves its desired count on a metric. */
export interface ScalingPolicyView {
  name: string;
  type: 'TargetTrackingScaling' | 'StepScaling' | 'SimpleScaling';
}

export interface Snapshot {
  group: GroupView;
  instances: InstanceView[];
  /** 60 with detailed monitoring, 300 with basic monitoring. */
  periodSeconds: number;
  /** False when the metrics could not be read at all this tick (every instance is unmeasured). */
  metricsOk: boolean;
  /** AWS's clock minus the host's, in seconds, as AWS's answers told (positive: the host is behind); absent where unknown (the simulator). */
  clockOffsetSeconds?: number;
  /** The instance the watchdog runs on, where it is one of the group's; absent: it runs elsewhere, or unknown. */
  hostInstance?: string;
}

/** Every outcome speaks these words: logs, mail, the status page and the tests. */
export type RuleCode =
  | 'blind'
  | 'runaway'
  | 'saturated'
  | 'dead'
  | 'detached'
  | 'high-band'
  | 'n-minus-1'
  | 'take-back';

export type BlockCode =
  | 'bounds'
  | 'cooldown'
  | 'kill-budget'
  | 'converging'
  | 'coverage'
  | 'scale-in-delay'
  | 'dead-reading'
  | 'cold-reading'
  | 'serves'
  | 'emergency'
  | 'high-mark'
  | 'history'
  | 'not-killable'
  | 'mass-detach'
  | 'clock'
  | 'blind';

/**
 * What the group's own launches tell of its newest instances (launches.ts): those on their way and
 * not overdue (joining), and how long after its launch an instance of this group begins to take
 * traffic (null before one launch is seen). Before then its CPU is no share of the traffic: it
 * was booting, or idle in a target group's first health checks.
 */
export interface Joining {
  launching: ReadonlySet<string>;
  launchMs: number | null;
}

/** Why a serving instance has no load: `joining` is InService and on its way since its launch, not yet passed by its balancer (launches.ts). */
export type UnmeasuredWhy = 'not-serving' | 'warming-up' | 'joining' | 'out-of-credits' | 'no-datapoints' | 'too-few-datapoints' | 'stale';

export interface InstanceFigures {
  id: string;
  lifecycle: string;
  health: 'Healthy' | 'Unhealthy';
  lb: LbState;
  serving: boolean;
  /** Mean of the newest datapoints; null when unmeasured. */
  load: number | null;
  /** The newest of them, as CloudWatch gave it (not clamped); null when unmeasured. */
  newest: Datapoint | null;
  unmeasured: UnmeasuredWhy | null;
}

export interface Figures {
  n: number;
  measured: number;
  /** measured / n; 0 when nothing serves. */
  coverage: number;
  /** Trimmed mean of the measured loads; null when nothing is measured. */
  avg: number | null;
  total: number;
  /** total / (n - 1), the average now with one instance fewer; null unless every serving instance is measured and n > 1. */
  projection1: number | null;
  pending: number;
  /** InService or Pending: what the group counts against desired. */
  launched: number;
  desired: number;
  min: number;
  max: number;
  instances: InstanceFigures[];
}

/** The fleet's load in one minute (its period's start): CPU percent summed over the instances that carried traffic. */
export interface LoadSample {
  at: number;
  load: number;
  /** The fleet ran at urgent or above: it served what it could, the load was at least this. */
  capped?: boolean;
  /** Of mixed sizes, the size whose instances' mean CPU the load was taken at, where it ran above the fleet's (fleet-load.ts). */
  size?: string;
}

/** A least-squares line through recent samples: load per minute, its t-statistic, its value at the newest sample. */
export interface Trend {
  slope: number;
  t: number;
  atNewest: number;
  /** Each sample's distance from the line, oldest first. */
  residuals: number[];
}

/** The loads the band rules size for (sizing.ts), in CPU percent summed over instances. */
export interface Sizing {
  /** What a scale-out sizes for: the lower of `windowOut` and `recentOut` (`recentOut` once the level has moved), raised along a clear rise or a jump off the level (rule 6 sizes it for the high mark, `level` for the middle). */
  out: number;
  /** `out` before a rise or a jump carried it ahead: the level the minutes show now. */
  level: number;
  /** What the N−1 rule sizes for: the higher of the two (`recent` once the level has moved), lowered along a clear fall. */
  in: number;
  /** The newest minute's load: what the fleet carries now, whatever the windows read (the N−1 rule's guard, scaleInSize). */
  newest: number;
  /** The sizing quantile of the fleet's load over the window (sizingWindowMinutes, longer on noisy minutes: sizing.ts, sizingSpans), read around its line when that is clear of flat (levelOf). */
  window: number;
  /** Whether `window` was read around the line through its minutes. */
  windowAlongLine: boolean;
  /** The same over recentWindowMinutes. */
  recent: number;
  /** The quantile the scale-out reads: sizingQuantile, or STRICT_QUANTILE where both windows' noise is small (sizing.ts). */
  outQuantile: number;
  /** `window` and `recent` at outQuantile. */
  windowOut: number;
  recentOut: number;
  /** Minutes of fleet load the window holds. */
  minutes: number;
  /** Minutes of fleet load the recent minutes hold (recentWindowMinutes, longer on noisy minutes). */
  recentMinutes: number;
  /** The line through the recent minutes; null with fewer than 4. */
  trend: Trend | null;
  /** When the level moved up or down (`out` and `in` are the recent minutes' alone), a clear rise or a jump off the level raised `out`, or a clear fall lowered `in`. */
  moving: 'shifted' | 'rising' | 'falling' | null;
  /** Of mixed sizes, the size the newest minute's load was taken at (LoadSample.size); null where it is the fleet's mean. */
  size: string | null;
}

/** Where the fleet stands against the band, as the band rules see it (status.ts). */
export interface BandStatus {
  state: 'no-instances' | 'no-load' | 'above' | 'in-band' | 'below-held' | 'below';
  /** The sizing load the state is judged on (CPU % summed), rounded to 0.1; null without one. */
  load: number | null;
  /** Where that load comes from: `p75 of the last 10 min`, `rising, 12 min ahead`. */
  source: string | null;
  /** That load on the desired count (above) or on the serving count, %. */
  average: number | null;
  /** The same with one instance fewer, %; null with one or none. */
  withOneFewer: number | null;
  /** The mark it is compared with: high above, the scale-in mark otherwise. */
  mark: number | null;
  /** One line: `in band: fleet load 222 % (p75 of the last 30 min) on 3 = 74.0 %, with one fewer 111.0 %`. */
  line: string;
}

/** A condition a rule holds before it acts: a sick instance before its kill, blindness before its alert. */
export interface HeldCondition {
  rule: 'runaway' | 'runaway-beside-idle' | 'pinned' | 'suspect' | 'dead' | 'cold' | 'detached' | 'blind' | 'not-launching';
  instance: string | null;
  heldMinutes: number;
  ofMinutes: number;
  then: 'terminate' | 'alert';
  /** Minutes until it acts if nothing changes; 0: due now (a block then says why not). */
  inMinutes: number;
}

export interface SetDesiredAction {
  kind: 'set-desired';
  from: number;
  to: number;
  rule: RuleCode;
  reason: string;
  /** The runaway instance an emergency +1 was made for. */
  instance?: string;
  /** A scale-in: the instances whose emergency +1 it keeps, still pinned (their records stay). */
  keeps?: string[];
}

/** Terminate one instance; with `decrement` the desired count goes down by one, else the group replaces it. */
export interface TerminateAction {
  kind: 'terminate';
  instance: string;
  decrement: boolean;
  from: number;
  to: number;
  rule: RuleCode;
  reason: string;
  /** With a decrement the N−1 rule allowed: the instances whose emergency +1 the lower count keeps. */
  keeps?: string[];
}

export type Action = SetDesiredAction | TerminateAction;

export interface Blocked {
  rule: RuleCode;
  why: BlockCode;
  detail: string;
}

export interface Alert {
  key: string;
  rule: RuleCode | 'state';
  subject: string;
  /** Goes with the action: mailed only when the action is carried out. */
  forAction: boolean;
  /** Already sent within the dedup window: tell the log, do not mail. */
  suppressed: boolean;
}

export interface ActionRecord {
  at: number;
  kind: Action['kind'];
  rule: RuleCode;
  from: number;
  to: number;
  instance?: string;
}

export interface HistoryEntry {
  at: number;
  n: number;
  desired: number;
  avg: number | null;
  action?: string;
}

export interface State {
  version: 1;
  lastTickAt: number | null;
  /** Condition key (e.g. `high`, `runaway:i-0abc`) → when it was first seen, held since. */
  conditions: Record<string, number>;
  lastAction: ActionRecord | null;
  lastScaleUpAt: number | null;
  /** Terminations, for the rolling-hour kill budget. */
  kills: ActionRecord[];
  /** Emergency +1 made for a runaway instance: instance id → when. */
  emergencies: Record<string, number>;
  /** Alert key → when it was last mailed. */
  alertsSent: Record<string, number>;
  avgEma: number | null;
  history: HistoryEntry[];
  /** The fleet's load of each recent minute, oldest first: the sizing windows (sizing.ts). */
  fleetLoad: LoadSample[];
  /** No take-back before this: one was followed by a scale-out within the sizing window (rules/low-band.ts). */
  takeBackOffUntil: number | null;
  /** Instances on their way to serving at the last tick (launches.ts). */
  launching: string[];
  /** How long the group's recent launches took, seconds, oldest first (launches.ts). */
  launches: number[];
}

export interface Decision {
  action: Action | null;
  /** One line for the log: what was done or why nothing was. */
  summary: string;
  blocked: Blocked[];
  alerts: Alert[];
  figures: Figures;
  /** What the band rules sized for; null before any minute of fleet load is known. */
  sizing: Sizing | null;
  band: BandStatus;
  held: HeldCondition[];
  /** The next state if the action is carried out. */
  state: State;
  /** The next state if the action is not carried out (refused, or a dry run that wants it). */
  stateWithoutAction: State;
}

/**
 * What a tick is about to do, written down before the AWS call (write-ahead): a tick that dies
 * between the call and the save leaves it behind, and the next tick reconciles it with what AWS
 * shows instead of deciding afresh.
 */
export interface Intent {
  /** When the tick decided it. */
  at: number;
  action: Action;
  /** The engine's state had the action been carried out. */
  ifDone: State;
  /** The alerts that go with the action: mailed once it is known to have been carried out. */
  alerts: Array<{ key: string; subject: string }>;
}

/** What AWS shows of an intent left behind, and the state the next decision starts from. */
export interface Reconciliation {
  done: boolean;
  /** One line: `the +1 of 06:31 was carried out: desired is 3`. */
  evidence: string;
  state: State;
}
