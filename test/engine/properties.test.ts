// The safety rails as properties: over random fleets and random histories of ticks, whatever the
// loads, lifecycles and balancer states, the engine never does what an operator could not forgive.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { decide, initialState } from '../../src/engine/index.js';
import type { Decision, Snapshot, State } from '../../src/engine/index.js';
import { at, fleet, MIN, type InstanceSpec } from './fleet.js';

const HOUR = 60 * MIN;

// Mostly healthy instances with a minority of every kind of trouble, so that rules do fire.
const often = <T,>(usual: T, ...rare: T[]) =>
  fc.oneof({ weight: 8, arbitrary: fc.constant(usual) }, { weight: 2, arbitrary: fc.constantFrom(...rare) });

const instanceArb: fc.Arbitrary<InstanceSpec> = fc.record({
  load: fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 5, arbitrary: fc.constantFrom(0.5, 1, 3, 30, 50, 70, 80, 90, 96, 100) },
    { weight: 5, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) },
  ),
  lifecycle: often('InService', 'Pending', 'Pending:Wait', 'Standby', 'Terminating'),
  health: often<'Healthy' | 'Unhealthy'>('Healthy', 'Unhealthy'),
  protected: often(false, true),
  lb: often<'in' | 'out' | 'unknown'>('in', 'out', 'unknown'),
  age: often(600, 1, 4, 6),
  staleBy: often(0, 1, 4),
});

interface World {
  min: number;
  max: number;
  lb: boolean;
  /** A few looks of the same fleet (same ids); each tick shows one of them, so conditions can hold. */
  looks: InstanceSpec[][];
  /** Per tick: which look, how many minutes since the previous tick, metrics readable. */
  ticks: Array<{ look: number; step: number; metricsOk: boolean; desiredDelta: number }>;
}

const worldArb: fc.Arbitrary<World> = fc
  .record({ size: fc.integer({ min: 1, max: 12 }), min: fc.integer({ min: 0, max: 4 }), span: fc.integer({ min: 0, max: 12 }), lb: fc.boolean() })
  .chain(({ size, min, span, lb }) =>
    fc.record({
      min: fc.constant(min),
      max: fc.constant(min + span),
      lb: fc.constant(lb),
      looks: fc.array(fc.array(instanceArb, { minLength: size, maxLength: size }), { minLength: 1, maxLength: 3 }),
      ticks: fc.array(
        fc.record({
          look: often(0, 1, 2),
          step: often(1, 2, 5),
          metricsOk: often(true, false),
          desiredDelta: often(0, -1, 1, 2),
        }),
        { minLength: 1, maxLength: 60 },
      ),
    }),
  );

/** Replays a world, calling `check` with each tick's inputs and decision. */
function replay(world: World, check: (snapshot: Snapshot, previous: State, d: Decision, now: number) => void): void {
  let state = initialState();
  let minute = 0;
  for (const tick of world.ticks) {
    minute += tick.step;
    const now = at(minute);
    const look = world.looks[tick.look % world.looks.length]!.map((spec, i) => ({ ...spec, id: `i-${i}` }));
    const launched = look.filter((s) => s.lifecycle === 'InService' || s.lifecycle?.startsWith('Pending')).length;
    const desired = Math.min(world.max, Math.max(world.min, launched + tick.desiredDelta));
    const snapshot = fleet(now, look, { min: world.min, max: world.max, desired, lb: world.lb, metricsOk: tick.metricsOk });
    const d = decide(snapshot, state, defaultConfig, now);
    check(snapshot, state, d, now);
    state = d.state;
  }
}

const runs = { numRuns: 400 };

describe('safety rails hold over random fleets and histories', () => {
  it('desired never leaves [min, max]', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (_s, _p, d) => {
          if (d.action) expect(d.action.to).toBeGreaterThanOrEqual(world.min);
          if (d.action) expect(d.action.to).toBeLessThanOrEqual(world.max);
        }),
      ),
      runs,
    );
  });

  it('at most one action per tick: one record, at most one kill more', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (_s, previous, d, now) => {
          const newKills = d.state.kills.filter((k) => k.at === now).length;
          expect(newKills).toBeLessThanOrEqual(d.action?.kind === 'terminate' ? 1 : 0);
          expect(d.state.lastAction === previous.lastAction).toBe(d.action === null);
        }),
      ),
      runs,
    );
  });

  it('terminations in any rolling hour stay within the budget', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (_s, previous, d, now) => {
          if (d.action?.kind !== 'terminate') return;
          const inLastHour = previous.kills.filter((k) => now - k.at < HOUR).length + 1;
          expect(inLastHour).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.1 * d.figures.n)));
        }),
      ),
      runs,
    );
  });

  it('only a measured, InService, unprotected instance is terminated, and never while blind', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (snapshot, _p, d) => {
          if (d.action?.kind !== 'terminate') return;
          const id = d.action.instance;
          const view = snapshot.instances.find((i) => i.id === id);
          expect(view?.lifecycle).toBe('InService');
          expect(view?.protectedFromScaleIn).toBe(false);
          expect(d.figures.instances.find((i) => i.id === id)?.load).not.toBeNull();
          expect(d.figures.coverage).toBeGreaterThanOrEqual(0.5);
          expect(d.figures.measured).toBeGreaterThan(1);
        }),
      ),
      runs,
    );
  });

  it('an unmeasured serving instance blocks scale-in', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (_s, _p, d) => {
          const scalesIn = d.action !== null && d.action.to < d.action.from && d.action.rule !== 'runaway';
          if (scalesIn) expect(d.figures.coverage).toBe(1);
        }),
      ),
      runs,
    );
  });

  // A balancer or an application gone wrong: most of a settled fleet out of the balancer, idle or
  // not, held for half an hour, beside the random worlds above (where it seldom lasts).
  const massDetachArb: fc.Arbitrary<World> = fc.integer({ min: 3, max: 12 }).chain((size) =>
    fc.record({
      min: fc.integer({ min: 0, max: 2 }),
      max: fc.constant(20),
      lb: fc.constant(true),
      looks: fc
        .tuple(
          fc.integer({ min: Math.floor(size / 2) + 1, max: size }),
          // Out of the balancer most idle near 1 %; some, still loaded by their own jobs, not.
          fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0.5, 1, 3) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }) }), { minLength: size, maxLength: size }),
          // In it, the few left carry the traffic.
          fc.array(fc.double({ min: 5, max: 100, noNaN: true }), { minLength: size, maxLength: size }),
        )
        .map(([outs, idle, working]) => [idle.map((load, i): InstanceSpec => (i < outs ? { load, lb: 'out' } : { load: working[i]!, lb: 'in' }))]),
      ticks: fc.constant(Array.from({ length: 30 }, () => ({ look: 0, step: 1, metricsOk: true, desiredDelta: 0 }))),
    }),
  );

  it('with more than half the fleet out of the balancer, no instance out of it is killed, and nothing is scaled in', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 1, arbitrary: worldArb }, { weight: 3, arbitrary: massDetachArb }), (world) =>
        replay(world, (_s, _p, d) => {
          // Out and not joining (on its way since its launch): what rule 5 counts.
          const out = new Set(d.figures.instances.filter((i) => i.serving && i.lb === 'out' && i.unmeasured !== 'joining').map((i) => i.id));
          if (out.size * 2 <= d.figures.n || d.action === null) return;
          // Out of its balancer an instance is no runaway either (it takes no share): rule 5's alone.
          const killsOut = d.action.kind === 'terminate' && out.has(d.action.instance);
          const scalesIn = d.action.kind === 'set-desired' && d.action.to < d.action.from;
          const decrements = d.action.kind === 'terminate' && d.action.decrement && d.action.rule !== 'runaway';
          expect({ killsOut, scalesIn, decrements }).toEqual({ killsOut: false, scalesIn: false, decrements: false });
        }),
      ),
      runs,
    );
  });

  // The scale-in's half of the rail is the N−1 rule's rows (rules.test.ts): random fleets are
  // seldom all measured for the 10 minutes a scale-in needs.
  it('a high-band step at most doubles the serving fleet', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (_s, _p, d) => {
          if (d.action?.kind === 'set-desired' && d.action.rule === 'high-band') expect(d.action.to - d.figures.n).toBeLessThanOrEqual(Math.max(1, d.figures.n));
        }),
      ),
      runs,
    );
  });

  it('the same inputs give the same decision', () => {
    fc.assert(
      fc.property(worldArb, (world) =>
        replay(world, (snapshot, previous, d, now) => {
          expect(decide(structuredClone(snapshot), structuredClone(previous), defaultConfig, now)).toEqual(d);
        }),
      ),
      { numRuns: 100 },
    );
  });
});

// A healthy fleet behind a round-robin balancer, every instance as many requests (or, without
// cross-zone balancing, every zone as many, shared by its instances), in zones the group keeps
// within one instance of each other, of types a mixed instances policy may launch: three sizes,
// and in each a type up to 1.6 × faster a vCPU (a Graviton core beside a hyperthread). Each one's
// CPU is its work on its own vCPUs at its speed, capped at 100 %, plus a few points of noise.
// Nothing in it is sick.
describe('a healthy fleet of mixed sizes, speeds and zones', () => {
  const SIZES = [
    { type: 'c5.large', vcpus: 2, speed: 1 },
    { type: 'c7g.large', vcpus: 2, speed: 1.6 },
    { type: 'm5.xlarge', vcpus: 4, speed: 1 },
    { type: 'm6i.xlarge', vcpus: 4, speed: 1.2 },
    { type: 'c5.2xlarge', vcpus: 8, speed: 1 },
    { type: 'c7g.2xlarge', vcpus: 8, speed: 1.6 },
  ];
  const healthyArb = fc.integer({ min: 2, max: 12 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      zones: fc.integer({ min: 1, max: 3 }),
      crossZone: fc.boolean(),
      sizes: fc.array(fc.integer({ min: 0, max: SIZES.length - 1 }), { minLength: n, maxLength: n }),
      // The fleet's work in vCPUs' worth: from idle to more than the smallest can serve.
      work: fc.double({ min: 0.2, max: 3 * n, noNaN: true }),
      noise: fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 3 }),
    }),
  );

  it('no instance is killed, whatever its type or zone', () => {
    fc.assert(
      fc.property(healthyArb, ({ n, zones, crossZone, sizes, work, noise }) => {
        const zoneOf = (i: number) => `us-east-1${'abc'[i % zones]}`;
        const inZone = (zone: string) => Array.from({ length: n }, (_, i) => zoneOf(i)).filter((z) => z === zone).length;
        const share = (i: number) => (crossZone ? 1 / n : 1 / (Math.min(zones, n) * inZone(zoneOf(i))));
        const looks = noise.map((jitter) =>
          Array.from({ length: n }, (_, i): InstanceSpec => {
            const size = SIZES[sizes[i]!]!;
            const cpu = Math.min(100, (100 * work * share(i)) / (size.vcpus * size.speed));
            return { load: Math.min(100, Math.max(0, cpu + jitter[i]!)), type: size.type, zone: zoneOf(i), lb: 'in', lifecycle: 'InService' };
          }),
        );
        const world: World = { min: 1, max: 40, lb: true, looks: [looks[0]!, ...looks.slice(1)], ticks: Array.from({ length: 30 }, (_, k) => ({ look: k % looks.length, step: 1, metricsOk: true, desiredDelta: 0 })) };
        replay(world, (_s, _p, d) => expect(d.action?.kind === 'terminate' ? d.action : null).toBeNull());
      }),
      runs,
    );
  });

  // Behind a round-robin balancer each instance gets as many requests: after a scale-in to `to`,
  // whichever instances the group removes, each one's CPU is its CPU × n / to. Sizes of one or
  // more instances each (one alone: a small mixed group is mostly loners), alike a vCPU;
  // cross-zone balancing on.
  const ALIKE = [SIZES[0]!, SIZES[2]!, SIZES[4]!];
  const roundRobinArb = fc.record({
    counts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })), { minLength: ALIKE.length, maxLength: ALIKE.length }).filter((c) => c.some((k) => k > 0)),
    perInstance: fc.double({ min: 0.05, max: 1.6, noNaN: true }),
    noise: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 15, maxLength: 15 }),
  });

  it('a scale-in never takes any size above the high mark, one alone or more', () => {
    let scaledIn = 0;
    fc.assert(
      fc.property(roundRobinArb, ({ counts, perInstance, noise }) => {
        // Each instance's work, in vCPUs' worth: its CPU is that on its own vCPUs.
        const sizes = counts.flatMap((count, k) => Array<(typeof ALIKE)[number]>(count).fill(ALIKE[k]!));
        const cpuOf = (vcpus: number) => Math.min(100, (100 * perInstance) / vcpus);
        const look = sizes.map((size, i): InstanceSpec => ({ load: Math.min(100, Math.max(0, cpuOf(size.vcpus) + noise[i]!)), type: size.type, lb: 'in', lifecycle: 'InService' }));
        const n = look.length;
        // 25 minutes: the N−1 rule waits for 20 of fleet load (5 at the first tick, one a tick).
        const world: World = { min: 1, max: 40, lb: true, looks: [look], ticks: Array.from({ length: 25 }, () => ({ look: 0, step: 1, metricsOk: true, desiredDelta: 0 })) };
        let first = true;
        replay(world, (_s, _p, d) => {
          if (!first || d.action?.kind !== 'set-desired' || d.action.to >= d.action.from) return;
          first = false;
          scaledIn++;
          const hottest = Math.max(...sizes.map((size) => cpuOf(size.vcpus)));
          // The noise (± 2 points) grows with the load it rides on.
          expect((hottest * n) / d.action.to - 2 * (n / d.action.to)).toBeLessThanOrEqual(defaultConfig.high);
        });
      }),
      runs,
    );
    // Not vacuous: most of these fleets are quiet enough to scale in.
    expect(scaledIn).toBeGreaterThan(runs.numRuns / 4);
  });
});

// Without cross-zone balancing the traffic is split evenly between the group's zones, then between
// the instances in each; the group keeps its zones within one of each other, and takes from the
// fullest zone on a scale-in.
describe('a fleet whose balancers do not balance across zones', () => {
  const zonedArb = fc.record({
    zones: fc.integer({ min: 2, max: 3 }),
    n: fc.integer({ min: 2, max: 12 }),
    // The traffic, in instances' worth at 100 %.
    traffic: fc.double({ min: 0.2, max: 10, noNaN: true }),
    noise: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 12, maxLength: 12 }),
  });

  it('a scale-in never takes the smallest zone above the high mark', () => {
    let scaledIn = 0;
    fc.assert(
      fc.property(zonedArb, ({ zones, n, traffic, noise }) => {
        const zoneOf = (i: number) => i % zones;
        const inZone = (z: number) => Array.from({ length: n }, (_, i) => zoneOf(i)).filter((x) => x === z).length;
        const used = Math.min(zones, n);
        const look = Array.from({ length: n }, (_, i): InstanceSpec => {
          const cpu = Math.min(100, (100 * traffic) / (used * inZone(zoneOf(i))));
          return { load: Math.min(100, Math.max(0, cpu + noise[i]!)), zone: `us-east-1${'abc'[zoneOf(i)]}`, lb: 'in', lifecycle: 'InService' };
        });
        // Only a fleet that serves what comes (no zone pinned) has a load to size a scale-in on.
        if (look.some((s) => (s.load ?? 0) >= 95)) return;
        let first = true;
        let state = initialState();
        // 25 minutes: the N−1 rule waits for 20 of fleet load (5 at the first tick, one a tick).
        for (let minute = 1; minute <= 25; minute++) {
          const snapshot = fleet(at(minute), look.map((spec, i) => ({ ...spec, id: `i-${i}` })), { min: 1, max: 40, zones, crossZone: false });
          const d = decide(snapshot, state, defaultConfig, at(minute));
          state = d.state;
          if (!first || d.action?.kind !== 'set-desired' || d.action.to >= d.action.from) continue;
          first = false;
          scaledIn++;
          // n' instances in z zones: the smallest zone holds ⌊n' / z⌋ (each alone while n' ≤ z).
          const to = d.action.to;
          const smallest = to <= zones ? to : zones * Math.floor(to / zones);
          // The noise (± 2 points) grows with the load it rides on.
          expect((100 * traffic) / smallest - 2 * (n / to)).toBeLessThanOrEqual(defaultConfig.high);
        }
      }),
      runs,
    );
    expect(scaledIn).toBeGreaterThan(runs.numRuns / 4);
  });
});
