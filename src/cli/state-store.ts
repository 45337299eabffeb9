import type { AwsSettings } from '../aws/settings.js';
import { UsageError } from '../errors.js';
import { FileStateStore, defaultStateDir } from '../state/file-store.js';
import { defaultLockDir, lockGroup } from '../state/group-lock.js';
import type { GroupIdentity } from '../state/names.js';
import type { StateStore } from '../state/store.js';
import type { CliIo } from './io.js';

export interface StoreArgs {
  stateDir?: string | undefined;
  stateTable?: string | undefined;
}

/** A DynamoDB table name, or exit 2 naming the rule. */
export function checkTableName(table: string): string {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) throw new UsageError(`--state-table ${table}: a DynamoDB table name is 3 to 255 letters, digits, '_', '-' and '.'`);
  return table;
}

/**
 * Where the groups' state lives for this run: a file per group (the default), or a DynamoDB table
 * (--state-table, $ASG_WATCHDOG_STATE_TABLE) when more than one host runs the watchdog. The table
 * is reached in the run's region and with its credentials: `aws` may be how to find them, asked
 * only for a table (`watch -c` of groups that each name their region needs no region of its own).
 */
export interface StateStores {
  storeFor(identity: GroupIdentity): StateStore;
  /** The group's lock alone (instances -i / -k): the host's lock file, or the lease in the table. */
  lockFor(identity: GroupIdentity): Promise<() => Promise<void>>;
  close(): void;
}

/** The DynamoDB table of the state, or null for files. */
export function tableOf(args: StoreArgs, io: CliIo): string | null {
  const table = args.stateTable ?? io.env['ASG_WATCHDOG_STATE_TABLE'];
  return table === undefined || table === '' ? null : table;
}

/** The directory of the state files: --state-dir, else $ASG_WATCHDOG_STATE_DIR and the defaults (file-store.ts). */
export function stateDirOf(args: StoreArgs, io: CliIo): string {
  return args.stateDir ?? defaultStateDir(io.env);
}

export async function stateStores(args: StoreArgs, io: CliIo, aws: AwsSettings | (() => Promise<AwsSettings>), budgetMs: number): Promise<StateStores> {
  const table = tableOf(args, io);
  if (table !== null) {
    if (args.stateDir !== undefined) throw new UsageError('--state-dir and --state-table: state is in files or in a table, not both');
    checkTableName(table);
    const [{ dynamoClient }, { dynamoStores }] = await Promise.all([import('../aws/clients.js'), import('../state/dynamo-store.js')]);
    const client = await dynamoClient(typeof aws === 'function' ? await aws() : aws);
    const storeFor = dynamoStores({ client, table, clock: io.now, budgetMs });
    return { storeFor, lockFor: (identity) => storeFor(identity).lock(), close: () => client.destroy() };
  }
  const dir = stateDirOf(args, io);
  const lockDir = await defaultLockDir(io.env);
  return { storeFor: (identity) => new FileStateStore({ dir, lockDir, identity, clock: io.now }), lockFor: (identity) => lockGroup(identity, lockDir), close: () => undefined };
}
