// docs/iam-policy.json allows exactly the calls the tool makes: every command and transport is run
// against local-aws (and a local SES endpoint), and what they called, as IAM actions, must be the
// policy's actions, no more and no fewer. The file is what `iam-policy -g web --ses` prints.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { iamPolicy, partitionOf } from '../src/aws/iam.js';
import { cli } from './cli/run.js';
import { fleetScenario, shipped, startLocal, type Local } from './e2e/local.js';

/** The IAM action of each API operation the tool can call. */
const IAM: Record<string, string> = {
  DescribeAutoScalingGroups: 'autoscaling:DescribeAutoScalingGroups',
  SetDesiredCapacity: 'autoscaling:SetDesiredCapacity',
  TerminateInstanceInAutoScalingGroup: 'autoscaling:TerminateInstanceInAutoScalingGroup',
  GetMetricData: 'cloudwatch:GetMetricData',
  DescribeInstanceHealth: 'elasticloadbalancing:DescribeInstanceHealth',
  DescribeTargetHealth: 'elasticloadbalancing:DescribeTargetHealth',
  DescribeLoadBalancerAttributes: 'elasticloadbalancing:DescribeLoadBalancerAttributes',
  DescribeTargetGroupAttributes: 'elasticloadbalancing:DescribeTargetGroupAttributes',
  DescribeTargetGroups: 'elasticloadbalancing:DescribeTargetGroups',
  DescribePolicies: 'autoscaling:DescribePolicies',
  DescribeScalingActivities: 'autoscaling:DescribeScalingActivities',
  DescribeInstances: 'ec2:DescribeInstances',
  SendEmail: 'ses:SendEmail',
};

const called = new Set<string>();
const servers: Local[] = [];
let ses: Server | null = null;
afterAll(async () => {
  for (const s of servers) await s.close();
  ses?.close();
});

async function local(name: string, advanceTo: number): Promise<Local> {
  const l = await startLocal(shipped(name), { advanceTo });
  servers.push(l);
  return l;
}
const record = (l: Local) => Object.keys(l.calls()).forEach((op) => called.add(op));

describe('the IAM policy', () => {
  it('allows every call of every command and transport, and nothing else', async () => {
    // A local SESv2: every request is a SendEmail.
    ses = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        called.add('SendEmail');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"MessageId":"local"}');
      });
    });
    await new Promise<void>((r) => ses!.listen(0, '127.0.0.1', () => r()));
    const sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;

    // watch: a runaway behind a classic balancer, to its kill, mailing through SES (its table reads EC2).
    const runaway = await local('runaway-cpu', 15);
    for (let minute = 15; minute <= 20; minute++) {
      await runaway.watch(['-m', 'ops@example.com', '--mail-from', 'wd@example.com', '--mail-transport', 'ses', '--ses-endpoint-url', sesUrl]);
      runaway.server.world.advance(1);
    }
    // watch on a group that launches nothing from minute 30: its scale-out at 40 not launched, it reads why at 51.
    const notLaunching = await startLocal(fleetScenario(4, { demand: [[0, 3.8]], group: { name: 'web', min: 1, max: 12, desired: 4, launchMinutes: 3, loadBalancer: 'target-group' }, faults: [{ kind: 'launch-failure', atMinute: 30, minutes: 30 }] }), { advanceTo: 40 });
    servers.push(notLaunching);
    for (let minute = 40; minute <= 51; minute++) {
      await notLaunching.watch([]);
      notLaunching.server.world.advance(1);
    }
    // watch behind a target group; instances with -i and -k.
    const hung = await local('hung-instance', 30);
    await hung.watch(['--dry-run']);
    await hung.cli(['instances', '-g', 'web', '-i', '5', '--force']);
    await hung.cli(['instances', '-g', 'web', '-k', 'i-00000000400000000']);
    const sent = await hung.cli(['alert', 'test', '-m', 'ops@example.com', '--mail-from', 'wd@example.com', '--mail-transport', 'ses', '--ses-endpoint-url', sesUrl]);
    expect(sent.code).toBe(0);
    for (const l of servers) record(l);

    const unknown = [...called].filter((op) => !IAM[op]);
    expect(unknown).toEqual([]);
    const policy = JSON.parse(readFileSync(new URL('../docs/iam-policy.json', import.meta.url), 'utf8')) as { Statement: Array<{ Action: string[] }> };
    const allowed = policy.Statement.flatMap((s) => s.Action).sort();
    expect(allowed).toEqual([...called].map((op) => IAM[op]!).sort());
  }, 60_000);

  it('docs/iam-policy.json is `iam-policy -g web --ses` for us-east-1', () => {
    const file = JSON.parse(readFileSync(new URL('../docs/iam-policy.json', import.meta.url), 'utf8'));
    expect(file).toEqual(iamPolicy({ partition: 'aws', groups: ['web'], ses: true }));
  });

  it.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('the partition of %s is %s', (region, partition) => expect(partitionOf(region)).toBe(partition));

  it('prints the policy in the caller’s partition, by names or by tag', async () => {
    const byName = JSON.parse((await cli(['iam-policy', '-g', 'web', '-g', 'api', '--region', 'cn-north-1'])).stdout);
    expect(byName.Statement[1].Resource).toEqual(['arn:aws-cn:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web', 'arn:aws-cn:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/api']);
    // A group's name is matched as it is: IAM reads * and ? as wildcards and ${…} as a variable in a Resource.
    const odd = JSON.parse((await cli(['iam-policy', '-g', 'web*', '-g', 'a?b', '-g', 'x${aws:username}', '--region', 'us-east-1'])).stdout);
    expect(odd.Statement[1].Resource).toEqual([
      'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web${*}',
      'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/a${?}b',
      'arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/x${$}{aws:username}',
    ]);
    const byTag = JSON.parse((await cli(['iam-policy', '--tag', 'asg-watchdog=on', '--region', 'us-east-1'])).stdout);
    expect(byTag.Statement[1]).toEqual({
      Sid: 'ActOnTaggedGroupsOnly',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: { StringEquals: { 'autoscaling:ResourceTag/asg-watchdog': 'on' } },
    });
    expect(byTag.Statement).toHaveLength(2);
  });
});
