// The shipped traffic on other groups than the ones it ships with: slower and faster launches,
// bounds the peaks reach, a larger minimum, more or less noise between instances, other bands
// (target tracking's target is always the band's middle). Per scenario,
// the watchdog's instance-minutes against target tracking's and the goals of issue 11 it misses
// (docs/performance.md, "Other groups"); then the same traffic on mixed sizes in turn behind
// round robin, each policy's instance-minutes / unserved demand / overload minutes, where sizing
// on the mean is cheaper for what it leaves unserved. `node scripts/bench.mjs --entry groups`.
import { join } from 'node:path';
import { reportCell } from './cells.js';
import { resolveConfig, type ConfigInput } from '../src/config/index.js';
import { GOAL_WORDS, GOALS, goalsMet } from '../src/sim/goals.js';
import { compare } from '../src/sim/run.js';
import { loadScenario, type Scenario } from '../src/sim/scenario.js';

const ROOT = new URL('..', import.meta.url).pathname;
const scenarios = ['nasa-week', 'web-day', 'week', 'flash-crowd'].map((name) => loadScenario(join(ROOT, `scenarios/${name}.json`)));

interface Variant {
  what: string;
  group?: Partial<Scenario['group']>;
  noise?: number;
  config?: ConfigInput;
}

const variants: Variant[] = [
  { what: 'as shipped' },
  { what: 'launch 1 min', group: { launchMinutes: 1 } },
  { what: 'launch 5 min', group: { launchMinutes: 5 } },
  { what: 'launch 8 min', group: { launchMinutes: 8 } },
  { what: 'launch 12 min', group: { launchMinutes: 12 } },
  { what: 'target group, first checks 2 min', group: { loadBalancer: 'target-group', initialChecksMinutes: 2 } },
  { what: 'target group, first checks 5 min', group: { loadBalancer: 'target-group', initialChecksMinutes: 5 } },
  { what: 'max 15', group: { max: 15 } },
  { what: 'max 12', group: { max: 12 } },
  { what: 'min 1', group: { min: 1 } },
  { what: 'min 6', group: { min: 6 } },
  { what: 'no noise between instances', noise: 0 },
  { what: '10 % noise between instances', noise: 0.1 },
  { what: 'band 60-80 %', config: { low: 60, high: 80 } },
  { what: 'band 50-70 %, urgent 90', config: { low: 50, high: 70, urgent: 90 } },
  { what: 'band 40-60 %, urgent 80', config: { low: 40, high: 60, urgent: 80 } },
];

const lines = [`| group | ${scenarios.map((s) => s.name).join(' | ')} |`, `|---|${scenarios.map(() => '---').join('|')}|`];
for (const v of variants) {
  const cells = scenarios.map((s) => {
    const scenario: Scenario = {
      ...s,
      group: { ...s.group, ...v.group },
      noise: v.noise ?? s.noise,
      config: resolveConfig({ ...s.config, ...v.config }),
    };
    const { watchdog, 'target-tracking': targetTracking, oracle } = compare(scenario, ['watchdog', 'target-tracking', 'oracle']).comparison.policies;
    const met = goalsMet({ watchdog: watchdog!, targetTracking: targetTracking!, oracle: oracle! });
    const missed = GOALS.filter((g) => !met[g]).map((g) => GOAL_WORDS[g]);
    const cost = (100 * (watchdog!.instanceMinutes - targetTracking!.instanceMinutes)) / targetTracking!.instanceMinutes;
    return `${cost >= 0 ? '+' : '−'}${Math.abs(cost).toFixed(1)} % · ${missed.length === 0 ? 'met' : `missed: ${missed.join(', ')}`}`;
  });
  lines.push(`| ${v.what} | ${cells.join(' | ')} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);

const POLICIES = ['watchdog', 'target-tracking', 'hpa', 'oracle'] as const;
const mixed = [`| traffic, sizes | ${POLICIES.join(' | ')} |`, `|---|${POLICIES.map(() => '---').join('|')}|`];
for (const s of scenarios) {
  for (const types of [undefined, ['c5.large', 'c5.xlarge'], ['c5.large', 'c5.xlarge', 'c5.2xlarge']]) {
    const policies = compare({ ...s, group: { ...s.group, ...(types && { types }) } }, [...POLICIES]).comparison.policies;
    const cells = POLICIES.map((name) => reportCell(policies[name]!, false));
    mixed.push(`| ${s.name}, ${types === undefined ? 'c5.large only' : types.join(' + ')} | ${cells.join(' | ')} |`);
  }
}
process.stdout.write(`\n${mixed.join('\n')}\n`);
