import type { PolicyRun } from './run.js';
import type { Scenario } from './scenario.js';

// A hand-made SVG: one panel per policy with the band shaded, fleet CPU, demand and capacity
// (in instances) and the actions marked. Long scenarios are averaged into at most MAX_POINTS columns.

const WIDTH = 1100;
const PANEL = 190;
const LEFT = 60;
const RIGHT = 60;
const TOP = 40;
const GAP = 36;
const MAX_POINTS = 900;
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
  parts.push(`<text x="${LEFT}" y="${last}">minute 0</text><text x="${WIDTH - RIGHT}" y="${last}" text-anchor="end">minute ${minutes}</text>`, `</svg>`);
  return `${parts.join('\n')}\n`;
}
