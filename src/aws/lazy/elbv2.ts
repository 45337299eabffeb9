// What a tick uses of the ELBv2 SDK, imported on demand (see ec2.ts).
export {
  ElasticLoadBalancingV2Client,
  DescribeTargetHealthCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
