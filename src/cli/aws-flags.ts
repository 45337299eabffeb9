import type { Argv } from 'yargs';
import type { AwsOptions } from '../aws/clients.js';
import { UsageError } from '../errors.js';

/** --region, --profile, --endpoint-url: the same on every command that talks to AWS. */
export function withAwsFlags<T>(y: Argv<T>) {
  return y
    .option('region', { type: 'string', describe: 'AWS region (default: $AWS_REGION)' })
    .option('profile', { type: 'string', describe: 'AWS profile (default: $AWS_PROFILE or the default chain)' })
    .option('endpoint-url', { type: 'string', describe: 'one endpoint for every AWS service, e.g. a local-aws (default: $AWS_ENDPOINT_URL)' });
}

export interface AwsArgs {
  region?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
}

export function awsOptionsFrom(args: AwsArgs, env: Record<string, string | undefined>): AwsOptions {
  const region = args.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) throw new UsageError('no AWS region: pass --region or set AWS_REGION');
  const endpoint = args.endpointUrl ?? env['AWS_ENDPOINT_URL'];
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint)) throw new UsageError(`--endpoint-url must be an http(s) URL, not '${endpoint}'`);
  return { region, ...(args.profile !== undefined && { profile: args.profile }), ...(endpoint !== undefined && { endpoint }) };
}
