import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { configSchema, describeZodError } from '../config/index.js';
import { jsonSyntaxWords, readInputFile } from '../text-file.js';
import { UsageError } from '../errors.js';
import { readTrace, traceDemand } from './trace.js';
import { vcpusOf } from '../engine/index.js';

// Scenario files, version 1, as docs/simulation.md describes them.

const minute = z.number().int().min(0);
const instanceIndex = z.number().int().min(0);

const faultSchema = z.discriminatedUnion('kind', [
  // rampMinutes: the process grows (a leak, a job that widens) and reaches its full hold only after this many minutes.
  z.object({ kind: z.literal('runaway'), atMinute: minute, instance: instanceIndex, rampMinutes: z.number().int().positive().max(24 * 60).optional() }).strict(),
  z.object({ kind: z.literal('detach'), atMinute: minute, instance: instanceIndex }).strict(),
  // healthChecks "pass": the application hangs behind a web server that still answers the balancer's checks, which never mark it out.
  // answers "errors": that web server answers each request at once with an error page (it fails fast), where "nothing" lets it wait.
  z.object({ kind: z.literal('hang'), atMinute: minute, instance: instanceIndex, healthChecks: z.enum(['fail', 'pass']).optional(), answers: z.enum(['nothing', 'errors']).optional() }).strict(),
  z.object({ kind: z.literal('crash'), atMinute: minute, instance: instanceIndex }).strict(),
  z.object({ kind: z.literal('metrics-gap'), atMinute: minute, instance: instanceIndex, minutes: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('cloudwatch-outage'), atMinute: minute, minutes: z.number().int().positive() }).strict(),
  // The group launches nothing for these minutes (a launch template gone, no capacity of the type, a quota): desired stays above what it has.
  z.object({ kind: z.literal('launch-failure'), atMinute: minute, minutes: z.number().int().positive() }).strict(),
]);

export const scenarioSchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1),
    description: z.string().default(''),
    durationMinutes: z.number().int().positive().max(60 * 24 * 31),
    seed: z.number().int(),
    group: z
      .object({
        name: z.string().min(1),
        min: z.number().int().min(0),
        max: z.number().int().positive().max(100_000),
        desired: z.number().int().min(0),
        launchMinutes: z.number().int().min(0).max(60),
        loadBalancer: z.enum(['classic', 'target-group', 'none']),
        initialChecksMinutes: z.number().int().min(0).max(60).default(0),
        // The Availability Zones the group spreads over (absent: zones play no part), and whether
        // its balancer balances across them; without, each zone gets an even share of the traffic.
        zones: z.number().int().min(1).max(6).optional(),
        crossZone: z.boolean().default(true),
        // How the balancer picks an instance for each request: in turn (an ALB's default), or the one
        // with the fewest requests outstanding (a Classic Load Balancer's HTTP listeners, an ALB's
        // option), which sends a hang that answers errors more than its share (src/sim/balancer.ts).
        balancing: z.enum(['round-robin', 'least-outstanding-requests']).default('round-robin'),
        // Scaling policies of the group's own, for local-aws to list (DescribePolicies): the
        // watchdog's band rules stand aside for them. The simulator runs one policy at a time.
        // Instance types launched in turn (a mixed instances policy), each of a size whose vCPUs
        // are known: its capacity is its vCPUs / 2 units (a c5.large, 1). The balancer sends each
        // instance as many requests (round robin, an ALB's default), so the smaller run hotter.
        types: z
          .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an instance type, as c5.large').refine((t) => vcpusOf(t) !== null, { message: 'a size of known vCPUs: medium, large, xlarge or Nxlarge' }))
          .min(1)
          .max(6)
          .refine((types) => new Set(types).size === types.length, { message: 'each type once: they are launched in turn' })
          .optional(),
        scalingPolicies: z
          .array(z.object({ name: z.string().min(1), type: z.enum(['TargetTrackingScaling', 'StepScaling', 'SimpleScaling']) }).strict())
          .optional(),
        // How its instances publish CPU: a datapoint a minute (detailed monitoring, absent), or
        // one every 5 minutes, the mean of them (basic, a launch template's default).
        monitoring: z.enum(['detailed', 'basic']).optional(),
        // Whether the watchdog can read its instances' NetworkOut (EC2 publishes it beside the CPU);
        // false: it cannot (a read that fails, an endpoint without it), and its outlier rules judge by CPU alone.
        networkOut: z.boolean().default(true),
      })
      .strict()
      .refine((g) => g.loadBalancer !== 'none' || g.initialChecksMinutes === 0, { message: 'a group without a load balancer has no health checks to wait for', path: ['initialChecksMinutes'] })
      .refine((g) => g.loadBalancer !== 'none' || g.balancing === 'round-robin', { message: 'a group without a load balancer has no balancing to choose', path: ['balancing'] })
      .refine((g) => g.types === undefined || g.balancing === 'round-robin', { message: 'least outstanding requests among instances of mixed types is not modelled: choose round-robin', path: ['balancing'] })
      .refine((g) => g.min <= g.max, { message: 'min must not exceed max', path: ['min'] })
      .refine((g) => g.desired >= g.min && g.desired <= g.max, { message: 'desired must be within [min, max]', path: ['desired'] }),
    demand: z.union([
      z
        .array(z.tuple([minute, z.number().min(0, 'demand must not be negative')]))
        .min(1)
        .refine((points) => points.every((p, i) => i === 0 || p[0] > points[i - 1]![0]), { message: 'minutes must increase' }),
      z
        .object({
          trace: z.string().min(1),
          requestsPerUnit: z.number().positive(),
          from: z.string().min(1).optional(),
          minutes: z.number().int().positive().optional(),
        })
        .strict(),
    ]),
    noise: z.number().min(0).lt(1).default(0),
    faults: z.array(faultSchema).default([]),
    config: configSchema.prefault({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    s.faults.forEach((f, i) => {
      if ('instance' in f && f.instance >= s.group.max) {
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'instance'], message: `index ${f.instance} is out of range: the group never has more than ${s.group.max} instances` });
      }
      if (f.atMinute >= s.durationMinutes) {
        ctx.addIssue({ code: 'custom', path: ['faults', i, 'atMinute'], message: `minute ${f.atMinute} is past the end (${s.durationMinutes} minutes)` });
      }
    });
  });

export type ScenarioFile = z.output<typeof scenarioSchema>;
export type DemandPoints = Extract<ScenarioFile['demand'], unknown[]>;
/** A scenario as the simulator runs it: the file, and its demand in units for each of its minutes. */
export type Scenario = ScenarioFile & { readonly perMinute: Float64Array };
export type Fault = Scenario['faults'][number];
export type FaultKind = Fault['kind'];

/**
 * Validates a parsed scenario; a bad one is a one-line UsageError naming the field. A trace named
 * by `demand.trace` is read relative to `dir`, the scenario file's directory.
 */
export function parseScenario(data: unknown, where: string, dir?: string): Scenario {
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, where, scenarioSchema));
  const file = parsed.data;
  const demand = file.demand;
  if (!Array.isArray(demand)) {
    if (dir === undefined) throw new UsageError(`${where}: demand.trace is read relative to the scenario's file, and this scenario has none`);
    const path = resolve(dir, demand.trace);
    const trace = readTrace(readInputFile(path, 'trace'), path);
    return { ...file, perMinute: traceDemand(trace, { ...demand, minutes: demand.minutes ?? file.durationMinutes }, file.durationMinutes, `${where}: demand`) };
  }
  const perMinute = new Float64Array(file.durationMinutes);
  for (let m = 0; m < perMinute.length; m++) perMinute[m] = pointsDemandAt(demand, m);
  return { ...file, perMinute };
}

export function loadScenario(file: string): Scenario {
  const text = readInputFile(file, 'scenario');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`scenario ${file} is not valid JSON${jsonSyntaxWords(error, text)}`);
  }
  return parseScenario(data, file, dirname(file));
}

/** Minutes from an instance's launch to its first request: Pending, then the balancer's first health checks. */
export const serveMinutes = (group: Pick<ScenarioFile['group'], 'launchMinutes' | 'initialChecksMinutes'>): number => group.launchMinutes + group.initialChecksMinutes;

/** Demand in units at a minute of the scenario, O(1); before minute 0 as at 0, after the end as at its last minute. */
export function demandAt(scenario: Pick<Scenario, 'perMinute'>, m: number): number {
  const series = scenario.perMinute;
  return series[Math.min(series.length - 1, Math.max(0, Math.floor(m)))]!;
}

/** Demand in units at a minute from `[minute, units]` points: piecewise-linear between them, flat beyond. */
export function pointsDemandAt(points: DemandPoints, m: number): number {
  const first = points[0]!;
  if (m <= first[0]) return first[1];
  for (let i = 1; i < points.length; i++) {
    const [m1, d1] = points[i]!;
    if (m <= m1) {
      const [m0, d0] = points[i - 1]!;
      return d0 + ((d1 - d0) * (m - m0)) / (m1 - m0);
    }
  }
  return points.at(-1)![1];
}
