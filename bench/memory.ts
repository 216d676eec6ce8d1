/**
 * Memory side by side: 1,000,000 keys with 16-byte values loaded into each
 * server with pipelined SETs, then the resident set size of each process.
 * Target: ours <= 2.5x redis-server's RSS.
 */
import { expectKeyCount, loadStringKeys } from './lib/load-keys';
import { ratioRow, type BenchRow } from './lib/report';
import { startBenchServer } from './lib/servers';

const KEYS = 1_000_000;

export async function runMemory(): Promise<BenchRow[]> {
  const rss: Record<'ours' | 'redis', number> = { ours: 0, redis: 0 };
  for (const kind of ['redis', 'ours'] as const) {
    const server = await startBenchServer(kind);
    try {
      await loadStringKeys(server, { to: KEYS });
      await expectKeyCount(server, KEYS);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      rss[kind] = server.rss();
    } finally {
      await server.stop();
    }
  }
  return [ratioRow('memory', '1M keys x 16-byte values, RSS', 'MB', rss.ours / 1024 / 1024, rss.redis / 1024 / 1024, { max: 2.5 })];
}
