// Region, profile and endpoints from the SDK's own chain, with the flags over it: a temporary HOME
// with real ~/.aws/config and ~/.aws/credentials files, and the environment the SDK reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveAwsSettings, type AwsFlags, type AwsSettings } from '../../src/aws/settings.js';
import { scratchDir } from '../scratch.js';

const home = scratchDir('asgw-home-');
beforeAll(() => {
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'config'),
    [
      '[default]',
      'region = us-west-2',
      '',
      '[profile prod]',
      'region = us-east-1',
      '',
      '[profile local]',
      'region = eu-west-1',
      'endpoint_url = http://127.0.0.1:4566',
      '',
      '[profile quiet]',
      'region = eu-west-1',
      'endpoint_url = http://127.0.0.1:4566',
      'ignore_configured_endpoint_urls = true',
      '',
      '[profile badurl]',
      'region = eu-west-1',
      'endpoint_url = localhost:4566',
      '',
      '[profile typo]',
      'region = eu-west',
      '',
      '[profile split]',
      'region = eu-central-1',
      'services = split-endpoints',
      '',
      '[services split-endpoints]',
      'auto_scaling =',
      '  endpoint_url = http://127.0.0.1:7001',
      'cloudwatch =',
      '  endpoint_url = http://127.0.0.1:7002',
      '',
    ].join('\n'),
  );
  writeFileSync(join(home, '.aws', 'credentials'), ['[keys-only]', 'aws_access_key_id = AKID', 'aws_secret_access_key = secret', ''].join('\n'));
});

const CLEAN = ['AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_AUTO_SCALING', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];
function withEnv(env: Record<string, string>): void {
  vi.stubEnv('HOME', home);
  for (const key of CLEAN) vi.stubEnv(key, undefined as unknown as string);
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
}
afterEach(() => vi.unstubAllEnvs());

/** The fleet's services and SES: what --endpoint-url sets. */
const fleet = (url: string) => ({
  'Auto Scaling': url,
  CloudWatch: url,
  'Elastic Load Balancing': url,
  'Elastic Load Balancing v2': url,
  EC2: url,
  SESv2: url,
});
/** Every service, the state table's too: what a configured endpoint sets. */
const all = (url: string) => ({ ...fleet(url), DynamoDB: url, S3: url, STS: url });

describe('the AWS settings of a run', () => {
  it.each<{ what: string; flags: AwsFlags; env: Record<string, string>; expected: AwsSettings }>([
    { what: 'the default profile’s region', flags: {}, env: {}, expected: { region: 'us-west-2', endpoints: {} } },
    { what: '--profile: its region', flags: { profile: 'prod' }, env: {}, expected: { region: 'us-east-1', profile: 'prod', endpoints: {} } },
    { what: 'AWS_PROFILE: its region', flags: {}, env: { AWS_PROFILE: 'prod' }, expected: { region: 'us-east-1', profile: 'prod', endpoints: {} } },
    { what: '--profile over AWS_PROFILE', flags: { profile: 'prod' }, env: { AWS_PROFILE: 'local' }, expected: { region: 'us-east-1', profile: 'prod', endpoints: {} } },
    { what: 'AWS_REGION over the profile', flags: { profile: 'prod' }, env: { AWS_REGION: 'ap-south-1' }, expected: { region: 'ap-south-1', profile: 'prod', endpoints: {} } },
    { what: 'AWS_DEFAULT_REGION over the profile, as the AWS CLI', flags: { profile: 'prod' }, env: { AWS_DEFAULT_REGION: 'sa-east-1' }, expected: { region: 'sa-east-1', profile: 'prod', endpoints: {} } },
    { what: 'AWS_REGION over AWS_DEFAULT_REGION', flags: {}, env: { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'sa-east-1' }, expected: { region: 'ap-south-1', endpoints: {} } },
    { what: '--region over all', flags: { region: 'eu-north-1', profile: 'prod' }, env: { AWS_REGION: 'ap-south-1' }, expected: { region: 'eu-north-1', profile: 'prod', endpoints: {} } },
    { what: 'a profile only in the credentials file', flags: { profile: 'keys-only', region: 'us-east-1' }, env: {}, expected: { region: 'us-east-1', profile: 'keys-only', endpoints: {} } },
    // The SDK looks for configured endpoints in $AWS_PROFILE's profile only: --profile's is honoured too.
    { what: 'the endpoint_url of --profile', flags: { profile: 'local' }, env: {}, expected: { region: 'eu-west-1', profile: 'local', endpoints: all('http://127.0.0.1:4566') } },
    { what: 'the endpoint_url of AWS_PROFILE', flags: {}, env: { AWS_PROFILE: 'local' }, expected: { region: 'eu-west-1', profile: 'local', endpoints: all('http://127.0.0.1:4566') } },
    {
      what: 'a service’s own variable over AWS_ENDPOINT_URL, as the SDK orders them',
      flags: {},
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_AUTO_SCALING: 'http://127.0.0.1:2' },
      expected: { region: 'us-west-2', endpoints: { ...all('http://127.0.0.1:1'), 'Auto Scaling': 'http://127.0.0.1:2' } },
    },
    { what: 'AWS_ENDPOINT_URL over the profile’s', flags: { profile: 'local' }, env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, expected: { region: 'eu-west-1', profile: 'local', endpoints: all('http://127.0.0.1:1') } },
    { what: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', flags: { profile: 'local' }, env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }, expected: { region: 'eu-west-1', profile: 'local', endpoints: {} } },
    { what: 'the profile’s ignore_configured_endpoint_urls', flags: { profile: 'quiet' }, env: {}, expected: { region: 'eu-west-1', profile: 'quiet', endpoints: {} } },
    {
      what: 'a services section, per service',
      flags: { profile: 'split' },
      env: {},
      expected: { region: 'eu-central-1', profile: 'split', endpoints: { 'Auto Scaling': 'http://127.0.0.1:7001', CloudWatch: 'http://127.0.0.1:7002' } },
    },
    { what: '--endpoint-url over all, even when configured ones are ignored', flags: { profile: 'local', endpointUrl: 'http://127.0.0.1:9' }, env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, expected: { region: 'eu-west-1', profile: 'local', endpoints: fleet('http://127.0.0.1:9') } },
    // A local-aws answers for the fleet, never for the state table: that one keeps its own endpoint.
    { what: '--endpoint-url is the fleet’s; the state table keeps its own', flags: { endpointUrl: 'http://127.0.0.1:9' }, env: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8' }, expected: { region: 'us-west-2', endpoints: { ...fleet('http://127.0.0.1:9'), DynamoDB: 'http://127.0.0.1:8' } } },
  ])('$what', async ({ flags, env, expected }) => {
    withEnv(env);
    expect(await resolveAwsSettings(flags)).toEqual(expected);
  });

  it.each<{ what: string; flags: AwsFlags; env: Record<string, string>; says: string }>([
    { what: '--profile that does not exist', flags: { profile: 'nosuch' }, env: {}, says: `AWS profile 'nosuch' (--profile) is in neither ${home}/.aws/config nor ${home}/.aws/credentials` },
    { what: 'AWS_PROFILE that does not exist', flags: {}, env: { AWS_PROFILE: 'nosuch' }, says: `AWS profile 'nosuch' (AWS_PROFILE) is in neither ${home}/.aws/config nor ${home}/.aws/credentials` },
    { what: 'no region anywhere', flags: { profile: 'keys-only' }, env: {}, says: `no AWS region: pass --region, set AWS_REGION, or set region in the profile 'keys-only' of ${home}/.aws/config` },
    // The SDK refuses a region that is no hostname only at the first call (exit 1, as if AWS had failed), and takes one like eu-west, which no endpoint answers.
    { what: 'a --region that is no region', flags: { region: 'us east 1' }, env: {}, says: '--region: not a region name: "us east 1" (e.g. eu-west-1)' },
    { what: 'an AWS_REGION that is no region', flags: {}, env: { AWS_REGION: 'US-EAST-1' }, says: 'AWS_REGION: not a region name: "US-EAST-1" (e.g. eu-west-1)' },
    { what: 'an AWS_DEFAULT_REGION that is no region', flags: {}, env: { AWS_DEFAULT_REGION: 'useast1' }, says: 'AWS_DEFAULT_REGION: not a region name: "useast1" (e.g. eu-west-1)' },
    { what: "a profile's region that is no region", flags: { profile: 'typo' }, env: {}, says: `the region of the profile 'typo' in ${home}/.aws/config: not a region name: "eu-west" (e.g. eu-west-1)` },
    { what: 'an endpoint that is no URL', flags: { endpointUrl: 'localhost:4566' }, env: {}, says: "--endpoint-url must be an http(s) URL, not 'localhost:4566'" },
    { what: 'an AWS_ENDPOINT_URL that is no URL', flags: {}, env: { AWS_ENDPOINT_URL: 'localhost:4566' }, says: "AWS_ENDPOINT_URL must be an http(s) URL, not 'localhost:4566'" },
    { what: "a service's own endpoint variable that is no URL", flags: {}, env: { AWS_ENDPOINT_URL_AUTO_SCALING: 'x' }, says: "AWS_ENDPOINT_URL_AUTO_SCALING must be an http(s) URL, not 'x'" },
    { what: "a profile's endpoint_url that is no URL", flags: { profile: 'badurl' }, env: {}, says: `the endpoint of Auto Scaling in the profile 'badurl' of ${home}/.aws/config must be an http(s) URL, not 'localhost:4566'` },
  ])('refuses $what, in one line', async ({ flags, env, says }) => {
    withEnv(env);
    await expect(resolveAwsSettings(flags)).rejects.toThrow(says);
  });

  it('AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are where the files are', async () => {
    withEnv({ AWS_CONFIG_FILE: join(home, 'nowhere'), AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials') });
    await expect(resolveAwsSettings({ profile: 'prod' })).rejects.toThrow(`AWS profile 'prod' (--profile) is in neither ${home}/nowhere nor ${home}/.aws/credentials`);
    expect(await resolveAwsSettings({ profile: 'keys-only', region: 'us-east-1' })).toEqual({ region: 'us-east-1', profile: 'keys-only', endpoints: {} });
  });
});
