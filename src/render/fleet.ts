import Table from 'cli-table3';
import type { InstanceDetails } from '../aws/collect.js';
import { formatPercent, UNMEASURED_WORDS } from '../engine/index.js';
import type { Figures, LbState, Snapshot, UnmeasuredWhy } from '../engine/index.js';

// The fleet at a glance: the `instances` command prints it, and an alert mail carries it.

export interface FleetRow {
  id: string;
  /** Its load (CPU %, the mean of its newest datapoints), null when unmeasured; `why` then says why. */
  load: number | null;
  why: UnmeasuredWhy | null;
  lifecycle: string;
  health: string;
  lb: LbState;
  protected: boolean;
  zone: string | null;
  type: string | null;
  privateIp: string | null;
  privateDns: string | null;
  imageId: string | null;
  launchTime: string | null;
  ageSeconds: number | null;
}

export interface FleetView {
  group: string;
  time: string;
  min: number;
  max: number;
  desired: number;
  /** InService or Pending: what desired has launched (fewer: AWS has not launched the rest). */
  launched: number;
  n: number;
  measured: number;
  avg: number | null;
  projection1: number | null;
  instances: FleetRow[];
}


/** InService first, hottest on top (the runaway shows at once); then the others by state. */
function order(a: FleetRow, b: FleetRow): number {
  const serving = (r: FleetRow) => (r.lifecycle === 'InService' ? 0 : 1);
  return serving(a) - serving(b) || (b.load ?? -1) - (a.load ?? -1) || a.lifecycle.localeCompare(b.lifecycle) || a.id.localeCompare(b.id);
}

export function fleetView(snapshot: Snapshot, figures: Figures, details: ReadonlyMap<string, InstanceDetails>, now: number): FleetView {
  const rows = snapshot.instances.map((view, index): FleetRow => {
    const f = figures.instances[index]!;
    const d = details.get(view.id);
    const launched = d?.launchTime ?? null;
    return {
      id: view.id,
      load: f.load === null ? null : Math.round(f.load * 10) / 10,
      why: f.unmeasured,
      lifecycle: view.lifecycle,
      health: view.health,
      lb: view.lb,
      protected: view.protectedFromScaleIn,
      zone: d?.zone ?? null,
      type: d?.type ?? null,
      privateIp: d?.privateIp ?? null,
      privateDns: d?.privateDns ?? null,
      imageId: d?.imageId ?? null,
      launchTime: launched === null ? null : new Date(launched).toISOString(),
      ageSeconds: launched === null ? null : Math.max(0, Math.round((now - launched) / 1000)),
    };
  });
  return {
    group: snapshot.group.name,
    time: new Date(now).toISOString(),
    min: snapshot.group.min,
    max: snapshot.group.max,
    desired: snapshot.group.desired,
    launched: figures.launched,
    n: figures.n,
    measured: figures.measured,
    avg: figures.avg === null ? null : Math.round(figures.avg * 10) / 10,
    projection1: figures.projection1 === null ? null : Math.round(figures.projection1 * 10) / 10,
    instances: rows.sort(order),
  };
}

export function formatAge(seconds: number | null): string {
  if (seconds === null) return '—';
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/**
 * The serving instances that carry no measured share, as the fleet's one line counts them: those
 * joining their balancer (on their way, docs/dictionary.md), those out of CPU credits (capped),
 * the rest unmeasured; and those measured but serving out of their balancer, which carry nothing
 * (the band counts the load on the others).
 */
export interface NotCarrying {
  joining: number;
  outOfCredits: number;
  unmeasured: number;
  outOfBalancer: number;
}

/** The counts, from the serving count, the measured count, and each instance's reason for no load (null: it has one) and its balancer's view. */
export function notCarrying(n: number, measured: number, instances: ReadonlyArray<{ why: UnmeasuredWhy | null; lb: LbState | null }>): NotCarrying {
  const joining = instances.filter((i) => i.why === 'joining').length;
  const outOfCredits = instances.filter((i) => i.why === 'out-of-credits').length;
  const outOfBalancer = instances.filter((i) => i.lb === 'out' && i.why !== 'joining' && i.why !== 'not-serving').length;
  return { joining, outOfCredits, unmeasured: n - measured - joining - outOfCredits, outOfBalancer };
}

/** What the fleet's one line says; each part in parentheses only where the command knows it. */
export interface FleetLine {
  /** Left out where the group is said beside it (`status`'s own field). */
  group?: string;
  n: number;
  min: number;
  max: number;
  desired: number;
  /** Pending: launched, not in service yet. */
  launching?: number;
  /** Desired less what the group launched (InService or Pending): AWS has not launched them. */
  notLaunched?: number;
  notCarrying?: NotCarrying;
  avg: number | null;
  projection1: number | null;
}

/**
 * The fleet in one line, in the original tool's words, as the tick's log, `instances`, `status`
 * and the mail's table print it: `web: 4 in service (min 2, max 10, desired 6, 1 launching, 1
 * not launched, 1 joining, 1 out of CPU credits, 1 unmeasured, 1 out of the balancer), average
 * 90.0 %, with one fewer 120.0 %`.
 */
export function fleetLine(f: FleetLine): string {
  const c = f.notCarrying;
  const parts: Array<[number | undefined, string]> = [
    [f.launching, 'launching'],
    [f.notLaunched, 'not launched'],
    [c?.joining, 'joining'],
    [c?.outOfCredits, 'out of CPU credits'],
    [c?.unmeasured, 'unmeasured'],
    [c?.outOfBalancer, 'out of the balancer'],
  ];
  const more = parts.map(([count, words]) => (count !== undefined && count > 0 ? `, ${count} ${words}` : '')).join('');
  const group = f.group === undefined ? '' : `${f.group}: `;
  return `${group}${f.n} in service (min ${f.min}, max ${f.max}, desired ${f.desired}${more}), average ${formatPercent(f.avg)}, with one fewer ${formatPercent(f.projection1)}`;
}

export function fleetSummary(v: FleetView): string {
  return fleetLine({ ...v, notLaunched: v.desired - v.launched, notCarrying: notCarrying(v.n, v.measured, v.instances) });
}

/** The table; `all` adds private DNS, image and launch time. */
export function renderFleet(v: FleetView, options: { all?: boolean } = {}): string {
  const head = ['instance', 'CPU', 'state', 'health', 'LB', 'zone', 'type', 'private IP', 'age', ...(options.all ? ['private DNS', 'image', 'launched'] : [])];
  const table = new Table({ head, style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } });
  for (const r of v.instances) {
    const cpu = r.load !== null ? formatPercent(r.load) : r.why === 'not-serving' ? '' : `— ${UNMEASURED_WORDS[r.why!]}`;
    table.push([
      `${r.id}${r.protected ? ' (protected)' : ''}`,
      cpu,
      r.lifecycle,
      r.health,
      r.lifecycle === 'InService' ? r.lb : '—',
      r.zone ?? '—',
      r.type ?? '—',
      r.privateIp ?? '—',
      formatAge(r.ageSeconds),
      ...(options.all ? [r.privateDns ?? '—', r.imageId ?? '—', r.launchTime ?? '—'] : []),
    ]);
  }
  return `${fleetSummary(v)}\n${table.toString()}\n`;
}
