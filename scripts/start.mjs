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
 * older than its sources.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

function ensureRendererBuilt() {
  const index = path.join(root, 'out/renderer/index.html');
  const sources = path.join(root, 'renderer');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(sources)) return;
  process.stderr.write('Building the renderer...\n');
  const result = spawnSync(process.execPath, [packageBin('vite', 'bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('The renderer build failed (see above).\n');
    process.exit(result.status ?? 1);
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
