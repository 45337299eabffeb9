import { MAX_PAGES } from '../config/defaults.js';
import { codeWords, RuntimeFailure, systemCodeIn, UsageError } from '../errors.js';

/** The AWS error codes that mean "not now": the action is reported and a later tick retries. */
export const TRANSIENT_CODES = new Set(['ScalingActivityInProgress', 'ScalingActivityInProgressFault', 'ResourceContention', 'ResourceContentionFault', 'Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'ServiceUnavailable', 'InternalFailure', 'InternalError']);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** Where an AWS call went, as its failure says it: the endpoint where one is set, else the region (Clients is one). */
export interface AwsWhere {
  region: string;
  endpoint?: string;
}

/** One line a person can act on, from whatever the SDK or the network threw. */
export function describeAwsError(error: unknown, operation: string, where: AwsWhere): string {
  const e = error as SdkError;
  const name = e.name ?? 'Error';
  const at = where.endpoint ?? `AWS ${where.region}`;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return `no AWS credentials found for ${operation}: set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an instance role is available`;
  }
  const network = e.code ?? systemCodeIn(e.message ?? '');
  if (network && /^E[A-Z_]+$/.test(network)) return `cannot reach ${at} for ${operation}: ${codeWords(network)}`;
  if (name === 'TimeoutError' || /timed? ?out/i.test(e.message ?? '')) return `${operation} at ${at} did not answer in time (${e.message ?? name})`;
  const attempts = e.$metadata?.attempts && e.$metadata.attempts > 1 ? ` after ${e.$metadata.attempts} attempts` : '';
  const said = (e.message ?? '').split('\n')[0]!;
  const hint = HINTS.get(name);
  return `${operation} failed at ${at}${attempts}: ${name}: ${hint === undefined ? said : `${said.replace(/\.$/, '')}; ${hint}`}`;
}

// AWS's words name the action a policy lacks; ours say where the whole policy is. Keys AWS does
// not take are said as such, with how to tell whose they are.
const POLICY = 'asg-watchdog iam-policy -g GROUP prints the policy the watchdog needs (docs/operations.md)';
const KEYS = "AWS does not take these credentials: 'aws sts get-caller-identity' with the same profile or keys tells whose they are";
const EXPIRED = "the credentials have expired: renew them ('aws sso login' for an SSO profile)";
/** What to do, by AWS's error code as each protocol (Query, JSON, EC2) says it. */
const HINTS: ReadonlyMap<string, string> = new Map([
  ['AccessDenied', POLICY],
  ['AccessDeniedException', POLICY],
  ['UnauthorizedOperation', POLICY],
  ['InvalidClientTokenId', KEYS],
  ['UnrecognizedClientException', KEYS],
  ['SignatureDoesNotMatch', KEYS],
  ['AuthFailure', KEYS],
  ['ExpiredToken', EXPIRED],
  ['ExpiredTokenException', EXPIRED],
]);

export function awsCodeOf(error: unknown): string {
  return (error as SdkError).name ?? 'Error';
}

export class GroupNotFound extends UsageError {
  override name = 'GroupNotFound';
}

export function awsFailure(error: unknown, operation: string, where: AwsWhere): RuntimeFailure {
  return new RuntimeFailure(describeAwsError(error, operation, where), { cause: error });
}

/** A NextToken that never ends is a broken endpoint, not a bigger fleet: past MAX_PAGES the read stops. */
export function tooManyPages(operation: string): RuntimeFailure {
  return new RuntimeFailure(`${operation} returned more than ${MAX_PAGES} pages; the endpoint keeps paging, so the tick stops here`);
}
