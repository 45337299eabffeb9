import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { systemWords, UsageError } from './errors.js';
import { MAX_INPUT_FILE_BYTES } from './config/defaults.js';


/**
 * Reads a regular text file the operator named, or throws a one-line UsageError. A device, a FIFO
 * or a directory is refused before it is read: `-c /dev/zero` would otherwise never return.
 */
export function readInputFile(file: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${systemWords(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`cannot read ${what} ${file}: it is a directory`);
    if (!stat.isFile()) throw new UsageError(`cannot read ${what} ${file}: not a regular file`);
    if (stat.size > MAX_INPUT_FILE_BYTES) throw new UsageError(`cannot read ${what} ${file}: ${stat.size} bytes, more than ${MAX_INPUT_FILE_BYTES}`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const text = buffer.subarray(0, read).toString('utf8');
    if (text.includes('\u0000')) throw new UsageError(`cannot read ${what} ${file}: it is not text`);
    return text;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} ${file}: ${systemWords(error)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * JSON.parse's complaint with the line and column an editor shows: `at line 2, column 13: Expected
 * double-quoted property name` where Node says `… in JSON at position 24`. Without a position
 * (`Unexpected end of JSON input`), `: ` and the message.
 */
export function jsonSyntaxWords(error: unknown, text: string): string {
  const message = (error as Error).message;
  const position = / in JSON at position (\d+)/.exec(message);
  if (position === null) return `: ${message}`;
  const before = text.slice(0, Number(position[1])).split('\n');
  return ` at line ${before.length}, column ${before.at(-1)!.length + 1}: ${message.slice(0, position.index)}`;
}
