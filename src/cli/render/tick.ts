import { formatPercent } from '../../engine/index.js';
import type { TickReport } from '../../tick.js';

/** One tick in the original tool's words: `web: 3 instances (min 2, max 6, desired 3), average 74.2 %, with one fewer 111.3 %`. */
export function renderTick(r: TickReport): string {
  const f = r.figures;
  const launching = f.pending > 0 ? `, ${f.pending} launching` : '';
  const unmeasured = f.measured < f.n ? `, ${f.n - f.measured} unmeasured` : '';
  const lines = [
    `${r.group}: ${f.n} instance${f.n === 1 ? '' : 's'} (min ${f.min}, max ${f.max}, desired ${f.desired}${launching}${unmeasured}), average ${formatPercent(f.avg)}, with one fewer ${formatPercent(f.projection1)}`,
  ];
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (r.reconciled) lines.push(`reconciled: ${r.reconciled}`);
  if (r.action) {
    const what = r.action.kind === 'set-desired' ? `set desired ${r.action.from} → ${r.action.to}` : `terminate ${r.action.instance}${r.action.decrement ? ` and decrement desired ${r.action.from} → ${r.action.to}` : ' (the group replaces it)'}`;
    const verb = r.dryRun ? 'dry run, would' : r.executed ? 'done:' : r.heldBack ? 'NOT DONE:' : r.refusal?.uncertain ? 'OUTCOME UNKNOWN:' : 'REFUSED:';
    lines.push(`${verb} ${what}: ${r.action.reason}`);
    if (r.heldBack) lines.push(`  ${r.heldBack}`);
    if (r.refusal?.uncertain) lines.push(`  ${r.refusal.message} (the next tick checks what AWS shows before deciding)`);
    else if (r.refusal) lines.push(`  ${r.refusal.message}${r.refusal.transient ? ' (a later tick will decide again)' : ''}`);
  } else {
    const first = r.blocked[0];
    lines.push(first ? `no action: ${first.rule} blocked (${first.why}): ${first.detail}` : 'no action: in band');
  }
  for (const b of r.blocked.slice(r.action ? 0 : 1)) lines.push(`  also: ${b.rule} blocked (${b.why}): ${b.detail}`);
  for (const a of r.alerts) lines.push(`alert${a.sent ? ' (mailed)' : ''}: ${a.subject}`);
  if (r.outbox > 0) lines.push(`${r.outbox} earlier alert${r.outbox === 1 ? '' : 's'} ${r.mailed ? 'went with this mail' : 'still waiting to be mailed'}`);
  if (r.failure && r.failure !== r.heldBack) lines.push(`FAILED: ${r.failure}`);
  if (r.mailError) lines.push(`mail failed: ${r.mailError}`);
  return `${lines.join('\n')}\n`;
}
