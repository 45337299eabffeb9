import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { decide, initialState, recordAlertsSent } from '../../src/engine/index.js';
import type { State } from '../../src/engine/index.js';
import { at, fleet, MIN, type InstanceSpec } from './fleet.js';
import { tickMinutes, withConfig } from './timeline.js';

describe('a condition holds only while it is seen at every tick', () => {
  // Blind (one of three measured) is a condition that never acts: only its `since` moves.
  const blind = (now: number) => fleet(now, [50, null, null]);
  it.each<[string, number[], number | undefined]>([
    ['ticks every minute keep since', [0, 1, 2, 3], at(0)],
    ['ticks three minutes apart keep since', [0, 3, 6], at(0)],
    ['a gap over maxTickGapSeconds starts afresh', [0, 1, 5], at(5)],
    ['a clock that went back starts afresh', [5, 3], at(3)],
  ])('%s', (_, minutes, since) => {
    let state = initialState();
    for (const m of minutes) state = decide(blind(at(m)), state, defaultConfig, at(m)).stateWithoutAction;
    expect(state.conditions['blind']).toBe(since);
  });

  it('one tick where it is false resets it', () => {
    const decisions = tickMinutes(5, (now, m) => fleet(now, [50, m === 2 ? 50 : null, null]));
    expect(decisions[1]!.state.conditions['blind']).toBe(at(0));
    expect(decisions[2]!.state.conditions['blind']).toBeUndefined();
    expect(decisions[5]!.state.conditions['blind']).toBe(at(3));
  });

  it('each instance has its own since', () => {
    const out = (id: string): InstanceSpec => ({ id, load: 60, lb: 'out' });
    const decisions = tickMinutes(6, (now, m) => fleet(now, [m >= 0 ? out('a') : 60, m >= 3 ? out('b') : { id: 'b', load: 60 }, 60, 60, 60]));
    expect(decisions[6]!.state.conditions).toMatchObject({ 'detached:a': at(0), 'detached:b': at(3) });
  });
});

describe('safety rails', () => {
  const killed = (state: State) => state.kills.map((k) => k.instance);
  const deadFleet = (n: number) => (now: number) => fleet(now, [1, 1, ...Array(n - 2).fill(80)], { lb: false, min: n, max: n });

  it('one kill per rolling hour in a fleet of 10; the next becomes an alert', () => {
    const decisions = tickMinutes(10, deadFleet(10));
    expect(killed(decisions.at(-1)!.state)).toEqual(['i-0']);
    const over = decisions.find((d) => d.blocked.some((b) => b.why === 'kill-budget'))!;
    expect(over.alerts.map((a) => a.key)).toContain('kill-budget:i-0');
  });

  it('two kills per rolling hour in a fleet of 20', () => {
    const d = tickMinutes(10, deadFleet(20)).at(-1)!;
    expect(d.state.kills).toHaveLength(2);
  });

  it('the budget refills an hour after a kill', () => {
    const lastHour: State = { ...initialState(), kills: [{ at: at(0) - 60 * MIN, kind: 'terminate', rule: 'dead', from: 4, to: 4, instance: 'i-x' }] };
    // Seven: two dead beside five at work (with no more than twice as many at work as idle, a dead
    // one waits for an instance launched since to work, and here, at the group's max, none can be).
    const d = tickMinutes(5, deadFleet(7), { state: lastHour }).at(-1)!;
    expect(d.action).toMatchObject({ kind: 'terminate', instance: 'i-0' });
  });

  it.each([
    // A protected dead instance is not killed, and the operator is told once why the promised kill does not come.
    { what: 'protected from scale-in', killProtected: false, action: null, blocked: ['not-killable'], alerts: ['protected:i-0'] },
    { what: 'protected, with killProtected', killProtected: true, action: 'terminate', blocked: [], alerts: ['terminate:i-0'] },
  ])('$what', ({ killProtected, action, blocked, alerts }) => {
    const config = withConfig({ killProtected });
    const d = tickMinutes(5, (now) => fleet(now, [{ load: 1, protected: true }, 80, 80, 80], { lb: false, min: 4 }), { config }).at(-1)!;
    expect({ action: d.action?.kind ?? null, blocked: d.blocked.map((b) => b.why), alerts: d.alerts.map((a) => a.key) }).toEqual({ action, blocked, alerts });
  });

  // The watchdog on an instance of its own group (Snapshot.hostInstance): it never kills that
  // one, since the group would go unwatched, and says why the promised kill does not come; and it
  // says once in 30 minutes that a scale-in may take it, unless it is protected from scale-in.
  const onHost = "web: the watchdog runs on i-0, an instance of the group: a scale-in may remove it and leave the group unwatched; run it on a host outside the group, or as the Lambda (docs/operations.md), or protect i-0 from scale-in";
  it.each([
    { what: 'dead, the host', fleet: [1, 80, 80, 80], host: 'i-0', action: null, blocked: ['dead: not-killable: i-0 is the host the watchdog runs on'], alerts: [onHost, 'web: not terminating i-0, the watchdog runs on it (dead: i-0 CPU 1.0 % vs 80.0 % of the others for 5 min); run it on a host outside the group, or as the Lambda (docs/operations.md)'] },
    { what: 'dead, another host', fleet: [1, 80, 80, 80], host: 'i-2', action: 'terminate i-0', blocked: [], alerts: ['web: terminated i-0 (dead, CPU 1.0 % vs 80.0 %); the group replaces it', "web: the watchdog runs on i-2, an instance of the group: a scale-in may remove it and leave the group unwatched; run it on a host outside the group, or as the Lambda (docs/operations.md), or protect i-2 from scale-in"] },
    { what: 'the host, protected from scale-in', fleet: [{ load: 60, protected: true }, 60, 60], host: 'i-0', action: null, blocked: [], alerts: [] },
    { what: 'the host, not protected', fleet: [60, 60, 60], host: 'i-0', action: null, blocked: [], alerts: [onHost] },
    // No scale-in removes an instance in Standby: nothing to tell.
    { what: 'the host in Standby', fleet: [{ load: null, lifecycle: 'Standby' }, 60, 60, 60], host: 'i-0', action: null, blocked: [], alerts: [] },
    // Protected and sick: the host's reason, not the protection's, whose advice (lift it, or set
    // killProtected) would not make it killable.
    { what: 'dead, the host, protected from scale-in', fleet: [{ load: 1, protected: true }, 80, 80, 80], host: 'i-0', action: null, blocked: ['dead: not-killable: i-0 is the host the watchdog runs on'], alerts: ['web: not terminating i-0, the watchdog runs on it (dead: i-0 CPU 1.0 % vs 80.0 % of the others for 5 min); run it on a host outside the group, or as the Lambda (docs/operations.md)'] },
  ])('$what', ({ fleet: loads, host, action, blocked, alerts }) => {
    const d = tickMinutes(5, (now) => fleet(now, loads, { lb: false, min: 3, hostInstance: host })).at(-1)!;
    expect({
      action: d.action && `${d.action.kind} ${d.action.kind === 'terminate' ? d.action.instance : d.action.to}`,
      blocked: d.blocked.map((b) => `${b.rule}: ${b.why}: ${b.detail}`),
      alerts: d.alerts.map((a) => a.subject),
    }).toEqual({ action, blocked, alerts });
  });

  // A host clock off AWS's places CloudWatch's minutes and the instances' ages wrongly (the
  // collector reads AWS's from its answers: Snapshot.clockOffsetSeconds, positive when the host is
  // behind). Beyond maxClockOffsetSeconds (60) capacity is added, never removed, and rule 1 says why.
  it.each([
    { what: 'a dead instance, the clock within the minute', offset: 59, loads: [1, 80, 80, 80], action: 'terminate 4 → 4', blocked: [], alerts: ['terminate:i-0'] },
    { what: 'a dead instance, the clock 90 s behind', offset: 90, loads: [1, 80, 80, 80], action: null, blocked: ['dead: clock'], alerts: ['clock'] },
    { what: 'a detached instance, the clock 61 s ahead', offset: -61, loads: [{ load: 60, lb: 'out' as const }, 60, 60], action: null, blocked: ['detached: clock'], alerts: ['clock'] },
    { what: 'a fleet above the band, the clock 90 s ahead', offset: -90, loads: [90, 90, 90], action: 'set-desired 3 → 4', blocked: [], alerts: ['clock'] },
    // Until the N−1 rule has the minutes of fleet load it reads, `history` holds it in any case.
    { what: 'a surplus, the clock 2 min behind', offset: 120, loads: [30, 30, 30, 30], action: null, blocked: ['n-minus-1: history', 'n-minus-1: clock'], alerts: ['clock'] },
    { what: 'a surplus, the clock on time', offset: 0, loads: [30, 30, 30, 30], action: 'set-desired 4 → 2', blocked: ['n-minus-1: history'], alerts: [] },
  ])('$what', ({ offset, loads, action, blocked, alerts }) => {
    // Up to twenty minutes of the same fleet: its first action and every block and alert met until then.
    const all = tickMinutes(20, (now) => ({ ...fleet(now, loads, { lb: true, min: 1 }), clockOffsetSeconds: offset }));
    const acted = all.findIndex((d) => d.action !== null);
    const decisions = acted < 0 ? all : all.slice(0, acted + 1);
    const first = decisions.at(-1)!.action;
    expect({
      action: first && `${first.kind} ${first.from} → ${first.to}`,
      blocked: [...new Set(decisions.flatMap((d) => d.blocked.map((b) => `${b.rule}: ${b.why}`)))],
      alerts: [...new Set(decisions.flatMap((d) => d.alerts.map((a) => a.key)))],
    }).toEqual({ action, blocked, alerts });
  });

  it('never terminates the only measured instance', () => {
    const d = tickMinutes(6, (now) => fleet(now, [{ load: 60, lb: 'out' }, null])).at(-1)!;
    expect(d.action).toBeNull();
    expect(d.blocked).toContainEqual(expect.objectContaining({ rule: 'detached', why: 'not-killable' }));
  });

  it('replaces rather than decrements below min', () => {
    // A runaway beside a single working peer, sending half what it does (NetworkOut): proven.
    const d = tickMinutes(5, (now) => fleet(now, [{ load: 100, sent: 15e6 }, { load: 50, sent: 30e6 }], { min: 2 })).at(-1)!;
    expect(d.action).toMatchObject({ kind: 'terminate', decrement: false, from: 2, to: 2 });
  });

  it('fails closed when minInstances is above the group max', () => {
    const config = withConfig({ minInstances: 8 });
    const d = tickMinutes(3, (now) => fleet(now, [90, 90], { max: 6 }), { config }).at(-1)!;
    expect(d.action).toBeNull();
    expect(d.blocked[0]).toMatchObject({ why: 'bounds' });
  });
});

describe('alerts', () => {
  it('are not due again within alertDedupSeconds once recorded as mailed', () => {
    // As the tick does: mail what is due, record it; the engine then suppresses the same key.
    let state = initialState();
    const sent: string[] = [];
    for (let m = 0; m <= 40; m++) {
      const d = decide(fleet(at(m), [50, null, null]), state, defaultConfig, at(m));
      const due = d.alerts.filter((a) => !a.suppressed).map((a) => a.key);
      sent.push(...due.map((key) => `${m}:${key}`));
      state = recordAlertsSent(d.state, due, at(m));
    }
    expect(sent).toEqual(['5:blind', '35:blind']);
  });

  it('are only judged by the engine: nothing is recorded as sent until someone mails it', () => {
    const d = decide(fleet(at(0), [100, 50]), initialState(), defaultConfig, at(0));
    expect(d.alerts).toEqual([expect.objectContaining({ key: 'runaway:i-0', forAction: true, suppressed: false })]);
    expect(d.state.alertsSent).toEqual({});
    expect(recordAlertsSent(d.state, ['runaway:i-0'], at(0)).alertsSent).toEqual({ 'runaway:i-0': at(0) });
  });

  it('a record past the dedup window is forgotten', () => {
    const old = recordAlertsSent(initialState(), ['blind'], at(0) - 31 * MIN);
    expect(decide(fleet(at(0), [50, 50]), old, defaultConfig, at(0)).state.alertsSent).toEqual({});
  });

  it('say the whole story in the subject', () => {
    const d = tickMinutes(5, (now) => fleet(now, [{ load: 99.6, sent: 15e6 }, { load: 41.2, sent: 30e6 }])).at(-1)!;
    expect(d.alerts[0]!.subject).toBe('web: terminated i-0 (runaway, CPU 99.6 % vs 41.2 %); desired 2 → 1');
  });
});
