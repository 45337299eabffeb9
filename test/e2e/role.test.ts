// A config group's "role": the group is in another account, reached with temporary credentials
// from STS AssumeRole (moto_server's STS here), its state kept apart under that account.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from './moto.js';
import { peersClosedAfterEach, shipped, startLocal } from './local.js';

const peers = peersClosedAfterEach();
let moto: Moto | null = null;
afterEach(async () => {
  await moto?.stop();
  moto = null;
});

const ROLE = 'arn:aws:iam::210987654321:role/asg-watchdog';

describe('a group reached through a role', () => {
  it("is read and acted on with the role's temporary credentials, its state under the role's account", async () => {
    moto = await startMoto();
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15, extraGroups: 1 }));
    const file = join(local.stateDir, 'fleet.yaml');
    writeFileSync(file, `groups:\n  - name: web-001\n  - name: web\n    role: ${ROLE}\n`);
    const r = await local.cli(['watch', '-c', file], { AWS_ENDPOINT_URL_STS: moto.url });
    expect({
      code: r.code,
      acted: /web: done: set desired 2 → 3/.test(r.stdout),
      // The run's own key for web-001, a temporary one (moto's ASIA…) for web.
      keys: local.server.callerKeys().map((k) => (k.startsWith('ASIA') ? 'temporary' : k)),
      states: [existsSync(join(local.stateDir, '210987654321--us-east-1--web.json')), existsSync(join(local.stateDir, 'us-east-1--web-001.json'))],
    }).toEqual({ code: 0, acted: true, keys: ['temporary', 'test'], states: [true, true] });
    // status finds it where its ticks keep it: under the role's account, through the same file.
    const seen = async (args: string[]) => JSON.parse((await local.cli(['status', '-g', 'web', '--json', ...args])).stdout).ticks;
    expect([await seen(['-c', file]), await seen([])]).toEqual([1, 0]);
  }, 60_000);

  it('a role that cannot be assumed fails that group alone, saying what to do', async () => {
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15, extraGroups: 1 }));
    const file = join(local.stateDir, 'fleet.yaml');
    writeFileSync(file, `groups:\n  - name: web-001\n  - name: web\n    role: ${ROLE}\n`);
    const r = await local.cli(['watch', '-c', file], { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1' });
    expect([r.code, r.stdout.trimEnd().split('\n').at(-1)]).toEqual([1, expect.stringMatching(/ 2 groups: 1 ran, 1 failed \(web\); exit 1$/)]);
    expect(r.stdout).toMatch(new RegExp(`web: FAILED: .*cannot assume role ${ROLE.replace(/[/]/g, '\\/')}: .*sts:AssumeRole`));
    expect(local.calls()['SetDesiredCapacity']).toBeUndefined();
  }, 60_000);
});
