/**
 * A TypeScript entry bundled with esbuild into a cache directory, named by a
 * hash of the bundle's own bytes: `<name>-<hash>.mjs`. The same sources give
 * the same file, so any number of processes (test workers, demo runs, a
 * process killed with SIGKILL before any exit handler) share one file per
 * version of the sources instead of leaving one per pid. The bytes go to a
 * temporary name first and are renamed into place, so no process ever loads
 * a half-written bundle.
 *
 * Pruned on each build: temporary files whose writing process is gone, the
 * older per-pid bundles (`<name>-<pid>.mjs`) whose process is gone, and
 * other versions of the same bundle untouched for an hour (a process still
 * starting from one of those has long read it).
 *
 * esbuild is a development dependency (absent from a packaged app): callers
 * pass it in, loaded their own way.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The subset of esbuild's API used here. */
export interface EsbuildSync {
  buildSync(options: Record<string, unknown>): { outputFiles?: ReadonlyArray<{ contents: Uint8Array }> | undefined };
}

const STALE_VERSION_MS = 60 * 60 * 1000;

/** `entry` bundled (ESM for Node, packages external) into `dir`; returns the bundle's path. */
export function contentNamedBundle(esbuild: EsbuildSync, entry: string, dir: string, name: string, options: Record<string, unknown> = {}): string {
  const result = esbuild.buildSync({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent',
    ...options,
    write: false, outfile: path.join(dir, `${name}.mjs`),
  });
  const contents = result.outputFiles?.[0]?.contents;
  if (contents === undefined) throw new Error(`esbuild gave no output for ${entry}`);
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 16);
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, `${name}-${hash}.mjs`);
  if (!isFile(target)) {
    const temp = path.join(dir, `${name}-${hash}.mjs.${process.pid}.tmp`);
    writeFileSync(temp, contents);
    renameSync(temp, target);
  } else {
    // In use again: not a stale version for the pruning of other processes.
    const now = new Date();
    utimesSync(target, now, now);
  }
  prune(dir, name, target);
  return target;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (failure) {
    // EPERM: it exists, owned by someone else.
    return (failure as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function prune(dir: string, name: string, current: string): void {
  const prefix = `${name}-`;
  const now = Date.now();
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(prefix)) continue;
    const full = path.join(dir, file);
    if (full === current) continue;
    const rest = file.slice(prefix.length);
    const temp = /\.mjs\.(\d+)\.tmp$/.exec(rest);
    const perPid = /^(\d+)\.mjs$/.exec(rest);
    let remove = false;
    if (temp !== null) remove = !processAlive(Number(temp[1]));
    else if (perPid !== null) remove = !processAlive(Number(perPid[1]));
    else if (/^[0-9a-f]{16}\.mjs$/.test(rest)) {
      try {
        remove = now - statSync(full).mtimeMs > STALE_VERSION_MS;
      } catch {
        remove = false;
      }
    }
    if (remove) rmSync(full, { force: true });
  }
}
