/**
 * Where Redis 7.0.15's Tcl suite lives and what its README says: the folder
 * `shared/redis-tests` beside the repository, the list of files to run and
 * what real redis-server passes in each (the README's table), and a scratch
 * copy to run it from (runtest writes `tests/tmp`, and it runs the server
 * binaries from `src/`).
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** The repository root: scripts/redis-suite/ is two levels below it. */
export const repositoryRoot = path.resolve(import.meta.dirname, '../..');

/**
 * `../shared/redis-tests` relative to the repository root. In a git worktree
 * the repository's main checkout may live elsewhere, so its parent is
 * tried too (found through git's common directory).
 */
export function suiteFolder(): string {
  const roots = [repositoryRoot];
  try {
    const commonDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: repositoryRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (commonDir) roots.push(path.dirname(commonDir));
  } catch {
    // Not a git checkout (an unpacked copy): only the directory itself counts.
  }
  const candidates = [...new Set(roots.map((root) => path.resolve(root, '..', 'shared', 'redis-tests')))];
  const folder = candidates.find((candidate) => existsSync(path.join(candidate, 'runtest')) && existsSync(path.join(candidate, 'tests', 'test_helper.tcl')));
  if (!folder) {
    throw new Error(
      `Redis's Tcl suite was not found at ${candidates.join(' or ')} (runtest and tests/test_helper.tcl expected there). ` +
        'Put the Redis 7.0.15 tests/ folder and runtest in shared/redis-tests beside the repository.',
    );
  }
  return folder;
}

/**
 * The files of the README's table with the tests real redis-server passes in
 * each, in table order. Cells read `type/string | 77` or
 * `type/set | 92 (7 fail: ...)`; files are named as runtest's --single wants
 * them (`unit/type/string`).
 */
export function readmeCounts(folder: string): Map<string, number> {
  const counts = new Map<string, number>();
  const text = readFileSync(path.join(folder, 'README.md'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((cell) => cell.trim()).slice(1, -1);
    for (let index = 0; index + 1 < cells.length; index += 2) {
      const name = cells[index]!;
      const passed = /^(\d+)/.exec(cells[index + 1]!);
      if (!passed || !/^[a-z][\w/-]*$/.test(name) || name === 'file') continue;
      counts.set(unitName(name), Number(passed[1]));
    }
  }
  if (counts.size === 0) throw new Error(`no file table found in ${path.join(folder, 'README.md')}`);
  return counts;
}

/** `type/string`, `unit/type/string` and `tests/unit/type/string.tcl` all name unit/type/string. */
export function unitName(name: string): string {
  let unit = name.replace(/^tests\//, '').replace(/\.tcl$/, '');
  if (!unit.startsWith('unit/') && !unit.startsWith('integration/')) unit = `unit/${unit}`;
  return unit;
}

/** The binaries runtest expects in src/ (the external-mode tests only run redis-cli and redis-benchmark). */
const binaries = ['redis-server', 'redis-cli', 'redis-benchmark', 'redis-check-rdb', 'redis-check-aof'];

/**
 * Copies the suite to a fresh temporary directory and links the installed
 * redis binaries into its src/. Returns the copy's path.
 */
export function scratchCopy(folder: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'replscope-redis-suite-'));
  cpSync(folder, copy, { recursive: true });
  mkdirSync(path.join(copy, 'src'), { recursive: true });
  for (const binary of binaries) {
    const installed = which(binary);
    if (installed) symlinkSync(installed, path.join(copy, 'src', binary));
  }
  return copy;
}

/**
 * Makes a scratch copy's src/redis-server a wrapper that execs our engine
 * (`node FLAGS BUNDLE "$@"`): runtest starts it with a config file and
 * options as it starts redis-server, and the pid it gets is the engine's.
 */
export function runEngineAsRedisServer(copy: string, node: string, nodeFlags: ReadonlyArray<string>, bundle: string): void {
  const wrapper = path.join(copy, 'src', 'redis-server');
  rmSync(wrapper, { force: true });
  const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;
  writeFileSync(wrapper, `#!/bin/sh\nexec ${[node, ...nodeFlags, bundle].map(quote).join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o755);
}

export function which(program: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** runtest looks for tclsh8.5, 8.6 or 8.7 by those names. */
export function requireTcl(): void {
  if (['tclsh8.5', 'tclsh8.6', 'tclsh8.7'].some((name) => which(name) !== null)) return;
  throw new Error('The Tcl suite needs tclsh 8.5 or newer: install it (Debian: apt-get install tcl).');
}
