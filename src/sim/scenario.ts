import { z } from 'zod';
import { configSchema, describeZodError } from '../config/index.js';
import { readInputFile } from '../text-file.js';
import { UsageError } from '../errors.js';

// Scenario files, version 1, as in shared/spec/simulation.md.

const minute = z.number().int().min(0);
const instanceIndex = z.number().int().min(0);

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('runaway'), atMinute: minute, instance: instanceIndex }).strict(),
  z.object({ kind: z.literal('detach'), atMinute: minute, instance: instanceIndex }).strict(),
  z.object({ kind: z.literal('hang'), atMinute: minute, instance: instanceIndex }).strict(),
  z.object({ kind: z.literal('crash'), atMinute: minute, instance: instanceIndex }).strict(),
  z.object({ kind: z.literal('metrics-gap'), atMinute: minute, instance: instanceIndex, minutes: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('cloudwatch-outage'), atMinute: minute, minutes: z.number().int().positive() }).strict(),
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
      })
      .strict()
      .refine((g) => g.min <= g.max, { message: 'min must not exceed max', path: ['min'] })
      .refine((g) => g.desired >= g.min && g.desired <= g.max, { message: 'desired must be within [min, max]', path: ['desired'] }),
    demand: z
      .array(z.tuple([minute, z.number().min(0, 'demand must not be negative')]))
      .min(1)
      .refine((points) => points.every((p, i) => i === 0 || p[0] > points[i - 1]![0]), { message: 'minutes must increase' }),
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

export type Scenario = z.output<typeof scenarioSchema>;
export type Fault = Scenario['faults'][number];
export type FaultKind = Fault['kind'];

/** Validates a parsed scenario; a bad one is a one-line UsageError naming the field. */
export function parseScenario(data: unknown, where: string): Scenario {
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, where));
  return parsed.data;
}

export function loadScenario(file: string): Scenario {
  const text = readInputFile(file, 'scenario');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`scenario ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(data, file);
}

/** Demand in units at a minute: piecewise-linear between the points, flat beyond them. */
export function demandAt(scenario: Pick<Scenario, 'demand'>, m: number): number {
  const points = scenario.demand;
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
