import { composeMail, type Mail } from './alert/compose.js';
import { sendMail } from './alert/mailer.js';
import { readInstanceDetails, type InstanceDetails } from './aws/collect.js';
import { recordAlertsSent, type State } from './engine/index.js';
import type { Deadline } from './deadline.js';
import { fleetView, renderFleet } from './render/fleet.js';
import type { OutboxEntry } from './state/store.js';
import { MAIL_SAVE_MARGIN_MS } from './config/defaults.js';
import type { Run, TickOptions } from './tick.js';


interface Deliverable {
  options: TickOptions;
  deadline: Deadline;
  now: number;
  outbox: OutboxEntry[];
  engine: State;
}

/**
 * Mails the whole outbox in one mail, within the budget left. Mailed: the keys are recorded (not
 * mailed again within the dedup window) and the outbox is empty. Not mailed: it all waits for the
 * next tick, and the tick says why.
 */
export async function deliver<T extends Deliverable>(run: T, mail: Mail): Promise<T & { mailed: boolean; mailError: string | null }> {
  const left = run.deadline.remaining() - MAIL_SAVE_MARGIN_MS;
  if (!run.options.mail) return { ...run, mailed: false, mailError: null };
  if (left <= 0) return { ...run, mailed: false, mailError: 'no time left in the tick\'s budget to mail; the alerts wait for the next tick' };
  const sent = await sendMail(run.options.mail, mail, left);
  if (!sent.sent) return { ...run, mailed: false, mailError: `${sent.error}; ${run.outbox.length} alert${run.outbox.length === 1 ? '' : 's'} kept for the next tick` };
  return { ...run, engine: recordAlertsSent(run.engine, run.outbox.map((e) => e.key), run.now), outbox: [], mailed: true, mailError: null };
}

/** The mail of a tick: its alerts, the decision and the band beside it, the fleet with EC2's details, the last 30 minutes. */
export async function tickMail(run: Run): Promise<Mail> {
  const { options, deps, decision, now, outcome } = run;
  const f = decision.figures;
  let details = new Map<string, InstanceDetails>();
  try {
    details = await readInstanceDetails(deps.clients, options.group, run.deadline.signal);
  } catch {
    // The table goes without zones and addresses rather than the mail not at all.
  }
  const said = decision.action === null ? '' : outcome?.kind === 'done' ? ' (done)' : outcome ? ` (${outcome.kind}: ${outcome.message})` : run.heldBack ? ` (not done: ${run.heldBack})` : '';
  return composeMail({
    group: options.group,
    region: deps.clients.region,
    time: now,
    alerts: run.outbox.map((e) => e.subject),
    decision: `${decision.summary}${said}`,
    // As the tick's log: where the decision is an action or a block, what the band rules saw beside it.
    band: decision.action !== null || decision.blocked.length > 0 ? decision.band.line : null,
    table: renderFleet(fleetView(run.collected.snapshot, f, details, now)),
    history: run.engine.history,
    host: options.mail!.signature.host,
    version: options.mail!.signature.version,
  });
}

/** The mail of a tick that could not read the group: only the alerts, and that nothing is done. */
export function blindMail(options: TickOptions, outbox: readonly OutboxEntry[]): Mail {
  const subjects = outbox.map((e) => e.subject);
  const more = subjects.length > 1 ? ` (+${subjects.length - 1} more)` : '';
  const text = `${subjects.map((s) => `* ${s}`).join('\n')}\n\nThe watchdog cannot read the group, so it does nothing: no scaling, no kills.\n\n-- \nasg-watchdog ${options.mail!.signature.version} on ${options.mail!.signature.host}\n`;
  return { subject: `[asg-watchdog] ${subjects[0] ?? options.group}${more}`, text };
}
