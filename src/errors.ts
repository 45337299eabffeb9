// Typed errors the one top-level catch in src/cli/main.ts maps to exit codes (docs/cli.md).

/** Bad usage, config or input: nothing was touched. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode = 2;
}

/** AWS, SMTP or the file system failed at run time; the message says what to do. Exit 1. */
export class RuntimeFailure extends Error {
  override name = 'RuntimeFailure';
  readonly exitCode = 1;
}

/** Another tick holds this group's lock. Exit 3. */
export class LockHeldError extends Error {
  override name = 'LockHeldError';
  readonly exitCode = 3;
}

/** The command has printed its outcome already and only the exit code is left to give. */
export class QuietExit extends Error {
  override name = 'QuietExit';
  constructor(readonly exitCode: number) {
    super('');
  }
}

export function exitCodeOf(error: unknown): number | null {
  if (error instanceof UsageError || error instanceof RuntimeFailure || error instanceof LockHeldError || error instanceof QuietExit) return error.exitCode;
  return null;
}

/** The system's codes an operator meets, in words. */
const SYSTEM_WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'the name is too long for the file system',
  EEXIST: 'a file of that name is there already',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  EADDRINUSE: 'the address is in use',
  EADDRNOTAVAIL: 'the address is not of this host',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'the name server did not answer',
};

/** The system's (or a library's) code of an error, `ENOENT`; '' for none. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | null)?.code ?? '';
}

/** What the system said of a file or a port, in words a person acts on, with its code: `no such file or directory (ENOENT)`. */
export function systemWords(error: unknown): string {
  const code = errorCode(error);
  if (code === '') return error instanceof Error ? error.message : String(error);
  return codeWords(code);
}

/** The first system code with words (SYSTEM_WORDS) a library's message names: `ECONNREFUSED` of `connect ECONNREFUSED 127.0.0.1:25`. */
export function systemCodeIn(message: string): string | undefined {
  return [...message.matchAll(/\b(E[A-Z_]+)\b/g)].map((m) => m[1]!).find((c) => Object.hasOwn(SYSTEM_WORDS, c));
}

/** `connection refused (ECONNREFUSED)`; a code without words, as it is. */
export function codeWords(code: string): string {
  const words = SYSTEM_WORDS[code];
  return words === undefined ? code : `${words} (${code})`;
}

/**
 * A library's message that names a system code, in words first: `connection refused (connect
 * ECONNREFUSED 127.0.0.1:25)`; one that names none, as it is.
 */
export function messageWords(message: string): string {
  const code = systemCodeIn(message);
  return code === undefined ? message : `${SYSTEM_WORDS[code]} (${message})`;
}
