// The deployment files of docs/operations.md: the systemd units pass `systemd-analyze verify` (on this
// machine image, and so in CI), and a system user without a home gets a tick
// through with the state directory the unit gives it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, bin } from './cli/run.js';
import { shipped, startLocal, type Local } from './e2e/local.js';
import { scratchDir } from './scratch.js';

const UNITS = new URL('../docs/deploy/systemd/', import.meta.url).pathname;

let local: Local | null = null;
afterEach(async () => {
  await local?.close();
  local = null;
});

describe('the systemd units', () => {
  it('pass systemd-analyze verify, instantiated for a group (systemd-analyze: on this machine image, and so in CI)', () => {
    const dir = scratchDir('asgw-units-');
    for (const unit of ['asg-watchdog@.service', 'asg-watchdog@.timer']) copyFileSync(join(UNITS, unit), join(dir, unit));
    // The installed path is not on this machine: the checkout's bin stands in for it.
    const service = join(dir, 'asg-watchdog@.service');
    writeFileSync(service, readFileSync(service, 'utf8').replace('/usr/local/bin/asg-watchdog', BIN));
    const r = spawnSync('systemd-analyze', ['verify', join(dir, 'asg-watchdog@web.service'), join(dir, 'asg-watchdog@web.timer')], { cwd: dir, encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('give the tick what a user without a home needs: the state directory, the lock directory', () => {
    const service = readFileSync(join(UNITS, 'asg-watchdog@.service'), 'utf8');
    expect(service).toMatch(/^StateDirectory=asg-watchdog$/m);
    expect(service).toMatch(/^Environment=ASG_WATCHDOG_STATE_DIR=%S\/asg-watchdog$/m);
    expect(service).toMatch(/^EnvironmentFile=\/etc\/asg-watchdog\/%i\.env$/m);
    expect(service).toMatch(/^ExecStart=\/usr\/local\/bin\/asg-watchdog watch -g %i \$WATCH_FLAGS$/m);
  });
});

describe('a system user without a home', () => {
  it('gets a tick through with ASG_WATCHDOG_STATE_DIR, and is told what to set without it', async () => {
    local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 });
    // HOME=/dev/null: no home to make a directory in, even for root (the suite may run as root).
    const env = { PATH: process.env['PATH'], HOME: '/dev/null', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', ASG_WATCHDOG_LOCK_DIR: `${local.stateDir}-locks`, ASG_WATCHDOG_NOW: String(local.server.world.virtualNow()) };
    // The real binary in its own process, the environment a systemd unit gives it and no more.
    const run = (extra: Record<string, string>) => bin(['watch', '-g', 'web', '--endpoint-url', local!.url], { env: { ...env, ...extra } as NodeJS.ProcessEnv, clean: true });
    const homeless = await run({});
    expect(homeless.code).toBe(1);
    expect(homeless.stderr).toMatch(/cannot create state directory \/dev\/null\/\.local\/state\/asg-watchdog: a part of the path is not a directory \(ENOTDIR\); pass --state-dir or set ASG_WATCHDOG_STATE_DIR \(under systemd: StateDirectory=/);
    const given = await run({ ASG_WATCHDOG_STATE_DIR: local.stateDir });
    expect([given.code, given.stderr]).toEqual([0, '']);
  });
});
