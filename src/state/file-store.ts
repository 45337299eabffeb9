import { mkdir, readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { LockHeldError, RuntimeFailure } from '../errors.js';
import { storedStateSchema, type Loaded, type StateStore, type StoredState } from './store.js';
import { STATE_LOCK_STALE_MS } from '../config/defaults.js';

/** $ASG_WATCHDOG_STATE_DIR, else $XDG_STATE_HOME/asg-watchdog, else ~/.local/state/asg-watchdog. */
export function defaultStateDir(env: Record<string, string | undefined>): string {
  if (env['ASG_WATCHDOG_STATE_DIR']) return env['ASG_WATCHDOG_STATE_DIR'];
  if (env['XDG_STATE_HOME']) return join(env['XDG_STATE_HOME'], 'asg-watchdog');
  return join(env['HOME'] ?? homedir(), '.local', 'state', 'asg-watchdog');
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * One JSON file per region and group, written atomically (write-file-atomic: temp file, fsync,
 * rename) with mode 0600, and locked (proper-lockfile) so that two ticks for one group never run
 * at once. A file that does not parse or does not fit the schema is moved aside, not trusted.
 */
export class FileStateStore implements StateStore {
  readonly location: string;

  constructor(
    private readonly dir: string,
    region: string,
    group: string,
    private readonly clock: () => number,
  ) {
    this.location = join(dir, `${safe(region)}--${safe(group)}.json`);
  }

  /** With `readOnly` (a dry run) a corrupt file is reported but left where it is. */
  async load(options: { readOnly?: boolean } = {}): Promise<Loaded> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: null, corruption: null };
      throw new RuntimeFailure(`cannot read state file ${this.location}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    let reason: string;
    try {
      const parsed = storedStateSchema.safeParse(JSON.parse(text));
      if (parsed.success) return { state: parsed.data as StoredState, corruption: null };
      const issue = parsed.error.issues[0];
      reason = `${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`;
    } catch (error) {
      reason = `not JSON: ${(error as Error).message}`;
    }
    if (options.readOnly) return { state: null, corruption: { movedTo: this.location, reason } };
    const movedTo = `${this.location}.corrupt-${new Date(this.clock()).toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.location, movedTo);
    return { state: null, corruption: { movedTo, reason } };
  }

  async save(state: StoredState): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.location, `${JSON.stringify(state)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new RuntimeFailure(`cannot write state file ${this.location}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
  }

  async lock(): Promise<() => Promise<void>> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new RuntimeFailure(`cannot create state directory ${this.dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
    try {
      // The lock is a directory beside the file; a crashed tick's lock goes stale.
      return await lockfile.lock(this.location, { realpath: false, stale: STATE_LOCK_STALE_MS, update: STATE_LOCK_STALE_MS / 3, lockfilePath: `${this.location}.lock` });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new LockHeldError(`another tick holds the lock for this group (${this.location}.lock)`);
      throw new RuntimeFailure(`cannot lock ${this.location}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
  }
}
