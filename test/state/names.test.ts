// State and lock file names: one group, one name; two groups, two names; always a valid file name.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStateStore } from '../../src/state/file-store.js';
import { lockName, stateFileName } from '../../src/state/names.js';
import { scratchDir } from '../scratch.js';

const long = 'a'.repeat(255);

describe('stateFileName', () => {
  it.each([
    { region: 'us-east-1', group: 'web', file: 'us-east-1--web.json' },
    { region: 'us-east-1', group: 'web-prod.v2', file: 'us-east-1--web-prod.v2.json' },
    { region: 'us-east-1', group: 'web a', file: 'us-east-1--web_20a.json' },
    { region: 'us-east-1', group: 'web_a', file: 'us-east-1--web_5fa.json' },
    { region: 'us-east-1', group: 'web/a', file: 'us-east-1--web_2fa.json' },
    { region: 'us-east-1', group: '..', file: 'us-east-1--_2e..json' },
    { region: 'eu-west-1', group: 'wéb', file: 'eu-west-1--w_c3_a9b.json' },
  ])('$group → $file', ({ region, group, file }) => {
    expect(stateFileName(region, group)).toBe(file);
  });

  it('a 255-character name keeps its first 83 characters and the hash of the whole', () => {
    expect(stateFileName('us-east-1', long)).toMatch(/^us-east-1--a{83}~[0-9a-f]{16}\.json$/);
  });

  it('is injective on names that used to collide, and bounded for any group name', () => {
    const groups = ['web a', 'web_a', 'web/a', 'web:a', 'web.a', 'web-a', 'WEB a', long, `${long.slice(1)}b`, 'ü'.repeat(255)];
    const names = groups.map((g) => stateFileName('us-east-1', g));
    expect(new Set(names).size).toBe(groups.length);
    for (const n of names) expect(Buffer.byteLength(n)).toBeLessThanOrEqual(255);
  });
});

describe('lockName', () => {
  it.each([
    { what: 'another region', a: { region: 'us-east-1', group: 'web' }, b: { region: 'eu-west-1', group: 'web' }, same: false },
    { what: 'another endpoint', a: { region: 'us-east-1', group: 'web' }, b: { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', group: 'web' }, same: false },
    { what: 'a look-alike name', a: { region: 'us-east-1', group: 'web a' }, b: { region: 'us-east-1', group: 'web_a' }, same: false },
    { what: 'the same group', a: { region: 'us-east-1', group: 'web' }, b: { region: 'us-east-1', group: 'web' }, same: true },
  ])('$what: same lock is $same', ({ a, b, same }) => {
    expect(lockName(a) === lockName(b)).toBe(same);
  });

  it('is bounded and readable', () => {
    expect(lockName({ region: 'us-east-1', group: 'web' })).toMatch(/^web--[0-9a-f]{32}$/);
    expect(Buffer.byteLength(lockName({ region: 'us-east-1', group: long }))).toBeLessThanOrEqual(80);
  });
});

describe("the first release's file names", () => {
  const stored = (group: string) => JSON.stringify({ version: 1, region: 'us-east-1', group, savedAt: 0, engine: { version: 1, lastTickAt: null, conditions: {}, lastAction: null, lastScaleUpAt: null, kills: [], emergencies: {}, alertsSent: {}, avgEma: null, history: [] }, launchTimes: {}, lastRefusal: null });

  it.each([
    { what: "web_a's old file is moved to its new name", group: 'web_a', found: true, files: ['us-east-1--web_5fa.json'] },
    { what: "web a does not take web_a's old file", group: 'web a', found: false, files: ['us-east-1--web_a.json'] },
  ])('$what', async ({ group, found, files }) => {
    const dir = scratchDir('asgw-names-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'us-east-1--web_a.json'), stored('web_a'));
    const store = new FileStateStore({ dir, lockDir: join(dir, '..', 'locks'), identity: { region: 'us-east-1', group }, clock: () => 0 });
    const loaded = await store.load();
    expect({ found: loaded.state?.group === 'web_a', files: readdirSync(dir) }).toEqual({ found, files });
  });

  // The first release's name of a group of 255 characters is longer than a file name may be: it
  // was never written, and looking for it failed every tick (ENAMETOOLONG) before the group was read.
  it('a group whose old name would be too long for a file: nothing to look for; its state saved and loaded under its new name', async () => {
    const dir = scratchDir('asgw-names-');
    mkdirSync(dir, { recursive: true });
    const store = new FileStateStore({ dir, lockDir: join(dir, '..', 'locks'), identity: { region: 'us-east-1', group: long }, clock: () => 0 });
    const before = await store.load();
    await store.save(JSON.parse(stored(long)));
    const after = await store.load();
    expect({ before: before.state, group: after.state?.group, files: readdirSync(dir) }).toEqual({ before: null, group: long, files: [stateFileName('us-east-1', long)] });
  });

  it('loads with what was added to the engine state since at its defaults: no fleet load, the take-back on, no launch seen', async () => {
    const dir = scratchDir('asgw-names-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'us-east-1--web.json'), stored('web'));
    const store = new FileStateStore({ dir, lockDir: join(dir, '..', 'locks'), identity: { region: 'us-east-1', group: 'web' }, clock: () => 0 });
    const { state, corruption } = await store.load();
    const engine = state?.engine;
    expect({ corruption, fleetLoad: engine?.fleetLoad, takeBackOffUntil: engine?.takeBackOffUntil, launching: engine?.launching, launches: engine?.launches }).toEqual({
      corruption: null,
      fleetLoad: [],
      takeBackOffUntil: null,
      launching: [],
      launches: [],
    });
  });
});
