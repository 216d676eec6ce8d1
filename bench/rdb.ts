/**
 * RDB side by side, the same 1,000,000-key mixed dataset for both servers:
 * a real redis-server builds it (strings of every encoding, small hashes,
 * lists, intsets, sets and sorted sets, some expiring keys) through
 * redis-cli --pipe and SAVEs it; that one dump.rdb is then
 *  - loaded at start-up by each server (median of 3; each figure minus the
 *    server's start-up time with an empty directory), target <= 1.0x (issue 19);
 *  - written by SAVE on each server (median of 3), target <= 2x: once right
 *    after loading it (our engine keeps loaded values in their RDB encoding
 *    and writes untouched ones through), once with the same dataset built
 *    by commands (every value a built object: our encoder at work);
 *  - the resident memory of each server right after loading it;
 *  - snapshotted by BGSAVE on our engine while a client runs GET/SET: p50/p99
 *    with and without the snapshot (p99 under 10 ms);
 *  - read in-process by GET, first and later accesses to its loaded string
 *    keys against the same keys built by commands (bench/loaded-access.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { info, probeLatency } from './lib/observe';
import { boundRow, median, percentile, ratioRow, referenceRow, type BenchRow } from './lib/report';
import { startBenchServer, type BenchServer } from './lib/servers';
import { KEYS, datasetArgv } from './lib/mixed-dataset';
import { measureLoadedAccessBundled } from './loaded-access';

const RUNS = 3;

/** One line of RESP for redis-cli --pipe. */
function resp(args: ReadonlyArray<string>): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

function* datasetCommands(): Generator<string> {
  for (const argv of datasetArgv()) yield resp(argv);
}

async function pipeInto(port: number): Promise<void> {
  const child = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --pipe exited with ${code}`))));
  });
  let batch = '';
  for (const command of datasetCommands()) {
    batch += command;
    if (batch.length > 1 << 20) {
      if (!child.stdin.write(batch)) await new Promise((resolve) => child.stdin.once('drain', resolve));
      batch = '';
    }
  }
  child.stdin.end(batch);
  await done;
}

async function startupSeconds(kind: 'ours' | 'redis', dir: string): Promise<number> {
  const started = performance.now();
  const server = await startBenchServer(kind, ['--dbfilename', 'dump.rdb'], { dir });
  const seconds = (performance.now() - started) / 1000;
  const keys = Number((await info(server, 'keyspace')).get('db0')?.match(/keys=(\d+)/)?.[1] ?? 0);
  await server.stop();
  if (statSync(path.join(dir, 'dump.rdb'), { throwIfNoEntry: false }) && keys !== KEYS) throw new Error(`${kind} loaded ${keys} keys, expected ${KEYS}`);
  return seconds;
}

async function loadSeconds(kind: 'ours' | 'redis', dump: string): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const empty = mkdtempSync(path.join(tmpdir(), 'replscope-bench-empty-'));
    const loaded = mkdtempSync(path.join(tmpdir(), 'replscope-bench-load-'));
    copyFileSync(dump, path.join(loaded, 'dump.rdb'));
    try {
      const base = await startupSeconds(kind, empty);
      samples.push(Math.max(0, (await startupSeconds(kind, loaded)) - base));
    } finally {
      rmSync(empty, { recursive: true, force: true });
      rmSync(loaded, { recursive: true, force: true });
    }
  }
  return median(samples);
}

async function withLoadedServer<T>(kind: 'ours' | 'redis', dump: string, body: (server: BenchServer) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), `replscope-bench-${kind}-`));
  copyFileSync(dump, path.join(dir, 'dump.rdb'));
  const server = await startBenchServer(kind, ['--dbfilename', 'dump.rdb'], { dir });
  try {
    return await body(server);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A server filled with the mixed dataset by commands (no dump loaded). */
async function withPipedServer<T>(kind: 'ours' | 'redis', body: (server: BenchServer) => Promise<T>): Promise<T> {
  const server = await startBenchServer(kind, ['--dbfilename', 'dump.rdb']);
  try {
    await pipeInto(server.port);
    return await body(server);
  } finally {
    await server.stop();
  }
}

async function saveSeconds(server: BenchServer): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const reply = await server.call('SAVE');
    if (reply !== 'OK') throw new Error(`SAVE on ${server.kind}: ${String(reply)}`);
    samples.push((performance.now() - started) / 1000);
  }
  return median(samples);
}

async function bgsaveLatency(server: BenchServer): Promise<{ quiet: number[]; during: number[]; seconds: number }> {
  const quiet = await probeLatency(server.port, new Promise((resolve) => setTimeout(resolve, 2000)));
  const started = performance.now();
  const reply = await server.call('BGSAVE');
  if (typeof reply !== 'string' || !reply.startsWith('Background saving started')) throw new Error(`BGSAVE: ${String(reply)}`);
  const finished = (async () => {
    for (;;) {
      const fields = await info(server, 'persistence');
      if (fields.get('rdb_bgsave_in_progress') === '0') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const during = await probeLatency(server.port, finished);
  return { quiet, during, seconds: (performance.now() - started) / 1000 };
}

/** Builds the mixed dataset in a real redis-server and leaves its dump.rdb in `dir`. */
export async function buildMixedDump(dir: string): Promise<string> {
  const builder = await startBenchServer('redis', ['--dbfilename', 'dump.rdb'], { dir });
  try {
    await pipeInto(builder.port);
    const keys = Number((await info(builder, 'keyspace')).get('db0')?.match(/keys=(\d+)/)?.[1] ?? 0);
    if (keys !== KEYS) throw new Error(`dataset has ${keys} keys, expected ${KEYS}`);
    await builder.call('SAVE');
  } finally {
    await builder.stop();
  }
  return path.join(dir, 'dump.rdb');
}

export async function runRdb(): Promise<BenchRow[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'replscope-bench-rdb-'));
  try {
    const dump = await buildMixedDump(work);
    process.stdout.write(`  dataset: ${KEYS} keys, dump.rdb ${(statSync(dump).size / 1e6).toFixed(1)} MB\n`);

    const [oursLoad, redisLoad] = [await loadSeconds('ours', dump), await loadSeconds('redis', dump)];
    const loadedRss = async (server: BenchServer): Promise<{ rss: number; save: number }> => ({ rss: server.rss(), save: await saveSeconds(server) });
    const oursLoaded = await withLoadedServer('ours', dump, loadedRss);
    const redisLoaded = await withLoadedServer('redis', dump, loadedRss);
    const oursBuiltSave = await withPipedServer('ours', saveSeconds);
    const redisBuiltSave = await withPipedServer('redis', saveSeconds);
    const latency = await withLoadedServer('ours', dump, bgsaveLatency);
    const redisLatency = await withLoadedServer('redis', dump, bgsaveLatency);
    process.stdout.write(`  BGSAVE ours ${latency.seconds.toFixed(2)} s, redis ${redisLatency.seconds.toFixed(2)} s\n`);
    const access = await measureLoadedAccessBundled(dump);
    process.stdout.write(`  GET in-process, ${access.keys} string keys in random order: loaded first ${access.firstNs.toFixed(0)} ns, later ${access.laterNs.toFixed(0)} ns; baseline, a key in the Map (built by commands) ${access.mapNs.toFixed(0)} ns; a bare Map.get ${access.bareMapNs.toFixed(0)} ns\n`);
    process.stdout.write(`  GET in-process, 1,000 keys over and over: loaded ${access.hotLaterNs.toFixed(0)} ns; baseline, a key in the Map ${access.hotMapNs.toFixed(0)} ns; a bare Map.get ${access.hotBareMapNs.toFixed(0)} ns\n`);
    return [
      ratioRow('rdb', 'load 1M mixed keys (start-up)', 's', oursLoad, redisLoad, { max: 1.0 }),
      ratioRow('rdb', 'SAVE 1M mixed keys, as loaded', 's', oursLoaded.save, redisLoaded.save, { max: 2 }),
      ratioRow('rdb', 'SAVE 1M mixed keys, built by commands', 's', oursBuiltSave, redisBuiltSave, { max: 2 }),
      referenceRow('rdb', 'RSS after loading 1M mixed keys', 'MB', oursLoaded.rss / 1e6, redisLoaded.rss / 1e6),
      referenceRow('rdb', 'GET/SET p50, no snapshot', 'ms', percentile(latency.quiet, 50), percentile(redisLatency.quiet, 50)),
      referenceRow('rdb', 'GET/SET p99, no snapshot', 'ms', percentile(latency.quiet, 99), percentile(redisLatency.quiet, 99)),
      referenceRow('rdb', 'GET/SET p50 during BGSAVE', 'ms', percentile(latency.during, 50), percentile(redisLatency.during, 50)),
      boundRow('rdb', 'GET/SET p99 during BGSAVE', 'ms', percentile(latency.during, 99), { below: 10 }),
      boundRow('rdb', 'GET of a loaded key, first access (in-process CPU)', 'us', access.firstNs / 1000, { below: 1 }),
      boundRow('rdb', 'GET of a loaded key, later accesses (in-process CPU)', 'us', access.laterNs / 1000, { below: 0.3 }),
      { section: 'rdb', metric: 'GET of a key in the Map, built by commands (in-process CPU, baseline)', unit: 'us', ours: access.mapNs / 1000, redis: null, ratio: null, target: '-', pass: true },
      boundRow('rdb', 'GET of a loaded key, 1,000-key working set (in-process CPU)', 'us', access.hotLaterNs / 1000, { below: 0.3 }),
      { section: 'rdb', metric: 'GET of a key in the Map, 1,000-key working set (baseline)', unit: 'us', ours: access.hotMapNs / 1000, redis: null, ratio: null, target: '-', pass: true },
      { section: 'rdb', metric: 'a bare Map.get of the same keys, random order (what the 0.3 us compares with)', unit: 'us', ours: access.bareMapNs / 1000, redis: null, ratio: null, target: '-', pass: true },
      { section: 'rdb', metric: 'a bare Map.get, 1,000-key working set', unit: 'us', ours: access.hotBareMapNs / 1000, redis: null, ratio: null, target: '-', pass: true },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
