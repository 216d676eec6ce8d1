/**
 * pidfile, as redis-server keeps it when one is configured: written once
 * the server is initialized ("<pid>\n", best effort: a file it cannot write
 * is skipped silently), removed when the server shuts down (logging
 * "Removing the pid file."). Both resolve the name from the directory in
 * force at the time (redis-server's working directory: `dir`). The CLI's
 * alone: an embedded node is no process of its own.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { fsPath, resolveBytes } from './util/byte-paths';

export function writePidFile(pidfile: string, dir: string): void {
  if (pidfile === '') return;
  try {
    writeFileSync(fsPath(resolveBytes(dir, pidfile)), `${process.pid}\n`);
  } catch {
    // createPidFile: best effort.
  }
}

/** Removes the pidfile (if configured); returns whether there was one to remove, for the log line. */
export function removePidFile(pidfile: string, dir: string): boolean {
  if (pidfile === '') return false;
  try {
    rmSync(fsPath(resolveBytes(dir, pidfile)), { force: true });
  } catch {
    // redis-server ignores unlink's failure (a directory, no permission): shutdown goes on.
  }
  return true;
}
