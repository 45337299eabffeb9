// The `--json` of every command, one versioned schema each (docs/json.md). Strict: a field the
// output has and the schema lacks, or the other way round, fails test/cli/json.test.ts, which
// checks real output against these and docs/json/*.schema.json against what z.toJSONSchema makes
// of them (`npm run json-schemas` writes those files).
import { z } from 'zod';
import { BAND_STATES } from '../../engine/index.js';
import { configSchema } from '../../config/schema.js';
import { POLICY_NAMES } from '../../sim/policies/policy.js';

const percent = z.number().describe('CPU %, rounded to 0.1');
const iso = z.string().describe('ISO-8601 time, UTC');
/** Where the fleet stands against the band (engine/status.ts). */
const bandState = z.enum(BAND_STATES);
const rule = z.enum(['blind', 'runaway', 'saturated', 'dead', 'detached', 'high-band', 'n-minus-1', 'take-back']);
const lb = z.enum(['in', 'out', 'unknown', 'none']);
const why = z.enum(['not-serving', 'warming-up', 'joining', 'out-of-credits', 'no-datapoints', 'too-few-datapoints', 'stale']);
/** An instance as both watch and instances show it. */
const instanceCore = {
  id: z.string(),
  load: percent.nullable(),
  why: why.nullable(),
  lifecycle: z.string(),
  health: z.enum(['Healthy', 'Unhealthy']),
  protected: z.boolean(),
};

const heldJson = z
  .object({
    rule: z.enum(['runaway', 'runaway-beside-idle', 'pinned', 'suspect', 'dead', 'cold', 'detached', 'blind', 'not-launching']),
    instance: z.string().nullable(),
    heldMinutes: z.number().int(),
    ofMinutes: z.number(),
    then: z.enum(['terminate', 'alert']),
    inMinutes: z.number().int(),
  })
  .strict();
/** Who paused the group, when and why (watch --pause, or the config file). */
const pausedJson = z.object({ since: iso, reason: z.string().nullable(), by: z.string() }).strict();

export const watchJson = z
  .object({
    schema: z.literal('asg-watchdog/watch@1'),
    group: z.string(),
    region: z.string(),
    time: iso,
    dryRun: z.boolean(),
    paused: pausedJson.nullable().describe('watch --pause, or the config file'),
    figures: z
      .object({
        n: z.number().int().describe('instances InService and Healthy'),
        measured: z.number().int(),
        coverage: z.number().describe('measured / n, rounded to 0.001'),
        avg: percent.nullable(),
        total: z.number(),
        projection1: percent.nullable().describe('total / (n − 1): the average now with one instance fewer'),
        min: z.number().int(),
        max: z.number().int(),
        desired: z.number().int(),
        pending: z.number().int(),
      })
      .strict(),
    sizing: z
      .object({
        out: z.number().describe('the scale-out load, CPU % summed over instances'),
        in: z.number().describe('the scale-in load'),
        window: z.number(),
        recent: z.number(),
        minutes: z.number().int(),
        moving: z.enum(['shifted', 'rising', 'falling']).nullable(),
      })
      .strict()
      .nullable(),
    band: z
      .object({
        state: bandState,
        load: z.number().nullable(),
        source: z.string().nullable(),
        average: percent.nullable(),
        withOneFewer: percent.nullable(),
        mark: z.number().nullable(),
        line: z.string(),
      })
      .strict(),
    held: z.array(heldJson),
    instances: z.array(z.object({ ...instanceCore, lb: lb.nullable().describe('null: not in service, the balancer’s view does not apply') }).strict()),
    action: z
      .object({
        kind: z.enum(['set-desired', 'terminate']),
        from: z.number().int(),
        to: z.number().int(),
        instance: z.string().nullable(),
        decrement: z.boolean().nullable(),
        rule,
        reason: z.string(),
      })
      .strict()
      .nullable(),
    executed: z.boolean(),
    summary: z.string(),
    blocked: z.array(z.object({ rule, why: z.string(), detail: z.string() }).strict()),
    alerts: z.array(z.object({ key: z.string(), subject: z.string(), sent: z.boolean() }).strict()),
    outbox: z.number().int(),
    mailed: z.boolean(),
    refusal: z.object({ code: z.string(), message: z.string(), transient: z.boolean(), uncertain: z.boolean() }).strict().nullable(),
    reconciled: z.string().nullable(),
    heldBack: z.string().nullable(),
    failure: z.string().nullable(),
    mailError: z.string().nullable(),
    warnings: z.array(z.string()),
    clockOffsetSeconds: z.number().nullable().describe("AWS's clock minus the host's, in seconds, from AWS's answers; beyond maxClockOffsetSeconds nothing is removed"),
  })
  .strict();

export const instancesJson = z
  .object({
    schema: z.literal('asg-watchdog/instances@1'),
    group: z.string(),
    time: iso,
    min: z.number().int(),
    max: z.number().int(),
    desired: z.number().int(),
    launched: z.number().int().describe('instances InService or Pending: fewer than desired, AWS has not launched the rest'),
    n: z.number().int(),
    measured: z.number().int(),
    avg: percent.nullable(),
    projection1: percent.nullable(),
    instances: z.array(
      z
        .object({
          ...instanceCore,
          lb,
          zone: z.string().nullable(),
          type: z.string().nullable(),
          privateIp: z.string().nullable(),
          privateDns: z.string().nullable(),
          imageId: z.string().nullable(),
          launchTime: iso.nullable(),
          ageSeconds: z.number().int().nullable(),
        })
        .strict(),
    ),
    change: z.object({ text: z.string(), done: z.boolean().describe('false on --dry-run') }).strict().nullable(),
    warnings: z.array(z.string()).describe('what the text prints to stderr as `warning: …`, about the fleet shown'),
  })
  .strict();

const simAction = z
  .object({
    minute: z.number().int(),
    kind: z.enum(['set-desired', 'terminate']),
    from: z.number().int(),
    to: z.number().int(),
    instance: z.string().nullable(),
    decrement: z.boolean().nullable(),
    rule: z.string(),
    reason: z.string(),
  })
  .strict();

const policyReport = z
  .object({
    instanceMinutes: z.number().int(),
    unservedUnitMinutes: z.number(),
    overloadMinutes: z.number().int(),
    underloadMinutes: z.number().int(),
    inBandMinutes: z.number().int(),
    elasticity: z.object({ thetaU: z.number(), thetaO: z.number(), tauU: z.number(), tauO: z.number(), instability: z.number() }).strict(),
    actions: z.array(simAction),
    reversals: z.number().int().describe('changes of desired that turn back on the one before within 10 minutes'),
    terminations: z.object({ total: z.number().int(), faulty: z.number().int(), healthy: z.number().int() }).strict(),
    faults: z.array(
      z
        .object({
          kind: z.enum(['runaway', 'detach', 'hang', 'crash', 'metrics-gap', 'cloudwatch-outage', 'launch-failure']),
          instance: z.string().nullable(),
          index: z.number().int().nullable(),
          atMinute: z.number().int(),
          terminatedAtMinute: z.number().int().nullable(),
          removedAtMinute: z.number().int().nullable(),
          removedBy: z.enum(['terminate', 'scale-in', 'crash']).nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const simulateJson = z
  .object({
    scenario: z.string(),
    minutes: z.number().int(),
    policies: z.partialRecord(z.enum(POLICY_NAMES), policyReport),
    schema: z.literal('asg-watchdog/simulate@1'),
  })
  .strict();

export const frontierJson = z
  .object({
    scenario: z.string(),
    minutes: z.number().int(),
    curves: z.array(
      z
        .object({
          policy: z.enum(POLICY_NAMES),
          knob: z.enum(['target', 'high']).nullable(),
          points: z.array(
            z
              .object({
                knob: z.number().nullable(),
                isDefault: z.boolean(),
                instanceMinutes: z.number().int(),
                unservedUnitMinutes: z.number(),
                overloadMinutes: z.number().int(),
                actions: z.number().int(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    dominance: z.array(z.object({ rival: z.enum(POLICY_NAMES), compared: z.number().int(), atOrBelow: z.number().int(), outside: z.number().int() }).strict()),
    schema: z.literal('asg-watchdog/frontier@1'),
  })
  .strict();

const mailJson = z
  .object({
    to: z.array(z.string()),
    smtpUrl: z.string().optional().describe('the password shown as ***'),
    from: z.string().optional(),
    transport: z.enum(['smtp', 'ses']).optional(),
    sesEndpointUrl: z.string().optional(),
  })
  .strict();

export const configCheckJson = z
  .object({
    ...configSchema.shape,
    mail: mailJson,
    groups: z
      .array(
        z
          .object({
            name: z.string(),
            region: z.string().nullable().describe("null: the run's region"),
            profile: z.string().nullable().describe("null: the run's credentials"),
            settings: z.object(configSchema.shape).strict().describe("every setting in effect for the group: the file's, its own over them"),
            mail: mailJson,
            paused: z.string().nullable().describe('"paused" for this group: its reason, or "" without one; null: not paused'),
          })
          .strict(),
      )
      .describe('the file\'s "groups", each with its settings in effect; [] for a file without'),
    schema: z.literal('asg-watchdog/config@1'),
  })
  .strict();

export const watchManyJson = z
  .object({
    schema: z.literal('asg-watchdog/watch-many@1'),
    time: iso,
    code: z.number().int().describe("the run's exit code: the groups' folded, 1 before 2 before 3 before 4 (docs/cli.md)"),
    groups: z.array(
      z
        .object({
          label: z.string().describe('the group as the text names it: NAME, or REGION/NAME when two groups of the run share a name'),
          group: z.string(),
          region: z.string(),
          code: z.number().int().describe("this group's exit code, as `watch -g` would have exited"),
          error: z.string().nullable().describe('why the tick stopped before its report (the lock held, the group not found, AWS failing)'),
          report: watchJson.nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const pauseJson = z
  .object({
    schema: z.literal('asg-watchdog/pause@1'),
    group: z.string(),
    paused: pausedJson.nullable(),
    changed: z.boolean().describe('false: it already was so'),
  })
  .strict();

const actionRecord = {
  kind: z.enum(['set-desired', 'terminate']),
  from: z.number().int(),
  to: z.number().int(),
  instance: z.string().nullable(),
  rule,
  reason: z.string(),
  outcome: z.enum(['done', 'refused', 'unknown', 'held']),
};

export const statusJson = z
  .object({
    schema: z.literal('asg-watchdog/status@1'),
    group: z.string(),
    region: z.string(),
    stateFile: z.string(),
    stateSaved: z.boolean().describe("a tick has saved the group's state there"),
    stateCorrupt: z.string().nullable().describe('why the state saved there does not parse (the next tick moves it aside); null where it parses or none is there'),
    now: iso,
    since: iso,
    ticks: z.number().int().describe('real ticks recorded since `since`'),
    lastTick: z
      .object({
        time: iso,
        n: z.number().int(),
        desired: z.number().int(),
        min: z.number().int(),
        max: z.number().int(),
        low: z.number(),
        high: z.number(),
        pending: z.number().int(),
        notCarrying: z
          .object({ joining: z.number().int(), outOfCredits: z.number().int(), unmeasured: z.number().int(), outOfBalancer: z.number().int() })
          .strict()
          .optional()
          .describe("the serving instances without a measured share, as the fleet's line counts them (absent from ticks recorded before 2026-12-06)"),
        avg: percent.nullable(),
        projection1: percent.nullable(),
        band: z.object({ state: bandState, load: z.number().nullable(), average: percent.nullable(), line: z.string() }).strict(),
        action: z.object(actionRecord).strict().nullable(),
        blocked: z.array(z.object({ rule, why: z.string(), detail: z.string() }).strict()),
        held: z.array(heldJson),
        paused: z.boolean(),
      })
      .strict()
      .nullable(),
    paused: pausedJson.nullable(),
    actions: z.array(z.object({ time: iso, ...actionRecord }).strict()),
    alerts: z
      .array(z.object({ time: iso, until: iso, ticks: z.number().int().positive(), subject: z.string() }).strict())
      .describe('each alert from its first tick; one raised at consecutive ticks is one entry: until its last tick, ticks how many, subject its latest words'),
    lastRefusal: z.object({ time: iso, action: z.string(), message: z.string() }).strict().nullable(),
    awsFailures: z.object({ count: z.number().int(), since: iso, last: z.string() }).strict().nullable(),
    outbox: z.number().int(),
    launches: z
      .object({ seen: z.number().int(), minutes: z.number().int().nullable().describe('the median of the launches seen, whole minutes'), line: z.string() })
      .strict()
      .describe("how long the group's launches take, from launch time to serving: the rise lead adds the minutes beyond 3"),
  })
  .strict();

export const explainJson = z
  .object({
    schema: z.literal('asg-watchdog/explain@1'),
    group: z.string(),
    instance: z.string(),
    since: iso,
    verdict: z.string(),
    ticks: z.array(z.object({ time: iso, load: percent.nullable(), held: z.array(heldJson), action: z.string().nullable(), blocked: z.array(z.string()) }).strict()),
  })
  .strict();

/** Each command's schema, by the file docs/json/NAME.schema.json it is written to. */
export const JSON_SCHEMAS = {
  watch: watchJson,
  'watch-many': watchManyJson,
  pause: pauseJson,
  status: statusJson,
  explain: explainJson,
  instances: instancesJson,
  simulate: simulateJson,
  frontier: frontierJson,
  config: configCheckJson,
} as const;

/** The JSON Schema (2020-12) of one command's `--json`, as docs/json/NAME.schema.json holds it. */
export function jsonSchemaOf(name: keyof typeof JSON_SCHEMAS): Record<string, unknown> {
  // io 'output': defaults are what the command prints, not optional inputs.
  const schema = z.toJSONSchema(JSON_SCHEMAS[name], { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return { $id: `urn:asg-watchdog:${name}:1`, title: `asg-watchdog ${name === 'frontier' ? 'simulate --frontier' : name === 'config' ? 'config check' : name === 'pause' ? 'watch --pause / --resume' : name === 'watch-many' ? 'watch -c FILE (many groups)' : name === 'explain' ? 'status --explain' : name} --json`, ...schema };
}
