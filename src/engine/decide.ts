import { carryConditions } from './conditions.js';
import type { AlertDraft, Rule, TickContext } from './context.js';
import { computeFigures, warmupFor } from './figures.js';
import { alertDue } from './alerts.js';
import { applyRails } from './rails.js';
import { blindRule } from './rules/blind.js';
import { ownPoliciesRule } from './rules/own-policies.js';
import { deadRule } from './rules/dead.js';
import { detachedRule } from './rules/detached.js';
import { highBandRule } from './rules/high-band.js';
import { hostRule } from './rules/host.js';
import { lowBandRule } from './rules/low-band.js';
import { notLaunchingRule } from './rules/not-launching.js';
import { runawayRule } from './rules/runaway.js';
import { saturatedRule } from './rules/saturated.js';
import { joiningOf, observeLaunches, riseLeadFor } from './launches.js';
import { fleetLoadOfWindow, mergeFleetLoad } from './fleet-load.js';
import { computeSignals, conditionKeys, continuedKeys, leftAtOf, runawayIds } from './signals.js';
import { capacityOf, sizingOf } from './sizing.js';
import { bandStatus, heldConditions } from './status.js';
import { observedState, recordAction } from './state.js';
import type { Action, Alert, BandStatus, Blocked, Config, Decision, Snapshot, State } from './types.js';

/**
 * The rules of docs/algorithm.md, in priority order. The first rule whose plan passes the rails
 * acts. The group not launching and the watchdog on one of its instances are only told, and
 * blindness changes neither: first.
 */
export const RULES: readonly Rule[] = [
  notLaunchingRule,
  hostRule,
  blindRule,
  ownPoliciesRule,
  runawayRule,
  saturatedRule,
  deadRule,
  detachedRule,
  highBandRule,
  lowBandRule,
];

/**
 * One tick for one group: what to do, why, what to tell, and what to remember. Pure: the same
 * snapshot, state, config and `now` always give the same decision. The rules read the config with
 * the rise lead the group's own launches call for (launches.ts), and its own warm-up where longer.
 */
export function decide(snapshot: Snapshot, previous: State, configured: Config, now: number): Decision {
  const launchesSeen = observeLaunches(previous, snapshot, now, configured);
  // Two controllers on one count undo each other: the band is the group's own policies' while it has any.
  const ownPolicies = configured.bandRules ? (snapshot.group.scalingPolicies ?? []) : [];
  const config: Config = {
    ...configured,
    riseLeadMinutes: riseLeadFor(configured, launchesSeen.launches),
    warmupSeconds: warmupFor(configured, snapshot),
    bandRules: configured.bandRules && ownPolicies.length === 0,
  };
  const joining = joiningOf(launchesSeen, snapshot, now);
  const figures = computeFigures(snapshot, now, config, joining);
  const signals = computeSignals(snapshot, figures, now, config, { joining, leftAt: leftAtOf(previous.lastAction), probed: new Map(Object.entries(previous.emergencies)) });
  const conditions = carryConditions(previous, conditionKeys(signals), now, config, continuedKeys(signals, config));
  const fresh = fleetLoadOfWindow(snapshot, figures, { runaways: runawayIds(signals), serving: new Set(signals.serving.map((s) => s.outlier.id)), cold: new Set(signals.cold.map((c) => c.id)) }, previous.lastAction, joining, now, config);
  const fleetLoad = mergeFleetLoad(previous.fleetLoad, fresh, now, config, snapshot.periodSeconds);
  const sizing = sizingOf(fleetLoad, config);
  const ctx: TickContext = {
    snapshot,
    config,
    now,
    previous,
    figures,
    signals,
    sizing,
    fleetLoad,
    conditions,
    capacity: capacityOf(snapshot, config),
    ownPolicies,
  };

  const blocked: Blocked[] = [];
  const drafts: AlertDraft[] = [];
  let action: Action | null = null;
  let actionDrafts: AlertDraft[] = [];
  for (const rule of RULES) {
    const result = rule(ctx);
    if (result === null) continue;
    blocked.push(...(result.blocked ?? []));
    drafts.push(...(result.alerts ?? []));
    if (result.action) {
      const railed = applyRails(result.action, ctx);
      if ('action' in railed) {
        action = railed.action;
        actionDrafts = result.actionAlerts?.(railed.action) ?? [];
        break;
      }
      blocked.push(railed.blocked);
      if (railed.alert) drafts.push(railed.alert);
    }
    if (result.halt) break;
  }

  const toAlert = (draft: AlertDraft, forAction: boolean): Alert => ({ ...draft, forAction, suppressed: !alertDue(previous, draft.key, now, config) });
  const alerts = [...actionDrafts.map((d) => toAlert(d, true)), ...drafts.map((d) => toAlert(d, false))];

  // Alerts are recorded as sent by whoever mails them (recordAlertsSent), not here.
  const stateWithoutAction: State = observedState(previous, { conditions, figures, fleetLoad, launches: launchesSeen }, now, config);
  const state = action === null ? stateWithoutAction : recordAction(stateWithoutAction, action, now, config);
  const band = bandStatus(ctx);
  return { action, summary: summarize(action, blocked, band), blocked, alerts, figures, sizing, band, held: heldConditions(ctx), state, stateWithoutAction };
}

function summarize(action: Action | null, blocked: Blocked[], band: BandStatus): string {
  if (action !== null) return action.reason;
  const first = blocked[0];
  if (first) return `no action: ${first.rule} blocked (${first.why}): ${first.detail}`;
  return `no action: ${band.line}`;
}
