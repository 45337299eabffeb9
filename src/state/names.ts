import { createHash } from 'node:crypto';

// File names for a group's state and lock: collision-free (`web a` and `web_a` differ), bounded in
// length (a 255-character group name fits a file system's 255 bytes), and readable when they can be.

const MAX_PART = 100;

const digest = (text: string, chars: number) => createHash('sha256').update(text).digest('hex').slice(0, chars);

/** Letters, digits, `.` and `-` as they are; every other byte `_XX`; a long result shortened with its hash. */
export function fileNamePart(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9.-]/.test(c) && byte < 0x80 ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  if (encoded.startsWith('.')) encoded = `_2e${encoded.slice(1)}`;
  return encoded.length <= MAX_PART ? encoded : `${encoded.slice(0, MAX_PART - 17)}~${digest(text, 16)}`;
}

/** `us-east-1--web.json`; the same group in the same region always has the same file; `123456789012--us-east-1--web.json` for a group reached through a role of that account. */
export function stateFileName(region: string, group: string, account?: string): string {
  return `${account ? `${fileNamePart(account)}--` : ''}${fileNamePart(region)}--${fileNamePart(group)}.json`;
}

/** The name the first release used, which folded `web a` and `web_a` together: read once, then moved. */
export function legacyStateFileName(region: string, group: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${safe(region)}--${safe(group)}.json`;
}

/** What makes a group one group, wherever its state lives: the endpoint (or AWS), the account when a role names it, the region, the name. */
export interface GroupIdentity {
  endpoint?: string;
  /** The account of the role the group is reached through (a config group's "role"); absent: the run's credentials'. */
  account?: string;
  region: string;
  group: string;
}

/** A group's identity from where its calls go: the clients of its run (region, endpoint, a role's account), or as much of it as `status` knows. */
export function groupIdentity(group: string, where: { region: string; endpoint?: string | undefined; account?: string | undefined }): GroupIdentity {
  return { region: where.region, group, ...(where.endpoint !== undefined && { endpoint: where.endpoint }), ...(where.account !== undefined && { account: where.account }) };
}

/** `web--3f2a…`: the group's name for a person, its identity's hash for uniqueness. */
export function lockName(id: GroupIdentity): string {
  const readable = fileNamePart(id.group).slice(0, 40);
  return `${readable}--${digest(`${id.endpoint ?? 'aws'}\n${id.account ? `${id.account}\n` : ''}${id.region}\n${id.group}`, 32)}`;
}
