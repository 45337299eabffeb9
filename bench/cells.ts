// The figures of the bench tables, written one way: whole numbers with thousands separators,
// unserved demand to a tenth.
import type { PolicyReport } from '../src/sim/run.js';

export const int = (n: number): string => n.toLocaleString('en');

/** instance-minutes / unserved unit-minutes / overload minutes, and the actions unless left out. */
export function reportCell(r: PolicyReport, withActions = true): string {
  const unserved = r.unservedUnitMinutes.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${int(r.instanceMinutes)} / ${unserved} / ${int(r.overloadMinutes)}${withActions ? ` / ${int(r.actions.length)}` : ''}`;
}
