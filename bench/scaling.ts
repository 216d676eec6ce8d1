/**
 * How the engine behaves as work grows, as ratios to redis-server measured
 * on the same machine in the same run (issue 19), along three axes:
 *
 *  - connections: redis-benchmark -t set,get -n 100000 with -c 10, 100 and
 *    1,000 against both servers (running side by side, empty), rounds
 *    alternating the servers; the median req/s and median p99 (as
 *    redis-benchmark reports it, over all requests of a run) per size.
 *  - memory: one fresh server of each kind (one at a time) grown by
 *    pipelined SETs of key:<n> → a 16-byte value of its own (load-keys.ts, as
 *    the memory section loads) to 100k, 1M and 5M keys; at each size, once
 *    RSS has settled after the load (lib/settled-reading.ts: the smallest
 *    of the readings every second from 2 s to 10 s after the load), (RSS −
 *    RSS of the empty server) / keys.
 *  - sync: a full sync timed as the replication section times it
 *    (bench/lib/full-sync.ts: REPLICAOF to master_link_status:up, fresh
 *    master filled with DEBUG POPULATE) at 100k, 1M and 3M keys, for
 *    ours->ours, ours->real replica and real master->ours, each against
 *    redis->redis at the same size; the median of 3 syncs per pair and
 *    size, the four pairs taking turns.
 *
 * `npm run bench -- scaling=connections,memory` measures only those axes.
 * Writes bench/results/scaling.json and bench/results/scaling.png (the
 * plot, scaling-plot.ts). A full run takes about six minutes on the 2-core
 * development machine, most of it the 5M-key loads and the 3M-key syncs.
 * There are no targets: every row is a reference row.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fullSync } from './lib/full-sync';
import { expectKeyCount, loadStringKeys } from './lib/load-keys';
import { settledReading } from './lib/settled-reading';
import { OpenFilesLimitError, redisBenchmarkResults, type BenchmarkResult } from './lib/redis-benchmark';
import { median, referenceRow, type BenchRow } from './lib/report';
import { startBenchServer, type BenchServer } from './lib/servers';
import { renderScalingPlot, sizeLabel, type GrowthAxis, type GrowthSeries, type ScalingFigures } from './scaling-plot';

const CLIENTS = [10, 100, 1000];
const REQUESTS = 100_000;
const ROUNDS = 3;
const MEMORY_KEYS = [100_000, 1_000_000, 5_000_000];
const SYNC_KEYS = [100_000, 1_000_000, 3_000_000];
const SYNC_ROUNDS = 3;
/** Each pair is timed against redis->redis at the same size. */
const SYNC_PAIRS: ReadonlyArray<{ master: 'ours' | 'redis'; replica: 'ours' | 'redis'; label: string }> = [
  { master: 'ours', replica: 'ours', label: 'ours->ours' },
  { master: 'ours', replica: 'redis', label: 'ours->real' },
  { master: 'redis', replica: 'ours', label: 'real->ours' },
];
const AXES: ReadonlyArray<GrowthAxis> = ['connections', 'memory', 'sync'];
const SETTLE_MS = 2000;

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Samples = Record<'ours' | 'redis', number[]>;

/** Throughput and p99 at each client count; a count the open-files limit (or a server's maxclients) does not allow is skipped, and said so. */
async function measureConnections(skipped: string[]): Promise<GrowthSeries[]> {
  const servers = { ours: await startBenchServer('ours'), redis: await startBenchServer('redis') };
  const samples = new Map<string, Samples>();
  const record = (metric: string, kind: 'ours' | 'redis', value: number): void => {
    const entry = samples.get(metric) ?? { ours: [], redis: [] };
    entry[kind].push(value);
    samples.set(metric, entry);
  };
  try {
    const maxClients = Math.min(await maxclients(servers.ours), await maxclients(servers.redis));
    for (const clients of CLIENTS) {
      if (clients > maxClients) {
        skipped.push(`${clients} connections: a server's maxclients is ${maxClients} (the open-files limit lowers redis-server's)`);
        continue;
      }
      try {
        for (let round = 0; round < ROUNDS; round++) {
          for (const kind of round % 2 === 0 ? (['ours', 'redis'] as const) : (['redis', 'ours'] as const)) {
            await servers[kind].call('FLUSHALL');
            const results = await redisBenchmarkResults(servers[kind].port, { tests: 'set,get', requests: REQUESTS, clients });
            for (const [test, result] of results) recordResult(record, test, clients, kind, result);
          }
        }
      } catch (failure) {
        if (!(failure instanceof OpenFilesLimitError)) throw failure;
        skipped.push(`${clients} connections: ${failure.message}`);
      }
    }
  } finally {
    await servers.ours.stop();
    await servers.redis.stop();
  }
  const series: GrowthSeries[] = [];
  for (const test of ['SET', 'GET']) {
    for (const [measure, unit] of [['req/s', 'req/s'], ['p99', 'ms']] as const) {
      const points = CLIENTS.flatMap((clients) => {
        const entry = samples.get(`${test} ${measure} ${clients}`);
        return entry && entry.ours.length > 0 && entry.redis.length > 0 ? [{ size: clients, ours: median(entry.ours), redis: median(entry.redis) }] : [];
      });
      series.push({ axis: 'connections', metric: `${test} ${measure}`, unit, oursLabel: `ours ${test}`, redisLabel: `redis ${test}`, points });
    }
  }
  return series;
}

function recordResult(record: (metric: string, kind: 'ours' | 'redis', value: number) => void, test: string, clients: number, kind: 'ours' | 'redis', result: BenchmarkResult): void {
  record(`${test} req/s ${clients}`, kind, result.rps);
  record(`${test} p99 ${clients}`, kind, result.p99Ms);
}

async function maxclients(server: BenchServer): Promise<number> {
  const reply = await server.call('CONFIG', 'GET', 'maxclients');
  return Array.isArray(reply) ? Number(reply[1]) : 0;
}

/** RSS bytes per key at each size, one server of each kind grown in steps (redis-server first, then ours, never both at once). */
async function measureMemory(): Promise<GrowthSeries[]> {
  const perKey: Record<'ours' | 'redis', number[]> = { ours: [], redis: [] };
  for (const kind of ['redis', 'ours'] as const) {
    const server = await startBenchServer(kind);
    try {
      await sleep(SETTLE_MS);
      const empty = server.rss();
      let loaded = 0;
      for (const keys of MEMORY_KEYS) {
        await loadStringKeys(server, { from: loaded, to: keys });
        loaded = keys;
        await expectKeyCount(server, keys);
        perKey[kind].push(((await settledReading(() => server.rss(), { firstMs: SETTLE_MS })) - empty) / keys);
        process.stdout.write(`  memory ${kind} ${keys} keys: ${perKey[kind].at(-1)!.toFixed(1)} B/key\n`);
      }
    } finally {
      await server.stop();
    }
  }
  const points = MEMORY_KEYS.map((size, index) => ({ size, ours: perKey.ours[index]!, redis: perKey.redis[index]! }));
  return [{ axis: 'memory', metric: 'RSS per key', unit: 'B/key', oursLabel: 'ours', redisLabel: 'redis-server', points }];
}

/**
 * Full-sync seconds at each size for each pair, and redis->redis at the same
 * size: medians of SYNC_ROUNDS syncs, the pairs taking turns. A sync that
 * fails is reported in `skipped` and the run goes on; a size keeps a point
 * for a pair only when that pair and the baseline both have a sync there.
 */
async function measureSync(skipped: string[]): Promise<GrowthSeries[]> {
  const pairs = [{ master: 'redis', replica: 'redis', label: 'redis->redis' } as const, ...SYNC_PAIRS];
  /** Median seconds per pair label, then per size. */
  const seconds = new Map<string, Map<number, number>>(pairs.map((pair) => [pair.label, new Map()]));
  for (const keys of SYNC_KEYS) {
    const samples = pairs.map(() => [] as number[]);
    for (let round = 0; round < SYNC_ROUNDS; round++) {
      for (const [index, pair] of pairs.entries()) {
        try {
          samples[index]!.push((await fullSync(pair.master, pair.replica, keys)).seconds);
        } catch (failure) {
          skipped.push(`one sync of ${pair.label} at ${sizeLabel(keys)} keys failed: ${failure instanceof Error ? failure.message : String(failure)}`);
        }
      }
    }
    pairs.forEach((pair, index) => {
      if (samples[index]!.length > 0) seconds.get(pair.label)!.set(keys, median(samples[index]!));
    });
    process.stdout.write(`  sync ${keys} keys (median of ${SYNC_ROUNDS}): ${pairs.map((pair) => `${pair.label} ${seconds.get(pair.label)!.get(keys)?.toFixed(2) ?? '-'} s`).join(', ')}\n`);
  }
  const baseline = seconds.get('redis->redis')!;
  return SYNC_PAIRS.map((pair) => ({
    axis: 'sync',
    metric: `full sync ${pair.label}`,
    unit: 's',
    oursLabel: pair.label,
    redisLabel: 'redis->redis',
    points: SYNC_KEYS.flatMap((size) => {
      const ours = seconds.get(pair.label)!.get(size);
      const redis = baseline.get(size);
      return ours !== undefined && redis !== undefined ? [{ size, ours, redis }] : [];
    }),
  }));
}

export async function runScaling(options: { only?: ReadonlyArray<string> } = {}): Promise<BenchRow[]> {
  const only = options.only?.map((word) => word.toLowerCase());
  const unknown = only?.filter((word) => !AXES.some((axis) => axis.startsWith(word)));
  if (unknown && unknown.length > 0) throw new Error(`unknown scaling axis '${unknown.join(',')}' (known: ${AXES.join(', ')})`);
  const wanted = (axis: GrowthAxis): boolean => !only || only.some((word) => axis.startsWith(word));
  const started = performance.now();
  const time = new Date().toISOString();
  const loadBefore = loadAverage();
  const skipped: string[] = AXES.filter((axis) => !wanted(axis)).map((axis) => `${axis} (left out by the filter)`);
  const series: GrowthSeries[] = [];
  const axisSeconds: Partial<Record<GrowthAxis, number>> = {};
  const measures: Record<GrowthAxis, () => Promise<GrowthSeries[]>> = { connections: () => measureConnections(skipped), memory: measureMemory, sync: () => measureSync(skipped) };
  for (const axis of AXES.filter(wanted)) {
    const axisStarted = performance.now();
    // An axis that fails is reported and the others are still measured.
    try {
      series.push(...(await measures[axis]()));
    } catch (failure) {
      skipped.push(`${axis}: failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    axisSeconds[axis] = (performance.now() - axisStarted) / 1000;
    process.stdout.write(`  scaling ${axis}: ${Math.round(axisSeconds[axis])} s\n`);
  }
  const figures: ScalingFigures = { time, loadBefore, loadAfter: loadAverage(), seconds: (performance.now() - started) / 1000, axisSeconds, series, skipped };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'scaling.json'), JSON.stringify(figures, null, 2));
  const plot = path.join(resultsDir, 'scaling.png');
  await renderScalingPlot(figures, plot);
  process.stdout.write(`  scaling: ${Math.round(figures.seconds)} s, load average ${loadBefore} -> ${figures.loadAfter}; plot in ${plot}\n`);
  for (const reason of skipped) process.stdout.write(`  scaling: not measured: ${reason}\n`);
  return series.flatMap((growth) => growth.points.map((point) => referenceRow('scaling', `${growth.metric}, ${sizeText(growth.axis, point.size)}`, growth.unit, point.ours, point.redis)));
}

function sizeText(axis: GrowthAxis, size: number): string {
  return `${sizeLabel(size)} ${axis === 'connections' ? 'connections' : 'keys'}`;
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
