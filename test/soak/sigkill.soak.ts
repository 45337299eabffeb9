// The SIGKILL campaign: 100 real `watch` processes killed at random points (while starting, reading,
// checking again, during the AWS call, between the call and the save, while saving). After each,
// the state loads and the rest of the story, ticked in-process, never repeats an action.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/sim/random.js';
import { BIN } from '../cli/run.js';
import { MUTATING, shipped } from '../e2e/local.js';
import { inProcess, type InProcess } from '../tick/harness.js';

interface KillPoint {
  what: string;
  /** Kill when this call (a mutating one: `mutating`) reaches this phase, the nth time; or `delayMs` after the start. */
  op?: string;
  phase?: 'before' | 'after';
  nth?: number;
  /** After the call's answer went out, this much later: while the outcome is being saved. */
  afterMs?: number;
  delayMs?: number;
}

const POINTS = (r: () => number): KillPoint[] => [
  { what: 'while starting', delayMs: Math.floor(r() * 900) },
  { what: 'reading the group', op: 'DescribeAutoScalingGroups', phase: 'before', nth: 1 },
  { what: 'reading the metrics', op: 'GetMetricData', phase: 'before', nth: 1 },
  { what: 'checking the group again before acting', op: 'DescribeAutoScalingGroups', phase: 'after', nth: 2 },
  { what: 'during the AWS call, before AWS acts', op: 'mutating', phase: 'before', nth: 1 },
  { what: 'between the AWS call and the save', op: 'mutating', phase: 'after', nth: 1 },
  { what: 'while saving the outcome', op: 'mutating', phase: 'after', nth: 1, afterMs: Math.floor(r() * 40) },
];

// runaway-cpu unharmed: the emergency +1 at minute 15, the kill at minute 20. In the third story a
// second runaway follows at minute 21, inside the hour of the first kill: the budget (one kill an
// hour in a fleet this small) must hold it, crash or no crash.
const STORIES = [
  { what: 'the +1', killedAt: 15, faults: [], setDesired: 1, terminated: ['runaway'], desired: 2 },
  { what: 'the kill', killedAt: 20, faults: [], setDesired: 0, terminated: ['runaway'], desired: 2 },
  // The second runaway gets its emergency +1 (2 → 3) but not its kill within the hour.
  { what: 'the kill, a second runaway coming', killedAt: 20, faults: [{ atMinute: 21, kind: 'runaway', instance: 1 }], setDesired: 1, terminated: ['runaway'], desired: 3 },
];

const scenarioOf = (story: (typeof STORIES)[number]) => {
  const base = shipped('runaway-cpu');
  return { ...base, faults: [...base.faults, ...story.faults] } as typeof base;
};

const episodes = Array.from({ length: 100 }, (_, k) => {
  const r = seededRandom(1_000 + k);
  const points = POINTS(r);
  const point = points[k % points.length]!;
  const story = STORIES[Math.floor(k / points.length) % STORIES.length]!;
  return { k, story, point, name: `${String(k).padStart(3)}: ${story.what}, killed ${point.what}${point.delayMs !== undefined ? ` (${point.delayMs} ms)` : point.afterMs !== undefined ? ` (+${point.afterMs} ms)` : ''}` };
});

let h: InProcess | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('SIGKILL at random points never repeats an action', () => {
  it.each(episodes)('$name', async ({ story, point }) => {
    let child: ChildProcess | null = null;
    let killed = false;
    let seen = 0;
    const applied = { SetDesiredCapacity: 0, TerminateInstanceInAutoScalingGroup: 0 };
    const kill = () => {
      if (child && !killed && child.exitCode === null) process.kill(child.pid!, 'SIGKILL');
      killed = true;
    };
    h = await inProcess(scenarioOf(story), {
      advanceTo: 15,
      intercept: (operation, phase) => {
        if (phase === 'after' && (operation === 'SetDesiredCapacity' || operation === 'TerminateInstanceInAutoScalingGroup')) applied[operation]++;
        if (!child || killed) return;
        const matches = (point.op === 'mutating' ? MUTATING.includes(operation) : operation === point.op) && phase === point.phase;
        if (!matches || ++seen !== point.nth) return;
        if (point.afterMs !== undefined) return void setTimeout(kill, point.afterMs);
        kill();
        return new Promise<void>(() => undefined); // the dead client gets no answer
      },
    });
    for (let minute = 15; minute < story.killedAt; minute++) {
      await h.tick();
      h.server.world.advance(1);
    }
    applied.SetDesiredCapacity = 0;
    applied.TerminateInstanceInAutoScalingGroup = 0;

    child = spawn(process.execPath, [BIN, 'watch', '-g', 'web', '--endpoint-url', h.url], {
      stdio: 'ignore',
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        ASG_WATCHDOG_NOW: String(h.server.world.virtualNow()),
        ASG_WATCHDOG_STATE_DIR: h.stateDir,
        ASG_WATCHDOG_LOCK_DIR: h.lockDir,
      },
    });
    const exited = new Promise((resolve) => child!.once('exit', (code, signal) => resolve(signal ?? code)));
    if (point.delayMs !== undefined) setTimeout(kill, point.delayMs);
    await exited;

    // A dead tick's lock goes stale after 30 s, and cron's next minute comes 60 s later: its time has passed.
    for (const f of existsSync(h.lockDir) ? readdirSync(h.lockDir) : []) if (f.endsWith('.lock')) rmSync(join(h.lockDir, f), { recursive: true, force: true });
    const loaded = await h.store().load();
    expect(loaded.corruption).toBeNull();

    for (let minute = story.killedAt + 1; minute <= 35; minute++) {
      h.server.world.advance(1);
      const r = await h.tick();
      expect(r.error).toBeNull();
    }
    const fleet = h.server.world.groups.get('web')!;
    const terminated = fleet.instances.filter((i) => i.removedBy === 'terminate').map((i) => i.sick?.kind ?? 'healthy');
    expect({ applied, terminated, desired: fleet.desired }).toEqual({
      applied: { SetDesiredCapacity: story.setDesired, TerminateInstanceInAutoScalingGroup: 1 },
      terminated: story.terminated,
      desired: story.desired,
    });
  });
});
