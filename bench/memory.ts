/**
 * Memory side by side: 1,000,000 keys with 16-byte values loaded into each
 * server with pipelined SETs, then the resident set size of each process.
 * Target: ours <= 2.5x redis-server's RSS.
 */
import { encodeRequest } from '../test/support/resp-reply-parser';
import { RespConnection } from '../test/support/resp-connection';
import { ratioRow, type BenchRow } from './lib/report';
import { startBenchServer, type BenchServer } from './lib/servers';

const KEYS = 1_000_000;
const BATCH = 10_000;

async function load(server: BenchServer): Promise<void> {
  const connection = new RespConnection('127.0.0.1', server.port);
  const value = 'v'.repeat(16);
  for (let start = 0; start < KEYS; start += BATCH) {
    const parts: Buffer[] = [];
    for (let i = start; i < start + BATCH; i++) parts.push(encodeRequest(['SET', `key:${i}`, value]));
    const replies = Array.from({ length: BATCH }, () => connection.nextReply(60_000));
    await connection.writeRaw(Buffer.concat(parts));
    await Promise.all(replies);
  }
  connection.close();
}

export async function runMemory(): Promise<BenchRow[]> {
  const rss: Record<'ours' | 'redis', number> = { ours: 0, redis: 0 };
  for (const kind of ['redis', 'ours'] as const) {
    const server = await startBenchServer(kind);
    try {
      await load(server);
      const dbsize = Number(await server.call('DBSIZE'));
      if (dbsize !== KEYS) throw new Error(`${kind}: expected ${KEYS} keys, found ${dbsize}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      rss[kind] = server.rss();
    } finally {
      await server.stop();
    }
  }
  return [ratioRow('memory', '1M keys x 16-byte values, RSS', 'MB', rss.ours / 1024 / 1024, rss.redis / 1024 / 1024, { max: 2.5 })];
}
