// docs/iam-policy.json must allow exactly the AWS calls src/aws makes: no more, no fewer.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const IAM: Record<string, string> = {
  DescribeAutoScalingGroups: 'autoscaling:DescribeAutoScalingGroups',
  SetDesiredCapacity: 'autoscaling:SetDesiredCapacity',
  TerminateInstanceInAutoScalingGroup: 'autoscaling:TerminateInstanceInAutoScalingGroup',
  GetMetricData: 'cloudwatch:GetMetricData',
  DescribeInstanceHealth: 'elasticloadbalancing:DescribeInstanceHealth',
  DescribeTargetHealth: 'elasticloadbalancing:DescribeTargetHealth',
  DescribeInstances: 'ec2:DescribeInstances',
};

describe('the IAM policy', () => {
  it('lists exactly the calls the collector and the actuator make', () => {
    const dir = new URL('../src/aws/', import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const source = files.map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const called = [...source.matchAll(/new (\w+)Command\(|paginate(\w+)\(/g)].map((m) => m[1] ?? m[2]!);
    const unknown = called.filter((op) => !IAM[op]);
    expect(unknown).toEqual([]);
    const policy = JSON.parse(readFileSync(new URL('../docs/iam-policy.json', import.meta.url), 'utf8')) as { Statement: Array<{ Action: string[] }> };
    const allowed = policy.Statement.flatMap((s) => s.Action).sort();
    expect(allowed).toEqual([...new Set(called.map((op) => IAM[op]!))].sort());
  });
});
