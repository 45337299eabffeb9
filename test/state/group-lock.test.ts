// Who may act for a group: one state file per group and account, whoever runs it.
import { describe, expect, it } from 'vitest';
import { claimGroup } from '../../src/state/group-lock.js';
import { scratchDir } from '../scratch.js';

const HOUR = 3_600_000;
const web = { region: 'us-east-1', group: 'web' };

describe('claimGroup', () => {
  it.each([
    { what: 'the same state file again', first: { account: '111', state: '/a' }, then: { account: '111', state: '/a', after: 60_000 }, refused: false },
    { what: 'another state file, same account', first: { account: '111', state: '/a' }, then: { account: '111', state: '/b', after: 60_000 }, refused: true },
    { what: 'another state file, another account: another group of the same name', first: { account: '111', state: '/a' }, then: { account: '222', state: '/b', after: 60_000 }, refused: false },
    { what: 'another state file an hour after the first went silent', first: { account: '111', state: '/a' }, then: { account: '111', state: '/b', after: HOUR }, refused: false },
  ])('$what: refused $refused', async ({ first, then, refused }) => {
    const lockDir = scratchDir('asgw-claim-');
    await claimGroup(web, lockDir, first.account, first.state, 0);
    const outcome = await claimGroup(web, lockDir, then.account, then.state, then.after).then(
      () => 'claimed',
      (error: Error) => error.name,
    );
    expect(outcome).toBe(refused ? 'LockHeldError' : 'claimed');
  });
});
