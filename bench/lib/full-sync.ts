/**
 * A full sync measured from the outside, the same way for any pair of
 * servers: a fresh master filled with DEBUG POPULATE <keys> key 16, a fresh
 * replica told REPLICAOF, and the time from that command to the replica's
 * master_link_status:up (transfer, load and swap included). Meanwhile a
 * client on the master alternates SET and GET and records each round trip,
 * so the same run also says what the sync costs the master's clients.
 */
import { RespConnection } from '../../test/support/resp-connection';
import { parseInfo } from '../../test/support/replication';
import { percentile } from './report';
import { startBenchServer, type BenchServer } from './servers';

export interface FullSyncTiming {
  readonly seconds: number;
  /** Round trips of the probe client on the master during the sync, ms. */
  readonly p50: number;
  readonly p99: number;
}

export async function info(server: BenchServer, section: string): Promise<Map<string, string>> {
  return parseInfo(String(await server.call('INFO', section)));
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error('timed out');
}

/** Time from REPLICAOF to master_link_status:up for `keys` keys, with a latency probe on the master meanwhile. */
export async function fullSync(masterKind: 'ours' | 'redis', replicaKind: 'ours' | 'redis', keys: number): Promise<FullSyncTiming> {
  const master = await startBenchServer(masterKind, ['--repl-diskless-sync-delay', '0']);
  const replica = await startBenchServer(replicaKind);
  try {
    await master.call('DEBUG', 'POPULATE', String(keys), 'key', '16');
    const probe = new RespConnection('127.0.0.1', master.port);
    const latencies: number[] = [];
    let probing = true;
    const prober = (async () => {
      let i = 0;
      while (probing) {
        const started = performance.now();
        await probe.call(i % 2 ? 'GET' : 'SET', `probe:${i % 100}`, 'x');
        latencies.push(performance.now() - started);
        i++;
      }
    })();
    const started = performance.now();
    await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
    await waitUntil(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', 600_000, 20);
    const seconds = (performance.now() - started) / 1000;
    probing = false;
    await prober;
    probe.close();
    return { seconds, p99: percentile(latencies, 99), p50: percentile(latencies, 50) };
  } finally {
    await replica.stop();
    await master.stop();
  }
}
