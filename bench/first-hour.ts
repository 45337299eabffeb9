// A watchdog's first hour: started with no state, against one that has run for two hours, on the
// same traffic and the same fleet (docs/algorithm.md, the third round, 37). At points 97 minutes
// apart through the four traffics the defaults were chosen on, the running one starts two hours
// before the point on the fleet target tracking would hold there (the load at its target), and
// the fresh one starts at the point on the fleet the running one had then. Prints, summed over the
// points, each one's hour: actions, scale-ins, unserved unit-minutes, instance-minutes, minutes
// above the high mark, and scale-ins a scale-out undid within 20 minutes.
// `node scripts/bench.mjs --entry first-hour`.
import { join } from 'node:path';
import { int } from './cells.js';
import type { MinuteRecord } from '../src/sim/fleet.js';
import { overloaded, runPolicy, type ReportAction } from '../src/sim/run.js';
import { loadScenario, type Scenario } from '../src/sim/scenario.js';

const ROOT = new URL('..', import.meta.url).pathname;
const HOUR = 60;
const BEFORE = 120;
const EVERY = 97;

interface Hour {
  actions: number;
  scaleIns: number;
  unserved: number;
  instanceMinutes: number;
  overload: number;
  undone: number;
}
const hour = (): Hour => ({ actions: 0, scaleIns: 0, unserved: 0, instanceMinutes: 0, overload: 0, undone: 0 });

/** Adds one hour's actions (minutes from its start) and minutes to `into`. */
function add(into: Hour, actions: ReportAction[], records: MinuteRecord[], high: number): void {
  const ins = actions.filter((a) => a.kind === 'set-desired' && a.to < a.from);
  into.actions += actions.length;
  into.scaleIns += ins.length;
  into.undone += ins.filter((a) => actions.some((b) => b.kind === 'set-desired' && b.to > b.from && b.minute > a.minute && b.minute - a.minute <= 20)).length;
  for (const r of records) {
    into.unserved += r.unserved;
    into.instanceMinutes += r.inService + r.pending;
    if (overloaded(r, high)) into.overload++;
  }
}

/** The scenario's minutes [from, from + minutes) on a group that starts with `desired`. */
const slice = (s: Scenario, from: number, minutes: number, desired: number): Scenario => ({
  ...s,
  durationMinutes: minutes,
  perMinute: s.perMinute.slice(from, from + minutes),
  group: { ...s.group, desired: Math.min(s.group.max, Math.max(s.group.min, desired)) },
});

const [fresh, running] = [hour(), hour()];
let points = 0;
for (const name of ['nasa-week', 'web-day', 'week', 'flash-crowd']) {
  const s = loadScenario(join(ROOT, `scenarios/${name}.json`));
  const target = (s.config.low + s.config.high) / 2;
  for (let at = BEFORE + 60; at + HOUR < s.durationMinutes; at += EVERY) {
    const before = runPolicy(slice(s, at - BEFORE, BEFORE + HOUR, Math.ceil((100 * s.perMinute[at - BEFORE]!) / target)), 'watchdog');
    const afresh = runPolicy(slice(s, at, HOUR, before.records[BEFORE]!.desired), 'watchdog');
    add(fresh, afresh.report.actions, afresh.records, s.config.high);
    const later = before.report.actions.filter((a) => a.minute >= BEFORE).map((a) => ({ ...a, minute: a.minute - BEFORE }));
    add(running, later, before.records.slice(BEFORE), s.config.high);
    points++;
  }
}

const row = (what: string, h: Hour) =>
  `| ${what} | ${int(h.actions)} | ${int(h.scaleIns)} | ${h.unserved.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} | ${int(h.instanceMinutes)} | ${int(h.overload)} | ${int(h.undone)} |`;
process.stdout.write(
  [
    `| the first hour, ${points} points | actions | scale-ins | unserved | instance-min | overload min | scale-ins undone within 20 min |`,
    '|---|---|---|---|---|---|---|',
    row('started afresh', fresh),
    row('running for two hours before', running),
  ].join('\n') + '\n',
);
