import { paginateDescribeAutoScalingGroups, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { DescribeInstanceHealthCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Datapoint, InstanceView, LbState, Snapshot } from '../engine/index.js';
import type { Clients } from './clients.js';
import { awsFailure, describeAwsError, GroupNotFound } from './errors.js';

/** GetMetricData takes at most 500 queries per call. */
export const METRIC_QUERIES_PER_CALL = 500;

export interface Collected {
  snapshot: Snapshot;
  /** Launch times known so far (kept in state: they never change, so each is asked once). */
  launchTimes: Record<string, number>;
  /** What could not be read; the snapshot says "unknown" there and the engine stays careful. */
  warnings: string[];
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
export async function collect(clients: Clients, groupName: string, window: MetricWindow, knownLaunchTimes: Record<string, number>, now: number): Promise<Collected> {
  const where = { region: clients.region, ...(clients.endpoint !== undefined && { endpoint: clients.endpoint }) };
  let group: AutoScalingGroup | undefined;
  try {
    for await (const page of paginateDescribeAutoScalingGroups({ client: clients.autoScaling }, { AutoScalingGroupNames: [groupName] })) {
      group ??= page.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === groupName);
    }
  } catch (error) {
    throw awsFailure(error, 'DescribeAutoScalingGroups', where);
  }
  if (!group) throw new GroupNotFound(`Auto Scaling group '${groupName}' not found in ${clients.region}`);

  const members = group.Instances ?? [];
  const inService = members.filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!);
  const warnings: string[] = [];
  const unknownLaunch = members.map((i) => i.InstanceId!).filter((id) => knownLaunchTimes[id] === undefined);

  const [cpu, lb, launched] = await Promise.all([
    readCpu(clients, inService, window).catch((error: unknown) => {
      warnings.push(`metrics unreadable: ${describeAwsError(error, 'GetMetricData', where)}`);
      return null;
    }),
    readBalancers(clients, group).catch((error: unknown) => {
      warnings.push(`load balancer state unknown: ${describeAwsError(error, (error as { operation?: string }).operation ?? 'DescribeInstanceHealth', where)}`);
      return 'unknown' as const;
    }),
    readLaunchTimes(clients, groupName, unknownLaunch).catch((error: unknown) => {
      warnings.push(`launch times unknown: ${describeAwsError(error, 'DescribeInstances', where)}`);
      return {} as Record<string, number>;
    }),
  ]);

  const launchTimes: Record<string, number> = {};
  const hasLoadBalancers = (group.LoadBalancerNames?.length ?? 0) + (group.TargetGroupARNs?.length ?? 0) > 0;
  const instances: InstanceView[] = members.map((m) => {
    const id = m.InstanceId!;
    const launchTime = knownLaunchTimes[id] ?? launched[id];
    if (launchTime !== undefined) launchTimes[id] = launchTime;
    return {
      id,
      lifecycle: m.LifecycleState ?? 'Unknown',
      health: m.HealthStatus === 'Unhealthy' ? 'Unhealthy' : 'Healthy',
      protectedFromScaleIn: m.ProtectedFromScaleIn ?? false,
      // Unknown launch time: treat the instance as brand new, so it is in warm-up, unmeasured, safe.
      launchTime: launchTime ?? now,
      lb: !hasLoadBalancers ? 'none' : lb === 'unknown' ? 'unknown' : (lb.get(id) ?? 'out'),
      cpu: cpu?.get(id) ?? [],
    };
  });
  return {
    snapshot: {
      group: { name: groupName, min: group.MinSize ?? 0, max: group.MaxSize ?? 0, desired: group.DesiredCapacity ?? 0, hasLoadBalancers },
      instances,
      periodSeconds: window.periodSeconds,
      metricsOk: cpu !== null,
    },
    launchTimes,
    warnings,
  };
}

/** CPUUtilization per instance over the window: 500 queries a call, NextToken and PartialData followed. */
export async function readCpu(clients: Clients, ids: readonly string[], window: MetricWindow): Promise<Map<string, Datapoint[]>> {
  const byId = new Map<string, Datapoint[]>(ids.map((id) => [id, []]));
  await Promise.all(
    chunks(ids, METRIC_QUERIES_PER_CALL).map(async (batch) => {
      // Query ids must start with a lowercase letter: m0, m1, ... map back to the instances.
      const queries: MetricDataQuery[] = batch.map((id, k) => ({
        Id: `m${k}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] },
          Period: window.periodSeconds,
          Stat: 'Average',
        },
        ReturnData: true,
      }));
      let nextToken: string | undefined;
      do {
        const page = await clients.cloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(window.start),
            EndTime: new Date(window.end),
            ScanBy: 'TimestampDescending',
            ...(nextToken !== undefined && { NextToken: nextToken }),
          }),
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

/** The balancers' view: `out` anywhere wins, then `unknown`; an instance absent everywhere is out. */
async function readBalancers(clients: Clients, group: AutoScalingGroup): Promise<Map<string, LbState>> {
  const views: Array<Map<string, LbState>> = await Promise.all([
    ...(group.LoadBalancerNames ?? []).map(async (name) => {
      const view = new Map<string, LbState>();
      const out = await clients.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: name })).catch((e: unknown) => {
        throw Object.assign(e as object, { operation: 'DescribeInstanceHealth' });
      });
      for (const s of out.InstanceStates ?? []) view.set(s.InstanceId!, s.State === 'InService' ? 'in' : s.State === 'OutOfService' ? 'out' : 'unknown');
      return view;
    }),
    ...(group.TargetGroupARNs ?? []).map(async (arn) => {
      const view = new Map<string, LbState>();
      const out = await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn })).catch((e: unknown) => {
        throw Object.assign(e as object, { operation: 'DescribeTargetHealth' });
      });
      for (const d of out.TargetHealthDescriptions ?? []) {
        const state = d.TargetHealth?.State;
        view.set(d.Target!.Id!, state === 'healthy' ? 'in' : state === 'initial' || state === 'unavailable' ? 'unknown' : 'out');
      }
      return view;
    }),
  ]);
  const ids = new Set((group.Instances ?? []).map((i) => i.InstanceId!));
  const merged = new Map<string, LbState>();
  for (const id of ids) {
    const states = views.map((v) => v.get(id) ?? 'out');
    merged.set(id, states.includes('out') ? 'out' : states.includes('unknown') ? 'unknown' : 'in');
  }
  return merged;
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
export async function readInstanceDetails(clients: Clients, groupName: string): Promise<Map<string, InstanceDetails>> {
  const found = new Map<string, InstanceDetails>();
  const filter = { Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: [groupName] }], MaxResults: 1000 };
  for await (const page of paginateDescribeInstances({ client: clients.ec2 }, filter)) {
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
  }
  return found;
}

/** Launch times, read only when one is not known yet: one call covers a fleet of 1,000. */
async function readLaunchTimes(clients: Clients, groupName: string, missing: readonly string[]): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  if (missing.length === 0) return found;
  for (const [id, d] of await readInstanceDetails(clients, groupName)) if (d.launchTime !== null) found[id] = d.launchTime;
  return found;
}
