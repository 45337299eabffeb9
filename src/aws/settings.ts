// Where and as whom the AWS calls go: region, profile and endpoints from the SDK's own chain
// (environment, then the shared config and credentials files, with the SDK's own loaders), and
// --region, --profile, --endpoint-url over it: the same for every command and for SES.
import { join } from 'node:path';
import { booleanSelector, CONFIG_PREFIX_SEPARATOR, getHomeDir, getProfileName, loadConfig, loadSharedConfigFiles, SelectorType } from '@smithy/core/config';
import { REGION_NAME } from '../config/defaults.js';
import { UsageError } from '../errors.js';

/** The services the tool calls, by the SDK's `serviceId` (it names their endpoint settings). */
export const SERVICES = ['Auto Scaling', 'CloudWatch', 'Elastic Load Balancing', 'Elastic Load Balancing v2', 'EC2', 'SESv2', 'DynamoDB', 'S3', 'STS'] as const;
/** Where --endpoint-url (one endpoint for the fleet's services, e.g. a local-aws) does not reach: the state table's, the Lambda's config's. */
const OWN_ENDPOINT: readonly ServiceId[] = ['DynamoDB', 'S3', 'STS'];
export type ServiceId = (typeof SERVICES)[number];

export interface AwsFlags {
  region?: string | undefined;
  profile?: string | undefined;
  endpointUrl?: string | undefined;
  /** Who named `profile`, as a refusal says it: `--profile` unless said otherwise (a config file's group). */
  profileFrom?: string | undefined;
}

/** A setting of where or as whom the calls go that cannot be used: which one, for who named it (groups.ts). */
export class AwsSettingError extends UsageError {
  constructor(
    message: string,
    readonly setting: 'profile' | 'region' | 'endpoint',
  ) {
    super(message);
  }
}

/** What every client of a run is made from. */
export interface AwsSettings {
  region: string;
  /** The profile the files were read with; undefined for the default chain without one. */
  profile?: string;
  /** Each service's endpoint when one is set (a flag, the environment or the profile); absent: AWS's own. */
  endpoints: Partial<Record<ServiceId, string>>;
}

const env = (): Record<string, string | undefined> => process.env;

function configPaths(): { config: string; credentials: string } {
  const home = getHomeDir();
  return {
    config: env()['AWS_CONFIG_FILE'] || join(home, '.aws', 'config'),
    credentials: env()['AWS_SHARED_CREDENTIALS_FILE'] || join(home, '.aws', 'credentials'),
  };
}

function checkUrl(url: string, where: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new AwsSettingError(`${where} must be an http(s) URL, not '${url}'`, 'endpoint');
  return url;
}

/**
 * The endpoint the shared configuration sets for one service, as the SDK finds it
 * (@smithy/core's getEndpointUrlConfig, which reads only $AWS_PROFILE's profile): the service's
 * own variable (AWS_ENDPOINT_URL_AUTO_SCALING), then AWS_ENDPOINT_URL, then the profile's
 * `services` section, then its `endpoint_url`; none at all when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * or the profile's ignore_configured_endpoint_urls is true.
 */
export async function configuredEndpoint(serviceId: ServiceId, profile: string | undefined): Promise<string | undefined> {
  const init = { profile, ignoreCache: true };
  const ignore = await loadConfig<boolean>(
    {
      environmentVariableSelector: (e) => booleanSelector(e, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', SelectorType.ENV),
      configFileSelector: (p) => booleanSelector(p, 'ignore_configured_endpoint_urls', SelectorType.CONFIG),
      default: false,
    },
    init,
  )();
  if (ignore) return undefined;
  const words = serviceId.split(' ');
  return loadConfig<string | undefined>(
    {
      environmentVariableSelector: (e) => e[['AWS_ENDPOINT_URL', ...words.map((w) => w.toUpperCase())].join('_')] || e['AWS_ENDPOINT_URL'] || undefined,
      configFileSelector: (p, file) => {
        // A `services` section the profile names but the file lacks is passed over, as the SDK does.
        const section = p['services'] ? file?.[['services', p['services']].join(CONFIG_PREFIX_SEPARATOR)] : undefined;
        const url = section?.[[words.map((w) => w.toLowerCase()).join('_'), 'endpoint_url'].join(CONFIG_PREFIX_SEPARATOR)];
        if (url) return url;
        return p['endpoint_url'] || undefined;
      },
      default: undefined,
    },
    init,
  )();
}

/** Where a service's configured endpoint was set, as configuredEndpoint looks: `AWS_ENDPOINT_URL`, or the profile's. */
function endpointSource(serviceId: ServiceId, profile: string | undefined, configFile: string): string {
  const own = ['AWS_ENDPOINT_URL', ...serviceId.split(' ').map((w) => w.toUpperCase())].join('_');
  if (env()[own]) return own;
  if (env()['AWS_ENDPOINT_URL']) return 'AWS_ENDPOINT_URL';
  return `the endpoint of ${serviceId} in the ${profile ? `profile '${profile}'` : 'default profile'} of ${configFile}`;
}

/** The region and where it was set: --region, then AWS_REGION and AWS_DEFAULT_REGION (as the AWS CLI), then the profile's. */
async function regionOf(flag: string | undefined, profile: string | undefined, configFile: string): Promise<{ region: string; from: string } | undefined> {
  if (flag) return { region: flag, from: '--region' };
  let from = '';
  const region = await loadConfig<string | undefined>(
    {
      environmentVariableSelector: (e) => {
        const name = ['AWS_REGION', 'AWS_DEFAULT_REGION'].find((n) => e[n]);
        from = name ?? '';
        return name === undefined ? undefined : e[name];
      },
      configFileSelector: (p) => {
        from = `the region of the ${profile ? `profile '${profile}'` : 'default profile'} in ${configFile}`;
        return p['region'] || undefined;
      },
      default: undefined,
    },
    { profile, ignoreCache: true },
  )();
  return region === undefined ? undefined : { region, from };
}

/**
 * Resolves the settings of one run. A profile named by --profile or AWS_PROFILE must exist in
 * the shared files; a missing region is one line saying where to put it. Throws UsageError.
 */
export async function resolveAwsSettings(flags: AwsFlags): Promise<AwsSettings> {
  const named = flags.profile ?? env()['AWS_PROFILE'];
  const profile = named === undefined || named === '' ? undefined : getProfileName({ profile: named });
  const paths = configPaths();
  if (profile !== undefined) {
    const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
    if (!(profile in configFile) && !(profile in credentialsFile)) {
      const from = flags.profile !== undefined ? (flags.profileFrom ?? '--profile') : 'AWS_PROFILE';
      throw new AwsSettingError(`AWS profile '${profile}' (${from}) is in neither ${paths.config} nor ${paths.credentials}`, 'profile');
    }
  }
  const found = await regionOf(flags.region, profile, paths.config);
  if (!found) {
    throw new AwsSettingError(`no AWS region: pass --region, set AWS_REGION, or set region in the ${profile ? `profile '${profile}'` : 'default profile'} of ${paths.config}`, 'region');
  }
  // A region the SDK would refuse as a hostname, or one no endpoint answers for: bad input, said before any call.
  if (!REGION_NAME.test(found.region)) throw new AwsSettingError(`${found.from}: not a region name: ${JSON.stringify(found.region)} (e.g. eu-west-1)`, 'region');
  const region = found.region;
  const endpoints: Partial<Record<ServiceId, string>> = {};
  for (const service of SERVICES) {
    const flag = OWN_ENDPOINT.includes(service) ? undefined : flags.endpointUrl;
    const url = flag !== undefined ? flag : await configuredEndpoint(service, profile);
    if (url !== undefined) endpoints[service] = checkUrl(url, flag !== undefined ? '--endpoint-url' : endpointSource(service, profile, paths.config));
  }
  return { region, ...(profile !== undefined && { profile }), endpoints };
}
