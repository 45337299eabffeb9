import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
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

export interface Clients {
  autoScaling: AutoScalingClient;
  cloudWatch: CloudWatchClient;
  elb: ElasticLoadBalancingClient;
  elbv2: ElasticLoadBalancingV2Client;
  ec2: EC2Client;
  region: string;
  endpoint?: string;
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
  return {
    autoScaling: new AutoScalingClient(config),
    cloudWatch: new CloudWatchClient(config),
    elb: new ElasticLoadBalancingClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    ec2: new EC2Client(config),
    region: options.region,
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
  };
}

export function destroyClients(clients: Clients): void {
  for (const client of [clients.autoScaling, clients.cloudWatch, clients.elb, clients.elbv2, clients.ec2]) client.destroy();
}
