import type { Argv } from 'yargs';
import { resolveAwsSettings, type AwsFlags, type AwsSettings } from '../aws/settings.js';

/** --region, --profile, --endpoint-url: the same on every command that talks to AWS. */
export function withAwsFlags<T>(y: Argv<T>) {
  return y
    .option('region', { type: 'string', describe: 'AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile\'s region)' })
    .option('profile', { type: 'string', describe: 'a profile of ~/.aws/config and ~/.aws/credentials (default: $AWS_PROFILE, else the default chain)' })
    .option('endpoint-url', { type: 'string', describe: 'one endpoint for every AWS service, e.g. a local-aws (default: the SDK\'s: $AWS_ENDPOINT_URL_<SERVICE>, $AWS_ENDPOINT_URL, the profile\'s endpoint_url)' });
}

export type AwsArgs = AwsFlags;

/** The AWS settings of a run: the SDK's own chain with the flags over it (src/aws/settings.ts). */
export function awsSettingsFrom(args: AwsArgs): Promise<AwsSettings> {
  return resolveAwsSettings({ region: args.region, profile: args.profile, endpointUrl: args.endpointUrl });
}
