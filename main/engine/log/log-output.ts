/**
 * Where the CLI's log lines go, as serverLog sends them: stdout while
 * `logfile` is "" (the default), else appended to that file, opened anew
 * for each line, a relative name from the directory in force then (redis-
 * server's working directory: `dir`). Lines are written as their bytes
 * (values are latin1 strings, a char a byte).
 */
import { appendFileSync } from 'node:fs';
import { fsPath, resolveBytes } from '../util/byte-paths';

export class LogOutput {
  constructor(
    private readonly logfile: string,
    private dir: () => string,
  ) {}

  /** From now on relative names resolve against this directory (the node's `dir`, which CONFIG SET may change). */
  followDir(dir: () => string): void {
    this.dir = dir;
  }

  write(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'latin1');
    if (this.logfile === '') {
      process.stdout.write(bytes);
      return;
    }
    try {
      appendFileSync(fsPath(resolveBytes(this.dir(), this.logfile)), bytes);
    } catch {
      // serverLog drops a line it cannot write.
    }
  }
}
