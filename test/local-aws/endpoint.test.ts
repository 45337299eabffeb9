// The local endpoint through the real SDK v3 clients: paging, validation, the fleet's faults as
// the balancers and CloudWatch would show them, and the knobs.
import { DescribeAutoScalingGroupsCommand, DescribeScalingActivitiesCommand, paginateDescribeAutoScalingGroups, paginateDescribeScalingActivities, TerminateInstanceInAutoScalingGroupCommand, type Activity } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeInstanceHealthCommand } from '@aws-sdk/client-elastic-load-balancing';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClients, type Clients } from '../../src/aws/clients.js';
import { collect, readCpu } from '../../src/aws/collect.js';
import { defaultConfig } from '../../src/config/index.js';
import { metricWindow } from '../../src/engine/index.js';
import { NETWORK_IDLE_BYTES } from '../../src/sim/fleet.js';
import { LocalAws, type LocalAwsOptions } from '../../src/local-aws/server.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { fleetScenario, shipped } from '../e2e/local.js';

let server: LocalAws | null = null;
let clients: Clients | null = null;
afterEach(async () => {
  if (clients) clients.destroy();
  await server?.close();
  server = null;
  clients = null;
});

async function start(scenario: Scenario, options: LocalAwsOptions = {}): Promise<{ server: LocalAws; aws: Clients }> {
  server = new LocalAws(scenario, { port: 0, speed: 0, ...options });
  const endpoint = await server.listen();
  clients = makeClients({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, timeoutMs: 2_000 });
  return { server, aws: clients };
}

const cpuQuery = (id: string, k: number): MetricDataQuery => ({
  Id: `m${k}`,
  MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] }, Period: 60, Stat: 'Average' },
});

describe('Auto Scaling', () => {
  it('pages DescribeAutoScalingGroups with MaxRecords and NextToken', async () => {
    const { aws } = await start(shipped('runaway-cpu'), { extraGroups: 150 });
    const pages: number[] = [];
    for await (const page of paginateDescribeAutoScalingGroups({ client: aws.autoScaling }, { MaxRecords: 100 })) pages.push(page.AutoScalingGroups!.length);
    expect(pages).toEqual([100, 51]);
  });

  it('refuses MaxRecords above 100 as AWS does', async () => {
    const { aws } = await start(shipped('runaway-cpu'));
    await expect(aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 101 }))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('refuses a terminate that would decrement below min, and one for an instance not in any group', async () => {
    const { aws, server } = await start(shipped('runaway-cpu'));
    const id = server.world.groups.get('web')!.inService[0]!.id;
    await expect(aws.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id, ShouldDecrementDesiredCapacity: true }))).rejects.toThrow(/violate group's min size constraint/);
    await expect(aws.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: 'i-nope', ShouldDecrementDesiredCapacity: false }))).rejects.toThrow(/No managed instance found for instance ID: i-nope/);
  });
});

describe('scaling activities', () => {
  // Four instances, launches failing from minute 30 to 40; desired raised to 6 at minute 32.
  const failing = fleetScenario(4, { demand: [[0, 2]], group: { name: 'web', min: 1, max: 12, desired: 4, launchMinutes: 3, loadBalancer: 'target-group' }, faults: [{ kind: 'launch-failure', atMinute: 30, minutes: 10 }] });

  it('lists each launch and termination, and a failed launch each minute the group was short, newest first, paged', async () => {
    const { aws, server } = await start(failing, { advanceTo: 32 });
    const fleet = server.world.groups.get('web')!;
    fleet.setDesired(6);
    fleet.reconcile();
    server.world.advance(10);
    await aws.autoScaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: fleet.inService[0]!.id, ShouldDecrementDesiredCapacity: true }));
    const pages: Activity[][] = [];
    for await (const page of paginateDescribeScalingActivities({ client: aws.autoScaling }, { AutoScalingGroupName: 'web', MaxRecords: 5 })) pages.push(page.Activities!);
    const all = pages.flat();
    const minute = (a: Activity) => (a.StartTime!.getTime() - server.world.timeOf(0)) / 60_000;
    expect({
      pages: pages.map((p) => p.length),
      newestFirst: all.every((a, k) => k === 0 || a.StartTime! <= all[k - 1]!.StartTime!),
      // Short from 32, launching again from 40: two launches at 40 after the failures; a kill at 42.
      newest: all.slice(0, 4).map((a) => `${minute(a)} ${a.StatusCode} ${a.Description!.replace(/i-\w+/, 'i-…')}`),
      failedMinutes: all.filter((a) => a.StatusCode === 'Failed').map(minute),
      message: all.find((a) => a.StatusCode === 'Failed')!.StatusMessage,
      launches: all.filter((a) => a.StatusCode === 'Successful' && a.Description!.startsWith('Launching')).length,
      ids: new Set(all.map((a) => a.ActivityId)).size,
    }).toEqual({
      pages: [5, 5, 5],
      newestFirst: true,
      newest: ['42 Successful Terminating EC2 instance: i-…', '40 Successful Launching a new EC2 instance: i-…', '40 Successful Launching a new EC2 instance: i-…', '39 Failed Launching a new EC2 instance.  Status Reason: We currently do not have sufficient c5.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.'],
      failedMinutes: [39, 38, 37, 36, 35, 34, 33, 32],
      message: 'We currently do not have sufficient c5.large capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. Launching EC2 instance failed.',
      launches: 6,
      ids: 15,
    });
  });

  it('a group it does not know has none', async () => {
    const { aws } = await start(failing);
    expect((await aws.autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'nope' }))).Activities).toEqual([]);
  });
});

describe('CloudWatch GetMetricData', () => {
  it.each<[string, MetricDataQuery[], RegExp]>([
    ['an Id that starts with a capital', [{ ...cpuQuery('i-x', 0), Id: 'Cpu' }], /The value Cpu for parameter MetricDataQueries.member.1.Id is not valid/],
    ['a duplicated Id', [cpuQuery('i-x', 0), cpuQuery('i-y', 0)], /is duplicated/],
    ['a period that is not a multiple of 60', [{ ...cpuQuery('i-x', 0), MetricStat: { ...cpuQuery('i-x', 0).MetricStat!, Period: 90 } }], /must be a multiple of 60/],
    ['501 queries', Array.from({ length: 501 }, (_, k) => cpuQuery(`i-${k}`, k)), /must not have a size greater than 500/],
  ])('refuses %s', async (_, queries, message) => {
    const { aws, server } = await start(shipped('runaway-cpu'), { advanceTo: 15 });
    const now = server.world.virtualNow();
    await expect(aws.cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(now - 600_000), EndTime: new Date(now) }))).rejects.toThrow(message);
  });

  it('pages with NextToken past MaxDatapoints, and the collector follows it', async () => {
    const { aws, server } = await start(fleetScenario(20));
    const ids = server.world.groups.get('web')!.inService.map((i) => i.id);
    const now = server.world.virtualNow();
    const first = await aws.cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: ids.map(cpuQuery), StartTime: new Date(now - 420_000), EndTime: new Date(now - 120_000), MaxDatapoints: 25 }));
    expect(first.NextToken).toBeDefined();
    expect(first.MetricDataResults!.length).toBeLessThan(20);
    expect(first.MetricDataResults!.at(-1)!.StatusCode).toBe('PartialData');
    const all = await readCpu(aws, ids, { start: now - 420_000, end: now - 120_000, periodSeconds: 60 });
    expect([...all.values()].every((points) => points.length === 5)).toBe(true);
  });

  it('times are on minute boundaries, newest first, and only what CloudWatch would have published', async () => {
    const { aws, server } = await start(shipped('runaway-cpu'), { advanceTo: 20 });
    const id = server.world.groups.get('web')!.inService[0]!.id;
    const now = server.world.virtualNow();
    const out = await aws.cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: [cpuQuery(id, 0)], StartTime: new Date(now - 600_000), EndTime: new Date(now), ScanBy: 'TimestampDescending' }));
    const times = out.MetricDataResults![0]!.Timestamps!.map((t) => t.getTime());
    expect(times.every((t) => t % 60_000 === 0)).toBe(true);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(now - times[0]!).toBeGreaterThanOrEqual(3 * 60_000); // the period ended 2 minutes before it could be read
  });
});

// NetworkOut, the outlier rules' second witness (engine network.ts), read with the CPU only when
// the tick asks (an outlier reading held) and the group has a balancer: a hung instance whose
// checks pass sends its agents' bytes, its peers their shares.
describe('NetworkOut', () => {
  const oneHung = (loadBalancer: string) => fleetScenario(4, { group: { name: 'web', min: 1, max: 8, desired: 4, launchMinutes: 3, loadBalancer }, faults: [{ kind: 'hang', atMinute: 0, instance: 0, healthChecks: 'pass' }] });
  const read = async (loadBalancer: string, askNetwork: boolean) => {
    const { aws, server } = await start(oneHung(loadBalancer), { advanceTo: 15 });
    const now = server.world.virtualNow();
    const hungId = server.world.groups.get('web')!.instances[0]!.id;
    const { snapshot } = await collect(aws, { group: 'web', window: { ...metricWindow(now, defaultConfig, 60), periodSeconds: 60 }, launchTimes: {}, now, creditsExhausted: 1, askNetwork });
    const sent = (hung: boolean) => snapshot.instances.filter((i) => (i.id === hungId) === hung).map((i) => (i.network === undefined ? 'unread' : i.network.map((p) => p.value)));
    return { hung: sent(true), others: sent(false) };
  };

  it('asked, behind a balancer: every minute the CPU has, the hung one its agents’ bytes, the others far more', async () => {
    const { hung, others } = await read('target-group', true);
    expect({ hung, othersAbove: others.map((o) => o !== 'unread' && o.length === hung[0]!.length && o.every((bytes) => bytes > 100 * NETWORK_IDLE_BYTES)) }).toEqual({
      hung: [Array(defaultConfig.windowMinutes).fill(NETWORK_IDLE_BYTES)],
      othersAbove: [true, true, true],
    });
  });

  it.each<{ what: string; loadBalancer: string; askNetwork: boolean }>([
    { what: 'not asked', loadBalancer: 'target-group', askNetwork: false },
    { what: 'asked, without a balancer', loadBalancer: 'none', askNetwork: true },
  ])('$what: unread', async ({ loadBalancer, askNetwork }) => {
    expect(await read(loadBalancer, askNetwork)).toEqual({ hung: ['unread'], others: ['unread', 'unread', 'unread'] });
  });
});

// Without detailed monitoring (a scenario's group.monitoring "basic") EC2 publishes an instance's
// CPU every 5 minutes, the mean of the 5 stamped at their start, and says its monitoring is off.
describe('basic monitoring', () => {
  const runaway = shipped('runaway-cpu');
  const cpuOf = async (aws: Clients, id: string, now: number, period: number) => {
    const out = await aws.cloudWatch.send(new GetMetricDataCommand({ MetricDataQueries: [{ ...cpuQuery(id, 0), MetricStat: { ...cpuQuery(id, 0).MetricStat!, Period: period } }], StartTime: new Date(now - 1_800_000), EndTime: new Date(now), ScanBy: 'TimestampDescending' }));
    const r = out.MetricDataResults![0]!;
    return r.Timestamps!.map((t, k) => [t.getTime(), r.Values![k]!] as const);
  };
  const monitoringOf = async (aws: Clients, id: string) => (await (await aws.ec2()).send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.Monitoring!.State;

  it('a datapoint every 5 minutes, the mean of what detailed monitoring shows minute by minute; monitoring disabled', async () => {
    const detailed = await start(runaway, { advanceTo: 40 });
    const id = detailed.server.world.groups.get('web')!.inService[1]!.id;
    const now = detailed.server.world.virtualNow();
    const [fiveMinutes, state] = [await cpuOf(detailed.aws, id, now, 300), await monitoringOf(detailed.aws, id)];
    clients!.destroy();
    await server!.close();
    const basic = await start({ ...runaway, group: { ...runaway.group, monitoring: 'basic' } }, { advanceTo: 40 });
    const points = await cpuOf(basic.aws, id, now, 60);
    // Detailed monitoring's 5-minute periods hold the newest one too early to be in.
    expect({ points, state, basic: await monitoringOf(basic.aws, id) }).toEqual({ points: fiveMinutes.slice(fiveMinutes.length - points.length), state: 'enabled', basic: 'disabled' });
    expect(points.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the balancers show the faults', () => {
  it('a detached instance is gone from its target group; a hung one is unhealthy once noticed', async () => {
    const scenario = { ...shipped('hung-instance'), faults: [{ atMinute: 1, kind: 'detach' as const, instance: 0 }, { atMinute: 1, kind: 'hang' as const, instance: 1 }] };
    const { aws, server } = await start(scenario, { advanceTo: 5 });
    const fleet = server.world.groups.get('web')!;
    const [detached, hung] = fleet.inService;
    const out = await (await aws.elbv2()).send(new DescribeTargetHealthCommand({ TargetGroupArn: server.world.targetGroupArn(fleet) }));
    const states = Object.fromEntries(out.TargetHealthDescriptions!.map((d) => [d.Target!.Id!, d.TargetHealth!.State]));
    expect(states[detached!.id]).toBeUndefined();
    expect(states[hung!.id]).toBe('unhealthy');
    expect(Object.values(states).filter((s) => s === 'healthy')).toHaveLength(2);
  });
});

describe('a new instance in its first health checks', () => {
  // A crash at minute 1: the group launches a replacement, InService at 4, in its target group's
  // first health checks until 6.
  it('is initial in its target group, OutOfService in progress behind a classic balancer', async () => {
    const base = shipped('hung-instance');
    const crash = { atMinute: 1, kind: 'crash' as const, instance: 0 };
    const behind = (loadBalancer: 'classic' | 'target-group') => ({ ...base, group: { ...base.group, loadBalancer, initialChecksMinutes: 2 }, faults: [crash] });
    const tg = await start(behind('target-group'), { advanceTo: 5 });
    const tgFleet = tg.server.world.groups.get('web')!;
    const newest = tgFleet.inService.at(-1)!;
    const out = await (await tg.aws.elbv2()).send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.server.world.targetGroupArn(tgFleet) }));
    expect(out.TargetHealthDescriptions!.find((d) => d.Target!.Id === newest.id)!.TargetHealth).toEqual({ State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' });
    const classic = await start(behind('classic'), { advanceTo: 5 });
    const classicFleet = classic.server.world.groups.get('web')!;
    const health = await (await classic.aws.elb()).send(new DescribeInstanceHealthCommand({ LoadBalancerName: classic.server.world.loadBalancerName(classicFleet) }));
    expect(health.InstanceStates!.find((s) => s.InstanceId === classicFleet.inService.at(-1)!.id)).toMatchObject({ State: 'OutOfService', ReasonCode: 'ELB', Description: 'Instance registration is still in progress.' });
  });
});

describe('knobs and the local control endpoints', () => {
  it('a dropped connection and a hung call fail the call, not the server', async () => {
    const { aws } = await start(shipped('runaway-cpu'), { failures: [{ operation: 'DescribeAutoScalingGroups', rate: 1, kind: 'drop', times: 1 }, { operation: 'DescribeAutoScalingGroups', rate: 1, kind: 'hang', times: 1 }] });
    await expect(aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({}))).rejects.toThrow(/timed? ?out/i);
    const ok = await aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(ok.AutoScalingGroups).toHaveLength(1);
  });

  it('latency is added to every answer', async () => {
    const { aws } = await start(shipped('runaway-cpu'), { latencyMs: 200 });
    const t = performance.now();
    await aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(performance.now() - t).toBeGreaterThanOrEqual(190);
  });

  it('/__local/stats counts calls, reset-stats zeroes them, advance moves the clock', async () => {
    const { aws } = await start(shipped('runaway-cpu'));
    await aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({}));
    const base = aws.endpoint!;
    expect(await (await fetch(`${base}/__local/stats`)).json()).toEqual({ DescribeAutoScalingGroups: 1 });
    await fetch(`${base}/__local/reset-stats`, { method: 'POST' });
    expect(await (await fetch(`${base}/__local/stats`)).json()).toEqual({});
    const before = (await (await fetch(`${base}/__local/clock`)).json()) as { minute: number; nowMs: number };
    const after = (await (await fetch(`${base}/__local/advance?minutes=5`, { method: 'POST' })).json()) as { minute: number; nowMs: number };
    expect(after.minute - before.minute).toBe(5);
    expect(after.nowMs - before.nowMs).toBe(300_000);
  });
});
