// The IAM policy the watchdog needs: exactly the calls it makes (test/docs/iam.test.ts records the
// calls of every command and transport), in the caller's partition, scoped to the watched groups by
// name or by tag. docs/iam-policy.json is this for the group `web`.

/** Read by every tick (ec2:DescribeInstances only for launch times not yet known, and a mail's table). */
export const READ_ACTIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'cloudwatch:GetMetricData',
  'ec2:DescribeInstances',
  'elasticloadbalancing:DescribeInstanceHealth',
  'elasticloadbalancing:DescribeTargetHealth',
  // Whether the balancers balance across zones (src/aws/cross-zone.ts), for groups in two zones or more.
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  // The group's own scaling policies, which the band rules stand aside for (src/aws/scaling-policies.ts).
  'autoscaling:DescribePolicies',
  // Why the group does not launch, once it has not for 10 minutes (src/aws/scaling-activities.ts).
  'autoscaling:DescribeScalingActivities',
] as const;
/** The two calls that change anything: a scaling action, a kill (watch, instances -i / -k). */
export const ACT_ACTIONS = ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'] as const;
/** State in a DynamoDB table (--state-table, the Lambda handler): the lease, the state, the history. */
export const STATE_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'] as const;
/** Groups in other accounts (a config group's "role"): the run's credentials assume that role. */
export const ASSUME_ACTIONS = ['sts:AssumeRole'] as const;
/** Alerts through Amazon SES (--mail-transport ses). */
export const MAIL_ACTIONS = ['ses:SendEmail'] as const;

/** The partition of a region's ARNs: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/**
 * A group's name as IAM matches it literally: in a Resource `*` and `?` are wildcards and `${…}` a
 * policy variable, so a group named `web*` would let the watchdog act on every group whose name
 * begins with web. IAM's fixed variables `${*}`, `${?}` and `${$}` stand for the characters themselves.
 */
export function literalInArn(name: string): string {
  return name.replace(/[*?$]/g, (c) => `\${${c}}`);
}

export interface PolicyOptions {
  partition: string;
  /** The groups the watchdog may act on, by name; with `tag`, by tag instead. */
  groups: string[];
  tag?: { key: string; value: string };
  ses: boolean;
  /** The state table (--state-table), in `region` of `account` (* when not given). */
  stateTable?: { name: string; region: string; account?: string };
  /** Roles of other accounts the watchdog assumes for their groups; each needs this policy itself, less this statement. */
  assumeRoles?: string[];
}

export function iamPolicy(options: PolicyOptions) {
  const act = options.tag
    ? {
        Sid: 'ActOnTaggedGroupsOnly',
        Effect: 'Allow',
        Action: [...ACT_ACTIONS],
        Resource: '*',
        Condition: { StringEquals: { [`autoscaling:ResourceTag/${options.tag.key}`]: options.tag.value } },
      }
    : {
        Sid: 'ActOnTheWatchedGroupsOnly',
        Effect: 'Allow',
        Action: [...ACT_ACTIONS],
        Resource: options.groups.map((g) => `arn:${options.partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/${literalInArn(g)}`),
      };
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadTheFleet', Effect: 'Allow', Action: [...READ_ACTIONS], Resource: '*' },
      act,
      ...(options.ses ? [{ Sid: 'MailAlertsThroughSes', Effect: 'Allow', Action: [...MAIL_ACTIONS], Resource: '*' }] : []),
      ...(options.assumeRoles?.length ? [{ Sid: 'ReachGroupsInOtherAccounts', Effect: 'Allow', Action: [...ASSUME_ACTIONS], Resource: options.assumeRoles }] : []),
      ...(options.stateTable
        ? [{ Sid: 'KeepStateInTheTable', Effect: 'Allow', Action: [...STATE_TABLE_ACTIONS], Resource: `arn:${options.partition}:dynamodb:${options.stateTable.region}:${options.stateTable.account ?? '*'}:table/${options.stateTable.name}` }]
        : []),
    ],
  };
}
