import type { HistoryEntry } from '../engine/index.js';
import { MAIL_HISTORY_MINUTES } from '../config/defaults.js';

// What an alert mail says: a subject that says it all, then the decision and the band beside it,
// the instances table (the fleet's figures in its first line) and the last 30 minutes. Plain
// text; nothing secret is ever put in.

export const SUBJECT_PREFIX = '[asg-watchdog]';

export interface MailFacts {
  group: string;
  region: string;
  time: number;
  /** The alerts of this tick, most important first: each a one-line subject. */
  alerts: string[];
  /** What the tick did or why it did nothing, in the tick's own words. */
  decision: string;
  /** What the band rules saw (the band's line), beside a decision that does not say it; else null. */
  band: string | null;
  /** The instances table, as `instances` prints it. */
  table: string;
  history: readonly HistoryEntry[];
  host: string;
  version: string;
}

export interface Mail {
  subject: string;
  text: string;
}

const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} %`);
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

export function composeMail(f: MailFacts): Mail {
  const more = f.alerts.length > 1 ? ` (+${f.alerts.length - 1} more)` : '';
  const recent = f.history.filter((h) => f.time - h.at <= MAIL_HISTORY_MINUTES * 60_000);
  const lines = [
    `${f.group} in ${f.region} at ${new Date(f.time).toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    ...f.alerts.map((a) => `* ${a}`),
    '',
    `Decision: ${f.decision}`,
    ...(f.band === null ? [] : [`Band: ${f.band}`]),
    '',
    'Instances:',
    f.table.trimEnd(),
    '',
    `The last ${MAIL_HISTORY_MINUTES} minutes:`,
    'time   serving  desired  average  action',
    ...(recent.length === 0 ? ['(no history yet)'] : recent.map((h) => `${hhmm(h.at)}  ${String(h.n).padStart(7)}  ${String(h.desired).padStart(7)}  ${pct(h.avg).padStart(7)}  ${h.action ?? ''}`.trimEnd())),
    '',
    '-- ',
    `asg-watchdog ${f.version} on ${f.host}. The same alert is not mailed again within 30 minutes; dry runs never mail.`,
  ];
  return { subject: `${SUBJECT_PREFIX} ${f.alerts[0] ?? `${f.group}: alert`}${more}`, text: `${lines.join('\n')}\n` };
}

