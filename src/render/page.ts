// The status page: one self-contained HTML file (no network when it is viewed), for a desktop and a
// phone. Fleet CPU with the band shaded, instances and desired on a second axis, every action
// marked (tap or hover for its reason), a heat strip of each instance's load over the last hour,
// and the table of actions. `status --html` and `--serve` draw a group's history with it;
// `simulate --html` a simulated run.
import { heldLine } from '../engine/index.js';
import type { PolicyRun } from '../sim/run.js';
import type { Scenario } from '../sim/scenario.js';
import type { HistoryRecord } from '../state/history.js';
import { alertLine, stateLine, type StatusView } from '../status.js';
import { axisTicks, scenarioClock } from './axis.js';
import { toTheSecond } from './time.js';

export interface PagePoint {
  x: number;
  cpu: number | null;
  n: number;
  desired: number;
}

export interface PageAction {
  x: number;
  /** up, down or kill: the mark drawn. */
  mark: 'up' | 'down' | 'kill';
  when: string;
  rule: string;
  what: string;
  outcome: string;
  reason: string;
}

export interface PageData {
  title: string;
  facts: Array<[string, string]>;
  band: { low: number; high: number };
  points: PagePoint[];
  actions: PageAction[];
  /** Each instance's load over the last hour: rows of instances, a column per tick. */
  heat: { ids: string[]; loads: Array<Array<number | null>> };
  /** A label for an x: a clock time, or a scenario minute. */
  label: (x: number) => string;
  /** How far x moves in a minute (60,000 for clock times in ms, 1 for scenario minutes): the axis is labelled at round times. */
  minute: number;
  refreshSeconds?: number;
  /** A section of preformatted text after the actions: the policy comparison of a simulated run. */
  appendix?: { title: string; text: string };
  /** The alerts of the window, one line each (status's folded list), after the actions. */
  alerts?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (x: number) => x.toFixed(1);
const MAX_COLUMNS = 720;

/** Points averaged into at most MAX_COLUMNS columns: a week of minutes draws as fast as an hour. */
function columns(points: readonly PagePoint[]): PagePoint[] {
  const size = Math.max(1, Math.ceil(points.length / MAX_COLUMNS));
  if (size === 1) return [...points];
  const out: PagePoint[] = [];
  for (let start = 0; start < points.length; start += size) {
    const group = points.slice(start, start + size);
    const cpus = group.map((p) => p.cpu).filter((c): c is number => c !== null);
    out.push({
      x: group[Math.floor(group.length / 2)]!.x,
      cpu: cpus.length === 0 ? null : cpus.reduce((a, b) => a + b, 0) / cpus.length,
      n: Math.max(...group.map((p) => p.n)),
      desired: Math.max(...group.map((p) => p.desired)),
    });
  }
  return out;
}

/** The chart and the heat strip are drawn twice, for a desktop and for a phone, so that their text stays readable; CSS shows one. */
interface Frame {
  id: 'wide' | 'narrow';
  width: number;
  height: number;
  /** Labels on the time axis, at most. */
  ticks: number;
  /** Room for an instance's name in the heat strip, and how many of its last characters show there. */
  names: number;
  nameChars: number;
}
const FRAMES: readonly Frame[] = [
  { id: 'wide', width: 1000, height: 360, ticks: 5, names: 150, nameChars: 12 },
  { id: 'narrow', width: 480, height: 300, ticks: 3, names: 118, nameChars: 9 },
];

function chart(d: PageData, frame: Frame): string {
  const [W, H, L, R, T, B] = [frame.width, frame.height, 58, 34, 16, 38];
  const pts = columns(d.points);
  const x0 = d.points[0]?.x ?? 0;
  const x1 = d.points.at(-1)?.x ?? 1;
  const x = (v: number) => L + ((v - x0) / Math.max(1, x1 - x0)) * (W - L - R);
  const yCpu = (v: number) => T + (1 - v / 100) * (H - T - B);
  const top = Math.max(2, ...pts.map((p) => Math.max(p.n, p.desired))) + 1;
  const yN = (v: number) => T + (1 - v / top) * (H - T - B);
  const line = (value: (p: PagePoint) => number | null, y: (v: number) => number) =>
    pts.flatMap((p) => {
      const v = value(p);
      return v === null ? [] : [`${f1(x(p.x))},${f1(y(v))}`];
    }).join(' ');
  const ticks = axisTicks(x0, x1, frame.ticks, d.minute);
  const marks = d.actions
    .map((a, i) => {
      const ax = f1(x(a.x));
      const y = a.mark === 'kill' ? T + 12 : H - B - 4;
      const glyph = a.mark === 'up' ? '▲' : a.mark === 'down' ? '▼' : '✕';
      return `<g class="act ${a.mark}" data-act="${i}" tabindex="0" role="button" aria-label="${esc(`${a.when} ${a.what}`)}"><title>${esc(`${a.when} ${a.what} (${a.rule}, ${a.outcome}): ${a.reason}`)}</title><line x1="${ax}" y1="${T}" x2="${ax}" y2="${H - B}"/><text x="${ax}" y="${y}" text-anchor="middle">${glyph}</text><rect x="${f1(x(a.x) - 9)}" y="${T}" width="18" height="${H - T - B}"/></g>`;
    })
    .join('');
  return `<svg id="chart-${frame.id}" class="${frame.id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="fleet CPU and instances over time">
<rect x="${L}" y="${f1(yCpu(d.band.high))}" width="${W - L - R}" height="${f1(yCpu(d.band.low) - yCpu(d.band.high))}" class="band"/>
<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" class="frame"/>
${[0, 25, 50, 75, 100].map((v) => `<text x="${L - 6}" y="${f1(yCpu(v) + 4)}" text-anchor="end" class="axis">${v} %</text>`).join('')}
${[0, Math.round(top / 2), top].map((v) => `<text x="${W - R + 6}" y="${f1(yN(v) + 4)}" class="axis n">${v}</text>`).join('')}
${ticks.map((t) => `<text x="${f1(x(t))}" y="${H - 10}" text-anchor="middle" class="axis">${esc(d.label(t))}</text>`).join('')}
<polyline class="desired" points="${line((p) => p.desired, yN)}"/>
<polyline class="n" points="${line((p) => p.n, yN)}"/>
<polyline class="cpu" points="${line((p) => p.cpu, yCpu)}"/>
${marks}
</svg>`;
}

function heatStrip(d: PageData, frame: Frame): string {
  const { ids, loads } = d.heat;
  const cols = Math.max(1, ...loads.map((r) => r.length));
  const [W, row, L] = [frame.width, 18, frame.names];
  const cw = (W - L) / cols;
  const color = (v: number | null) => (v === null ? '#e8eaed' : `hsl(${Math.round(120 - 1.2 * Math.min(100, v))},70%,${Math.round(88 - 0.4 * Math.min(100, v))}%)`);
  const cells = ids
    .map((id, r) =>
      [`<text x="${L - 6}" y="${r * row + 14}" text-anchor="end" class="axis">${esc(id.length > frame.nameChars + 2 ? `…${id.slice(-frame.nameChars)}` : id)}</text>`]
        .concat(loads[r]!.map((v, c) => `<rect x="${f1(L + c * cw)}" y="${r * row}" width="${f1(cw + 0.5)}" height="${row - 2}" fill="${color(v)}"><title>${esc(`${id}: ${v === null ? 'not measured' : `${v.toFixed(1)} %`}`)}</title></rect>`))
        .join(''),
    )
    .join('');
  return `<svg id="heat-${frame.id}" class="${frame.id}" viewBox="0 0 ${W} ${ids.length * row}" role="img" aria-label="each instance's load over the last hour">${cells}</svg>`;
}

function actionTable(d: PageData): string {
  if (d.actions.length === 0) return '<p class="muted">No action in this window.</p>';
  const rows = [...d.actions]
    .map((a, i) => ({ a, i }))
    .reverse()
    .map(({ a, i }) => `<tr data-act="${i}" tabindex="0"><td>${esc(a.when)}</td><td>${esc(a.rule)}</td><td>${esc(a.what)}</td><td>${esc(a.outcome)}</td><td>${esc(a.reason)}</td></tr>`)
    .join('');
  return `<div class="scroll"><table id="actions"><thead><tr><th>time</th><th>rule</th><th>action</th><th>outcome</th><th>reason</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

const STYLE = `
:root{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#202124}
body{margin:0 auto;padding:12px;max-width:1040px}
h1{font-size:1.25rem;margin:0 0 8px}
h2{font-size:1rem;margin:18px 0 6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0;font-size:.9rem}
dt{color:#5f6368}dd{margin:0;overflow-wrap:anywhere}
svg{width:100%;height:auto;display:block}
.band{fill:#e6f4ea}.frame{fill:none;stroke:#dadce0}
.axis{font-size:16px;fill:#5f6368}.axis.n{fill:#1a73e8}
polyline{fill:none;stroke-width:2}.cpu{stroke:#d93025}.n{stroke:#1a73e8}.desired{stroke:#1a73e8;stroke-dasharray:5 4;stroke-width:1.5}
.act line{stroke:#9aa0a6;stroke-width:1;stroke-dasharray:2 3}.act text{font-size:18px}.act rect{fill:transparent;cursor:pointer}
.act.up text{fill:#188038}.act.down text{fill:#e37400}.act.kill text{fill:#a50e0e}
.act.on line{stroke:#202124;stroke-dasharray:none}
.legend{font-size:.8rem;color:#5f6368;margin:4px 0}
#alerts{margin:0;padding-left:18px;font-size:.9rem;overflow-wrap:anywhere}
.legend b{font-weight:normal}.legend .c{color:#d93025}.legend .i{color:#1a73e8}.legend .g{color:#188038}
#detail{min-height:2.6em;margin:6px 0;padding:6px 8px;background:#f1f3f4;border-radius:6px;font-size:.9rem;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.85rem;min-width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e8eaed;vertical-align:top}
td:last-child{min-width:16em}
tr[data-act]{cursor:pointer}tr.on{background:#fef7e0}
.muted{color:#5f6368;font-size:.9rem}
svg.narrow{display:none}
@media (max-width:600px){
  svg.wide{display:none}svg.narrow{display:block}
  table,tbody,tr,td{display:block}thead{display:none}
  tr{border-bottom:1px solid #e8eaed;padding:6px 0}td{display:inline;border:none;padding:1px 8px 1px 4px}td:last-child{display:block;min-width:0}
}
`;

/** Shows an action's reason on a tap, a click, a hover or the keyboard; marks it in the chart and the table. */
const SCRIPT = `
const acts = JSON.parse(document.getElementById('acts').textContent);
const detail = document.getElementById('detail');
function show(i) {
  const a = acts[i];
  detail.textContent = a.when + ' ' + a.what + ' (' + a.rule + ', ' + a.outcome + '): ' + a.reason;
  for (const el of document.querySelectorAll('[data-act]')) el.classList.toggle('on', el.dataset.act === String(i));
}
for (const el of document.querySelectorAll('[data-act]')) {
  const i = Number(el.dataset.act);
  el.addEventListener('click', () => show(i));
  el.addEventListener('mouseenter', () => show(i));
  el.addEventListener('focus', () => show(i));
}
`;

export function renderPage(d: PageData): string {
  const acts = JSON.stringify(d.actions.map(({ when, what, rule, outcome, reason }) => ({ when, what, rule, outcome, reason }))).replace(/</g, '\\u003c');
  const refresh = d.refreshSeconds ? `<meta http-equiv="refresh" content="${d.refreshSeconds}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>${esc(d.title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(d.title)}</h1>
<dl>${d.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
<h2>Fleet CPU and instances</h2>
<p class="legend"><b class="c">━ fleet CPU %</b> · <b class="i">━ in service</b> · <b class="i">╌ desired</b> · <b class="g">▇ band ${d.band.low}–${d.band.high} %</b> · ▲ up ▼ down ✕ terminate (tap one)</p>
${FRAMES.map((f) => chart(d, f)).join('\n')}
<div id="detail" aria-live="polite">Tap or hover an action for its reason.</div>
<h2>Each instance, the last hour</h2>
${d.heat.ids.length === 0 ? '<p class="muted">No instance load in the last hour.</p>' : FRAMES.map((f) => heatStrip(d, f)).join('\n')}
<h2>Actions</h2>
${actionTable(d)}
${d.alerts ? `<h2>Alerts</h2>${d.alerts.length === 0 ? '<p class="muted">No alert in this window.</p>' : `<ul id="alerts">${d.alerts.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`}` : ''}
${d.appendix ? `<h2>${esc(d.appendix.title)}</h2><div class="scroll"><pre>${esc(d.appendix.text)}</pre></div>` : ''}
<script type="application/json" id="acts">${acts}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const HOUR = 3_600_000;

/** The page of a group's history (`status --html`, `--serve`). */
export function statusPage(input: { view: StatusView; history: readonly HistoryRecord[] }, options: { refreshSeconds?: number }): string {
  const { view, history } = input;
  const last = history.at(-1);
  const lastHour = history.filter((r) => last !== undefined && r.at > last.at - HOUR);
  const ids = [...new Set(lastHour.flatMap((r) => Object.keys(r.loads)))].sort();
  const facts: Array<[string, string]> = [
    ['group', `${view.group} (${view.region})`],
    ...(view.stateCorrupt !== null || !view.stateSaved ? ([['state', stateLine(view)]] as Array<[string, string]>) : []),
    ['last tick', view.lastTick ? toTheSecond(view.lastTick.time) : 'none recorded'],
    ...(view.lastTick ? ([['band', view.lastTick.band.line]] as Array<[string, string]>) : []),
    ['launches', view.launches.line],
    ...(view.paused ? ([['PAUSED', `since ${toTheSecond(view.paused.since)} by ${view.paused.by}${view.paused.reason ? ` (${view.paused.reason})` : ''}`]] as Array<[string, string]>) : []),
    ...(view.lastTick?.held ?? []).map((h): [string, string] => ['holding', heldLine(h)]),
    ['window', `since ${toTheSecond(view.since)}, ${view.ticks} ticks`],
  ];
  return renderPage({
    title: `asg-watchdog: ${view.group}`,
    facts,
    band: { low: last?.low ?? 70, high: last?.high ?? 85 },
    points: history.map((r) => ({ x: r.at, cpu: r.avg, n: r.n, desired: r.desired })),
    actions: history
      .filter((r) => r.action !== null)
      .map((r) => {
        const a = r.action!;
        return { x: r.at, mark: a.kind === 'terminate' ? 'kill' : a.to > a.from ? 'up' : 'down', when: clock(r.at), rule: a.rule, what: a.kind === 'terminate' ? `terminate ${a.instance}` : `desired ${a.from} → ${a.to}`, outcome: a.outcome, reason: a.reason };
      }),
    heat: { ids, loads: ids.map((id) => lastHour.map((r) => r.loads[id] ?? null)) },
    label: clock,
    minute: 60_000,
    alerts: view.alerts.map(alertLine).reverse(),
    ...(options.refreshSeconds !== undefined && { refreshSeconds: options.refreshSeconds }),
  });
}

/** The same page for one policy's simulated run (`simulate --html`), the comparison as its appendix. */
export function simulationPage(scenario: Scenario, run: PolicyRun, comparison: string): string {
  const r = run.report;
  const lastHour = run.lastHour;
  return renderPage({
    title: `${scenario.name}: ${run.policy}`,
    facts: [
      ['scenario', scenario.description || scenario.name],
      ['policy', run.policy],
      ['minutes', String(scenario.durationMinutes)],
      ['cost', `${r.instanceMinutes.toLocaleString('en-US')} instance-minutes, ${r.unservedUnitMinutes.toFixed(1)} unserved, ${r.overloadMinutes} overload minutes, ${r.actions.length} actions`],
    ],
    band: { low: scenario.config.low, high: scenario.config.high },
    points: run.records.map((rec) => ({ x: rec.minute, cpu: rec.avgCpu, n: rec.inService, desired: rec.desired })),
    actions: r.actions.map((a) => ({
      x: a.minute,
      mark: a.kind === 'terminate' ? 'kill' : a.to > a.from ? 'up' : 'down',
      when: scenarioClock(a.minute),
      rule: a.rule,
      what: a.kind === 'terminate' ? `terminate ${a.instance}` : `desired ${a.from} → ${a.to}`,
      outcome: 'done',
      reason: a.reason,
    })),
    heat: { ids: lastHour.ids, loads: lastHour.loads },
    label: scenarioClock,
    minute: 1,
    appendix: { title: 'Every policy on this scenario', text: comparison },
  });
}
