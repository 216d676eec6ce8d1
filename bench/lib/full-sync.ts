/**
 * A full sync measured from the outside, the same way for any pair of
 * servers: a fresh master filled with DEBUG POPULATE <keys> key 16, a fresh
 * replica told REPLICAOF, and the time from that command to the replica's
 * master_link_status:up (transfer, load and swap included). Meanwhile a
 * client on the master alternates SET and GET and records each round trip,
 * so the same run also says what the sync costs the master's clients.
 */
import { RespConnection } from '../../test/support/resp-connection';
import { encodeRequest } from '../../test/support/resp-reply-parser';
import { info, probeLatency, waitUntil } from './observe';
import { percentile } from './report';
import { startBenchServer, type BenchServer } from './servers';

export interface FullSyncTiming {
  readonly seconds: number;
  /** Round trips of the probe client on the master during the sync, ms. */
  readonly p50: number;
  readonly p99: number;
}

/** DEBUG POPULATE of millions of keys outlasts a call's usual 10 s on a loaded machine. */
const POPULATE_TIMEOUT_MS = 300_000;

/** Time from REPLICAOF to master_link_status:up for `keys` keys, with a latency probe on the master meanwhile. */
export async function fullSync(masterKind: 'ours' | 'redis', replicaKind: 'ours' | 'redis', keys: number): Promise<FullSyncTiming> {
  const master = await startBenchServer(masterKind, ['--repl-diskless-sync-delay', '0']);
  const replica = await startBenchServer(replicaKind);
  try {
    await populate(master, keys);
    let linkUp!: () => void;
    const synced = new Promise<void>((resolve) => (linkUp = resolve));
    const probing = probeLatency(master.port, synced);
    const started = performance.now();
    let seconds: number;
    try {
      await replica.call('REPLICAOF', '127.0.0.1', String(master.port));
      await waitUntil(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', 600_000, 20);
      seconds = (performance.now() - started) / 1000;
    } catch (failure) {
      // The probe ends before the servers stop (its own failure is not the news here).
      linkUp();
      await probing.catch(() => undefined);
      throw new Error(`${masterKind}->${replicaKind} full sync of ${keys} keys: waiting for master_link_status:up: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    linkUp();
    const latencies = await probing;
    return { seconds, p99: percentile(latencies, 99), p50: percentile(latencies, 50) };
  } finally {
    await replica.stop();
    await master.stop();
  }
}

/** DEBUG POPULATE <keys> key 16 on its own connection, with a timeout that suits millions of keys. */
async function populate(server: BenchServer, keys: number): Promise<void> {
  const connection = new RespConnection('127.0.0.1', server.port);
  try {
    const reply = connection.nextReply(POPULATE_TIMEOUT_MS);
    await connection.writeRaw(encodeRequest(['DEBUG', 'POPULATE', String(keys), 'key', '16']));
    const { value } = await reply;
    if (value !== 'OK') throw new Error(`${server.kind}: DEBUG POPULATE ${keys} answered ${String(value)}`);
  } finally {
    connection.close();
  }
}
