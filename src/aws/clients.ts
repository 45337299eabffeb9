import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AWS_CALL_TIMEOUT_MS, AWS_CONNECT_TIMEOUT_MS, AWS_MAX_ATTEMPTS } from '../config/defaults.js';

export interface AwsOptions {
  region: string;
  profile?: string;
  /** One endpoint for every service, as the AWS CLI's --endpoint-url (local-aws, tests). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts per call, the SDK's standard retry (throttling and 5xx back off and retry). */
  maxAttempts?: number;
  /** A call that has not answered in this long fails, so a hung endpoint cannot stall cron. */
  timeoutMs?: number;
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
  /** Closes every client made so far. */
  destroy(): void;
}

/** SDK v3 clients from region, profile and endpoint; credentials from the standard chain. */
export function makeClients(options: AwsOptions): Clients {
  const config = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? AWS_MAX_ATTEMPTS,
    requestHandler: { requestTimeout: options.timeoutMs ?? AWS_CALL_TIMEOUT_MS, connectionTimeout: AWS_CONNECT_TIMEOUT_MS, throwOnRequestTimeout: true },
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
  };
  const made: Array<{ destroy(): void }> = [];
  const once = <T extends { destroy(): void }>(make: () => Promise<T>): (() => Promise<T>) => {
    let client: Promise<T> | null = null;
    return () =>
      (client ??= make().then((c) => {
        made.push(c);
        return c;
      }));
  };
  const autoScaling = new AutoScalingClient(config);
  const cloudWatch = new CloudWatchClient(config);
  made.push(autoScaling, cloudWatch);
  return {
    autoScaling,
    cloudWatch,
    elb: once(async () => new (await import('./lazy/elb.js')).ElasticLoadBalancingClient(config)),
    elbv2: once(async () => new (await import('./lazy/elbv2.js')).ElasticLoadBalancingV2Client(config)),
    ec2: once(async () => new (await import('./lazy/ec2.js')).EC2Client(config)),
    region: options.region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    destroy: () => {
      for (const client of made.splice(0)) client.destroy();
    },
  };
}
