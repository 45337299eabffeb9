import { AwsError, list, validation, type Params } from './protocol.js';
import type { World } from './world.js';

// CloudWatch GetMetricData and GetMetricStatistics for AWS/EC2 CPUUtilization and NetworkOut by
// InstanceId, the metrics the watchdog reads of its instances. Answers are the same whichever
// protocol asked; the caller renders timestamps as epoch seconds (JSON) or ISO dates (Query).

const MINUTE = 60_000;
const ID = /^[a-z][a-zA-Z0-9_]*$/;
export const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;

export interface MetricResult {
  Id: string;
  Label: string;
  Timestamps: number[];
  Values: number[];
  StatusCode: 'Complete' | 'PartialData';
}

/** Epoch ms from what either protocol sends: epoch seconds (JSON) or an ISO date (Query). */
function timeParam(value: unknown, name: string): number {
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(String(value));
  if (!Number.isFinite(ms)) throw validation(`The parameter ${name} must be a valid timestamp.`);
  return ms;
}

/** The instance metrics served, and each one's series in the simulated fleet. */
const SERIES = { CPUUtilization: 'cpu', NetworkOut: 'network' } as const;
type Served = keyof typeof SERIES;

/** One metric of one instance per period in [start, end), newest first, as visible now: the mean of its minutes' (CPU percent; NetworkOut, bytes a minute), whatever the statistic asked. */
function series(world: World, { instanceId, metric }: { instanceId: string; metric: Served }, start: number, end: number, periodMs: number): Array<[number, number]> {
  const found = world.findAny(instanceId);
  if (!found) return [];
  const { fleet, instance } = found;
  if (!fleet.metricsReadable()) throw new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
  const firstMinute = Math.ceil((start - world.timeOf(0)) / MINUTE);
  const endMinute = Math.ceil((end - world.timeOf(0)) / MINUTE);
  const byPeriod = new Map<number, number[]>();
  for (const { minute, value } of fleet.datapoints(instance[SERIES[metric]], firstMinute, endMinute, undefined, Math.round(world.timeOf(0) / MINUTE))) {
    // Periods sit on clock boundaries (whole minutes, whole 5 minutes), not on StartTime.
    const slot = Math.floor(world.timeOf(minute) / periodMs) * periodMs;
    if (slot < start || slot >= end) continue;
    const values = byPeriod.get(slot) ?? [];
    values.push(value);
    byPeriod.set(slot, values);
  }
  return [...byPeriod]
    .map(([at, v]): [number, number] => [at, Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 1000) / 1000])
    .sort((a, b) => b[0] - a[0]);
}

/** Terminated instances keep their metrics, as CloudWatch does. */
function instanceMetric(metric: Params | undefined, where: string): { instanceId: string; metric: Served } | null {
  if (!metric) throw validation(`The value for parameter ${where}.Metric is required.`);
  const name = String(metric['MetricName']);
  if (metric['Namespace'] !== 'AWS/EC2' || !Object.hasOwn(SERIES, name)) return null;
  const dim = list(metric, 'Dimensions').find((d) => (d as Params)['Name'] === 'InstanceId') as Params | undefined;
  return dim ? { instanceId: String(dim['Value']), metric: name as Served } : null;
}

/** `squeezeTo`: answer as if MaxDatapoints were this small (the `partial` failure knob): PartialData and a NextToken. */
export function getMetricData(world: World, params: Params, squeezeTo?: number): { results: MetricResult[]; nextToken?: string } {
  const queries = list(params, 'MetricDataQueries') as Params[];
  if (queries.length === 0) throw validation('The parameter MetricDataQueries is required.');
  if (queries.length > MAX_QUERIES) throw validation(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const start = timeParam(params['StartTime'], 'StartTime');
  const end = timeParam(params['EndTime'], 'EndTime');
  if (start >= end) throw validation('The parameter StartTime must be less than the parameter EndTime.');
  const seen = new Set<string>();
  queries.forEach((q, i) => {
    const id = String(q['Id'] ?? '');
    if (!ID.test(id)) throw validation(`The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is not valid. It must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (seen.has(id)) throw validation(`The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is duplicated.`);
    seen.add(id);
    if (q['Expression'] !== undefined) throw validation('Metric math expressions are not supported by this endpoint.');
    const stat = q['MetricStat'] as Params | undefined;
    if (!stat) throw validation(`The parameter MetricDataQueries.member.${i + 1}.MetricStat is required.`);
    const period = Number(stat['Period']);
    if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw validation(`The parameter MetricDataQueries.member.${i + 1}.MetricStat.Period must be a multiple of 60.`);
  });
  const maxDatapoints = squeezeTo ?? (params['MaxDatapoints'] === undefined ? DEFAULT_MAX_DATAPOINTS : Number(params['MaxDatapoints']));
  const from = params['NextToken'] === undefined ? 0 : Number(Buffer.from(String(params['NextToken']), 'base64url').toString());
  if (!Number.isInteger(from) || from < 0 || from >= queries.length) throw new AwsError('InvalidNextToken', 'The service returned an invalid NextToken.');
  const descending = params['ScanBy'] !== 'TimestampAscending';
  const results: MetricResult[] = [];
  let budget = maxDatapoints;
  for (let i = from; i < queries.length; i++) {
    const q = queries[i]!;
    const stat = q['MetricStat'] as Params;
    const wanted = instanceMetric(stat['Metric'] as Params | undefined, `MetricDataQueries.member.${i + 1}.MetricStat`);
    let points = wanted === null ? [] : series(world, wanted, start, end, Number(stat['Period']) * 1000);
    if (!descending) points = points.reverse();
    // Past MaxDatapoints the rest waits for the next call: PartialData and a NextToken.
    if (points.length > budget && results.length > 0) {
      return { results, nextToken: Buffer.from(String(i)).toString('base64url') };
    }
    budget -= points.length;
    results.push({ Id: String(q['Id']), Label: String(q['Label'] ?? 'CPUUtilization'), Timestamps: points.map((p) => p[0]), Values: points.map((p) => p[1]), StatusCode: 'Complete' });
    if (budget <= 0 && i + 1 < queries.length) {
      results.at(-1)!.StatusCode = 'PartialData';
      return { results, nextToken: Buffer.from(String(i + 1)).toString('base64url') };
    }
  }
  return { results };
}

export function getMetricStatistics(world: World, params: Params): { label: string; datapoints: Array<{ at: number; average: number }> } {
  for (const name of ['Namespace', 'MetricName', 'StartTime', 'EndTime', 'Period']) {
    if (params[name] === undefined) throw validation(`The parameter ${name} is required.`);
  }
  const statistics = list(params, 'Statistics').map(String);
  if (statistics.length === 0 && params['ExtendedStatistics'] === undefined) throw validation('Either the parameter Statistics or ExtendedStatistics is required.');
  const start = timeParam(params['StartTime'], 'StartTime');
  const end = timeParam(params['EndTime'], 'EndTime');
  const period = Number(params['Period']);
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw validation('The parameter Period must be a multiple of 60.');
  const wanted = instanceMetric(params, 'GetMetricStatistics');
  const points = wanted === null ? [] : series(world, wanted, start, end, period * 1000);
  return { label: String(params['MetricName']), datapoints: points.map(([at, average]) => ({ at, average })) };
}
