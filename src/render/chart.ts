import type { Frontier } from '../sim/frontier.js';
import type { PolicyRun } from '../sim/run.js';
import type { Scenario } from '../sim/scenario.js';
import { axisTicks, scenarioClock } from './axis.js';

// A hand-made SVG: one panel per policy with the band shaded, fleet CPU, demand and capacity
// (in instances) and the actions marked, on one time axis labelled at round times under the last
// panel. Long scenarios are averaged into at most MAX_POINTS columns.

const WIDTH = 1100;
const PANEL = 190;
const LEFT = 60;
const RIGHT = 60;
const TOP = 40;
const GAP = 36;
const MAX_POINTS = 900;
/** Labels on the time axis, at most. */
const AXIS_LABELS = 9;
const COLORS = { band: '#e6f4ea', cpu: '#d93025', demand: '#5f6368', capacity: '#1a73e8', up: '#188038', down: '#e37400', kill: '#a50e0e' };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (x: number) => x.toFixed(1);

function buckets(length: number): Array<[number, number]> {
  const size = Math.max(1, Math.ceil(length / MAX_POINTS));
  const out: Array<[number, number]> = [];
  for (let start = 0; start < length; start += size) out.push([start, Math.min(length, start + size)]);
  return out;
}

export function renderChart(scenario: Scenario, runs: readonly PolicyRun[]): string {
  const { low, high } = scenario.config;
  const minutes = scenario.durationMinutes;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (m: number) => LEFT + (m / Math.max(1, minutes)) * plotWidth;
  const peak = Math.max(
    1,
    ...runs.flatMap((r) => r.records.map((rec) => Math.max(rec.inService + rec.pending, rec.demand))),
  );
  const height = TOP + runs.length * (PANEL + GAP) + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(scenario.name)}: demand, capacity and CPU per policy</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${LEFT}" y="20" font-size="14" font-weight="bold">${esc(scenario.name)}</text>`,
    `<text x="${LEFT + 200}" y="20"><tspan fill="${COLORS.cpu}">■ fleet CPU %</tspan>  <tspan fill="${COLORS.capacity}">■ instances</tspan>  <tspan fill="${COLORS.demand}">■ demand (instances at 100 %)</tspan>  <tspan fill="#81c995">■ band ${low}–${high} %</tspan>  <tspan fill="${COLORS.up}">▲ up</tspan> <tspan fill="${COLORS.down}">▼ down</tspan> <tspan fill="${COLORS.kill}">✕ terminate</tspan></text>`,
  ];
  const times = axisTicks(0, minutes, AXIS_LABELS, 1);
  runs.forEach((run, index) => {
    const top = TOP + index * (PANEL + GAP);
    const yCpu = (v: number) => top + PANEL - (v / 100) * PANEL;
    const yUnits = (v: number) => top + PANEL - (v / peak) * PANEL;
    const cols = buckets(run.records.length);
    const series = (value: (i: number) => number | null, y: (v: number) => number) =>
      cols
        .map(([a, b]) => {
          const values: number[] = [];
          for (let i = a; i < b; i++) {
            const v = value(i);
            if (v !== null) values.push(v);
          }
          return values.length === 0 ? null : `${f1(x((a + b) / 2))},${f1(y(values.reduce((s, v) => s + v, 0) / values.length))}`;
        })
        .filter((p): p is string => p !== null)
        .join(' ');
    const recs = run.records;
    parts.push(
      `<g>`,
      `<text x="${LEFT}" y="${top - 8}" font-weight="bold">${esc(run.policy)}</text>`,
      `<rect x="${LEFT}" y="${f1(yCpu(high))}" width="${plotWidth}" height="${f1(yCpu(low) - yCpu(high))}" fill="${COLORS.band}"/>`,
      `<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${PANEL}" fill="none" stroke="#dadce0"/>`,
      ...times.map((t) => `<line x1="${f1(x(t))}" y1="${top}" x2="${f1(x(t))}" y2="${top + PANEL}" stroke="#f1f3f4"/>`),
      `<text x="${LEFT - 6}" y="${top + 4}" text-anchor="end">100 %</text><text x="${LEFT - 6}" y="${top + PANEL}" text-anchor="end">0 %</text>`,
      `<text x="${WIDTH - RIGHT + 6}" y="${top + 4}">${Math.round(peak)} inst.</text>`,
      `<polyline fill="none" stroke="${COLORS.demand}" stroke-width="1" points="${series((i) => recs[i]!.demand, yUnits)}"/>`,
      `<polyline fill="none" stroke="${COLORS.capacity}" stroke-width="1.5" points="${series((i) => recs[i]!.inService, yUnits)}"/>`,
      `<polyline fill="none" stroke="${COLORS.cpu}" stroke-width="1" points="${series((i) => recs[i]!.avgCpu, yCpu)}"/>`,
    );
    for (const a of run.report.actions) {
      const ax = f1(x(a.minute));
      const label = esc(`minute ${a.minute}: ${a.kind} ${a.from} → ${a.to}${a.instance ? ` ${a.instance}` : ''} (${a.rule})`);
      if (a.kind === 'terminate') parts.push(`<text x="${ax}" y="${top + 12}" fill="${COLORS.kill}" text-anchor="middle"><title>${label}</title>✕</text>`);
      else if (a.to > a.from) parts.push(`<text x="${ax}" y="${top + PANEL - 2}" fill="${COLORS.up}" text-anchor="middle"><title>${label}</title>▲</text>`);
      else parts.push(`<text x="${ax}" y="${top + PANEL - 2}" fill="${COLORS.down}" text-anchor="middle"><title>${label}</title>▼</text>`);
    }
    parts.push(`</g>`);
  });
  const last = TOP + runs.length * (PANEL + GAP) - GAP + 14;
  parts.push(...times.map((t) => `<text x="${f1(x(t))}" y="${last}" text-anchor="middle">${esc(scenarioClock(t))}</text>`), `</svg>`);
  return `${parts.join('\n')}\n`;
}

const FRONTIER_COLORS: Record<string, string> = {
  watchdog: '#d93025',
  'target-tracking': '#1a73e8',
  'target-tracking-fast': '#12b5cb',
  hpa: '#e37400',
  seed: '#9334e6',
  oracle: '#188038',
};

/**
 * The cost–service frontier in one SVG: instance-minutes across, unserved demand up, one curve per
 * policy through its sweep, the default setting ringed, every point named on hover.
 */
export function renderFrontierChart(frontier: Frontier): string {
  const width = 900;
  const height = 560;
  const [left, right, top, bottom] = [80, 200, 50, 60];
  const points = frontier.curves.flatMap((c) => c.points);
  const [xMin, xMax] = [Math.min(...points.map((p) => p.instanceMinutes)), Math.max(...points.map((p) => p.instanceMinutes))];
  const yMax = Math.max(1, ...points.map((p) => p.unservedUnitMinutes));
  const x = (v: number) => left + ((v - xMin) / Math.max(1, xMax - xMin)) * (width - left - right);
  const y = (v: number) => height - bottom - (v / yMax) * (height - top - bottom);
  const int = (v: number) => Math.round(v).toLocaleString('en-US');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(frontier.scenario)}: instance-minutes against unserved demand, each policy over its knob</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="14" font-weight="bold">${esc(frontier.scenario)}: cost against service, each policy over its own knob</text>`,
    `<text x="${left}" y="40" fill="#5f6368">lower and further left is better; ◯ the default setting</text>`,
    `<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#dadce0"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 18}" text-anchor="middle">instance-minutes</text>`,
    // Five ticks on each axis, with faint grid lines.
    ...[0, 0.25, 0.5, 0.75, 1].flatMap((share) => {
      const [xv, yv] = [xMin + share * (xMax - xMin), share * yMax];
      return [
        `<line x1="${f1(x(xv))}" y1="${top}" x2="${f1(x(xv))}" y2="${height - bottom}" stroke="#f1f3f4"/><text x="${f1(x(xv))}" y="${height - bottom + 16}" text-anchor="middle">${int(xv)}</text>`,
        `<line x1="${left}" y1="${f1(y(yv))}" x2="${width - right}" y2="${f1(y(yv))}" stroke="#f1f3f4"/><text x="${left - 8}" y="${f1(y(yv) + 4)}" text-anchor="end">${int(yv)}</text>`,
      ];
    }),
    `<text transform="translate(${left - 50},${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">unserved demand, instance-minutes at 100 %</text>`,
  ];
  frontier.curves.forEach((curve, i) => {
    const color = FRONTIER_COLORS[curve.policy] ?? '#5f6368';
    const sorted = [...curve.points].sort((a, b) => a.instanceMinutes - b.instanceMinutes);
    parts.push(`<g><text x="${width - right + 16}" y="${top + 14 + i * 18}" fill="${color}">● ${esc(curve.policy)}${curve.knob ? ` (${curve.knob})` : ''}</text>`);
    if (sorted.length > 1) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${sorted.map((p) => `${f1(x(p.instanceMinutes))},${f1(y(p.unservedUnitMinutes))}`).join(' ')}"/>`);
    for (const p of sorted) {
      const name = p.knob === null ? curve.policy : `${curve.policy} at ${curve.knob} ${p.knob} %`;
      const label = esc(`${name}${p.isDefault && p.knob !== null ? ' (default)' : ''}: ${int(p.instanceMinutes)} instance-minutes, ${p.unservedUnitMinutes.toFixed(1)} unserved, ${int(p.overloadMinutes)} overload minutes, ${p.actions} actions`);
      parts.push(`<circle cx="${f1(x(p.instanceMinutes))}" cy="${f1(y(p.unservedUnitMinutes))}" r="3.5" fill="${color}"><title>${label}</title></circle>`);
      if (p.isDefault) parts.push(`<circle cx="${f1(x(p.instanceMinutes))}" cy="${f1(y(p.unservedUnitMinutes))}" r="8" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    }
    parts.push(`</g>`);
  });
  parts.push(`</svg>`);
  return `${parts.join('\n')}\n`;
}
