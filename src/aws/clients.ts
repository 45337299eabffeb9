import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AWS_CALL_TIMEOUT_MS, AWS_CONNECT_TIMEOUT_MS, AWS_MAX_ATTEMPTS, CLOCK_READINGS_KEPT_MS } from '../config/defaults.js';
import type { ServiceId } from './settings.js';
import { accountOfRole, assumedRole } from './assume-role.js';

export interface AwsOptions {
  region: string;
  profile?: string;
  /** One endpoint for every service, as the AWS CLI's --endpoint-url (local-aws, tests). */
  endpoint?: string;
  /**
   * Each service's endpoint as resolved for the run's profile (settings.ts); with it the SDK does
   * not look again, since it would look in $AWS_PROFILE's profile rather than --profile's.
   */
  endpoints?: Partial<Record<ServiceId, string>>;
  credentials?: { accessKeyId: string; secretAccessKey: string } | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>);
  /** A role to assume for the group's calls (a config group's "role"), with the run's credentials. */
  role?: string | undefined;
  /** Attempts per call, the SDK's standard retry (throttling and 5xx back off and retry). */
  maxAttempts?: number;
  /** A call that has not answered in this long fails, so a hung endpoint cannot stall cron. */
  timeoutMs?: number;
  /** The clock the run's ticks go by (the wall's; tests and the demo pass theirs): AWS's answers are timed against it. */
  clock?: () => number;
}

/**
 * The SDK clients of one run. Auto Scaling and CloudWatch are read at every tick; the others are
 * loaded on first use: EC2 (2 MB of SDK) only when a launch time is missing or a mail needs the
 * zones, a balancer's SDK only when the group has that kind of balancer.
 */
export interface Clients {
  autoScaling: AutoScalingClient;
  cloudWatch: CloudWatchClient;
  elb(): Promise<ElasticLoadBalancingClient>;
  elbv2(): Promise<ElasticLoadBalancingV2Client>;
  ec2(): Promise<EC2Client>;
  region: string;
  endpoint?: string;
  /** The account a role reaches (a config group's "role"): part of the group's identity. */
  account?: string;
  /**
   * AWS's clock minus the run's, in milliseconds, from the Date header of the Auto Scaling and
   * CloudWatch answers of the last minute (the one of the shortest round trip: within half of it
   * and the header's second); null before one came.
   */
  clockOffsetMs(): number | null;
  /** Closes every client made so far. */
  destroy(): void;
}

/** A reading of AWS's clock: its Date header against the run's clock halfway through the call. */
interface ClockReading {
  at: number;
  offsetMs: number;
  roundTripMs: number;
}

/** Times each answer of a client against `clock` (a middleware on its stack). */
function clockReader(clock: () => number) {
  let readings: ClockReading[] = [];
  const recent = () => {
    const now = clock();
    readings = readings.filter((r) => now - r.at <= CLOCK_READINGS_KEPT_MS);
    return readings;
  };
  const timeAnswers: Parameters<AutoScalingClient['middlewareStack']['add']>[0] = (next) => async (args) => {
    const sent = clock();
    const out = await next(args);
    const received = clock();
    const date = Date.parse(String((out.response as { headers?: Record<string, string> }).headers?.['date'] ?? ''));
    // The header says the second its answer was made: add half of one to its middle.
    if (!Number.isNaN(date)) recent().push({ at: received, offsetMs: date + 500 - (sent + received) / 2, roundTripMs: received - sent });
    return out;
  };
  return {
    watch(client: { middlewareStack: AutoScalingClient['middlewareStack'] | CloudWatchClient['middlewareStack'] }) {
      (client.middlewareStack as AutoScalingClient['middlewareStack']).add(timeAnswers, { step: 'deserialize', name: 'asgWatchdogClock' });
    },
    offsetMs(): number | null {
      let best: ClockReading | null = null;
      for (const r of recent()) if (best === null || r.roundTripMs < best.roundTripMs) best = r;
      return best?.offsetMs ?? null;
    },
  };
}

/** The SDK client settings of one service: the run's region, profile, credentials and that service's endpoint. */
export function clientConfig(options: AwsOptions, service: ServiceId) {
  const endpoint = options.endpoint ?? options.endpoints?.[service];
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? AWS_MAX_ATTEMPTS,
    requestHandler: { requestTimeout: options.timeoutMs ?? AWS_CALL_TIMEOUT_MS, connectionTimeout: AWS_CONNECT_TIMEOUT_MS, throwOnRequestTimeout: true },
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(endpoint !== undefined && { endpoint }),
    ...(options.endpoints !== undefined && { ignoreConfiguredEndpointUrls: true }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
  };
}

/** SDK v3 clients from region, profile and endpoints; credentials from the standard chain, or a role assumed with them. */
export function makeClients(given: AwsOptions): Clients {
  const options: AwsOptions = given.role ? { ...given, credentials: assumedRole(given.role, given, (o) => clientConfig(o, 'STS')) } : given;
  const made: Array<{ destroy(): void }> = [];
  const once = <T extends { destroy(): void }>(make: () => Promise<T>): (() => Promise<T>) => {
    let client: Promise<T> | null = null;
    return () =>
      (client ??= make().then((c) => {
        made.push(c);
        return c;
      }));
  };
  const autoScaling = new AutoScalingClient(clientConfig(options, 'Auto Scaling'));
  const cloudWatch = new CloudWatchClient(clientConfig(options, 'CloudWatch'));
  made.push(autoScaling, cloudWatch);
  const clock = clockReader(options.clock ?? Date.now);
  clock.watch(autoScaling);
  clock.watch(cloudWatch);
  // Where the group lives: part of its identity (the lock and the state file's owner).
  const endpoint = options.endpoint ?? options.endpoints?.['Auto Scaling'];
  return {
    autoScaling,
    cloudWatch,
    elb: once(async () => new (await import('./lazy/elb.js')).ElasticLoadBalancingClient(clientConfig(options, 'Elastic Load Balancing'))),
    elbv2: once(async () => new (await import('./lazy/elbv2.js')).ElasticLoadBalancingV2Client(clientConfig(options, 'Elastic Load Balancing v2'))),
    ec2: once(async () => new (await import('./lazy/ec2.js')).EC2Client(clientConfig(options, 'EC2'))),
    region: options.region,
    ...(endpoint !== undefined && { endpoint }),
    ...(given.role && accountOfRole(given.role) !== null && { account: accountOfRole(given.role)! }),
    clockOffsetMs: () => clock.offsetMs(),
    destroy: () => {
      for (const client of made.splice(0)) client.destroy();
    },
  };
}

/** The client of the state table (--state-table): loaded only when state is in DynamoDB. */
export async function dynamoClient(options: AwsOptions) {
  const { DynamoDBClient } = await import('./lazy/dynamodb.js');
  return new DynamoDBClient(clientConfig(options, 'DynamoDB'));
}
