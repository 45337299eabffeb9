// A simulated month through the real tick over local-aws, with the world failing the way it does:
// throttling, 5xx, hangs, dropped connections, PartialData, instances that vanish, sick instances,
// CloudWatch outages, and a person changing desired now and then. What must hold all month: no
// healthy instance terminated, desired within the group's bounds, the state always there and
// loadable, and every tick inside its budget.
import { describe, expect, it } from 'vitest';
import type { FailureKnob } from '../../src/local-aws/server.js';
import { seededRandom } from '../../src/sim/random.js';
import { parseScenario } from '../../src/sim/scenario.js';
import { inProcess } from '../tick/harness.js';

const DAYS = 30;
const MINUTES = DAYS * 24 * 60;
const BUDGET_MS = 8_000;
const random = seededRandom(20261123);

/** A day of web traffic (night trough, noon peak), a little different each day. */
const demand: Array<[number, number]> = [];
for (let hour = 0; hour <= DAYS * 24; hour++) {
  const daily = 0.5 - 0.5 * Math.cos(((hour % 24) / 24) * 2 * Math.PI);
  demand.push([hour * 60, Math.round((1.5 + 6 * daily * (0.8 + 0.4 * random())) * 100) / 100]);
}
const KINDS = ['runaway', 'detach', 'hang', 'crash', 'metrics-gap', 'cloudwatch-outage'] as const;
const faults = Array.from({ length: 90 }, () => {
  const kind = KINDS[Math.floor(random() * KINDS.length)]!;
  const atMinute = 60 + Math.floor(random() * (MINUTES - 120));
  if (kind === 'cloudwatch-outage') return { kind, atMinute, minutes: 1 + Math.floor(random() * 20) };
  if (kind === 'metrics-gap') return { kind, atMinute, instance: Math.floor(random() * 6), minutes: 1 + Math.floor(random() * 20) };
  return { kind, atMinute, instance: Math.floor(random() * 6) };
});

/**
 * Besides the scattered failures, one bad spell a day: AWS refusing everything for a while, or
 * metrics throttled to blindness (both for some minutes); or, from some minute on, the day's next
 * two actions hanging unanswered, or carried out by AWS with their answers lost.
 */
const SPELLS = ['aws-down', 'metrics-throttled', 'actions-hang', 'answers-lost'] as const;
type SpellKind = (typeof SPELLS)[number];
interface Spell {
  kind: SpellKind;
  from: number;
  /** How long a timed spell lasts; the others last the day, until their two actions are spent. */
  minutes: number;
  knobs: FailureKnob[];
  answersToLose: number;
}
const spells: Spell[] = Array.from({ length: DAYS }, (_, day) => {
  const kind = SPELLS[Math.floor(random() * SPELLS.length)]!;
  const from = day * 1440 + Math.floor(random() * 1200);
  const timed = kind === 'aws-down' || kind === 'metrics-throttled';
  const knobs: FailureKnob[] =
    kind === 'aws-down'
      ? [{ operation: '*', rate: 1, kind: 'unavailable' }]
      : kind === 'metrics-throttled'
        ? [{ operation: 'GetMetricData', rate: 1, kind: 'throttle' }]
        : kind === 'actions-hang'
          ? // Two actions of two attempts each; the knob counts its own failures.
            ['SetDesiredCapacity', 'TerminateInstanceInAutoScalingGroup'].map((operation) => ({ operation, rate: 1, kind: 'hang' as const, times: 4 }))
          : [];
  return { kind, from, minutes: timed ? 5 + Math.floor(random() * 25) : 1440 - (from % 1440), knobs, answersToLose: kind === 'answers-lost' ? 4 : 0 };
});
const spellAt = (minute: number) => spells.find((s) => minute >= s.from && minute < s.from + s.minutes) ?? null;

const scenario = parseScenario(
  {
    version: 1,
    name: 'month',
    durationMinutes: MINUTES,
    seed: 7,
    group: { name: 'web', min: 2, max: 16, desired: 3, launchMinutes: 3, loadBalancer: 'target-group' },
    demand,
    noise: 0.05,
    faults,
  },
  'month',
);

describe('a simulated month with faults', () => {
  it(`${DAYS} days, one tick a minute`, async () => {
    const person = seededRandom(99);
    let ticking = false;
    let spell: Spell | null = null;
    const scattered: FailureKnob[] = [
      { operation: 'GetMetricData', rate: 0.02, kind: 'partial' },
      // About one call in 250 fails; the SDK's backoff makes each failure cost real seconds.
      { operation: '*', rate: 0.002, kind: 'throttle' },
      { operation: '*', rate: 0.001, kind: 'unavailable' },
      { operation: '*', rate: 0.001, kind: 'drop' },
      { operation: '*', rate: 0.0002, kind: 'hang' },
    ];
    // The endpoint reads its knobs at every call, and the first knob that names a call is the one that
    // applies: the spells come and go at the head of this list.
    const failures: FailureKnob[] = [...scattered];
    const h = await inProcess(
      scenario,
      {
        advanceTo: 0,
        seed: 3,
        failures,
        intercept: (operation, phase) => {
          if (!ticking || phase !== 'after') return;
          // AWS acts, the answer never comes back.
          if (spell?.kind === 'answers-lost' && spell.answersToLose > 0 && (operation === 'SetDesiredCapacity' || operation === 'TerminateInstanceInAutoScalingGroup')) {
            spell.answersToLose--;
            return new Promise<void>(() => undefined);
          }
          // A person sets desired by hand about twice a day, in the middle of a tick.
          if (operation === 'GetMetricData' && person() < 0.0015) h.server.world.groups.get('web')!.setDesired(2 + Math.floor(person() * 8));
        },
      },
      { timeoutMs: 1_000 },
    );
    const fleet = h.server.world.groups.get('web')!;
    const outcomes: Record<string, number> = {};
    const overBudget: number[] = [];
    const outOfBounds: number[] = [];
    let stateLost = 0;
    try {
      for (let minute = 0; minute < MINUTES; minute++) {
        spell = spellAt(minute);
        failures.splice(0, failures.length, ...(spell?.knobs ?? []), ...scattered);
        ticking = true;
        const started = performance.now();
        const r = await h.tick({ budgetMs: BUDGET_MS });
        ticking = false;
        // The deadline is the tick's own: a generous margin keeps a loaded machine from failing this.
        if (performance.now() - started > BUDGET_MS + 4_000) overBudget.push(minute);
        const outcome = r.error ? `error: ${r.error.name}` : r.report!.executed ? `acted: ${r.report!.action!.rule}` : r.report!.refusal ? 'refused or unknown' : r.report!.heldBack ? 'held back' : 'no action';
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (fleet.desired < 2 || fleet.desired > 16) outOfBounds.push(minute);
        const loaded = await h.store().load({ readOnly: true });
        if (minute > 5 && (loaded.state === null || loaded.corruption !== null)) stateLost++;
        h.server.world.advance(1);
      }
    } finally {
      await h.close();
    }
    const healthyKills = fleet.instances.filter((i) => i.removedBy === 'terminate' && i.sick === null).map((i) => i.id);
    // The kill budget, max(1, ceil(0.1 × n)) a rolling hour, is at most 2 with n ≤ 16: lost answers must not let more through.
    const killedAt = fleet.instances.filter((i) => i.removedBy === 'terminate').map((i) => i.removedAt!).sort((a, b) => a - b);
    const overBudgetHours = killedAt.filter((at) => killedAt.filter((other) => other > at - 60 && other <= at).length > 2);
    const sickKills = fleet.instances.filter((i) => i.removedBy === 'terminate' && i.sick !== null).length;
    const spellDays: Record<string, number> = {};
    for (const sp of spells) spellDays[sp.kind] = (spellDays[sp.kind] ?? 0) + 1;
    console.log(`month: ${JSON.stringify(outcomes)}; ${sickKills} sick instances terminated; spells (days): ${JSON.stringify(spellDays)}`);
    expect({ healthyKills, outOfBounds, overBudget, stateLost, overBudgetHours }).toEqual({ healthyKills: [], outOfBounds: [], overBudget: [], stateLost: 0, overBudgetHours: [] });
    // The month is not quiet: the watchdog acted, and found most of the sick instances.
    expect({ acted: Object.keys(outcomes).some((o) => o.startsWith('acted')), sickKillsOverTen: sickKills > 10 }).toEqual({ acted: true, sickKillsOverTen: true });
  }, 1_800_000);
});
