import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup, type Instance } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { TargetHealth } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CpuCredits, Datapoint, InstanceView, LbState, ScalingPolicyView, Snapshot } from '../engine/index.js';
import type { Clients } from './clients.js';
import { awsFailure, describeAwsError, GroupNotFound, tooManyPages, type AwsWhere } from './errors.js';
import { capacityUnitsOf, notCountingInstances, suspendedOf, whileSuspended } from './group-shape.js';
import { readCrossZone } from './cross-zone.js';
import { readScalingPolicies } from './scaling-policies.js';
import { whyNotLaunching } from './scaling-activities.js';
import { CROSS_ZONE_READ_EVERY_MS, MAX_PAGES, SCALING_POLICIES_READ_EVERY_MS } from '../config/defaults.js';
import { RuntimeFailure } from '../errors.js';
import { toTheSecond } from '../render/time.js';

/** GetMetricData takes at most 500 queries per call. */
export const METRIC_QUERIES_PER_CALL = 500;

export interface Collected {
  snapshot: Snapshot;
  /** Launch times known so far (kept in state: they never change, so each is asked once). */
  launchTimes: Record<string, number>;
  /** What could not be read; the snapshot says "unknown" there and the engine stays careful. */
  warnings: string[];
  /** The AWS account the group belongs to, from its ARN: what makes two groups named alike two groups. */
  account: string;
  /** What the group's desired capacity counts when it is not instances (capacityUnitsOf); null when it is. */
  capacityUnits: string | null;
  /** The group's processes suspended that its actions rely on (suspendedOf): while any is, it holds them. */
  suspended: string[];
  /** Whether its balancers balance across zones, and when that was read (kept in state: read once an hour); null for a group in one zone. */
  crossZone: CrossZoneRead | null;
  /** The group's own scaling policies that move desired, and when they were read (kept in state: read every 10 minutes); null where not read. */
  scalingPolicies: PoliciesRead | null;
}

/** The group's own scaling policies that move desired (readScalingPolicies), and when they were read. */
export interface PoliciesRead {
  value: ScalingPolicyView[];
  at: number;
}

/** The balancers' cross-zone setting (readCrossZone: null when none carries the group yet), and when it was read. */
export interface CrossZoneRead {
  value: boolean | null;
  at: number;
}

/** What one collection reads: the group, the metric window, and what is already known. */
export interface CollectRequest {
  group: string;
  window: MetricWindow;
  /** Launch times from the state: they never change, so only the missing ones are asked. */
  launchTimes: Record<string, number>;
  now: number;
  /** The cross-zone setting read by an earlier tick (kept in state), if any: read again once it is CROSS_ZONE_READ_EVERY_MS old. */
  crossZone?: CrossZoneRead | null;
  /** The scaling policies read by an earlier tick (kept in state), if any: read again once they are SCALING_POLICIES_READ_EVERY_MS old. */
  scalingPolicies?: PoliciesRead | null;
  /** False where nothing sizes the fleet (`instances`): neither the cross-zone setting nor the scaling policies are read. */
  sizes?: boolean;
  /** Under this many CPU credits the engine takes a burstable instance for capped (CREDITS_EXHAUSTED): its surplus is read too. */
  creditsExhausted: number;
  /** The tick's deadline: every call is abandoned when it fires. */
  signal?: AbortSignal;
  /** The group and its CPU as a run of many groups read them for all at once (readGroups); absent: read here. */
  prefetched?: Prefetched;
  /** The EC2 instance this host is (host-instance.ts); null or absent: none. */
  hostInstance?: string | null;
  /** The group has not launched for long (engine, notLaunchingLong): its scaling activities are read for AWS's reason. */
  askWhyNotLaunching?: boolean;
  /** An outlier rule holds a reading (engine, networkWanted): its InService instances' NetworkOut is read with their CPU, where the group has a balancer. */
  askNetwork?: boolean;
}

/**
 * A setting of the group's that seldom changes, read again once `everyMs` old: meanwhile what an
 * earlier tick read (kept in the state) stands, and it stands where a read fails, read again at
 * the next tick. `unread` is told why, and what stands instead (null: nothing was ever read).
 */
function readNowAndThen<T>(known: { value: T; at: number } | null, everyMs: number, now: number, read: () => Promise<T>, unread: (error: unknown, instead: string | null) => void): Promise<{ value: T; at: number } | null> {
  if (known !== null && now - known.at < everyMs) return Promise.resolve(known);
  return read().then(
    (value) => ({ value, at: now }),
    (error: unknown) => {
      unread(error, known === null ? null : `taken as read at ${toTheSecond(known.at)}`);
      return known;
    },
  );
}

/** One group's share of what readGroups read for many: the group (or why it could not be), its instances' CPU (or why not). */
export interface Prefetched {
  /** The error readGroup would have thrown: an AWS failure (RuntimeFailure) or GroupNotFound. */
  group: AutoScalingGroup | Error;
  cpu: { points: Map<string, Datapoint[]> } | { error: unknown };
}

export interface MetricWindow {
  start: number;
  end: number;
  periodSeconds: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One tick's Snapshot with the fewest round trips: the group (paged), then in parallel the CPU
 * of every InService instance (500 per GetMetricData call), each balancer's view, and the launch
 * times not yet known. Never one call per instance. A failed metrics or balancer read does not
 * fail the tick: the snapshot says so and the engine acts on nothing it cannot see.
 */
export async function collect(clients: Clients, request: CollectRequest): Promise<Collected> {
  const { group: groupName, window, launchTimes: knownLaunchTimes, now, creditsExhausted, signal, prefetched, crossZone: knownCrossZone = null, scalingPolicies: knownPolicies = null, sizes = true, hostInstance = null, askWhyNotLaunching = false, askNetwork = false } = request;
  const where: AwsWhere = clients;
  if (prefetched?.group instanceof Error) throw prefetched.group;
  const group = prefetched ? prefetched.group as AutoScalingGroup : await readGroup(clients, groupName, signal);

  const members = group.Instances ?? [];
  const capacityUnits = capacityUnitsOf(group);
  const suspended = suspendedOf(group);
  const inService = members.filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!);
  const warnings: string[] = [
    ...(capacityUnits === null ? [] : [`${notCountingInstances(groupName, capacityUnits)}: the watchdog leaves it alone (docs/operations.md)`]),
    ...(suspended.length === 0 ? [] : [`${groupName}: ${whileSuspended(suspended)}; the watchdog holds those actions until resumed`]),
  ];
  const unknownLaunch = members.map((i) => i.InstanceId!).filter((id) => knownLaunchTimes[id] === undefined);

  const burstable = members.filter((i) => i.LifecycleState === 'InService' && isBurstable(i.InstanceType)).map((i) => i.InstanceId!);
  const cpuRead = !prefetched ? readCpu(clients, inService, window, signal) : 'error' in prefetched.cpu ? Promise.reject(prefetched.cpu.error) : Promise.resolve(prefetched.cpu.points);
  // Only where the group spans two zones or more does the balancers' split by zone matter.
  const spansZones = sizes && (group.AvailabilityZones?.length ?? 0) >= 2;
  const hasLoadBalancers = (group.LoadBalancerNames?.length ?? 0) + (group.TargetGroupARNs?.length ?? 0) > 0;
  const [cpu, lb, launched, credits, crossZone, policies, launchFailure, network] = await Promise.all([
    cpuRead.catch((error: unknown) => {
      warnings.push(`metrics unreadable: ${describeAwsError(error, 'GetMetricData', where)}`);
      return null;
    }),
    readBalancers(clients, group, signal).catch((error: unknown) => {
      warnings.push(`load balancer state unknown: ${describeAwsError(error, (error as { operation?: string }).operation ?? 'DescribeInstanceHealth', where)}`);
      return 'unknown' as const;
    }),
    readLaunchTimes(clients, unknownLaunch, signal, (error) => warnings.push(`some launch times unknown: ${describeAwsError(error, 'DescribeInstances', where)}`)).catch((error: unknown) => {
      warnings.push(`launch times unknown: ${describeAwsError(error, 'DescribeInstances', where)}`);
      return {} as Record<string, number>;
    }),
    readCredits(clients, burstable, { now, exhausted: creditsExhausted }, signal).catch((error: unknown) => {
      warnings.push(`CPU credits unknown: ${describeAwsError(error, 'GetMetricData', where)}`);
      return new Map<string, CpuCredits>();
    }),
    !spansZones
      ? null
      : readNowAndThen(knownCrossZone, CROSS_ZONE_READ_EVERY_MS, now, () => readCrossZone(clients, group, signal), (error, instead) =>
          warnings.push(`cross-zone load balancing unknown, ${instead ?? 'taken as the config says'}: ${describeAwsError(error, (error as { operation?: string }).operation ?? 'DescribeTargetGroupAttributes', where)}`),
        ),
    // Unread and never read: the band rules act as they would without.
    !sizes
      ? null
      : readNowAndThen(knownPolicies, SCALING_POLICIES_READ_EVERY_MS, now, () => readScalingPolicies(clients, groupName, signal), (error, instead) =>
          warnings.push(`the group's scaling policies unknown, ${instead ?? 'taken as none'}: ${describeAwsError(error, 'DescribePolicies', where)}`),
        ),
    !askWhyNotLaunching ? null : whyNotLaunching(clients, groupName, now, warnings, signal),
    // Unread, the outlier rules judge by CPU alone, as before it was asked.
    !askNetwork || !hasLoadBalancers
      ? null
      : readNetwork(clients, inService, window, signal).catch((error: unknown) => {
          warnings.push(`NetworkOut unread, the outlier rules judge by CPU alone: ${describeAwsError(error, 'GetMetricData', where)}`);
          return null;
        }),
  ]);

  const clockOffset = clients.clockOffsetMs();
  const launchTimes: Record<string, number> = {};
  const instances: InstanceView[] = members.map((m) => {
    const id = m.InstanceId!;
    const launchTime = knownLaunchTimes[id] ?? launched[id];
    if (launchTime !== undefined) launchTimes[id] = launchTime;
    return {
      ...listed(m),
      // Unknown launch time: treat the instance as brand new, so it is in warm-up, unmeasured, safe.
      launchTime: launchTime ?? now,
      lb: !hasLoadBalancers ? 'none' : lb === 'unknown' ? 'unknown' : (lb.get(id)?.state ?? 'out'),
      ...(hasLoadBalancers && lb !== 'unknown' && lb.get(id)?.why !== undefined && { outOfBalancer: lb.get(id)!.why! }),
      cpu: cpu?.get(id) ?? [],
      ...(network?.has(id) && { network: network.get(id)! }),
      ...(credits.has(id) && { credits: credits.get(id)! }),
    };
  });
  return {
    snapshot: {
      group: {
        name: groupName,
        min: group.MinSize ?? 0,
        max: group.MaxSize ?? 0,
        desired: group.DesiredCapacity ?? 0,
        hasLoadBalancers,
        ...((group.DefaultInstanceWarmup ?? 0) > 0 && { instanceWarmupSeconds: group.DefaultInstanceWarmup! }),
        ...((group.AvailabilityZones?.length ?? 0) > 0 && { zones: group.AvailabilityZones!.length }),
        ...(crossZone !== null && crossZone.value !== null && { crossZone: crossZone.value }),
        ...(policies !== null && { scalingPolicies: policies.value }),
        ...(suspended.includes('Launch') && { launchSuspended: true }),
        ...(launchFailure !== null && { launchFailure }),
      },
      instances,
      periodSeconds: window.periodSeconds,
      metricsOk: cpu !== null,
      ...(clockOffset !== null && { clockOffsetSeconds: clockOffset / 1000 }),
      ...(hostInstance !== null && members.some((m) => m.InstanceId === hostInstance) && { hostInstance }),
    },
    launchTimes,
    warnings,
    account: accountOf(group),
    capacityUnits,
    suspended,
    crossZone,
    scalingPolicies: policies,
  };
}

/** DescribeAutoScalingGroups names at most this many groups a call (with MaxRecords at its maximum). */
export const GROUPS_PER_CALL = 100;

/**
 * Many groups of one region and account read for their ticks at once: DescribeAutoScalingGroups
 * 100 names a call, then the CPU of all their InService instances, 500 queries a GetMetricData call,
 * all calls of a step in parallel: two round trips deep, whatever the number of groups. What fails
 * fails for the groups it concerns, as each one's own collect would have.
 */
export async function readGroups(clients: Clients, names: readonly string[], window: MetricWindow, signal?: AbortSignal): Promise<Map<string, Prefetched>> {
  const found = new Map<string, AutoScalingGroup | Error>();
  await Promise.all(
    chunks(names, GROUPS_PER_CALL).map(async (batch) => {
      try {
        for (const [name, group] of await describeGroups(clients, batch, signal)) found.set(name, group);
      } catch (error) {
        for (const name of batch) found.set(name, error as Error);
      }
    }),
  );
  for (const name of names) if (!found.has(name)) found.set(name, new GroupNotFound(`Auto Scaling group '${name}' not found in ${clients.region}`));
  // The balancers' SDKs load while the CPU is read, not in the ticks' first round trip after it.
  const groups = [...found.values()].filter((g): g is AutoScalingGroup => !(g instanceof Error));
  if (groups.some((g) => (g.TargetGroupARNs?.length ?? 0) > 0)) void clients.elbv2().catch(() => undefined);
  if (groups.some((g) => (g.LoadBalancerNames?.length ?? 0) > 0)) void clients.elb().catch(() => undefined);
  const inService = [...found.values()].flatMap((g) => (g instanceof Error ? [] : (g.Instances ?? []).filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!)));
  const cpu = await readCpu(clients, inService, window, signal).then(
    (points) => ({ points }),
    (error: unknown) => ({ error }),
  );
  return new Map(names.map((name) => [name, { group: found.get(name)!, cpu }]));
}

/** `arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:…` → ACCOUNT; `unknown` without an ARN. */
export function accountOf(group: AutoScalingGroup): string {
  return /^arn:[^:]+:autoscaling:[^:]*:(\d+):/.exec(group.AutoScalingGroupARN ?? '')?.[1] ?? 'unknown';
}

/** CPUUtilization per instance over the window: 500 queries a call, NextToken and PartialData followed. */
export async function readCpu(clients: Clients, ids: readonly string[], window: MetricWindow, signal?: AbortSignal): Promise<Map<string, Datapoint[]>> {
  return readMetric(clients, ids, { name: 'CPUUtilization', stat: 'Average', periodSeconds: window.periodSeconds }, window, signal);
}

/** NetworkOut per instance over the window, bytes a period: what each sends, a second witness for the outlier rules (engine network.ts). */
export async function readNetwork(clients: Clients, ids: readonly string[], window: MetricWindow, signal?: AbortSignal): Promise<Map<string, Datapoint[]>> {
  return readMetric(clients, ids, { name: 'NetworkOut', stat: 'Sum', periodSeconds: window.periodSeconds }, window, signal);
}

/** Burstable instance types (t2, t3, t3a, t4g, ...): in standard mode, out of CPU credits, EC2 caps their CPU at a baseline. */
export function isBurstable(type: string | undefined): boolean {
  return type !== undefined && /^t[2-9][a-z]*\./.test(type);
}

/** CPU credits are published every 5 minutes; the newest period within this is the one read. */
const CREDITS_LOOKBACK_MINUTES = 15;

/**
 * The newest CPU credit figures of burstable instances (engine types.ts, CpuCredits): the least
 * CPUCreditBalance of the newest 5-minute period, then, only for those under `exhausted` credits
 * (the engine's CREDITS_EXHAUSTED), the most CPUSurplusCreditBalance (spent beyond it in
 * unlimited mode): one metric an instance a tick, two for one out of credits. An instance with no
 * balance in the last 15 minutes is left out (its credits unknown, its CPU read as it is).
 */
export async function readCredits(clients: Clients, ids: readonly string[], at: { now: number; exhausted: number }, signal?: AbortSignal): Promise<Map<string, CpuCredits>> {
  const end = Math.floor(at.now / 60_000) * 60_000;
  const span = { start: end - CREDITS_LOOKBACK_MINUTES * 60_000, end };
  const newest = async (names: readonly string[], metric: { name: string; stat: 'Minimum' | 'Maximum' }) => {
    const found = new Map<string, number>();
    for (const [id, points] of await readMetric(clients, names, { ...metric, periodSeconds: 300 }, span, signal)) {
      const last = points.filter((p) => Number.isFinite(p.value)).reduce<Datapoint | null>((best, p) => (best === null || p.at > best.at ? p : best), null);
      if (last !== null) found.set(id, last.value);
    }
    return found;
  };
  const balances = await newest(ids, { name: 'CPUCreditBalance', stat: 'Minimum' });
  const low = [...balances].filter(([, balance]) => balance < at.exhausted).map(([id]) => id);
  const surpluses = await newest(low, { name: 'CPUSurplusCreditBalance', stat: 'Maximum' });
  return new Map([...balances].map(([id, balance]) => [id, { balance, surplus: surpluses.get(id) ?? 0 }]));
}

/** One AWS/EC2 metric per instance over a span: 500 queries a GetMetricData call, NextToken and PartialData followed. */
async function readMetric(
  clients: Clients,
  ids: readonly string[],
  metric: { name: string; stat: 'Average' | 'Minimum' | 'Maximum' | 'Sum'; periodSeconds: number },
  span: { start: number; end: number },
  signal?: AbortSignal,
): Promise<Map<string, Datapoint[]>> {
  const byId = new Map<string, Datapoint[]>(ids.map((id) => [id, []]));
  await Promise.all(
    chunks(ids, METRIC_QUERIES_PER_CALL).map(async (batch) => {
      // Query ids must start with a lowercase letter: m0, m1, ... map back to the instances.
      const queries: MetricDataQuery[] = batch.map((id, k) => ({
        Id: `m${k}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/EC2', MetricName: metric.name, Dimensions: [{ Name: 'InstanceId', Value: id }] },
          Period: metric.periodSeconds,
          Stat: metric.stat,
        },
        ReturnData: true,
      }));
      let nextToken: string | undefined;
      let pages = 0;
      do {
        if (++pages > MAX_PAGES) throw tooManyPages('GetMetricData');
        const page = await clients.cloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(span.start),
            EndTime: new Date(span.end),
            ScanBy: 'TimestampDescending',
            ...(nextToken !== undefined && { NextToken: nextToken }),
          }),
          { abortSignal: signal },
        );
        for (const result of page.MetricDataResults ?? []) {
          const id = batch[Number(result.Id?.slice(1))];
          if (id === undefined) continue;
          const points = byId.get(id)!;
          (result.Timestamps ?? []).forEach((t, i) => {
            const value = result.Values?.[i];
            if (value !== undefined) points.push({ at: t.getTime(), value });
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }),
  );
  return byId;
}

/** One balancer's view of an instance: its state, and where out, why. */
export interface BalancerView {
  state: LbState;
  why?: NonNullable<InstanceView['outOfBalancer']>;
}

const NOT_REGISTERED: BalancerView = { state: 'out', why: 'not-registered' };

/**
 * The balancers' view: `out` anywhere wins, then `unknown`; an instance absent from one is out,
 * not registered in it. Out, it is failing checks where any balancer says so, else not registered.
 */
async function readBalancers(clients: Clients, group: AutoScalingGroup, signal?: AbortSignal): Promise<Map<string, BalancerView>> {
  const views: Array<Map<string, BalancerView>> = await Promise.all([
    ...(group.LoadBalancerNames ?? []).map(async (name) => {
      const view = new Map<string, BalancerView>();
      const { DescribeInstanceHealthCommand } = await import('./lazy/elb.js');
      const elb = await clients.elb();
      const out = await elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name }), { abortSignal: signal }).catch((e: unknown) => {
        throw Object.assign(e as object, { operation: 'DescribeInstanceHealth' });
      });
      // Listed OutOfService: registered, failing its checks (a deregistered one is not listed).
      for (const s of out.InstanceStates ?? []) view.set(s.InstanceId!, s.State === 'InService' ? { state: 'in' } : s.State === 'OutOfService' ? { state: 'out', why: 'failing-checks' } : { state: 'unknown' });
      return view;
    }),
    ...(group.TargetGroupARNs ?? []).map(async (arn) => {
      const view = new Map<string, BalancerView>();
      const { DescribeTargetHealthCommand } = await import('./lazy/elbv2.js');
      const elbv2 = await clients.elbv2();
      const out = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }), { abortSignal: signal }).catch((e: unknown) => {
        throw Object.assign(e as object, { operation: 'DescribeTargetHealth' });
      });
      for (const d of out.TargetHealthDescriptions ?? []) view.set(d.Target!.Id!, targetView(d.TargetHealth));
      return view;
    }),
  ]);
  const ids = new Set((group.Instances ?? []).map((i) => i.InstanceId!));
  const merged = new Map<string, BalancerView>();
  for (const id of ids) {
    const seen = views.map((v) => v.get(id) ?? NOT_REGISTERED);
    const out = seen.filter((v) => v.state === 'out');
    if (out.length > 0) merged.set(id, { state: 'out', why: out.some((v) => v.why === 'failing-checks') ? 'failing-checks' : 'not-registered' });
    else merged.set(id, { state: seen.some((v) => v.state === 'unknown') ? 'unknown' : 'in' });
  }
  return merged;
}

/**
 * One target group's view of an instance: healthy is in; in its first checks (initial), or with
 * health checks off (unavailable), unknown; unused because the target group is behind no balancer
 * (or the instance's zone is not enabled for it: Target.NotInUse), unknown too, since that says
 * nothing of the instance (a target group attached to the group but to no balancer yet would
 * otherwise have the whole fleet out); anything else out: draining or not registered (someone
 * deregistered it, a deploy among others), or failing its checks (unhealthy, stopped).
 */
export function targetView(health: TargetHealth | undefined): BalancerView {
  const state = health?.State;
  if (state === 'healthy') return { state: 'in' };
  if (state === 'initial' || state === 'unavailable' || (state === 'unused' && health?.Reason === 'Target.NotInUse')) return { state: 'unknown' };
  if (state === 'draining' || health?.Reason === 'Target.NotRegistered') return NOT_REGISTERED;
  return { state: 'out', why: 'failing-checks' };
}

/** What EC2 says of an instance beyond what Auto Scaling does. */
export interface InstanceDetails {
  zone: string | null;
  type: string | null;
  privateIp: string | null;
  privateDns: string | null;
  imageId: string | null;
  launchTime: number | null;
}

/** Every instance of the group as EC2 describes it: DescribeInstances filtered on the group's tag, 1,000 a page. */
export async function readInstanceDetails(clients: Clients, groupName: string, signal?: AbortSignal): Promise<Map<string, InstanceDetails>> {
  const found = new Map<string, InstanceDetails>();
  const filter = { Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [groupName] }], MaxResults: 1000 };
  const { DescribeInstancesCommand } = await import('./lazy/ec2.js');
  const ec2 = await clients.ec2();
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (++pages > MAX_PAGES) throw tooManyPages('DescribeInstances');
    const page = await ec2.send(new DescribeInstancesCommand({ ...filter, ...(nextToken !== undefined && { NextToken: nextToken }) }), { abortSignal: signal });
    for (const r of page.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        if (!i.InstanceId) continue;
        found.set(i.InstanceId, {
          zone: i.Placement?.AvailabilityZone ?? null,
          type: i.InstanceType ?? null,
          privateIp: i.PrivateIpAddress ?? null,
          privateDns: i.PrivateDnsName ?? null,
          imageId: i.ImageId ?? null,
          launchTime: i.LaunchTime?.getTime() ?? null,
        });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

/** EC2 answers at most this many instance ids a call, and at most this many values in one filter. */
const IDS_PER_CALL = 1000;
const FILTER_VALUES = 200;

/**
 * Launch times, asked only for the instances whose launch time is not known yet, all at once: a few
 * through the `instance-id` filter (which ignores an id EC2 no longer knows), many by id, 1,000 a
 * call in parallel, so even a first tick over 10,000 instances waits one round trip for them. A
 * batch EC2 refuses (an id it does not know) leaves its instances in warm-up until the next tick.
 */
async function readLaunchTimes(clients: Clients, missing: readonly string[], signal: AbortSignal | undefined, partly: (error: unknown) => void): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  if (missing.length === 0) return found;
  const { DescribeInstancesCommand } = await import('./lazy/ec2.js');
  const ec2 = await clients.ec2();
  const batches =
    missing.length <= FILTER_VALUES
      ? [{ Filters: [{ Name: 'instance-id', Values: [...missing] }] }]
      : chunks(missing, IDS_PER_CALL).map((ids) => ({ InstanceIds: ids }));
  // Each answer is reduced to its launch times as it arrives, so its page can go before the others land.
  const answers = await Promise.allSettled(
    batches.map(async (input) => {
      const page = await ec2.send(new DescribeInstancesCommand(input), { abortSignal: signal });
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId && i.LaunchTime) found[i.InstanceId] = i.LaunchTime.getTime();
    }),
  );
  const refused = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (refused && answers.every((a) => a.status === 'rejected')) throw refused.reason;
  if (refused) partly(refused.reason);
  return found;
}


/**
 * The group as Auto Scaling describes it now: the start of a tick, and again right before an action
 * (Karpenter re-validates a command before executing it). Named, so one page; the bound catches an
 * endpoint that pages forever.
 */
export async function readGroup(clients: Clients, groupName: string, signal?: AbortSignal): Promise<AutoScalingGroup> {
  const group = (await describeGroups(clients, [groupName], signal)).get(groupName);
  if (!group) throw new GroupNotFound(`Auto Scaling group '${groupName}' not found in ${clients.region}`);
  return group;
}

/** Up to GROUPS_PER_CALL groups by name, every page; those Auto Scaling does not know are absent. Throws RuntimeFailure. */
async function describeGroups(clients: Clients, names: readonly string[], signal?: AbortSignal): Promise<Map<string, AutoScalingGroup>> {
  const where: AwsWhere = clients;
  const found = new Map<string, AutoScalingGroup>();
  let nextToken: string | undefined;
  let pages = 0;
  try {
    do {
      if (++pages > MAX_PAGES) throw tooManyPages('DescribeAutoScalingGroups');
      const page = await clients.autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names], MaxRecords: GROUPS_PER_CALL, ...(nextToken !== undefined && { NextToken: nextToken }) }),
        { abortSignal: signal },
      );
      for (const g of page.AutoScalingGroups ?? []) if (g.AutoScalingGroupName !== undefined && names.includes(g.AutoScalingGroupName)) found.set(g.AutoScalingGroupName, g);
      nextToken = page.NextToken;
      // Every name found: a further page could only be empty (or an endpoint that pages forever).
    } while (nextToken && found.size < names.length);
  } catch (error) {
    if (error instanceof RuntimeFailure) throw error;
    throw awsFailure(error, 'DescribeAutoScalingGroups', where);
  }
  return found;
}

type Listed = Pick<InstanceView, 'id' | 'lifecycle' | 'health' | 'protectedFromScaleIn' | 'type' | 'zone'>;

/** What DescribeAutoScalingGroups lists of one of the group's instances. */
function listed(m: Instance): Listed {
  return {
    id: m.InstanceId!,
    lifecycle: m.LifecycleState ?? 'Unknown',
    health: m.HealthStatus === 'Unhealthy' ? 'Unhealthy' : 'Healthy',
    protectedFromScaleIn: m.ProtectedFromScaleIn ?? false,
    ...(m.InstanceType !== undefined && { type: m.InstanceType }),
    ...(m.AvailabilityZone !== undefined && { zone: m.AvailabilityZone }),
  };
}

/** What moved in the group since it was collected, in one line; null when nothing did. */
export function groupMoved(seen: Pick<Collected, 'snapshot' | 'suspended'>, group: AutoScalingGroup): string | null {
  const { snapshot } = seen;
  const g = snapshot.group;
  const moved: string[] = suspendedOf(group).filter((name) => !seen.suspended.includes(name)).map((name) => `${name} suspended`);
  if ((group.DesiredCapacity ?? 0) !== g.desired) moved.push(`desired ${g.desired} → ${group.DesiredCapacity ?? 0}`);
  if ((group.MinSize ?? 0) !== g.min || (group.MaxSize ?? 0) !== g.max) moved.push(`bounds [${g.min}, ${g.max}] → [${group.MinSize ?? 0}, ${group.MaxSize ?? 0}]`);
  const now = new Map((group.Instances ?? []).map((m) => [m.InstanceId!, listed(m)]));
  for (const i of snapshot.instances) {
    const m = now.get(i.id);
    if (m === undefined) moved.push(`${i.id} left the group`);
    else {
      if (m.lifecycle !== i.lifecycle) moved.push(`${i.id} ${i.lifecycle} → ${m.lifecycle}`);
      if (m.health !== i.health) moved.push(`${i.id} ${i.health} → ${m.health}`);
      // The watchdog's rail is what spares a protected instance its kill: the protection binds the group's own scale-in.
      if (m.protectedFromScaleIn !== i.protectedFromScaleIn) moved.push(`${i.id} ${m.protectedFromScaleIn ? 'protected from scale-in' : 'no longer protected'}`);
    }
  }
  const known = new Set(snapshot.instances.map((i) => i.id));
  for (const id of now.keys()) if (!known.has(id)) moved.push(`${id} joined`);
  return moved.length === 0 ? null : moved.join(', ');
}

/**
 * The snapshot with the group as Auto Scaling shows it now: what the group lists of each instance
 * is taken anew, what the tick read of it elsewhere (launch time, balancers, CPU, CPU credits)
 * stays; a newcomer is unmeasured. Every field of the view not listed by the group must be kept
 * here, or the tick decides again on less than it first saw.
 */
export function withGroupNow(snapshot: Snapshot, group: AutoScalingGroup, now: number): Snapshot {
  const before = new Map(snapshot.instances.map((i) => [i.id, i]));
  const instances: InstanceView[] = (group.Instances ?? []).map((m) => {
    const was = before.get(m.InstanceId!);
    if (was !== undefined) return { ...was, ...listed(m) };
    return { ...listed(m), launchTime: now, lb: snapshot.group.hasLoadBalancers ? 'unknown' : 'none', cpu: [] };
  });
  return { ...snapshot, group: { ...snapshot.group, min: group.MinSize ?? 0, max: group.MaxSize ?? 0, desired: group.DesiredCapacity ?? 0 }, instances };
}
