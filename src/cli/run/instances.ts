import { setDesiredCapacity, terminateInstance } from '../../aws/act.js';
import { makeClients, type Clients } from '../../aws/clients.js';
import { awsFailure, type AwsWhere } from '../../aws/errors.js';
import { entryFor, loadConfigFile, resolveConfig } from '../../config/index.js';
import { formatPercent } from '../../engine/index.js';
import { UsageError } from '../../errors.js';
import { hostInstanceId } from '../../host-instance.js';
import { inspectFleet } from '../../inspect.js';
import { notCountingInstances } from '../../aws/group-shape.js';
import { renderFleet, type FleetView } from '../../render/fleet.js';
import { stateStores } from '../state-store.js';
import { MANUAL_CHANGE_BUDGET_MS } from '../../config/defaults.js';
import { groupIdentity } from '../../state/names.js';
import { awsSettingsFrom, type AwsArgs } from '../aws-flags.js';
import type { CliIo } from '../io.js';
import { MAX_MANUAL_STEP } from '../../config/defaults.js';

export interface InstancesArgs extends AwsArgs {
  stateTable?: string | undefined;
  group: string;
  all: boolean;
  setDesired?: number | undefined;
  force: boolean;
  kill?: string | undefined;
  decrement: boolean;
  dryRun: boolean;
  config?: string | undefined;
  json: boolean;
}

/** `instances`: the fleet at a glance; with -i or -k, one guarded change first. */
export async function runInstances(args: InstancesArgs, io: CliIo): Promise<void> {
  // With a file of many groups, the settings, region and profile of the group -g names.
  const entry = args.config ? entryFor(loadConfigFile(args.config), args.group, { region: args.region, profile: args.profile }, args.config) : null;
  const config = resolveConfig(entry?.engine ?? {}, args.config ?? 'config');
  if (args.setDesired !== undefined && (!Number.isInteger(args.setDesired) || args.setDesired < 0)) throw new UsageError(`--set-desired "${args.setDesired}": expected a whole number of 0 or more`);
  if (args.decrement && args.kill === undefined) throw new UsageError('--decrement goes with -k ID');
  if (args.force && args.setDesired === undefined && args.kill === undefined) throw new UsageError('--force goes with -i N or -k ID');
  const aws = await awsSettingsFrom({ ...args, region: args.region ?? entry?.region ?? undefined, profile: args.profile ?? entry?.profile ?? undefined });
  const clients = makeClients({ ...aws, ...(entry?.role && { role: entry.role }) });
  try {
    const before = await inspectFleet(clients, args.group, config, io.now());
    for (const w of before.warnings) io.stderr(`warning: ${w}\n`);
    // A count of instances set as a desired counted in other units would be another size.
    if (before.capacityUnits !== null && (args.setDesired !== undefined || args.decrement)) {
      throw new UsageError(`${notCountingInstances(args.group, before.capacityUnits)}: -i and --decrement set counts of instances; set desired in the console or with the AWS CLI; nothing done`);
    }
    const change = await planChange(args, before.view, hostInstanceId(), config.high);
    if (change === null || args.dryRun) {
      if (args.json) io.stdout(`${JSON.stringify(instancesJson(before, change, false))}\n`);
      else io.stdout(`${change ? `dry run, would ${change.text}\n` : ''}${renderFleet(before.view, { all: args.all })}`);
      return;
    }
    // Never at the same moment as a tick on this group: a kill by hand and one by the watchdog in one minute is two kills.
    // With --state-table, the group's lease in the table: no host's tick acts beside it.
    // The group's identity as its ticks have it (a role's account in it): one lock for both.
    const identity = groupIdentity(args.group, clients);
    const stores = await stateStores({ stateTable: args.stateTable }, io, aws, MANUAL_CHANGE_BUDGET_MS);
    try {
      const release = await stores.lockFor(identity);
      try {
        await carryOut(clients, args.group, change);
      } finally {
        await release();
      }
    } finally {
      stores.close();
    }
    const after = await inspectFleet(clients, args.group, config, io.now());
    io.stdout(args.json ? `${JSON.stringify(instancesJson(after, change, true))}\n` : `${change.done}\n${renderFleet(after.view, { all: args.all })}`);
  } finally {
    clients.destroy();
  }}

/** The version of the `instances --json` object (docs/json.md). */
export const INSTANCES_SCHEMA = 'asg-watchdog/instances@1';

/** `instances --json`: the fleet, the change asked for (done, or only planned on a dry run) and the warnings about that fleet. */
function instancesJson(fleet: { view: FleetView; warnings: string[] }, change: Change | null, done: boolean) {
  return { schema: INSTANCES_SCHEMA, ...fleet.view, change: change === null ? null : { text: change.text, done }, warnings: fleet.warnings };
}

type Change = { kind: 'set-desired'; to: number; text: string; done: string } | { kind: 'kill'; id: string; decrement: boolean; text: string; done: string };

/** What planChange reads of the fleet (FleetView). */
interface PlanView {
  min: number;
  max: number;
  desired: number;
  n: number;
  measured: number;
  instances: Array<{ id: string; lifecycle: string; load: number | null }>;
}

/**
 * What a lower desired count by hand may leave of those serving: the group picks which instances
 * go, and may take serving ones before those still launching, so `to` leaves at least n − (desired
 * − to) of them, at the CPU their load makes it (Infinity for none). Null where it may remove none
 * of them, or a load is unknown.
 */
function loadOnFewer(view: PlanView, to: number): { left: number; on: number } | null {
  const left = Math.max(0, view.n - (view.desired - to));
  if (left >= view.n || view.measured < view.n) return null;
  const total = view.instances.reduce((sum, i) => sum + (i.load ?? 0), 0);
  return { left, on: left === 0 ? Number.POSITIVE_INFINITY : total / left };
}

/** Why a lower count by hand is refused: what it may leave serving, at what CPU. */
function fewerWords(view: PlanView, to: number, fewer: { left: number; on: number }, high: number): string {
  const launching = view.desired > view.n ? ' before those launching' : '';
  if (fewer.left === 0) return `-i ${to}: the group may remove ${view.n === 1 ? 'the only one' : `all ${view.n}`} in service${launching} and serve nothing until they do`;
  const may = launching === '' ? '' : ` (the group may remove serving instances${launching})`;
  return `-i ${to}: the load of the ${view.n} in service would run ${fewer.left} at ${formatPercent(fewer.on)}${may}, above the high mark ${formatPercent(high)}, and the watchdog would scale out again`;
}

/**
 * The guards: anything refused here is exit 2 with nothing done. `host`: the EC2 instance this
 * host is (host-instance.ts); `high`: the band's high mark, above which the watchdog scales out.
 */
export async function planChange(args: { group: string; setDesired?: number | undefined; force: boolean; kill?: string | undefined; decrement: boolean }, view: PlanView, host: string | null, high: number): Promise<Change | null> {
  if (args.setDesired !== undefined) {
    const to = args.setDesired;
    if (to < view.min || to > view.max) throw new UsageError(`-i ${to}: outside the group's bounds [${view.min}, ${view.max}]; nothing done`);
    if (Math.abs(to - view.desired) > MAX_MANUAL_STEP && !args.force) {
      throw new UsageError(`-i ${to}: more than ${MAX_MANUAL_STEP} away from the current desired ${view.desired}; add --force if you mean it; nothing done`);
    }
    if (to === view.desired) throw new UsageError(`-i ${to}: desired is already ${to}; nothing done`);
    if (to === 0 && !args.force) throw new UsageError(`-i 0: the group would serve nothing; add --force if you mean it; nothing done`);
    // Fewer than serve, on a load they would not carry: the watchdog's next tick would scale out again.
    const fewer = loadOnFewer(view, to);
    if (fewer !== null && fewer.on > high && !args.force) {
      throw new UsageError(`${fewerWords(view, to, fewer, high)}; add --force if you mean it; nothing done`);
    }
    return { kind: 'set-desired', to, text: `set desired ${view.desired} → ${to}`, done: `${args.group}: desired ${view.desired} → ${to}` };
  }
  if (args.kill !== undefined) {
    const target = view.instances.find((i) => i.id === args.kill);
    if (!target) throw new UsageError(`-k ${/^[\w-]+$/.test(args.kill) ? args.kill : JSON.stringify(args.kill)}: not an instance of '${args.group}'${meantInstance(args.kill, view)}; nothing done`);
    if (args.decrement && view.desired - 1 < view.min) throw new UsageError(`-k ${args.kill} --decrement: desired ${view.desired} is already the minimum ${view.min}; drop --decrement to have it replaced; nothing done`);
    // The last one in service: nothing serves until a replacement has launched and joined.
    const othersInService = view.instances.filter((i) => i.id !== args.kill && i.lifecycle === 'InService').length;
    if (target.lifecycle === 'InService' && othersInService === 0 && !args.force) {
      throw new UsageError(`-k ${args.kill}: the only instance in service; the group would serve nothing until a replacement does; add --force if you mean it; nothing done`);
    }
    // This very host: whatever runs here (the watchdog's cron among them) ends with it.
    if (args.kill === host && !args.force) throw new UsageError(`-k ${args.kill}: the host this command runs on; what runs here, the watchdog's ticks among them, would end with it; add --force if you mean it; nothing done`);
    const fate = args.decrement ? `desired ${view.desired} → ${view.desired - 1}` : 'the group replaces it';
    return { kind: 'kill', id: args.kill, decrement: args.decrement, text: `terminate ${args.kill} (${fate})`, done: `${args.group}: terminating ${args.kill} (${fate})` };
  }
  return null;
}

/**
 * The one instance of the group a mistyped ID most likely meant, as a hint and never acted on: the
 * ID with a space or a capital copied along, or its last characters (the demo's `…0001`).
 */
function meantInstance(typed: string, view: PlanView): string {
  const plain = typed.trim().toLowerCase().replace(/^…/, '');
  const ids = view.instances.map((i) => i.id);
  const exact = ids.find((id) => id === plain);
  const ending = plain.length >= 4 ? ids.filter((id) => id.endsWith(plain)) : [];
  const meant = exact ?? (ending.length === 1 ? ending[0] : undefined);
  return meant === undefined ? '' : ` (did you mean ${meant}?)`;
}

async function carryOut(clients: Clients, group: string, change: Change): Promise<void> {
  const where: AwsWhere = clients;
  try {
    if (change.kind === 'set-desired') await setDesiredCapacity(clients, group, change.to);
    else await terminateInstance(clients, change.id, change.decrement);
  } catch (error) {
    throw awsFailure(error, change.kind === 'set-desired' ? 'SetDesiredCapacity' : 'TerminateInstanceInAutoScalingGroup', where);
  }
}
