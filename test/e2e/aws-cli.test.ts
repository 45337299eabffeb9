// The endpoint speaks AWS, not only our client's dialect: the AWS CLI (botocore) against it, and
// CloudWatch's older Query protocol, which older SDKs and CLI releases still send.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shipped, startLocal, type Local } from './local.js';

const run = promisify(execFile);
let local: Local;
beforeAll(async () => {
  local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
});
afterAll(() => local.close());

async function aws(...args: string[]): Promise<unknown> {
  try {
    const { stdout } = await run('aws', [...args, '--endpoint-url', local.url, '--output', 'json'], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    return stdout.trim() ? JSON.parse(stdout) : null;
  } catch (error) {
    const e = error as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('the AWS CLI is needed for this test: apt-get install awscli (CI installs it)', { cause: error });
    throw new Error(e.stderr?.trim() ?? String(error), { cause: error });
  }
}

describe('the AWS CLI against local-aws', () => {
  it('aws autoscaling describe-auto-scaling-groups', async () => {
    const out = (await aws('autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', 'web')) as { AutoScalingGroups: Array<Record<string, unknown>> };
    expect(out.AutoScalingGroups[0]).toMatchObject({ AutoScalingGroupName: 'web', MinSize: 2, MaxSize: 6, DesiredCapacity: 2, LoadBalancerNames: ['web-lb'] });
    expect(out.AutoScalingGroups[0]!['Instances']).toHaveLength(2);
  });

  it('aws cloudwatch get-metric-data and get-metric-statistics', async () => {
    const now = Math.floor(local.server.world.virtualNow() / 1000);
    const id = [...local.server.world.groups.get('web')!.inService][0]!.id;
    const metric = { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }] };
    const data = (await aws('cloudwatch', 'get-metric-data', '--start-time', String(now - 480), '--end-time', String(now - 120), '--metric-data-queries', JSON.stringify([{ Id: 'cpu', MetricStat: { Metric: metric, Period: 60, Stat: 'Average' } }]))) as { MetricDataResults: Array<{ Id: string; Values: number[]; StatusCode: string }> };
    expect(data.MetricDataResults[0]).toMatchObject({ Id: 'cpu', StatusCode: 'Complete' });
    expect(data.MetricDataResults[0]!.Values.slice(0, 3)).toEqual([100, 100, 100]);
    const stats = (await aws('cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/EC2', '--metric-name', 'CPUUtilization', '--dimensions', `Name=InstanceId,Value=${id}`, '--start-time', String(now - 600), '--end-time', String(now), '--period', '60', '--statistics', 'Average')) as { Datapoints: Array<{ Average: number }> };
    expect(stats.Datapoints.length).toBeGreaterThanOrEqual(5);
  });

  it('aws elb describe-instance-health and aws ec2 describe-instances', async () => {
    const health = (await aws('elb', 'describe-instance-health', '--load-balancer-name', 'web-lb')) as { InstanceStates: Array<{ State: string }> };
    expect(health.InstanceStates.map((s) => s.State)).toEqual(['InService', 'InService']);
    const ec2 = (await aws('ec2', 'describe-instances', '--filters', 'Name=tag:aws:autoscaling:groupName,Values=web')) as { Reservations: Array<{ Instances: Array<{ PrivateIpAddress: string }> }> };
    expect(ec2.Reservations.flatMap((r) => r.Instances.map((i) => i.PrivateIpAddress))).toEqual(['10.0.0.10', '10.0.0.11']);
  });

  it("answers a bad call with AWS's error", async () => {
    await expect(aws('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', 'web', '--desired-capacity', '9')).rejects.toThrow(
      'An error occurred (ValidationError) when calling the SetDesiredCapacity operation: New SetDesiredCapacity value 9 is above max value 6 for the AutoScalingGroup.',
    );
  });
});

describe("CloudWatch's Query protocol", () => {
  it('GetMetricData as a form POST answers XML', async () => {
    const id = [...local.server.world.groups.get('web')!.inService][0]!.id;
    const now = local.server.world.virtualNow();
    const body = new URLSearchParams({
      Action: 'GetMetricData',
      Version: '2010-08-01',
      StartTime: new Date(now - 480_000).toISOString(),
      EndTime: new Date(now - 120_000).toISOString(),
      'MetricDataQueries.member.1.Id': 'cpu',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/EC2',
      'MetricDataQueries.member.1.MetricStat.Metric.MetricName': 'CPUUtilization',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'InstanceId',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': id,
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.1.MetricStat.Stat': 'Average',
    });
    const res = await fetch(local.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const xml = await res.text();
    expect(res.status).toBe(200);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<GetMetricDataResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/"><GetMetricDataResult><MetricDataResults><member><Id>cpu<\/Id>/);
    expect(xml).toMatch(/<Timestamps><member>\d{4}-\d\d-\d\dT\d\d:\d\d:00.000Z<\/member>/);
    expect(xml).toContain('<StatusCode>Complete</StatusCode>');
  });

  it('an unknown action is refused as AWS does', async () => {
    const res = await fetch(local.url, { method: 'POST', body: 'Action=Frobnicate&Version=2011-01-01' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code><Message>The action Frobnicate is not valid for this web service.</Message>');
  });
});
