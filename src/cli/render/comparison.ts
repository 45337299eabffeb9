import Table from 'cli-table3';
import type { Comparison, PolicyReport } from '../../sim/run.js';

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The human table of `simulate`: one row per policy, then what became of each fault. */
export function renderComparison(comparison: Comparison): string {
  const entries = Object.entries(comparison.policies) as Array<[string, PolicyReport]>;
  const oracle = comparison.policies.oracle?.instanceMinutes;
  const table = new Table({
    head: ['policy', 'instance-min', ...(oracle ? ['× oracle'] : []), 'unserved', 'overload min', 'underload min', 'actions', 'reversals', 'kills (sick/healthy)'],
    colAligns: ['left', 'right', ...(oracle ? ['right' as const] : []), 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const [name, r] of entries) {
    table.push([
      name,
      num(r.instanceMinutes),
      ...(oracle ? [(r.instanceMinutes / oracle).toFixed(3)] : []),
      num(r.unservedUnitMinutes, 1),
      num(r.overloadMinutes),
      num(r.underloadMinutes),
      num(r.actions.length),
      num(r.reversals),
      `${r.terminations.total} (${r.terminations.faulty}/${r.terminations.healthy})`,
    ]);
  }
  // SPEC's elasticity metrics (docs/simulation.md): demand = instances needed at the high mark.
  const spec = new Table({
    head: ['policy', 'in band min', 'θU %', 'θO %', 'τU %', 'τO %', 'instability %'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const [name, r] of entries) {
    const e = r.elasticity;
    spec.push([name, num(r.inBandMinutes), num(e.thetaU, 1), num(e.thetaO, 1), num(e.tauU, 1), num(e.tauO, 1), num(e.instability, 1)]);
  }
  const lines = [`${comparison.scenario}: ${num(comparison.minutes)} minutes`, table.toString(), 'elasticity (SPEC): accuracy θ and timeshare τ of under- and over-provisioning', spec.toString()];
  const faults = entries[0]?.[1].faults ?? [];
  faults.forEach((fault, i) => {
    // A fault of the fleet's (an outage, launches failing) has no instance to terminate.
    if (fault.index === null) {
      lines.push(`fault ${fault.kind} at minute ${fault.atMinute}: the fleet's, no instance to terminate`);
      return;
    }
    const where = fault.instance ? ` ${fault.instance}` : '';
    const fate = entries
      .map(([name, r]) => {
        const t = r.faults[i]?.terminatedAtMinute;
        return `${name} ${t === null || t === undefined ? 'never' : `${t} (+${t - fault.atMinute} min)`}`;
      })
      .join(', ');
    lines.push(`fault ${fault.kind}${where} at minute ${fault.atMinute}: terminated by ${fate}`);
  });
  return `${lines.join('\n')}\n`;
}
