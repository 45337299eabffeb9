// What a tick uses of the classic ELB SDK, imported on demand (see ec2.ts).
export { ElasticLoadBalancingClient, DescribeInstanceHealthCommand, DescribeLoadBalancerAttributesCommand } from '@aws-sdk/client-elastic-load-balancing';
