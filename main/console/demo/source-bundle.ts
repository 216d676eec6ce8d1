/**
 * A TypeScript entry bundled with esbuild into a cache directory, named by a
 * hash of the bundle's own bytes. The same sources give the same bytes, so
 * any number of processes (test workers, demo runs, a process killed with
 * SIGKILL before any exit handler) share one copy of the bytes per version
 * of the sources instead of writing one per pid.
 *
 * Files, for a bundle `<name>` and the hash `<hash>` (16 hex digits):
 *
 *   <name>-<hash>.mjs              the shared copy of one version
 *   <name>-<hash>.<pid>.mjs        a hard link to it, the path process <pid>
 *                                  was given; no bytes of its own
 *   <name>-<hash>.mjs.<pid>[-<thread>].tmp
 *                                  bytes being written, renamed into place
 *                                  when complete (nobody loads half a bundle)
 *   <name>-<pid>.mjs               per-pid bundles of older versions of this
 *                                  module
 *
 * Why each process gets its own link: a process asks once and starts workers
 * from the path for as long as it lives (`npm run web` for days). Another
 * process prunes the shared copy of a version nobody has built for an hour;
 * were that the path in use, workers started after it would fail. A link
 * named by a pid is removed only once that process is gone, so the path a
 * live process was given never disappears under it, whatever other
 * processes prune or write at the same moment: there is no window between
 * a check and a removal for a race to fall into.
 *
 * Pruned on each build: temporary files and links of processes that are
 * gone, per-pid bundles of processes that are gone, and shared copies of
 * other versions untouched for an hour (a live process using one has its own
 * link to the bytes).
 *
 * esbuild is a development dependency (absent from a packaged app): callers
 * pass it in, loaded their own way.
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

/** The subset of esbuild's API used here. */
export interface EsbuildSync {
  buildSync(options: Record<string, unknown>): { outputFiles?: ReadonlyArray<{ contents: Uint8Array }> | undefined };
}

const STALE_VERSION_MS = 60 * 60 * 1000;

/**
 * A pid is at most 2^22 on Linux (7 digits) and far below 16 digits
 * elsewhere, so a 16-digit name part is always a hash, never a pid: the
 * patterns below are tried hash first.
 */
const SHARED = /^[0-9a-f]{16}\.mjs$/;
const LINK = /^[0-9a-f]{16}\.(\d+)\.mjs$/;
const TEMP = /\.mjs\.(\d+)(?:-\d+)?\.tmp$/;
const OLD_PER_PID = /^(\d+)\.mjs$/;

/**
 * `entry` bundled (ESM for Node, packages external) into `dir`; returns the
 * path this process is to load it from, which stays in place for as long as
 * this process lives.
 */
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
  const shared = path.join(dir, `${name}-${hash}.mjs`);
  const own = path.join(dir, `${name}-${hash}.${process.pid}.mjs`);
  placeOwnLink(shared, own, contents);
  prune(dir, name, shared);
  return own;
}

/**
 * Makes `own` a file with `contents`: a hard link to the shared copy
 * (written first if missing), or, if another process prunes the shared copy
 * each time between writing and linking, a copy of its own. The shared
 * copy's mtime is set to now: in use again, not stale for anyone's pruning.
 */
function placeOwnLink(shared: string, own: string, contents: Uint8Array): void {
  if (isFile(own)) {
    // Asked again by this process (or a dead one with the same pid had the same version): same bytes by name.
    touch(shared);
    return;
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!touch(shared)) writeComplete(shared, contents);
    try {
      linkSync(shared, own);
      return;
    } catch (failure) {
      const code = (failure as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return;
      // ENOENT: pruned between writing and linking. Other codes (a file system without hard links): own copy.
      if (code !== 'ENOENT') break;
    }
  }
  writeComplete(own, contents);
}

/** Sets `file`'s times to now; false when it does not exist. */
function touch(file: string): boolean {
  const now = new Date();
  try {
    utimesSync(file, now, now);
    return true;
  } catch (failure) {
    if ((failure as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw failure;
  }
}

/** `contents` written to a temporary name of this thread's, then renamed to `file` (atomic: whole or absent). */
function writeComplete(file: string, contents: Uint8Array): void {
  const temp = `${file.replace(/\.\d+\.mjs$/, '.mjs')}.${process.pid}-${threadId}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, file);
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
    let owner: RegExpExecArray | null = null;
    let remove = false;
    if (SHARED.test(rest)) {
      try {
        remove = now - statSync(full).mtimeMs > STALE_VERSION_MS;
      } catch {
        remove = false;
      }
    } else if ((owner = LINK.exec(rest) ?? TEMP.exec(rest) ?? OLD_PER_PID.exec(rest)) !== null) {
      remove = !processAlive(Number(owner[1]));
    }
    if (remove) rmSync(full, { force: true });
  }
}
