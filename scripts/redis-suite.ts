/**
 * `npm run test:redis-suite [-- [options] [FILE...] [-- RUNTEST-ARGS...]]`:
 * Redis 7.0.15's own Tcl suite (`../shared/redis-tests`, beside the
 * repository) against our engine, a fresh engine per file, with per-file and
 * total counts next to what real redis-server passes.
 *
 * FILE is `type/string`, `unit/type/string` or `tests/unit/type/string.tcl`;
 * without FILE it runs every file of the suite README's table, then the
 * files of redis-suite/more-files.ts.
 *
 *   --spawn         runtest starts its own servers (no --host): src/redis-server
 *                   of the scratch copy is a wrapper that execs our engine
 *                   (bundled with esbuild), so the files that start servers
 *                   (replication, psync2, rdb, ...) run; without FILE it runs
 *                   redis-suite/spawn-files.ts. With --redis the same files
 *                   run again with the real redis-server in src/.
 *   --redis         also run real redis-server on the same files (a fresh one
 *                   per file) and compare with its measured counts instead of
 *                   the README's table
 *   --timeout S     runtest's --timeout: seconds without progress before a
 *                   file is given up (default 60: the suite README says 30,
 *                   but on a busy 2-core machine real redis-server needs
 *                   longer than 30 s for single tests of set and hyperloglog)
 *   --failures      list every failed test (default: the first 10 per file)
 *   --verbose       echo runtest's output
 *   --keep          keep the scratch copy of the suite
 *   -- ARGS         passed to runtest (e.g. -- --only "SETRANGE*")
 *
 * After each file a PING with a deadline checks that the engine still
 * answers; a file that leaves it silent (or times out) is reported and makes
 * the script exit 1. Test failures alone do not: this is a yardstick.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bundledEngineCli, startEngineProcess, type EngineProcess } from '../test/support/engine';
import { ENGINE_NODE_FLAGS } from '../main/engine/memory/young-generation';
import { startRedisServer, type RedisProcess } from '../test/support/redis-server';
import { isKnownUnpassable, knownUnpassable } from './redis-suite/known-unpassable';
import { runFile, type FileOutcome } from './redis-suite/run-file';
import { moreFiles } from './redis-suite/more-files';
import { spawnFiles } from './redis-suite/spawn-files';
import { readmeCounts, requireTcl, runEngineAsRedisServer, scratchCopy, suiteFolder, unitName, which } from './redis-suite/suite-folder';

interface Options {
  files: string[];
  compareWithRedis: boolean;
  spawn: boolean;
  timeoutSeconds: number;
  allFailures: boolean;
  verbose: boolean;
  keep: boolean;
  runtestArgs: string[];
}

function parseOptions(argv: ReadonlyArray<string>): Options {
  const options: Options = { files: [], compareWithRedis: false, spawn: false, timeoutSeconds: 60, allFailures: false, verbose: false, keep: false, runtestArgs: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      options.runtestArgs = argv.slice(index + 1);
      break;
    } else if (arg === '--redis') options.compareWithRedis = true;
    else if (arg === '--spawn') options.spawn = true;
    else if (arg === '--failures') options.allFailures = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--timeout') {
      const seconds = Number(argv[++index]);
      if (!Number.isInteger(seconds) || seconds <= 0) throw new Error('--timeout takes a whole number of seconds');
      options.timeoutSeconds = seconds;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (runtest options go after --)`);
    else options.files.push(arg);
  }
  return options;
}

interface FileResult {
  readonly unit: string;
  readonly engine: FileOutcome;
  /** What redis-server passes: measured in this run with --redis, else the README's figure. */
  readonly redisPassed: number | null;
  readonly redisMeasured: boolean;
}

type Server = EngineProcess | RedisProcess;

/** Starting a server can take long on a busy machine: a few tries before the file is reported as not run. */
async function startWithRetries(start: () => Promise<Server>): Promise<Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (failure) {
      if (attempt === 3) throw failure;
      process.stdout.write(`  (server did not start: ${failure instanceof Error ? failure.message : String(failure)}; trying again)\n`);
    }
  }
}

/** Starts a fresh server, runs the file against it, stops it (SIGKILL if it no longer answers). */
async function runOn(start: () => Promise<Server>, unit: string, copy: string, options: Options): Promise<FileOutcome> {
  const server = await startWithRetries(start);
  try {
    return await runFile({ copy, unit, port: server.port, timeoutSeconds: options.timeoutSeconds, extraArgs: options.runtestArgs, verbose: options.verbose });
  } finally {
    // A wedged engine never runs its SIGTERM handler; do not wait for it.
    server.signal('SIGKILL');
    await server.stop();
  }
}

/** --spawn: runtest starts (and stops) the servers itself from the copy's src/. */
function runSpawning(unit: string, copy: string, options: Options): Promise<FileOutcome> {
  return runFile({ copy, unit, timeoutSeconds: options.timeoutSeconds, extraArgs: options.runtestArgs, verbose: options.verbose });
}

function describe(unit: string, outcome: FileOutcome): string {
  const known = outcome.failed.filter((test) => isKnownUnpassable(unit, test)).length;
  const parts = [`${outcome.passed} ok`, `${outcome.failed.length - known} err`];
  if (known > 0) parts.push(`${known} known`);
  if (outcome.exceptions > 0) parts.push(`${outcome.exceptions} exception`);
  if (!outcome.finished && !outcome.timedOut) parts.push('did not finish');
  if (outcome.timedOut) parts.push(`TIMEOUT${outcome.lastTest ? ` at "${outcome.lastTest}"` : ''}`);
  if (!outcome.answering) parts.push('SERVER NOT ANSWERING');
  return parts.join(', ');
}

function printFailures(unit: string, outcome: FileOutcome, all: boolean): void {
  const shown = all ? outcome.failed : outcome.failed.slice(0, 10);
  for (const test of shown) process.stdout.write(`    [err] ${test}${isKnownUnpassable(unit, test) ? ' (known)' : ''}\n`);
  if (shown.length < outcome.failed.length) process.stdout.write(`    ... ${outcome.failed.length - shown.length} more (--failures lists all)\n`);
}

function printSummary(results: ReadonlyArray<FileResult>): void {
  const source = results.some((result) => result.redisMeasured) ? 'redis-server (this run)' : 'redis-server (README)';
  process.stdout.write(`\n| file | engine ok | engine err | known | ${source} | engine/redis | notes |\n|---|---|---|---|---|---|---|\n`);
  let enginePassed = 0;
  let redisPassed = 0;
  let engineFailed = 0;
  let knownFailed = 0;
  for (const { unit, engine, redisPassed: redis } of results) {
    const known = engine.failed.filter((test) => isKnownUnpassable(unit, test)).length;
    const notes = [engine.timedOut ? 'timeout' : '', engine.finished || engine.timedOut ? '' : 'did not finish', engine.answering ? '' : 'engine not answering', engine.exceptions ? `${engine.exceptions} exception` : ''].filter(Boolean).join(', ');
    const ratio = redis ? `${((engine.passed / redis) * 100).toFixed(1)}%` : '-';
    process.stdout.write(`| ${unit.replace(/^unit\//, '')} | ${engine.passed} | ${engine.failed.length - known} | ${known} | ${redis ?? '-'} | ${ratio} | ${notes} |\n`);
    enginePassed += engine.passed;
    engineFailed += engine.failed.length - known;
    knownFailed += known;
    redisPassed += redis ?? 0;
  }
  const ratio = redisPassed ? `${((enginePassed / redisPassed) * 100).toFixed(1)}%` : '-';
  process.stdout.write(`| **total** | ${enginePassed} | ${engineFailed} | ${knownFailed} | ${redisPassed} | ${ratio} | |\n`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  requireTcl();
  const folder = suiteFolder();
  const readme = options.spawn ? spawnFiles : new Map([...readmeCounts(folder), ...moreFiles]);
  const units = options.files.length > 0 ? options.files.map(unitName) : [...readme.keys()];
  for (const unit of units) {
    if (!existsSync(path.join(folder, 'tests', `${unit}.tcl`))) throw new Error(`no such suite file: tests/${unit}.tcl`);
  }
  if (options.compareWithRedis && !which('redis-server')) throw new Error('--redis needs redis-server on the PATH');
  const results: FileResult[] = [];
  let healthy = true;
  // Every scratch copy made is removed in `finally`, even when what follows its making throws.
  const copies: string[] = [];
  try {
    const copy = scratchCopy(folder);
    copies.push(copy);
    // --spawn: runtest starts the engine from this copy, real redis-server from `copy`.
    const engineCopy = options.spawn ? scratchCopy(folder) : copy;
    if (engineCopy !== copy) copies.push(engineCopy);
    if (options.spawn) runEngineAsRedisServer(engineCopy, process.execPath, ENGINE_NODE_FLAGS, await bundledEngineCli());
    const known = [...knownUnpassable.values()].reduce((sum, list) => sum + list.length, 0);
    process.stdout.write(`Redis Tcl suite from ${folder}, copied to ${copies.join(' and ')}; ${units.length} file(s); ${known} known-unpassable test(s) listed in scripts/redis-suite/known-unpassable.ts\n`);

    for (const unit of units) {
      const engine = options.spawn ? await runSpawning(unit, engineCopy, options) : await runOn(() => startEngineProcess(), unit, copy, options);
      process.stdout.write(`${unit}: engine ${describe(unit, engine)} (${engine.seconds.toFixed(1)} s)`);
      let redisPassed = readme.get(unit) ?? null;
      if (options.compareWithRedis) {
        const redis = options.spawn ? await runSpawning(unit, copy, options) : await runOn(() => startRedisServer(), unit, copy, options);
        redisPassed = redis.passed;
        process.stdout.write(`; redis-server ${describe(unit, redis)} (${redis.seconds.toFixed(1)} s)\n`);
        printFailures(unit, engine, options.allFailures);
        if (redis.failed.length > 0) {
          process.stdout.write('  redis-server failures:\n');
          printFailures(unit, redis, true);
        }
      } else {
        process.stdout.write(`; redis-server passes ${redisPassed ?? '?'} (${options.spawn ? 'redis-suite/spawn-files.ts' : 'README'})\n`);
        printFailures(unit, engine, options.allFailures);
      }
      if (engine.timedOut || !engine.answering) healthy = false;
      results.push({ unit, engine, redisPassed, redisMeasured: options.compareWithRedis });
    }
  } finally {
    if (!options.keep) for (const scratch of copies) rmSync(scratch, { recursive: true, force: true });
  }
  printSummary(results);
  return healthy ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (failure: unknown) => {
    process.stderr.write(`redis-suite: ${failure instanceof Error ? failure.message : String(failure)}\n`);
    process.exit(2);
  },
);
