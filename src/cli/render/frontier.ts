import Table from 'cli-table3';
import type { Frontier } from '../../sim/frontier.js';

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** `simulate --frontier`: each policy's sweep as rows, then where the watchdog's curve lies against each. */
export function renderFrontier(frontier: Frontier): string {
  const table = new Table({
    head: ['policy', 'knob', 'instance-min', 'unserved', 'overload min', 'actions'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const curve of frontier.curves) {
    for (const p of curve.points) {
      const knob = curve.knob === null ? '—' : `${curve.knob} ${p.knob} %${p.isDefault ? ' *' : ''}`;
      table.push([curve.policy, knob, num(p.instanceMinutes), num(p.unservedUnitMinutes, 1), num(p.overloadMinutes), num(p.actions)]);
    }
  }
  const lines = [`${frontier.scenario}: ${num(frontier.minutes)} minutes, each policy over its own knob (* the default)`, table.toString()];
  for (const d of frontier.dominance) {
    const outside = d.outside > 0 ? ` (${d.outside} cheaper or dearer than any of the watchdog's)` : '';
    lines.push(`watchdog against ${d.rival}: as little unserved or less at the same instance-minutes at ${d.atOrBelow} of ${d.compared} of its points${outside}`);
  }
  return `${lines.join('\n')}\n`;
}
