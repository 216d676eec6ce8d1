/**
 * Small JSON files in the data directory, written atomically (temp file +
 * rename, so a crash never leaves half a file) and read defensively: a file
 * that does not parse is kept as `<name>.corrupt-<time>` and reported, never
 * silently overwritten.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(value, null, 2), { mode: 0o600 });
  renameSync(temp, file);
}

export type JsonRead = { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'corrupt'; backup: string; reason: string };

export function readJson(file: string): JsonRead {
  if (!existsSync(file)) return { kind: 'missing' };
  const text = readFileSync(file, 'utf8');
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (failure) {
    const backup = keepBackup(file, 'corrupt');
    return { kind: 'corrupt', backup, reason: failure instanceof Error ? failure.message : String(failure) };
  }
}

/** Renames the file aside (`<file>.<why>-<time>`) and returns the backup path. */
export function keepBackup(file: string, why: string): string {
  const backup = `${file}.${why}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, backup);
  return backup;
}
