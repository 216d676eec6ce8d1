/**
 * Replication side by side, 1,000,000 keys (DEBUG POPULATE):
 *  - full sync time ours->real replica and real->our replica, against
 *    redis->redis in the same run, medians of SYNC_RUNS syncs each
 *    (targets <= 1.0x, issue 19);
 *  - p99 latency of a client on the master while a full sync runs (< 10 ms);
 *  - partial resync: time from killing the link to the link being up again
 *    (< 100 ms after the reconnect);
 *  - steady state under redis-benchmark SET load: replica byte lag p99
 *    (< 64 KB): master_repl_offset of master and replica read together.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fullSync, type FullSyncTiming } from './lib/full-sync';
import { info, waitUntil } from './lib/observe';
import { boundRow, median, percentile, ratioRow, type BenchRow } from './lib/report';
import { startBenchServer } from './lib/servers';

const run = promisify(execFile);
const KEYS = 1_000_000;
const SYNC_RUNS = 3;

/** Partial resync: CLIENT KILL TYPE master on the replica, time until the link is up again. */
async function partialResync(masterKind: 'ours' | 'redis', replicaKind: 'ours' | 'redis'): Promise<number> {
  const master = await startBenchServer(masterKind, ['--repl-diskless-sync-delay', '0']);
  const replica = await startBenchServer(replicaKind);
  try {
    await master.call('DEBUG', 'POPULATE', '10000');
    await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitUntil(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', 60_000);
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      await master.call('SET', `after-kill-${i}`, 'x');
      const started = performance.now();
      await replica.call('CLIENT', 'KILL', 'TYPE', 'master');
      await waitUntil(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', 10_000, 1);
      samples.push(performance.now() - started);
    }
    const partials = Number((await info(master, 'stats')).get('sync_partial_ok'));
    if (partials < 10) throw new Error(`expected 10 partial resyncs, saw ${partials}`);
    return percentile(samples, 50);
  } finally {
    await replica.stop();
    await master.stop();
  }
}

/** Byte lag of the replica while redis-benchmark writes to the master. */
async function steadyStateLag(masterKind: 'ours' | 'redis', replicaKind: 'ours' | 'redis'): Promise<number> {
  const master = await startBenchServer(masterKind, ['--repl-diskless-sync-delay', '0']);
  const replica = await startBenchServer(replicaKind);
  try {
    await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitUntil(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', 60_000);
    const lags: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      // The replica's own applied offset, read together with the master's (the
      // offset in the master's slave0 line is the last ACK, sent once a second).
      while (sampling) {
        const [m, r] = await Promise.all([info(master, 'replication'), info(replica, 'replication')]);
        lags.push(Math.max(0, Number(m.get('master_repl_offset')) - Number(r.get('master_repl_offset'))));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await run('redis-benchmark', ['-p', String(master.port), '-c', '50', '-n', '200000', '-t', 'set', '-q']);
    sampling = false;
    await sampler;
    return percentile(lags, 99);
  } finally {
    await replica.stop();
    await master.stop();
  }
}

export async function runReplication(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Each pair SYNC_RUNS times, the three pairs in turn (so a burst of load
  // elsewhere on the machine falls on all of them), medians compared: one
  // sync of each was a single sample whose ratio moved 0.9-1.5x between runs.
  const baseline: FullSyncTiming[] = [];
  const oursToReal: FullSyncTiming[] = [];
  const realToOurs: FullSyncTiming[] = [];
  for (let run = 0; run < SYNC_RUNS; run++) {
    baseline.push(await fullSync('redis', 'redis', KEYS));
    oursToReal.push(await fullSync('ours', 'redis', KEYS));
    realToOurs.push(await fullSync('redis', 'ours', KEYS));
  }
  const seconds = (results: FullSyncTiming[]): number => median(results.map((result) => result.seconds));
  process.stdout.write(`  full sync seconds, ${SYNC_RUNS} runs: redis->redis ${baseline.map((r) => r.seconds.toFixed(2)).join(' ')}, ours->real ${oursToReal.map((r) => r.seconds.toFixed(2)).join(' ')}, real->ours ${realToOurs.map((r) => r.seconds.toFixed(2)).join(' ')}\n`);
  rows.push(ratioRow('replication', `full sync 1M keys, ours->real (median of ${SYNC_RUNS})`, 's', seconds(oursToReal), seconds(baseline), { max: 1.0 }));
  rows.push(ratioRow('replication', `full sync 1M keys, real->ours (median of ${SYNC_RUNS})`, 's', seconds(realToOurs), seconds(baseline), { max: 1.0 }));
  rows.push(boundRow('replication', 'master p99 latency during full sync (ours, worst run)', 'ms', Math.max(...oursToReal.map((r) => r.p99)), { below: 10 }));
  rows.push({ ...boundRow('replication', 'master p99 latency during full sync (redis, reference, worst run)', 'ms', Math.max(...baseline.map((r) => r.p99)), { below: 10 }), pass: true });
  const partial = await partialResync('ours', 'ours');
  rows.push(boundRow('replication', 'partial resync after link kill, kill->up (ours->ours, median)', 'ms', partial, { below: 100 }));
  const lag = await steadyStateLag('ours', 'ours');
  const lagRedis = await steadyStateLag('redis', 'redis');
  rows.push(boundRow('replication', 'replica byte lag p99 under SET load (ours->ours)', 'KB', lag / 1024, { below: 64 }));
  rows.push({ ...boundRow('replication', 'replica byte lag p99 under SET load (redis->redis, reference)', 'KB', lagRedis / 1024, { below: 64 }), pass: true });
  return rows;
}
