import { demandedInstances, elasticity, type Elasticity } from './elasticity.js';
import { reversals } from './reversals.js';
import { Fleet, type FaultEvent, type MinuteRecord } from './fleet.js';
import { HpaPolicy } from './policies/hpa.js';
import { typeUnitsOf, OraclePolicy } from './policies/oracle.js';
import type { Policy, PolicyName, SimAction } from './policies/policy.js';
import { SeedPolicy } from './policies/seed.js';
import { TargetTrackingPolicy, TEN_SECONDS } from './policies/target-tracking.js';
import { WatchdogPolicy } from './policies/watchdog.js';
import type { Scenario } from './scenario.js';

export interface ReportAction extends SimAction {
  minute: number;
}

export interface PolicyReport {
  instanceMinutes: number;
  unservedUnitMinutes: number;
  overloadMinutes: number;
  underloadMinutes: number;
  /** Minutes with the fleet's mean CPU within [low, high]. */
  inBandMinutes: number;
  /** SPEC's elasticity metrics, demand at the high mark against instances in service (elasticity.ts). */
  elasticity: Elasticity;
  actions: ReportAction[];
  /** Changes of desired that turn back on the one before within 10 minutes (reversals.ts). */
  reversals: number;
  terminations: { total: number; faulty: number; healthy: number };
  /** terminatedAtMinute: a policy's terminate removed it; removedAtMinute/By: however it left the fleet. */
  faults: Array<{ kind: FaultEvent['kind']; instance: string | null; index: number | null; atMinute: number; terminatedAtMinute: number | null; removedAtMinute: number | null; removedBy: FaultEvent['removedBy'] }>;
}

export interface PolicyRun {
  policy: PolicyName;
  report: PolicyReport;
  records: MinuteRecord[];
  /** Each instance's CPU over the run's last hour (null where it published none): the page's heat strip. */
  lastHour: { ids: string[]; loads: Array<Array<number | null>> };
}

export function makePolicy(name: PolicyName, scenario: Scenario): Policy {
  const { low, high } = scenario.config;
  const target = (low + high) / 2;
  switch (name) {
    case 'watchdog':
      return new WatchdogPolicy(scenario.config);
    case 'seed':
      return new SeedPolicy();
    case 'target-tracking':
      return new TargetTrackingPolicy(target);
    case 'target-tracking-fast':
      return new TargetTrackingPolicy(target, TEN_SECONDS);
    case 'hpa':
      return new HpaPolicy(target);
    case 'oracle':
      return new OraclePolicy(high);
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
/**
 * How far apart two reports' unserved demand (or a figure read off a curve between them) may be and
 * still count as the same: a hundredth of a unit-minute, ten times the thousandths the report keeps.
 */
export const SAME_FIGURE = 0.01;
/** 8.5 units on 10 instances is 85 %, not the 85.00000000000001 % a sum of shares makes it. */
const CPU_EPSILON = 1e-9;

/** A minute the fleet ran above the high mark: one of the report's overload minutes. */
export function overloaded(record: Pick<MinuteRecord, 'avgCpu'>, high: number): boolean {
  return record.avgCpu !== null && record.avgCpu > high + CPU_EPSILON;
}

/** Replays the scenario minute by minute under one policy. Deterministic: same file, same report. */
export function runPolicy(scenario: Scenario, name: PolicyName, policy: Policy = makePolicy(name, scenario)): PolicyRun {
  const fleet = new Fleet(scenario);
  const actions: ReportAction[] = [];
  let faulty = 0;
  let healthy = 0;
  for (let m = 0; m < scenario.durationMinutes; m++) {
    fleet.begin();
    for (const action of policy.tick(fleet)) {
      if (action.kind === 'terminate') {
        if (fleet.sickAt(action.instance!) === null) healthy++;
        else faulty++;
        fleet.terminate(action.instance!, action.decrement ?? false);
      } else {
        fleet.setDesired(action.to);
      }
      actions.push({ minute: m, ...action });
    }
    fleet.reconcile();
    fleet.serve();
  }
  const { low, high } = scenario.config;
  const records = fleet.records;
  const typeUnits = typeUnitsOf(scenario);
  const report: PolicyReport = {
    instanceMinutes: records.reduce((a, r) => a + r.inService + r.pending, 0),
    unservedUnitMinutes: round3(records.reduce((a, r) => a + r.unserved, 0)),
    overloadMinutes: records.filter((r) => overloaded(r, high)).length,
    underloadMinutes: records.filter((r) => r.avgCpu !== null && r.avgCpu < low - CPU_EPSILON).length,
    inBandMinutes: records.filter((r) => r.avgCpu !== null && r.avgCpu >= low - CPU_EPSILON && r.avgCpu <= high + CPU_EPSILON).length,
    elasticity: elasticity(
      records.map((r) => demandedInstances(r.demand, high, typeUnits)),
      records.map((r) => r.inService),
    ),
    actions,
    reversals: reversals(actions),
    terminations: { total: faulty + healthy, faulty, healthy },
    faults: fleet.faults.map((f) => ({
      kind: f.kind,
      instance: f.instance,
      index: f.index,
      atMinute: f.atMinute,
      terminatedAtMinute: f.removedBy === 'terminate' ? f.removedAtMinute : null,
      removedAtMinute: f.removedAtMinute,
      removedBy: f.removedBy,
    })),
  };
  const end = scenario.durationMinutes;
  const minutes = Array.from({ length: Math.min(60, end) }, (_, i) => end - Math.min(60, end) + i);
  const seen = fleet.instances.filter((i) => minutes.some((m) => i.cpu.has(m)));
  const lastHour = { ids: seen.map((i) => i.id), loads: seen.map((i) => minutes.map((m) => i.cpu.get(m) ?? null)) };
  return { policy: name, report, records, lastHour };
}

export interface Comparison {
  scenario: string;
  minutes: number;
  policies: Partial<Record<PolicyName, PolicyReport>>;
}

export function compare(scenario: Scenario, names: readonly PolicyName[]): { comparison: Comparison; runs: PolicyRun[] } {
  const runs = names.map((name) => runPolicy(scenario, name));
  const policies: Comparison['policies'] = {};
  for (const run of runs) policies[run.policy] = run.report;
  return { comparison: { scenario: scenario.name, minutes: scenario.durationMinutes, policies }, runs };
}
