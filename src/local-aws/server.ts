import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../sim/random.js';
import type { Scenario } from '../sim/scenario.js';
import { autoScalingOperations } from './autoscaling.js';
import { elbOperations, elbv2Operations } from './balancers.js';
import { getMetricData, getMetricStatistics } from './cloudwatch.js';
import { ec2Operations } from './ec2.js';
import { AwsError, ec2Error, ec2Reply, jsonError, jsonReply, parseQuery, queryError, queryReply, type Params, type Reply } from './protocol.js';
import { ACCOUNT, World } from './world.js';

/**
 * throttle, error (500), unavailable (503), hang (no answer), drop (connection reset), busy
 * (ScalingActivityInProgress), paging (a good answer that always has another page), partial
 * (GetMetricData answers a few datapoints, PartialData and a NextToken for the rest), denied (the
 * caller's policy does not allow the call: AccessDenied, as AWS says it for each protocol).
 */
export type FailureKind = 'throttle' | 'error' | 'unavailable' | 'hang' | 'drop' | 'busy' | 'paging' | 'partial' | 'denied';

/** What a `partial` GetMetricData answers at most per call. */
const SQUEEZED_DATAPOINTS = 8;

interface CallSpan {
  operation: string;
  start: number;
  end: number | null;
}
/** Spans kept: a run's calls, never a long-running endpoint's memory. */
const SPAN_LIMIT = 10_000;

/** A fraction of the calls to one operation (or `*`) answered with a failure. */
export interface FailureKnob {
  operation: string;
  rate: number;
  kind: FailureKind;
  /** Fail only the first this many matching calls (deterministic retry tests); unset: always. */
  times?: number;
}

export interface LocalAwsOptions {
  port?: number;
  host?: string;
  speed?: number;
  advanceTo?: number;
  region?: string;
  latencyMs?: number;
  jitterMs?: number;
  failures?: FailureKnob[];
  extraGroups?: number;
  seed?: number;
  /** The AWS account in the ARNs it answers (default 123456789012). */
  account?: string;
  /**
   * Called with each AWS call before it is carried out and after (before its answer is sent): a
   * test can change the world there, as a person would, or kill the client between call and answer.
   */
  intercept?: (operation: string, phase: 'before' | 'after') => void | Promise<void>;
}

type Service = 'autoscaling' | 'monitoring' | 'elb' | 'elbv2' | 'ec2';
const SERVICES: readonly Service[] = ['autoscaling', 'monitoring', 'elb', 'elbv2', 'ec2'];

/** What a failure knob may name: an operation served, a service, or `*` (every call). */
export function knobTargets(): { operations: string[]; services: readonly string[] } {
  const operations = [...Object.keys(autoScalingOperations), ...Object.keys(elbOperations), ...Object.keys(elbv2Operations), ...Object.keys(ec2Operations), 'GetMetricData', 'GetMetricStatistics'];
  return { operations: [...new Set(operations)].sort(), services: SERVICES };
}

const NAMESPACES: Record<Exclude<Service, 'ec2'>, string> = {
  autoscaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  monitoring: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  elb: 'http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/',
  elbv2: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
};

const VERSIONS: Record<string, Service> = {
  '2011-01-01': 'autoscaling',
  '2010-08-01': 'monitoring',
  '2012-06-01': 'elb',
  '2015-12-01': 'elbv2',
  '2016-11-15': 'ec2',
};

/** The IAM prefix of each service's actions. */
const IAM_PREFIX: Record<Service, string> = { autoscaling: 'autoscaling', monitoring: 'cloudwatch', elb: 'elasticloadbalancing', elbv2: 'elasticloadbalancing', ec2: 'ec2' };

/** AccessDenied as each protocol says it: a policy that does not allow the call. */
function denied(service: Service | null, operation: string, style: 'json' | 'query' | 'ec2'): AwsError {
  const action = `${IAM_PREFIX[service ?? 'autoscaling']}:${operation}`;
  const why = `User: arn:aws:iam::${ACCOUNT}:user/watchdog is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
  if (style === 'ec2') return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${why}`, 403);
  return new AwsError(style === 'json' ? 'AccessDeniedException' : 'AccessDenied', why, 403);
}

/** The service a Query request is for: from the signature's credential scope, else its Version. */
function serviceOf(req: IncomingMessage, version: string | undefined): Service | null {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
  if (scope === 'autoscaling' || scope === 'monitoring' || scope === 'ec2') return scope;
  if (scope === 'elasticloadbalancing') return version === '2015-12-01' ? 'elbv2' : 'elb';
  return version ? (VERSIONS[version] ?? null) : null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const iso = (ms: number) => new Date(ms);

/** The same answer with a NextToken back to the first page: an endpoint that pages forever. */
function withNextPage(reply: Reply, style: 'json' | 'query' | 'ec2'): Reply {
  const token = Buffer.from('0').toString('base64url');
  if (style === 'json') return { ...reply, body: JSON.stringify({ ...(JSON.parse(reply.body) as object), NextToken: token }) };
  const body = style === 'ec2' ? reply.body.replace(/(<\/\w+Response>\s*)$/, `<nextToken>${token}</nextToken>$1`) : reply.body.replace(/(<\/\w+Result>)/, `<NextToken>${token}</NextToken>$1`);
  return { ...reply, body };
}

/**
 * The AWS-compatible endpoint over a simulated fleet (docs/cli.md, "local-aws"): Auto Scaling,
 * CloudWatch (JSON 1.0 and Query), ELB, ELBv2 and EC2, the operations the watchdog calls, on one
 * listener, with latency and failure knobs and a call counter.
 */
export class LocalAws {
  readonly world: World;
  private readonly stats = new Map<string, number>();
  private readonly keys = new Set<string>();
  /** When each call arrived and was answered (the newest SPAN_LIMIT), for the depth of a run's round trips. */
  private readonly spans: CallSpan[] = [];
  private readonly failed = new Map<FailureKnob, number>();
  private readonly random: () => number;
  private server: Server | null = null;
  private requestCount = 0;
  /** Set while a `partial` GetMetricData runs. */
  private squeeze = false;

  constructor(
    scenario: Scenario,
    private readonly options: LocalAwsOptions = {},
  ) {
    this.world = new World(scenario, {
      ...(options.region !== undefined && { region: options.region }),
      ...(options.speed !== undefined && { speed: options.speed }),
      ...(options.advanceTo !== undefined && { advanceTo: options.advanceTo }),
      ...(options.extraGroups !== undefined && { extraGroups: options.extraGroups }),
      ...(options.account !== undefined && { account: options.account }),
    });
    this.random = seededRandom(options.seed ?? scenario.seed);
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 4566, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The access key ids the calls since the last reset were signed with (a role's temporary ones, say). */
  callerKeys(): string[] {
    return [...this.keys].sort();
  }

  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.stats].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCallCounts(): void {
    this.stats.clear();
    this.keys.clear();
    this.spans.length = 0;
  }

  /**
   * How many round trips deep the calls since the last reset went: the longest chain of calls each
   * made after the one before was answered. Calls in flight together count once, so a run reading
   * 50 groups in parallel is as deep as one reading one.
   */
  roundTripDepth(): number {
    const spans = [...this.spans].filter((s) => s.end !== null).sort((a, b) => a.end! - b.end!);
    const depth: number[] = [];
    spans.forEach((s, i) => {
      let before = 0;
      for (let j = 0; j < i; j++) if (spans[j]!.end! <= s.start) before = Math.max(before, depth[j]!);
      depth.push(before + 1);
    });
    return Math.max(0, ...depth);
  }

  private count(operation: string): void {
    this.stats.set(operation, (this.stats.get(operation) ?? 0) + 1);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://local');
      if (url.pathname.startsWith('/__local/')) return this.send(res, this.control(req.method ?? 'GET', url, body));
      this.world.sync();
      const key = /Credential=([^/]+)\//.exec(String(req.headers['authorization'] ?? ''))?.[1];
      if (key !== undefined) this.keys.add(key);
      const target = req.headers['x-amz-target'];
      const requestId = `${(++this.requestCount).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
      if (typeof target === 'string') return await this.answer(res, target.split('.').pop() ?? '', 'monitoring', 'json', () => this.json(target, body), requestId);
      const params = parseQuery(body);
      const action = String(params['Action'] ?? '');
      const service = serviceOf(req, params['Version'] as string | undefined);
      const style = service === 'ec2' ? 'ec2' : 'query';
      return await this.answer(res, action, service, style, () => this.query(service, action, params, requestId), requestId);
    } catch (error) {
      this.send(res, { status: 500, headers: { 'content-type': 'text/plain' }, body: String(error) });
    }
  }

  /** Counts the call, applies the latency and failure knobs, then answers. */
  private async answer(res: ServerResponse, operation: string, service: Service | null, style: 'json' | 'query' | 'ec2', run: () => Reply, requestId: string): Promise<void> {
    this.count(operation || '(none)');
    const span: CallSpan = { operation, start: performance.now(), end: null };
    if (this.spans.push(span) > SPAN_LIMIT) this.spans.shift();
    res.once('finish', () => (span.end = performance.now()));
    const { latencyMs = 0, jitterMs = 0 } = this.options;
    const delay = latencyMs + jitterMs * this.random();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const knob = (this.options.failures ?? []).find(
      (f) => (f.operation === operation || f.operation === service || f.operation === '*') && (f.times === undefined || (this.failed.get(f) ?? 0) < f.times),
    );
    const fails = knob !== undefined && this.random() < knob.rate;
    if (fails) this.failed.set(knob, (this.failed.get(knob) ?? 0) + 1);
    if (fails && knob!.kind === 'paging') return this.send(res, withNextPage(run(), style));
    const squeeze = fails && knob!.kind === 'partial';
    await this.options.intercept?.(operation, 'before');
    if (fails && !squeeze) {
      if (knob!.kind === 'drop') return void res.socket?.destroy();
      if (knob!.kind === 'hang') return; // no answer; the client's timeout ends it, close() drops it
      const error =
        knob!.kind === 'busy'
          ? new AwsError('ScalingActivityInProgress', 'Scaling activity is in progress and blocks this action.', 400)
          : knob!.kind === 'throttle'
          ? style === 'ec2' ? new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503) : new AwsError('Throttling', 'Rate exceeded', 400)
          : knob!.kind === 'unavailable'
            ? new AwsError(style === 'ec2' ? 'Unavailable' : 'ServiceUnavailable', 'The service is unavailable. Please try again shortly.', 503)
            : knob!.kind === 'denied'
            ? denied(service, operation, style)
            : new AwsError(style === 'ec2' ? 'InternalError' : 'InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      return this.send(res, style === 'json' ? jsonError(error) : style === 'ec2' ? ec2Error(error, requestId) : queryError(error, requestId));
    }
    let reply: Reply;
    try {
      this.squeeze = squeeze; // run() is synchronous: no other call sees it
      reply = run();
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      reply = style === 'json' ? jsonError(error) : style === 'ec2' ? ec2Error(error, requestId) : queryError(error, requestId);
    } finally {
      this.squeeze = false;
    }
    await this.options.intercept?.(operation, 'after');
    this.send(res, reply);
  }

  private json(target: string, body: string): Reply {
    const [prefix, operation] = target.split('.');
    if (prefix !== 'GraniteServiceVersion20100801') throw new AwsError('UnknownOperationException', `Unknown target ${target}`);
    let input: Params;
    try {
      input = body ? (JSON.parse(body) as Params) : {};
    } catch {
      throw new AwsError('SerializationException', 'Malformed JSON body');
    }
    if (operation === 'GetMetricData') {
      const { results, nextToken } = getMetricData(this.world, input, this.squeeze ? SQUEEZED_DATAPOINTS : undefined);
      return jsonReply({ MetricDataResults: results.map((r) => ({ ...r, Timestamps: r.Timestamps.map((t) => t / 1000) })), Messages: [], ...(nextToken && { NextToken: nextToken }) });
    }
    if (operation === 'GetMetricStatistics') {
      const { label, datapoints } = getMetricStatistics(this.world, input);
      return jsonReply({ Label: label, Datapoints: datapoints.map((d) => ({ Timestamp: d.at / 1000, Average: d.average, Unit: 'Percent' })) });
    }
    throw new AwsError('UnknownOperationException', `The action ${operation} is not valid for this web service.`);
  }

  private query(service: Service | null, action: string, params: Params, requestId: string): Reply {
    const invalid = () => new AwsError('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`);
    switch (service) {
      case 'autoscaling': {
        const op = autoScalingOperations[action];
        if (!op) throw invalid();
        return queryReply(action, NAMESPACES.autoscaling, op(this.world, params, requestId), requestId);
      }
      case 'elb':
      case 'elbv2': {
        const op = (service === 'elb' ? elbOperations : elbv2Operations)[action];
        if (!op) throw invalid();
        return queryReply(action, NAMESPACES[service], op(this.world, params), requestId);
      }
      case 'ec2': {
        const op = ec2Operations[action];
        if (!op) throw invalid();
        return ec2Reply(action, op(this.world, params), requestId);
      }
      case 'monitoring': {
        if (action === 'GetMetricData') {
          const { results, nextToken } = getMetricData(this.world, params, this.squeeze ? SQUEEZED_DATAPOINTS : undefined);
          const out = results.map((r) => ({ Id: r.Id, Label: r.Label, Timestamps: r.Timestamps.map(iso), Values: r.Values, StatusCode: r.StatusCode }));
          return queryReply(action, NAMESPACES.monitoring, { MetricDataResults: out, Messages: [], NextToken: nextToken }, requestId);
        }
        if (action === 'GetMetricStatistics') {
          const { label, datapoints } = getMetricStatistics(this.world, params);
          return queryReply(action, NAMESPACES.monitoring, { Label: label, Datapoints: datapoints.map((d) => ({ Timestamp: iso(d.at), Average: d.average, Unit: 'Percent' })) }, requestId);
        }
        throw invalid();
      }
      default:
        throw invalid();
    }
  }

  /** /__local/stats, /__local/reset-stats, /__local/clock, /__local/advance?minutes=N. */
  private control(method: string, url: URL, body: string): Reply {
    const ok = (value: unknown): Reply => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });
    switch (`${method} ${url.pathname}`) {
      case 'GET /__local/stats':
        return ok(this.callCounts());
      case 'POST /__local/reset-stats':
        this.resetCallCounts();
        return ok({});
      case 'GET /__local/clock':
        this.world.sync();
        return ok(this.clock());
      case 'POST /__local/advance': {
        const minutes = Number(url.searchParams.get('minutes') ?? (body ? (JSON.parse(body) as { minutes?: number }).minutes : 1));
        if (!Number.isInteger(minutes) || minutes < 0) return { status: 400, headers: {}, body: 'minutes must be a whole number ≥ 0' };
        this.world.advance(minutes);
        return ok(this.clock());
      }
      default:
        return { status: 404, headers: {}, body: 'unknown local endpoint' };
    }
  }

  clock(): { now: string; nowMs: number; minute: number; speed: number } {
    const now = this.world.virtualNow();
    return { now: new Date(now).toISOString(), nowMs: now, minute: this.world.minuteAt(now), speed: this.world.speed };
  }

  private send(res: ServerResponse, reply: Reply): void {
    res.writeHead(reply.status, { ...reply.headers, 'x-amzn-requestid': 'local', 'content-length': Buffer.byteLength(reply.body), date: new Date(this.world.virtualNow()).toUTCString() });
    res.end(reply.body);
  }
}
