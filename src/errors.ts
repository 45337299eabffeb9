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
