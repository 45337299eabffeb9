import { notCarrying } from './render/fleet.js';
import { HISTORY_INSTANCES, type HistoryRecord } from './state/history.js';
import type { Run } from './tick.js';

/** One tick as the history keeps it (src/state/history.ts): what `status` and its page show. */
export function historyRecord(run: Run): HistoryRecord {
  const { decision, outcome, now } = run;
  const f = decision.figures;
  const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  const serving = f.instances.filter((i) => i.serving).sort((a, b) => (b.load ?? -1) - (a.load ?? -1) || a.id.localeCompare(b.id));
  const loads: Record<string, number | null> = {};
  for (const i of serving.slice(0, HISTORY_INSTANCES)) loads[i.id] = r1(i.load);
  const a = decision.action;
  return {
    v: 1,
    at: now,
    n: f.n,
    desired: f.desired,
    min: f.min,
    max: f.max,
    low: run.options.config.low,
    high: run.options.config.high,
    pending: f.pending,
    notCarrying: notCarrying(f.n, f.measured, f.instances.map((i) => ({ why: i.unmeasured, lb: i.lifecycle === 'InService' ? i.lb : null }))),
    avg: r1(f.avg),
    projection1: r1(f.projection1),
    band: { state: decision.band.state, load: decision.band.load, average: decision.band.average, line: decision.band.line },
    loads,
    more: Math.max(0, serving.length - HISTORY_INSTANCES),
    action:
      a === null
        ? null
        : {
            kind: a.kind,
            from: a.from,
            to: a.to,
            instance: a.instance ?? null,
            rule: a.rule,
            reason: a.reason,
            outcome: outcome === null ? 'held' : outcome.kind === 'done' ? 'done' : outcome.kind === 'refused' ? 'refused' : 'unknown',
          },
    blocked: decision.blocked.map((b) => ({ rule: b.rule, why: b.why, detail: b.detail })),
    held: decision.held,
    alerts: run.due.map((d) => d.subject),
    alertKeys: run.due.map((d) => d.key),
    paused: run.paused !== null,
  };
}
