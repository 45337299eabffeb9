// Whether the group's balancers balance across zones: read by the collector for groups that
// span two zones or more (sizing.ts, Capacity). Without it a balancer splits the traffic evenly
// between zones, and the instances of a smaller zone run hotter.
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { Clients } from './clients.js';

/** The attribute of a target group, and of a network or gateway load balancer (off by default; an application one always balances across zones). */
const CROSS_ZONE = 'load_balancing.cross_zone.enabled';

/** Where an AWS call failed: the collector names it in its warning. */
function named<T>(operation: string, call: Promise<T>): Promise<T> {
  return call.catch((error: unknown) => {
    throw Object.assign(error as object, { operation });
  });
}

/**
 * False when a balancer of the group does not balance across zones, true when every one that
 * carries it does, null when none does yet (a target group behind no balancer). A classic
 * balancer says so itself; a target group says true or false, or takes its balancer's setting.
 * A read that fails throws, naming its operation.
 */
export async function readCrossZone(clients: Clients, group: AutoScalingGroup, signal?: AbortSignal): Promise<boolean | null> {
  const each = await Promise.all([
    ...(group.LoadBalancerNames ?? []).map(async (name) => {
      const { DescribeLoadBalancerAttributesCommand } = await import('./lazy/elb.js');
      const elb = await clients.elb();
      const out = await named('DescribeLoadBalancerAttributes', elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: name }), { abortSignal: signal }));
      return [out.LoadBalancerAttributes?.CrossZoneLoadBalancing?.Enabled ?? false];
    }),
    ...(group.TargetGroupARNs ?? []).map((arn) => targetGroupCrossZone(clients, arn, signal)),
  ]);
  const known = each.flat();
  return known.length === 0 ? null : known.every(Boolean);
}

/** A target group's setting, or, where it takes its balancers', each of theirs (none: behind no balancer). */
async function targetGroupCrossZone(clients: Clients, arn: string, signal?: AbortSignal): Promise<boolean[]> {
  const { DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand, DescribeLoadBalancerAttributesCommand } = await import('./lazy/elbv2.js');
  const elbv2 = await clients.elbv2();
  // Both at once: most target groups take their balancer's setting, so both are needed.
  const [attributes, described] = await Promise.all([
    named('DescribeTargetGroupAttributes', elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }), { abortSignal: signal })),
    named('DescribeTargetGroups', elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }), { abortSignal: signal })),
  ]);
  const own = attributes.Attributes?.find((a) => a.Key === CROSS_ZONE)?.Value;
  if (own === 'true' || own === 'false') return [own === 'true'];
  const balancers = described.TargetGroups?.[0]?.LoadBalancerArns ?? [];
  return Promise.all(
    balancers.map(async (balancer) => {
      const out = await named('DescribeLoadBalancerAttributes', elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: balancer }), { abortSignal: signal }));
      // An application load balancer always balances across zones (and says true).
      return out.Attributes?.find((a) => a.Key === CROSS_ZONE)?.Value !== 'false';
    }),
  );
}
