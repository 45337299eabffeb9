import { chmod, readFile, stat } from 'node:fs/promises';
import { makeDirectory } from './directories.js';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { errorCode, LockHeldError, RuntimeFailure, systemWords } from '../errors.js';
import { OWNER_HANDOVER_MINUTES, OWNER_REFRESH_MINUTES, STATE_LOCK_STALE_MS } from '../config/defaults.js';
import { fileNamePart, lockName, type GroupIdentity } from './names.js';
import { toTheSecond } from '../render/time.js';

/**
 * $ASG_WATCHDOG_LOCK_DIR, else /run/lock/asg-watchdog (where the system keeps lock files, shared by
 * every user), else /tmp/asg-watchdog-locks. Not under the state directory: two state directories
 * (another user's HOME, a relative ASG_WATCHDOG_STATE_DIR) must still meet at one lock.
 */
export async function defaultLockDir(env: Record<string, string | undefined>): Promise<string> {
  if (env['ASG_WATCHDOG_LOCK_DIR']) return env['ASG_WATCHDOG_LOCK_DIR'];
  const shared = await stat('/run/lock').then((s) => s.isDirectory(), () => false);
  return shared ? '/run/lock/asg-watchdog' : '/tmp/asg-watchdog-locks';
}


async function ensureSharedDir(dir: string): Promise<void> {
  try {
    const created = await makeDirectory(dir);
    // Every user's watchdog locks here, as in /tmp: world-writable with the sticky bit.
    if (created !== undefined) await chmod(dir, 0o1777);
  } catch (error) {
    throw new RuntimeFailure(`cannot use lock directory ${dir}: ${systemWords(error)} (set ASG_WATCHDOG_LOCK_DIR to a directory every watchdog of this host can write)`, { cause: error });
  }
}

interface Owner {
  state: string;
  at: number;
}

/**
 * One group, one actor. The lock is keyed by the group's identity (endpoint, region, name), not by
 * where its state lives, so ticks with different state files, and `instances -i/-k`, never act on
 * one group at the same moment.
 */
export async function lockGroup(id: GroupIdentity, lockDir: string): Promise<() => Promise<void>> {
  await ensureSharedDir(lockDir);
  const base = join(lockDir, lockName(id));
  try {
    return await lockfile.lock(base, {
      realpath: false,
      stale: STATE_LOCK_STALE_MS,
      update: STATE_LOCK_STALE_MS / 3,
      lockfilePath: `${base}.lock`,
      // A lock taken over while this tick still ran can only mean a tick past its budget; the
      // intent in the state keeps its action from being repeated, so there is nothing to abort.
      onCompromised: () => undefined,
    });
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') throw new LockHeldError(`another tick holds the lock for group '${id.group}' in ${id.region} (${base}.lock)`);
    throw new RuntimeFailure(`cannot lock ${base}.lock: ${systemWords(error)}`, { cause: error });
  }
}

/**
 * The group remembers which state file watches it, per account (from the group's ARN: two accounts
 * may each have a `web`): a tick with another state file is refused until that one has been silent
 * for OWNER_HANDOVER_MINUTES, so two state files never both keep cooldowns and kill budgets of
 * their own for one group. Called under the lock.
 */
export async function claimGroup(id: GroupIdentity, lockDir: string, account: string, stateLocation: string, now: number): Promise<void> {
  await claimOwnership(join(lockDir, `${lockName(id)}--${fileNamePart(account)}.owner.json`), id, stateLocation, now);
}

async function claimOwnership(file: string, id: GroupIdentity, stateLocation: string, now: number): Promise<void> {
  let owner: Owner | null = null;
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Owner>;
    if (typeof parsed.state === 'string' && typeof parsed.at === 'number') owner = { state: parsed.state, at: parsed.at };
  } catch {
    // No owner yet, or an unreadable record: the first tick claims the group.
  }
  if (owner && owner.state !== stateLocation && now - owner.at < OWNER_HANDOVER_MINUTES * 60_000) {
    const until = toTheSecond(owner.at + OWNER_HANDOVER_MINUTES * 60_000);
    throw new LockHeldError(
      `group '${id.group}' in ${id.region} is watched with another state file, ${owner.state} (last seen at ${toTheSecond(owner.at)}): one group, one actor; ` +
        `use that state directory, or stop that watchdog and wait until ${until} (or delete ${file})`,
    );
  }
  // The owner's own ticks refresh the record only now and then: it needs to be fresh to the hour, not the minute.
  if (owner && owner.state === stateLocation && now >= owner.at && now - owner.at < OWNER_REFRESH_MINUTES * 60_000) return;
  try {
    await writeFileAtomic(file, `${JSON.stringify({ state: stateLocation, at: now })}\n`, { mode: 0o644 });
  } catch (error) {
    throw new RuntimeFailure(`cannot record the owner of group '${id.group}' in ${file}: ${systemWords(error)}`, { cause: error });
  }
}
