// "No secret ever appears" (docs/alerts.md), tried with passwords holding @ : / ? # % and spaces,
// on every surface that prints or keeps a setting: stdout, stderr and --json of alert test,
// config check and watch, the mail itself, and the state file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passwordForms } from '../../src/redact.js';
import { cli, inProcess } from '../cli/run.js';
import { peersClosedAfterEach, shipped, startLocal } from '../e2e/local.js';
import { startSmtp } from './smtp.js';
import { scratchDir } from '../scratch.js';

const peers = peersClosedAfterEach();

const PASSWORDS = ['p@ss word', 'colon:in:it', 'sl/ash/es', 'what?ever', 'hash#tag', '100%real', 'all @:/?#% of them'];
/** The URL form a user must type: every reserved character percent-encoded. */
const urlOf = (password: string, port: number) => `smtp://alice:${encodeURIComponent(password)}@127.0.0.1:${port}`;
/** Every form the password could leak in: as typed, encoded the WHATWG way, decoded. */
const leaks = (password: string, port: number) => [...new Set([password, encodeURIComponent(password), ...passwordForms(urlOf(password, port))])];

function expectClean(texts: string[], password: string, port: number): void {
  const all = texts.join('\n');
  for (const form of leaks(password, port)) expect(all, `'${form}' leaked`).not.toContain(form);
}

function stateFiles(dir: string): string[] {
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
}

describe.each(PASSWORDS)('the password %j never appears', (password) => {
  it('alert test: the server refuses it', async () => {
    const smtp = (peers.smtp = await startSmtp({ authOptional: false, onAuth: (_a, _s, cb) => cb(new Error('bad credentials')) }));
    const r = await cli(['alert', 'test', '-m', 'ops@example.com', '--smtp-url', urlOf(password, smtp.port)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/via smtp:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ failed/);
    expectClean([r.stdout, r.stderr], password, smtp.port);
  });

  it('alert test: the server takes it (the password arrives whole)', async () => {
    let seen = '';
    const smtp = (peers.smtp = await startSmtp({ authOptional: false, onAuth: (auth, _s, cb) => ((seen = auth.password ?? ''), cb(null, { user: 'alice' })) }));
    const r = await cli(['alert', 'test', '-m', 'ops@example.com', '--smtp-url', urlOf(password, smtp.port)]);
    expect([r.code, seen]).toEqual([0, password]);
    expectClean([r.stdout, r.stderr, smtp.received[0]!.mail.text ?? '', JSON.stringify(smtp.received[0]!.mail.headers)], password, smtp.port);
  });

  it('config check, text and --json', async () => {
    const file = join(scratchDir('asgw-secret-'), 'watchdog.json');
    writeFileSync(file, JSON.stringify({ mail: { to: ['ops@example.com'], smtpUrl: urlOf(password, 2525) } }));
    const text = await cli(['config', 'check', file]);
    const json = await cli(['config', 'check', file, '--json']);
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(JSON.parse(json.stdout).mail.smtpUrl).toBe('smtp://alice:***@127.0.0.1:2525');
    expectClean([text.stdout, text.stderr, json.stdout, json.stderr], password, 2525);
  });

  it('watch: an action whose mail the server refuses, text and --json, and the state', async () => {
    const smtp = (peers.smtp = await startSmtp({ authOptional: false, onAuth: (_a, _s, cb) => cb(new Error('bad credentials')) }));
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const flags = ['-m', 'ops@example.com', '--smtp-url', urlOf(password, smtp.port)];
    const text = await local.watch(flags);
    local.server.world.advance(1);
    const json = await local.watch([...flags, '--json']);
    expect([text.code, json.code]).toEqual([4, 4]);
    expect(text.stdout).toMatch(/mail failed: mail to ops@example\.com via smtp:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ failed/);
    expectClean([text.stdout, text.stderr, json.stdout, json.stderr, ...stateFiles(local.stateDir)], password, smtp.port);
  });

  it('watch -c: the password from the config file, mailed through', async () => {
    const smtp = (peers.smtp = await startSmtp({ authOptional: false, onAuth: (auth, _s, cb) => (auth.password === password ? cb(null, { user: 'alice' }) : cb(new Error('bad credentials'))) }));
    const local = (peers.local = await startLocal(shipped('runaway-cpu'), { advanceTo: 15 }));
    const file = join(local.stateDir, '..', `${local.stateDir.split('/').pop()}-watchdog.json`);
    writeFileSync(file, JSON.stringify({ mail: { to: ['ops@example.com'], smtpUrl: urlOf(password, smtp.port) } }));
    const r = await inProcess(['watch', '-g', 'web', '-c', file, '--endpoint-url', local.url], {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      ASG_WATCHDOG_NOW: String(local.server.world.virtualNow()),
      ASG_WATCHDOG_STATE_DIR: local.stateDir,
      ASG_WATCHDOG_LOCK_DIR: local.lockDir,
    });
    expect(r.code).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expectClean([r.stdout, r.stderr, smtp.received[0]!.mail.text ?? '', ...stateFiles(local.stateDir)], password, smtp.port);
  });
});
