/**
 * The app log: lines appended to `<userData>/logs/replscope.log`, rotated at
 * 5 MB keeping three old files. The console service never passes secrets to
 * its logger; this file adds only a timestamp and the level.
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ConsoleLogger } from '../console/service-types';

const MAX_BYTES = 5 * 1024 * 1024;
const KEEP = 3;

export function rotatingFileLogger(dir: string, echo = false): ConsoleLogger {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'replscope.log');
  const rotate = (): void => {
    if (!existsSync(file) || statSync(file).size < MAX_BYTES) return;
    rmSync(`${file}.${KEEP}`, { force: true });
    for (let index = KEEP - 1; index >= 1; index--) if (existsSync(`${file}.${index}`)) renameSync(`${file}.${index}`, `${file}.${index + 1}`);
    renameSync(file, `${file}.1`);
  };
  const write = (level: string, message: string): void => {
    const line = `${new Date().toISOString()} [${level}] ${message}\n`;
    try {
      rotate();
      appendFileSync(file, line);
    } catch {
      // Logging must never take the app down.
    }
    if (echo) process.stderr.write(line);
  };
  return { info: (message) => write('info', message), warn: (message) => write('warn', message), error: (message) => write('error', message) };
}
