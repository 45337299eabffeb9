// The measured launch (src/engine/launches.ts) as properties: over random ticks of a group whose
// instances come and go through every lifecycle and balancer state, with gaps between ticks,
// what is learned is a launch the watchdog saw, and the lead it gives is never shorter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { LAUNCHES_KEPT, LONGEST_LAUNCH_MINUTES, observeLaunches, riseLeadFor } from '../../src/engine/launches.js';
import type { InstanceView, LbState, Snapshot } from '../../src/engine/index.js';
import { at, MIN } from './fleet.js';

const IDS = ['i-a', 'i-b', 'i-c', 'i-d'];
/** What one instance shows at one tick; its launch time is its own for the whole run. */
const viewArb = fc.record({
  present: fc.boolean(),
  lifecycle: fc.constantFrom('Pending', 'Pending:Wait', 'InService', 'Terminating', 'Standby'),
  health: fc.constantFrom<'Healthy' | 'Unhealthy'>('Healthy', 'Unhealthy'),
  lb: fc.constantFrom<LbState>('in', 'out', 'unknown', 'none'),
});
/** Ticks: minutes since the one before (1, cron's minute, to 6: missed runs), and what each instance shows. */
const ticksArb = fc.array(fc.record({ gap: fc.integer({ min: 1, max: 6 }), views: fc.array(viewArb, { minLength: IDS.length, maxLength: IDS.length }) }), { minLength: 1, maxLength: 30 });
/** Each instance's launch, in minutes of the run (AWS's clock may run ahead of ours: later than the tick that sees it). */
const launchedArb = fc.array(fc.integer({ min: -60, max: 120 }), { minLength: IDS.length, maxLength: IDS.length });
const serving = (i: InstanceView) => i.lifecycle === 'InService' && i.health === 'Healthy' && (i.lb === 'in' || i.lb === 'none');

describe('observeLaunches over random ticks', () => {
  it('keeps at most 5 launches, each one seen on its way and serving since, over 0 and at most 30 minutes; the lead never shorter', () => {
    fc.assert(
      fc.property(ticksArb, launchedArb, fc.integer({ min: 0, max: 20 }), (ticks, launched, riseLeadMinutes) => {
        let state = { lastTickAt: null as number | null, launching: [] as string[], launches: [] as number[] };
        let minute = 0;
        for (const tick of ticks) {
          minute += tick.gap;
          const now = at(minute);
          const instances: InstanceView[] = IDS.flatMap((id, k) => {
            const v = tick.views[k]!;
            return v.present ? [{ id, lifecycle: v.lifecycle, health: v.health, protectedFromScaleIn: false, launchTime: at(launched[k]!), lb: v.lb, cpu: [] }] : [];
          });
          const snapshot: Snapshot = { group: { name: 'web', min: 0, max: 10, desired: instances.length, hasLoadBalancers: true }, instances, periodSeconds: 60, metricsOk: true };
          const seen = observeLaunches(state, snapshot, now, defaultConfig);
          // Something is learned only from an instance on its way at the last tick that serves now.
          const arrived = instances.some((i) => state.launching.includes(i.id) && serving(i));
          expect(arrived || seen.launches.join() === state.launches.join()).toBe(true);
          expect(seen.launches.length).toBeLessThanOrEqual(LAUNCHES_KEPT);
          for (const seconds of seen.launches) expect(seconds > 0 && seconds <= LONGEST_LAUNCH_MINUTES * 60).toBe(true);
          // On its way: only instances launched within the last 30 minutes, never one serving.
          for (const id of seen.launching) {
            const i = instances.find((x) => x.id === id)!;
            expect(now - i.launchTime).toBeLessThanOrEqual(LONGEST_LAUNCH_MINUTES * MIN);
            expect(serving(i)).toBe(false);
          }
          expect(riseLeadFor({ riseLeadMinutes }, seen.launches)).toBeGreaterThanOrEqual(riseLeadMinutes);
          state = { lastTickAt: now, ...seen };
        }
      }),
      { numRuns: 2000 },
    );
  });
});
