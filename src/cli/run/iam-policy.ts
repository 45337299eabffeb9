import { iamPolicy, partitionOf } from '../../aws/iam.js';
import { UsageError } from '../../errors.js';
import { awsSettingsFrom, type AwsArgs } from '../aws-flags.js';
import type { CliIo } from '../io.js';
import { ROLE_ARN } from '../../config/index.js';
import { checkTableName } from '../state-store.js';

/** `iam-policy`: the policy for the caller's partition (from its region: no call is made). */
export async function runIamPolicy(args: AwsArgs & { group?: string[] | undefined; tag?: string | undefined; ses: boolean; stateTable?: string | undefined; assumeRole?: string[] | undefined }, io: CliIo): Promise<void> {
  const groups = args.group ?? [];
  const tag = args.tag === undefined ? undefined : /^([^=]+)=(.*)$/.exec(args.tag);
  if (args.tag !== undefined && !tag) throw new UsageError(`--tag ${args.tag}: expected KEY=VALUE`);
  if (groups.length === 0 && !tag) throw new UsageError('iam-policy needs -g GROUP (repeatable) or --tag KEY=VALUE: the groups it may act on');
  const { region } = await awsSettingsFrom(args);
  if (args.stateTable !== undefined) checkTableName(args.stateTable);
  for (const role of args.assumeRole ?? []) if (!ROLE_ARN.test(role)) throw new UsageError(`--assume-role ${role}: not a role ARN (e.g. arn:aws:iam::123456789012:role/asg-watchdog)`);
  const policy = iamPolicy({
    partition: partitionOf(region),
    groups,
    ...(tag && { tag: { key: tag[1]!, value: tag[2]! } }),
    ses: args.ses,
    ...(args.stateTable !== undefined && { stateTable: { name: args.stateTable, region } }),
    ...(args.assumeRole?.length && { assumeRoles: args.assumeRole }),
  });
  io.stdout(`${JSON.stringify(policy, null, 2)}\n`);
}
