import { lstat, readdir, readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { errorCode, RuntimeFailure, systemWords } from '../errors.js';
import { makeDirectory } from './directories.js';
import { claimGroup, lockGroup } from './group-lock.js';
import { fileNamePart, legacyStateFileName, stateFileName, type GroupIdentity } from './names.js';
import { HistoryLog, type HistoryRecord } from './history.js';
import { storedStateSchema, type Loaded, type StateStore, type StoredState } from './store.js';

/** $ASG_WATCHDOG_STATE_DIR, else $XDG_STATE_HOME/asg-watchdog, else ~/.local/state/asg-watchdog; always absolute. */
export function defaultStateDir(env: Record<string, string | undefined>): string {
  if (env['ASG_WATCHDOG_STATE_DIR']) return resolve(env['ASG_WATCHDOG_STATE_DIR']);
  if (env['XDG_STATE_HOME']) return resolve(env['XDG_STATE_HOME'], 'asg-watchdog');
  return join(env['HOME'] ?? homedir(), '.local', 'state', 'asg-watchdog');
}

/**
 * The regions whose state file of this group is in dir (`us-east-1--web.json`), sorted: what
 * `status` reads when no region is set, since it makes no AWS call. A group reached through a
 * role (`ACCOUNT--REGION--NAME.json`) is not among them: its config file names its region.
 */
export async function regionsWithState(dir: string, group: string): Promise<string[]> {
  const suffix = `--${fileNamePart(group)}.json`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(suffix))
    .map((name) => name.slice(0, -suffix.length))
    .filter((region) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(region))
    .sort();
}

/** The longest file name the usual file systems take (ext4, xfs, tmpfs: 255 bytes). */
const NAME_MAX = 255;

export interface FileStateStoreOptions {
  dir: string;
  /** Where groups are locked: shared by every state directory of the host (group-lock.ts). */
  lockDir: string;
  identity: GroupIdentity;
  clock: () => number;
}


/**
 * One JSON file per region and group, written atomically (write-file-atomic: temp file, fsync,
 * rename) with mode 0600. A file that does not parse or does not fit the schema is moved aside, not
 * trusted; a symbolic link is refused, never written through.
 */
export class FileStateStore implements StateStore {
  readonly location: string;
  private readonly dir: string;

  constructor(private readonly options: FileStateStoreOptions) {
    this.dir = resolve(options.dir);
    this.location = join(this.dir, stateFileName(options.identity.region, options.identity.group, options.identity.account));
  }

  /** With `readOnly` (a dry run) a corrupt file is reported but left where it is. */
  async load(options: { readOnly?: boolean } = {}): Promise<Loaded> {
    const file = await this.existingFile(options.readOnly === true);
    if (file === null) return { state: null, corruption: null };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new RuntimeFailure(`cannot read state file ${file}: ${systemWords(error)}`, { cause: error });
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
    if (options.readOnly) return { state: null, corruption: { movedTo: file, reason } };
    const movedTo = `${this.location}.corrupt-${new Date(this.options.clock()).toISOString().replace(/[:.]/g, '-')}`;
    await rename(file, movedTo);
    return { state: null, corruption: { movedTo, reason } };
  }

  async save(state: StoredState): Promise<void> {
    try {
      await makeDirectory(this.dir, 0o700);
      await this.refuseLink(this.location);
      await writeFileAtomic(this.location, `${JSON.stringify(state)}\n`, { mode: 0o600, fsync: true });
    } catch (error) {
      if (error instanceof RuntimeFailure) throw error;
      throw new RuntimeFailure(`cannot write state file ${this.location}: ${systemWords(error)}`, { cause: error });
    }
  }

  async lock(): Promise<() => Promise<void>> {
    try {
      await makeDirectory(this.dir, 0o700);
    } catch (error) {
      // A system user has no home to keep state in: say where it can go instead.
      const hint = ['EACCES', 'EEXIST', 'ENOENT', 'ENOTDIR', 'EPERM', 'EROFS'].includes(errorCode(error)) ? '; pass --state-dir or set ASG_WATCHDOG_STATE_DIR (under systemd: StateDirectory=, docs/operations.md)' : '';
      throw new RuntimeFailure(`cannot create state directory ${this.dir}: ${systemWords(error)}${hint}`, { cause: error });
    }
    return lockGroup(this.options.identity, this.options.lockDir);
  }

  async claim(account: string): Promise<void> {
    await claimGroup(this.options.identity, this.options.lockDir, account, this.location, this.options.clock());
  }

  /** `us-east-1--web.history.jsonl` beside the state file (and `.1`, the one before). */
  get historyFile(): string {
    return this.location.replace(/\.json$/, '.history.jsonl');
  }

  async appendHistory(record: HistoryRecord, keepMinutes: number): Promise<void> {
    await this.refuseLink(this.historyFile);
    await new HistoryLog(this.historyFile, keepMinutes).append(record);
  }

  async readHistory(since?: number): Promise<HistoryRecord[]> {
    await this.refuseLink(this.historyFile);
    return new HistoryLog(this.historyFile, Number.POSITIVE_INFINITY).read(since);
  }

  /** The file to read: this group's, else the first release's name for it (moved to the new name). */
  private async existingFile(readOnly: boolean): Promise<string | null> {
    if (await this.refuseLink(this.location)) return this.location;
    const { region, group } = this.options.identity;
    const legacyName = legacyStateFileName(region, group);
    const legacy = join(this.dir, legacyName);
    // A name longer than a file system takes (a group's name may be 255 characters) was never written.
    if (Buffer.byteLength(legacyName) > NAME_MAX || legacy === this.location || !(await this.refuseLink(legacy))) return null;
    // The old name folded `web a` and `web_a` together: take it only if it is this group's.
    try {
      const old = JSON.parse(await readFile(legacy, 'utf8')) as { region?: unknown; group?: unknown };
      if (old.region !== region || old.group !== group) return null;
    } catch {
      return null;
    }
    if (readOnly) return legacy;
    await rename(legacy, this.location);
    return this.location;
  }

  /** True when the file exists; throws when it is a symbolic link (or not a file). */
  private async refuseLink(file: string): Promise<boolean> {
    let isLink: boolean;
    let isFile: boolean;
    try {
      const s = await lstat(file);
      isLink = s.isSymbolicLink();
      isFile = s.isFile();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw new RuntimeFailure(`cannot read state file ${file}: ${systemWords(error)}`, { cause: error });
    }
    if (isLink) throw new RuntimeFailure(`state file ${file} is a symbolic link; refusing to read or write through it (replace it with the file itself)`);
    if (!isFile) throw new RuntimeFailure(`state file ${file} is not a regular file`);
    return true;
  }
}
