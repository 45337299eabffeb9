// `watch --metrics-file FILE`: the tick's figures in Prometheus' text format, for node_exporter's
// textfile collector (the usual way to get a cron job into Prometheus). Gauges only: each tick
// replaces the file whole. Names after Prometheus' conventions: an asg_watchdog_ prefix, base
// units (seconds, ratios of 0-1), _ratio for CPU. The instance is `instance_id`: `instance` is
// the label Prometheus gives the scraped target (node_exporter) and would be renamed. docs/status.md
// lists them.
import { BAND_STATES } from './engine/index.js';
import type { TickReport } from './tick-report.js';
import { tickExitCode } from './tick-report.js';

/** Instances whose CPU gets a series of its own, the hottest first: a fleet of 10,000 must not become 10,000 series. */
export const METRICS_INSTANCES = 100;

interface Family {
  name: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

/** A label value as the text format writes it: backslash, double quote and newline escaped. */
const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const ratio = (percent: number | null) => (percent === null ? Number.NaN : round3(percent / 100));

/** One group's part of the file: its tick's report, or a tick that did not run to the end (its exit code). */
export type MetricsOf = { report: TickReport } | { failed: { group: string; region: string; time: string; code: number } };

/** Families of the same name from several groups, as one: the text format wants a family's samples together, HELP and TYPE once. */
function merge(groups: ReadonlyArray<readonly Family[]>): Family[] {
  const byName = new Map<string, Family>();
  for (const families of groups) {
    for (const f of families) {
      const known = byName.get(f.name);
      if (known) known.samples.push(...f.samples);
      else byName.set(f.name, { ...f, samples: [...f.samples] });
    }
  }
  return [...byName.values()];
}

function format(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${label(v)}"`).join(',');
      lines.push(`${f.name}{${labels}} ${Number.isNaN(s.value) ? 'NaN' : String(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The file for one group or many: each group's series carry its `group` and `region`. */
export function prometheusText(results: readonly MetricsOf[]): string {
  return format(merge(results.map((r) => ('report' in r ? families(r.report) : failedFamilies(r.failed)))));
}

const TIMESTAMP_HELP = 'When the tick ran, Unix time.';
const EXIT_CODE_HELP = "The tick's exit code: 0 it ran, 1 AWS failed or an action was refused, 2 the group's settings or state are wrong, 3 another actor holds the group, 4 the alert mail failed.";

/** A tick that stopped before its report (a run of many groups goes on): when, and its exit code. */
function failedFamilies(f: { group: string; region: string; time: string; code: number }): Family[] {
  const g = { group: f.group, region: f.region };
  return [
    { name: 'asg_watchdog_tick_timestamp_seconds', help: TIMESTAMP_HELP, samples: [{ labels: g, value: Date.parse(f.time) / 1000 }] },
    { name: 'asg_watchdog_tick_exit_code', help: EXIT_CODE_HELP, samples: [{ labels: g, value: f.code }] },
  ];
}

function families(r: TickReport): Family[] {
  const g = { group: r.group, region: r.region };
  const one = (name: string, help: string, value: number): Family => ({ name, help, samples: [{ labels: g, value }] });
  const f = r.figures;
  const measured = r.instances.filter((i) => i.load !== null).sort((a, b) => b.load! - a.load! || a.id.localeCompare(b.id)).slice(0, METRICS_INSTANCES);
  return [
    one('asg_watchdog_tick_timestamp_seconds', TIMESTAMP_HELP, Date.parse(r.time) / 1000),
    one('asg_watchdog_tick_exit_code', EXIT_CODE_HELP, tickExitCode(r)),
    one('asg_watchdog_paused', '1 while the watchdog is paused on the group (watch --pause, or the config file).', r.paused === null ? 0 : 1),
    {
      name: 'asg_watchdog_instances',
      help: 'Instances of the group by lifecycle: in_service (InService and Healthy), pending.',
      samples: [
        { labels: { ...g, state: 'in_service' }, value: f.n },
        { labels: { ...g, state: 'pending' }, value: f.pending },
      ],
    },
    one('asg_watchdog_instances_measured', 'Instances in service with a load (past warm-up, recent datapoints).', f.measured),
    one('asg_watchdog_desired_capacity', 'The group\'s desired count.', f.desired),
    one('asg_watchdog_min_size', 'The group\'s minimum (narrowed by the config\'s minInstances).', f.min),
    one('asg_watchdog_max_size', 'The group\'s maximum (narrowed by the config\'s maxInstances).', f.max),
    one('asg_watchdog_cpu_utilization_ratio', 'Fleet CPU: the trimmed mean of the instances\' loads, 0-1.', ratio(f.avg)),
    one('asg_watchdog_cpu_utilization_with_one_fewer_ratio', 'The same with one instance fewer (total / (n - 1)), 0-1.', ratio(f.projection1)),
    {
      name: 'asg_watchdog_fleet_load_instances',
      help: 'What the band rules size for, in instances\' worth of CPU: side out (scale-out load), in (scale-in load).',
      samples: r.sizing === null ? [] : [
        { labels: { ...g, side: 'out' }, value: round3(r.sizing.out / 100) },
        { labels: { ...g, side: 'in' }, value: round3(r.sizing.in / 100) },
      ],
    },
    { name: 'asg_watchdog_band_state', help: 'Where the fleet stands against the band: 1 for the current state.', samples: BAND_STATES.map((state) => ({ labels: { ...g, state }, value: r.band.state === state ? 1 : 0 })) },
    {
      name: 'asg_watchdog_instance_cpu_utilization_ratio',
      help: `Each measured instance's load, 0-1 (the ${METRICS_INSTANCES} hottest).`,
      samples: measured.map((i) => ({ labels: { ...g, instance_id: i.id }, value: ratio(i.load) })),
    },
    {
      name: 'asg_watchdog_held_condition_seconds',
      help: 'How long a condition has been held before its rule acts (runaway, pinned, suspect, dead, cold, detached, blind, not-launching).',
      samples: r.held.map((h) => ({ labels: { ...g, rule: h.rule, instance_id: h.instance ?? '' }, value: h.heldMinutes * 60 })),
    },
    {
      name: 'asg_watchdog_held_condition_remaining_seconds',
      help: 'How long until that rule acts (terminate, or the pinned, suspect, cold, blind or not-launching alert), if nothing changes.',
      samples: r.held.map((h) => ({ labels: { ...g, rule: h.rule, instance_id: h.instance ?? '' }, value: h.inMinutes * 60 })),
    },
    {
      name: 'asg_watchdog_action',
      help: 'The action of this tick (1), by kind and rule; executed tells whether it was carried out.',
      samples: r.action === null ? [] : [{ labels: { ...g, kind: r.action.kind, rule: r.action.rule, executed: String(r.executed) }, value: 1 }],
    },
    { name: 'asg_watchdog_blocked', help: 'A rule that wanted to act and could not (1), by rule and why.', samples: r.blocked.map((b) => ({ labels: { ...g, rule: b.rule, why: b.why }, value: 1 })) },
    one('asg_watchdog_alerts_due', 'Alerts this tick raised.', r.alerts.length),
    one('asg_watchdog_outbox_alerts', 'Alerts of earlier ticks still waiting to be mailed.', r.outbox),
    one('asg_watchdog_mail_failed', '1 when the alert mail could not be sent this tick.', r.mailError === null ? 0 : 1),
    one('asg_watchdog_warnings', 'Warnings of this tick (a balancer unread, launch times missing, ...).', r.warnings.length),
    one('asg_watchdog_clock_offset_seconds', "AWS's clock minus the host's, from AWS's answers (positive: the host is behind); beyond maxClockOffsetSeconds nothing is removed.", r.clockOffsetSeconds ?? Number.NaN),
  ];
}
