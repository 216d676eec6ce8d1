#!/usr/bin/env node
/**
 * `npm start`: the desktop app on the embedded demo. When the Electron binary
 * is not installed (it is downloaded at `npm install` time and cannot be on
 * machines without internet access), says so in one line and serves the same
 * console in web mode instead, printing the same
 * `Replscope console: http://127.0.0.1:<port>/?token=<token>` line as
 * `npm run web`.
 *
 * `node scripts/start.mjs --web [web options]` (npm run web) goes straight to
 * web mode. The renderer is (re)built first when out/renderer is missing or
 * older than its sources, by one process at a time (ensureRendererBuilt).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const passThrough = args.filter((arg) => arg !== '--web');

/** A package's bin script (package "exports" hide bin paths from require.resolve). */
function packageBin(name, relative) {
  return path.join(path.dirname(require.resolve(`${name}/package.json`)), relative);
}

/**
 * The Electron executable's path, or null with the reason. Read from the
 * package's path.txt and dist folder, as its own index.js does, without
 * requiring it: recent versions try to download the binary on require.
 */
export function electronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(packageDir, 'path.txt');
  if (!override && !existsSync(pathFile)) return { path: null, reason: 'its binary was not downloaded at install time' };
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const executable = path.join(override || path.join(packageDir, 'dist'), relative);
  return existsSync(executable) ? { path: executable, reason: null } : { path: null, reason: `its binary is missing (${executable})` };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const rendererIndex = path.join(root, 'out/renderer/index.html');
const buildLock = path.join(root, 'out/.renderer-build.lock');

function rendererCurrent() {
  return existsSync(rendererIndex) && statSync(rendererIndex).mtimeMs >= newestMtime(path.join(root, 'renderer'));
}

/** A lock whose builder is gone (killed while building) is taken over; one just made gets 10 s to name its pid. */
function lockAbandoned() {
  let pid;
  try {
    pid = Number(readFileSync(path.join(buildLock, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - statSync(buildLock).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return error.code === 'ESRCH';
  }
}

/**
 * One renderer build at a time. Consoles started together (the e2e files of
 * one vitest run in parallel workers, on a fresh checkout) each found
 * out/renderer missing and built it at once, and a build empties that folder
 * while another console may already serve from it. The lock is a directory
 * (mkdir is atomic) naming the builder's pid; once it is taken, the output is
 * checked again, since the build waited for has usually made it current.
 * Current output is used without the lock only when no build is under way
 * (checked after the output, so a build that began since is not missed).
 */
function ensureRendererBuilt() {
  if (rendererCurrent() && !existsSync(buildLock)) return;
  mkdirSync(path.dirname(buildLock), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(buildLock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (lockAbandoned()) rmSync(buildLock, { recursive: true, force: true });
    else Atomics.wait(pause, 0, 0, 250);
  }
  let status = 0;
  try {
    writeFileSync(path.join(buildLock, 'pid'), String(process.pid));
    if (!rendererCurrent()) {
      process.stderr.write('Building the renderer...\n');
      status = spawnSync(process.execPath, [packageBin('vite', 'bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status ?? 1;
    }
  } finally {
    rmSync(buildLock, { recursive: true, force: true });
  }
  if (status !== 0) {
    process.stderr.write('The renderer build failed (see above).\n');
    process.exit(status);
  }
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startWeb() {
  ensureRendererBuilt();
  run(process.execPath, ['--import', 'tsx', 'main/web/cli.ts', ...passThrough]);
}

if (webOnly) {
  startWeb();
} else {
  const electron = electronBinary();
  const shell = path.join(root, 'out/main/index.js');
  if (electron.path) {
    const build = spawnSync(process.execPath, [packageBin('electron-vite', 'bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status === 0 && existsSync(shell)) run(electron.path, [root, ...passThrough]);
    else {
      process.stderr.write('Electron is installed but the desktop shell did not build; serving the same console in web mode instead.\n');
      startWeb();
    }
  } else {
    process.stderr.write(`Electron is not available (${electron.reason}); serving the same console in web mode instead.\n`);
    startWeb();
  }
}
