import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errorCode } from '../errors.js';


/** An error with a system code, as the file system gives one. */
function systemError(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code, path });
}

/**
 * `mkdir -p`, one directory at a time: the first one it created, or undefined where `dir` was
 * there. Node's `mkdir(dir, { recursive: true })` loops for ever where a parent exists and mkdir
 * still answers ENOENT (anything under /proc or /sys: ASG_WATCHDOG_LOCK_DIR=/proc/x spun a core
 * and never returned); here that is an ENOENT like any other.
 */
export async function makeDirectory(dir: string, mode?: number): Promise<string | undefined> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const found = await stat(at).catch((error: unknown) => (errorCode(error) === 'ENOENT' ? null : Promise.reject(error)));
    if (found !== null) {
      if (!found.isDirectory()) throw systemError(at === resolve(dir) ? 'EEXIST' : 'ENOTDIR', at);
      break;
    }
    missing.unshift(at);
    if (dirname(at) === at) throw systemError('ENOENT', at);
  }
  for (const path of missing) {
    // Made by another process since: as good, if it is a directory.
    await mkdir(path, mode === undefined ? {} : { mode }).catch(async (error: unknown) => {
      if (errorCode(error) !== 'EEXIST' || !(await stat(path)).isDirectory()) throw error;
    });
  }
  return missing[0];
}
