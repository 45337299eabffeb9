import { heldLine } from '../../engine/index.js';
import { fleetLine, notCarrying } from '../../render/fleet.js';
import { toTheSecond } from '../../render/time.js';
import type { TickReport } from '../../tick.js';

/**
 * One tick as a person reads it in a log: every line starts with the tick's time. First the fleet
 * in the original tool's words, then what was done or why nothing was, in one line, then the
 * conditions being held and when they act, the alerts and what went wrong.
 */
export function renderTick(r: TickReport, label?: string): string {
  const f = r.figures;
  const lines = [fleetLine({ ...f, group: r.group, launching: f.pending, notCarrying: notCarrying(f.n, f.measured, r.instances) })];
  if (r.paused) {
    const why = r.paused.reason ? ` (${r.paused.reason})` : '';
    lines.push(`PAUSED since ${toTheSecond(r.paused.since)} by ${r.paused.by}${why}: nothing acts and nothing is mailed until: asg-watchdog watch -g ${r.group} --resume`);
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (r.reconciled) lines.push(`reconciled: ${r.reconciled}`);
  if (r.action) {
    const what = r.action.kind === 'set-desired' ? `set desired ${r.action.from} → ${r.action.to}` : `terminate ${r.action.instance}${r.action.decrement ? ` and decrement desired ${r.action.from} → ${r.action.to}` : ' (the group replaces it)'}`;
    const verb = r.dryRun ? 'dry run, would' : r.executed ? 'done:' : r.paused ? 'paused, would' : r.heldBack ? 'NOT DONE:' : r.refusal?.uncertain ? 'OUTCOME UNKNOWN:' : 'REFUSED:';
    lines.push(`${verb} ${what}: ${r.action.reason}`);
    if (r.heldBack && !r.paused) lines.push(`  ${r.heldBack}`);
    if (r.refusal?.uncertain) lines.push(`  ${r.refusal.message} (the next tick checks what AWS shows before deciding)`);
    else if (r.refusal) lines.push(`  ${r.refusal.message}${r.refusal.transient ? ' (a later tick will decide again)' : ''}`);
  } else {
    lines.push(r.summary);
  }
  for (const b of r.blocked.slice(r.action ? 0 : 1)) lines.push(`  also: ${b.rule} blocked (${b.why}): ${b.detail}`);
  if (r.action || r.blocked.length > 0) lines.push(`  band: ${r.band.line}`);
  for (const h of r.held) lines.push(`holding: ${heldLine(h)}`);
  for (const a of r.alerts) lines.push(`alert${a.sent ? ' (mailed)' : ''}: ${a.subject}`);
  if (r.outbox > 0) lines.push(`${r.outbox} earlier alert${r.outbox === 1 ? '' : 's'} ${r.mailed ? 'went with this mail' : 'still waiting to be mailed'}`);
  if (r.failure && r.failure !== r.heldBack) lines.push(`FAILED: ${r.failure}`);
  if (r.mailError) lines.push(`mail failed: ${r.mailError}`);
  // To the second: a log line needs no milliseconds, and the --json time keeps them.
  const at = toTheSecond(r.time);
  // Among many groups every line says whose it is (the first already does, by the group's name).
  const whose = (line: string, i: number) => (label === undefined ? line : i === 0 ? `${label}${line.slice(r.group.length)}` : `${label}: ${line}`);
  return lines.map((line, i) => `${at} ${whose(line, i)}\n`).join('');
}
