// What a command may touch of the process, passed in so tests can run the CLI in-process.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** The wall clock; `demo` and tests pass an accelerated one. */
  now: () => number;
}

/**
 * A stream whose reader went away (`asg-watchdog instances | head -1`, a closed cron pipe) takes no
 * more output, and the error is swallowed: a tick between its AWS call and its save must finish, not
 * die of EPIPE with a stack trace.
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

export const processIo: CliIo = {
  stdout: quietWhenClosed(process.stdout),
  stderr: quietWhenClosed(process.stderr),
  env: process.env,
  now: () => Date.now(),
};
