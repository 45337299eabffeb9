import { formatPercent, heldLine } from '../../engine/index.js';
import { fleetLine } from '../../render/fleet.js';
import { toTheSecond } from '../../render/time.js';
import { alertLine, stateLine, type ExplainView, type StatusView } from '../../status.js';

const ago = (from: string, now: string) => {
  const minutes = Math.round((Date.parse(now) - Date.parse(from)) / 60_000);
  return minutes < 1 ? 'just now' : minutes < 120 ? `${minutes} min ago` : `${Math.round(minutes / 60)} h ago`;
};

/** `status` as `kubectl describe` reads: the last tick, what is held and blocked, the events. */
export function renderStatus(v: StatusView): string {
  const out: string[] = [];
  const field = (name: string, value: string) => out.push(`${`${name}:`.padEnd(13)}${value}`);
  field('Group', `${v.group} (${v.region})`);
  // Run as another user than cron's, or with another state directory, status finds nothing: say where it looked.
  field('State', stateLine(v));
  const t = v.lastTick;
  if (t === null) {
    field('Last tick', `none recorded since ${toTheSecond(v.since)} (every real tick records one; dry runs none)`);
  } else {
    field('Last tick', `${toTheSecond(t.time)} (${ago(t.time, v.now)})`);
    field('Fleet', fleetLine({ ...t, launching: t.pending }));
    field('Band', t.band.line);
  }
  field('Launches', v.launches.line);
  field('Paused', v.paused ? `since ${toTheSecond(v.paused.since)} by ${v.paused.by}${v.paused.reason ? ` (${v.paused.reason})` : ''}; resume: asg-watchdog watch -g ${v.group} --resume` : 'no');
  if (v.awsFailures) field('AWS', `failing ${v.awsFailures.count} ticks in a row since ${toTheSecond(v.awsFailures.since)}: ${v.awsFailures.last}`);
  if (v.lastRefusal) field('Refused', `${toTheSecond(v.lastRefusal.time)}: ${v.lastRefusal.action}: ${v.lastRefusal.message}`);
  if (v.outbox > 0) field('Outbox', `${v.outbox} alert${v.outbox === 1 ? '' : 's'} waiting to be mailed`);
  if (t !== null) {
    out.push('Conditions:');
    out.push(...(t.held.length === 0 ? ['  none held'] : t.held.map((h) => `  ${heldLine(h)}`)));
    out.push('Blocked:');
    out.push(...(t.blocked.length === 0 ? ['  nothing'] : t.blocked.map((b) => `  ${b.rule} (${b.why}): ${b.detail}`)));
  }
  out.push(`Events since ${toTheSecond(v.since)} (${v.ticks} tick${v.ticks === 1 ? '' : 's'}):`);
  if (v.actions.length === 0) out.push('  no action');
  for (const a of v.actions) {
    const what = a.kind === 'terminate' ? `terminate ${a.instance}${a.from !== a.to ? `, desired ${a.from} → ${a.to}` : ''}` : `set desired ${a.from} → ${a.to}`;
    out.push(`  ${toTheSecond(a.time)}  ${a.rule.padEnd(10)} ${what} (${a.outcome}): ${a.reason}`);
  }
  if (v.alerts.length > 0) {
    out.push('Alerts:');
    for (const a of v.alerts) out.push(`  ${alertLine(a)}`);
  }
  return `${out.join('\n')}\n`;
}

/** `status --explain ID`: the verdict, then each tick that led to it. */
export function renderExplain(v: ExplainView): string {
  const out = [`${v.instance} in ${v.group}: ${v.verdict}`];
  if (v.ticks.length > 0) out.push(`Ticks since ${toTheSecond(v.since)}:`);
  for (const t of v.ticks) {
    const parts = [`load ${formatPercent(t.load)}`, ...t.held.map((h) => heldLine(h).replace(`${v.instance} `, '')), ...(t.action ? [t.action] : []), ...t.blocked];
    out.push(`  ${toTheSecond(t.time)}  ${parts.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
