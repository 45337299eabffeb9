// mkdir -p one directory at a time (src/state/directories.ts): what it makes, and what it refuses
// with the system's code, including where Node's recursive mkdir never returns.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/state/directories.js';
import { scratchDir } from '../scratch.js';

const root = scratchDir('asgw-dirs-');
mkdirSync(join(root, 'there'));
writeFileSync(join(root, 'a-file'), '');

describe('makeDirectory', () => {
  it.each<{ what: string; dir: string; created: string | undefined }>([
    { what: 'two levels new: the first one made', dir: join(root, 'new', 'sub'), created: join(root, 'new') },
    { what: 'one level new', dir: join(root, 'there', 'sub'), created: join(root, 'there', 'sub') },
    { what: 'there already: nothing made', dir: join(root, 'there'), created: undefined },
  ])('$what', async ({ dir, created }) => {
    expect(await makeDirectory(dir)).toBe(created);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it.each<{ what: string; dir: string; code: string }>([
    { what: 'a file where the directory goes', dir: join(root, 'a-file'), code: 'EEXIST' },
    { what: 'a file where a parent goes', dir: join(root, 'a-file', 'sub'), code: 'ENOTDIR' },
    // Node's mkdir(…, { recursive: true }) spins here for ever: /proc exists, and mkdir answers ENOENT.
    { what: 'under /proc', dir: '/proc/asg-watchdog-test/sub', code: 'ENOENT' },
  ])('refuses $what: $code', async ({ dir, code }) => {
    await expect(makeDirectory(dir)).rejects.toMatchObject({ code });
  });

  it('makes each new directory with the mode asked', async () => {
    const dir = join(root, 'private', 'state');
    await makeDirectory(dir, 0o700);
    expect([statSync(join(root, 'private')).mode & 0o777, statSync(dir).mode & 0o777]).toEqual([0o700, 0o700]);
  });
});
