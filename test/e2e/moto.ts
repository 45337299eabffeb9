// moto_server, an AWS emulator we did not write, started on a free 127.0.0.1 port and stopped by
// its PID: the collector and the actuator proven against another implementation of the AWS APIs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client, ModifyTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';

export const MOTO = 'moto_server';

export function motoInstalled(): boolean {
  return spawnSync(MOTO, ['--help'], { stdio: 'ignore' }).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Moto {
  url: string;
  child: ChildProcess;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`${MOTO} exited with ${child.exitCode}`);
    const up = await fetch(`${url}/moto-api/`).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    reset: async () => void (await fetch(`${url}/moto-api/reset`, { method: 'POST' })),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

const sdk = (url: string) => ({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

/** A group in moto: a launch configuration, the group, and optionally a target group it registers in. */
export async function createGroup(
  url: string,
  spec: {
    name: string;
    min: number;
    max: number;
    desired: number;
    targetGroup?: boolean;
    instanceType?: string;
    /** Its Availability Zones (default us-east-1a alone; moto places every instance in the first). */
    zones?: string[];
    /** A load balancer of this type in front of the target group, in the group's zones (network: no cross-zone balancing by default). */
    balancer?: 'network' | 'application';
    /** The target group's own cross-zone setting (default: its balancer's). */
    crossZone?: 'true' | 'false';
  },
): Promise<{ ids: string[]; targetGroupArn: string | null }> {
  const ec2 = new EC2Client(sdk(url));
  const autoScaling = new AutoScalingClient(sdk(url));
  try {
    const image = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
    await autoScaling.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: `${spec.name}-lc`, ImageId: image, InstanceType: spec.instanceType ?? 'c5.large' }));
    let targetGroupArn: string | null = null;
    if (spec.targetGroup) {
      const vpc = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs![0]!.VpcId!;
      const elbv2 = new ElasticLoadBalancingV2Client(sdk(url));
      const protocol = spec.balancer === 'network' ? 'TCP' : 'HTTP';
      const created = await elbv2.send(new CreateTargetGroupCommand({ Name: `${spec.name}-tg`, Protocol: protocol, Port: 80, VpcId: vpc, TargetType: 'instance' }));
      targetGroupArn = created.TargetGroups![0]!.TargetGroupArn!;
      if (spec.crossZone) await elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn, Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: spec.crossZone }] }));
      if (spec.balancer) {
        const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).Subnets!;
        const inZones = subnets.filter((s) => (spec.zones ?? ['us-east-1a']).includes(s.AvailabilityZone!)).map((s) => s.SubnetId!);
        const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${spec.name}-lb`, Type: spec.balancer, Subnets: inZones }));
        await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: protocol, Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }));
      }
      elbv2.destroy();
    }
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: spec.name,
        LaunchConfigurationName: `${spec.name}-lc`,
        MinSize: spec.min,
        MaxSize: spec.max,
        DesiredCapacity: spec.desired,
        AvailabilityZones: spec.zones ?? ['us-east-1a'],
        ...(targetGroupArn !== null && { TargetGroupARNs: [targetGroupArn] }),
      }),
    );
    return { ids: await memberIds(url, spec.name), targetGroupArn };
  } finally {
    ec2.destroy();
    autoScaling.destroy();
  }
}

/**
 * A group whose instance types carry weights (a mixed instances policy): desired counts units,
 * c5.xlarge weighing 2; moto launches ⌈desired / 2⌉ c5.large instances.
 */
export async function createWeightedGroup(url: string, spec: { name: string; min: number; max: number; desired: number }): Promise<{ ids: string[] }> {
  const ec2 = new EC2Client(sdk(url));
  const autoScaling = new AutoScalingClient(sdk(url));
  try {
    const image = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
    await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `${spec.name}-lt`, LaunchTemplateData: { ImageId: image, InstanceType: 'c5.large' } }));
    const overrides = [
      { InstanceType: 'c5.xlarge', WeightedCapacity: '2' },
      { InstanceType: 'c5.large', WeightedCapacity: '1' },
    ];
    await autoScaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: spec.name,
        MinSize: spec.min,
        MaxSize: spec.max,
        DesiredCapacity: spec.desired,
        AvailabilityZones: ['us-east-1a'],
        MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateName: `${spec.name}-lt`, Version: '$Latest' }, Overrides: overrides } },
      }),
    );
    return { ids: await memberIds(url, spec.name) };
  } finally {
    ec2.destroy();
    autoScaling.destroy();
  }
}

export async function describeGroup(url: string, name: string) {
  const autoScaling = new AutoScalingClient(sdk(url));
  try {
    return (await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!;
  } finally {
    autoScaling.destroy();
  }
}

export async function memberIds(url: string, name: string): Promise<string[]> {
  return ((await describeGroup(url, name)).Instances ?? []).map((i) => i.InstanceId!);
}

/** One CPUUtilization datapoint a minute for each instance over the `minutes` before `at`. */
export async function putCpu(url: string, at: number, loads: Record<string, number>, minutes = 6): Promise<void> {
  const cloudWatch = new CloudWatchClient(sdk(url));
  try {
    const data = Object.entries(loads).flatMap(([id, value]) =>
      Array.from({ length: minutes }, (_, k) => ({ MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: id }], Timestamp: new Date(at - (k + 1) * 60_000 - 120_000), Value: value, Unit: 'Percent' as const })),
    );
    for (let i = 0; i < data.length; i += 500) await cloudWatch.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: data.slice(i, i + 500) }));
  } finally {
    cloudWatch.destroy();
  }
}

/** A burstable instance's CPU credits as EC2 publishes them, one datapoint each 5 minutes over the 15 before `at`. */
export async function putCredits(url: string, at: number, credits: Record<string, { balance: number; surplus: number }>): Promise<void> {
  const cloudWatch = new CloudWatchClient(sdk(url));
  try {
    const data = Object.entries(credits).flatMap(([id, { balance, surplus }]) =>
      [1, 2, 3].flatMap((k) => [
        { MetricName: 'CPUCreditBalance', Dimensions: [{ Name: 'InstanceId', Value: id }], Timestamp: new Date(at - k * 5 * 60_000), Value: balance, Unit: 'Count' as const },
        { MetricName: 'CPUSurplusCreditBalance', Dimensions: [{ Name: 'InstanceId', Value: id }], Timestamp: new Date(at - k * 5 * 60_000), Value: surplus, Unit: 'Count' as const },
      ]),
    );
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: data }));
  } finally {
    cloudWatch.destroy();
  }
}

/** What a person does by hand in the console: one Auto Scaling call to moto. */
export async function byHand(url: string, call: (autoScaling: AutoScalingClient) => Promise<unknown>): Promise<void> {
  const autoScaling = new AutoScalingClient(sdk(url));
  try {
    await call(autoScaling);
  } finally {
    autoScaling.destroy();
  }
}

export { sdk as motoSdkConfig };
