// Pausing the watchdog for maintenance: `watch --pause` or the config file's "paused". Every tick
// still looks and reports, and says it is paused; nothing acts, nothing is mailed, until resumed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMAS } from '../../src/cli/json/schemas.js';
import { startSmtp } from '../alert/smtp.js';
import { MUTATING, peersClosedAfterEach, shipped, startLocal, type Local } from './local.js';

const peers = peersClosedAfterEach();
const mutations = (l: Local) => Object.entries(l.calls()).filter(([op]) => MUTATING.includes(op));

describe('watch --pause / --resume', () => {
  it('a paused group is looked at and reported, not acted on or mailed about, until resumed', async () => {
    const smtp = (peers.smtp = await startSmtp());
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const mail = ['-m', 'ops@example.com', '--smtp-url', `smtp://127.0.0.1:${smtp.port}`];
    const paused = await local.watch(['--pause', '--reason', 'AMI upgrade']);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^\S+Z web: paused since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by \S+@\S+ \(AMI upgrade\): ticks look and report, nothing acts and nothing is mailed until: asg-watchdog watch -g web --resume\n$/);
    // Minutes of a runaway: seen and said, never acted on, never mailed.
    for (let i = 0; i < 7; i++) {
      const r = await local.watch(mail);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ PAUSED since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by \S+ \(AMI upgrade\): nothing acts and nothing is mailed until: asg-watchdog watch -g web --resume\n/);
      local.server.world.advance(1);
    }
    const json = JSON.parse((await local.watch([...mail, '--json'])).stdout);
    expect(json.paused).toMatchObject({ reason: 'AMI upgrade', by: expect.stringMatching(/@/) });
    expect(json.action).toMatchObject({ rule: 'runaway' });
    expect([json.executed, mutations(local), smtp.received.length]).toEqual([false, [], 0]);
    const resumed = await local.watch(['--resume']);
    expect(resumed.stdout).toMatch(/web: resumed \(paused since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by \S+ \(AMI upgrade\)\): ticks act and mail again\n$/);
    const after = await local.watch(mail);
    expect(after.stdout).toMatch(/done: terminate i-00000000100000000/);
    expect(smtp.received).toHaveLength(1);
  });

  it('the config file\'s "paused" does the same, while it says so', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const file = join(local.stateDir, 'config.json');
    writeFileSync(file, JSON.stringify({ paused: 'load test' }));
    const r = await local.watch(['-c', file]);
    expect(r.stdout).toMatch(new RegExp(` PAUSED since \\S+ by the config file ${file} \\(load test\\)`));
    expect(r.stdout).toMatch(/ paused, would set desired 2 → 3: runaway/);
    expect(mutations(local)).toEqual([]);
    writeFileSync(file, JSON.stringify({ paused: false }));
    expect((await local.watch(['-c', file])).stdout).toMatch(/done: set desired 2 → 3/);
  });

  it('a second --pause with another reason says the pause keeps its own', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    await local.watch(['--pause', '--reason', 'AMI upgrade']);
    const second = await local.watch(['--pause', '--reason', 'load test']);
    expect(second.stdout).toMatch(
      /^\S+Z web: already paused since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by \S+@\S+ \(AMI upgrade\): ticks look and report, nothing acts and nothing is mailed until: asg-watchdog watch -g web --resume; the pause keeps its reason, not "load test" \(--resume, then --pause --reason, to change it\)\n$/,
    );
    const again = await local.watch(['--pause', '--reason', 'AMI upgrade']);
    expect(again.stdout).toMatch(/ \(AMI upgrade\): ticks look and report, nothing acts and nothing is mailed until: asg-watchdog watch -g web --resume\n$/);
  });

  it('--json of --pause and --resume, and a second --pause keeps the first', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const first = JSON.parse((await local.watch(['--pause', '--json'])).stdout);
    const second = JSON.parse((await local.watch(['--pause', '--reason', 'later', '--json'])).stdout);
    const resumed = JSON.parse((await local.watch(['--resume', '--json'])).stdout);
    for (const out of [first, second, resumed]) expect(JSON_SCHEMAS.pause.safeParse(out).success).toBe(true);
    expect([first.changed, second.changed, second.paused.reason, resumed.changed, resumed.paused]).toEqual([true, false, null, true, null]);
    expect(JSON.parse(readFileSync(join(local.stateDir, 'us-east-1--web.json'), 'utf8')).paused).toBeNull();
  });

  it.each([
    [['--pause', '--resume'], /--pause and --resume: one or the other/],
    [['--reason', 'x'], /--reason goes with --pause/],
    [['--pause', '--dry-run'], /--pause writes the group's state; a dry run writes nothing/],
  ])('refuses %j, exit 2, nothing called', async (flags, message) => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const r = await local.watch(flags);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(message);
    expect(local.calls()).toEqual({});
  });
});
