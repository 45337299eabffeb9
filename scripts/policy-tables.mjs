// Prints the tables of docs/performance.md, "The policy comparison": every shipped scenario under
// every policy, from the installed command's own output (`npm run build` first). Usage:
//   node scripts/policy-tables.mjs > /tmp/tables.md
import { execFileSync } from 'node:child_process';

const ORDER = ['web-day', 'week', 'nasa-week', 'runaway-cpu', 'detached-instance', 'flash-crowd', 'hung-instance', 'metrics-gap', 'cloudwatch-outage'];
const run = (args) => execFileSync(process.execPath, ['bin/asg-watchdog.js', 'simulate', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const int = (n) => n.toLocaleString('en');

for (const name of ORDER) {
  const file = `scenarios/${name}.json`;
  const { minutes, policies } = JSON.parse(run(['--scenario', file, '--json']));
  const oracle = policies.oracle.instanceMinutes;
  const lines = [`### ${name}: ${int(minutes)} minutes`, '', '| policy | instance-min | × oracle | unserved | overload min | underload min | in band min | actions | reversals | kills (sick/healthy) | θU % | θO % | τU % | τO % | instability % |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|'];
  for (const [policy, r] of Object.entries(policies)) {
    const t = r.terminations;
    const e = r.elasticity;
    lines.push(`| ${policy} | ${int(r.instanceMinutes)} | ${(r.instanceMinutes / oracle).toFixed(3)} | ${r.unservedUnitMinutes.toLocaleString("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} | ${int(r.overloadMinutes)} | ${int(r.underloadMinutes)} | ${int(r.inBandMinutes)} | ${int(r.actions.length)} | ${int(r.reversals)} | ${t.total} (${t.faulty}/${t.healthy}) | ${[e.thetaU, e.thetaO, e.tauU, e.tauO, e.instability].map((x) => x.toFixed(1)).join(' | ')} |`);
  }
  const faults = run(['--scenario', file]).split('\n').filter((l) => l.startsWith('fault '));
  process.stdout.write(`${[...lines, '', ...(faults.length > 0 ? [...faults, ''] : [])].join('\n')}\n`);
}
