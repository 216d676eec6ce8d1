/**
 * Memory side by side, two datasets, each loaded into both servers through
 * the network with pipelined commands, as an application would build it:
 *
 *  - 1,000,000 keys with a 16-byte value each, all different (SET), target
 *    ours <= 2.5x;
 *  - 1,000,000 small keys of three kinds (issue 19): a third strings, a
 *    third small hashes (HSET of four fields), a third small sorted sets
 *    (ZADD of five members), sizes like an application's sessions, user
 *    records and leaderboards (small-keys-dataset.ts). Target ours <= 1.5x
 *    of redis-server's used_memory_rss.
 *
 * Each figure is read once the server has settled after the load (lib/
 * settled-reading.ts: every second from 2 s to 10 s after the load, the
 * smallest reading, so a GC the load started has finished and returned its
 * pages): the process's RSS from /proc for the first row, INFO's
 * used_memory_rss for the second (for our engine, the same RSS).
 */
import { expectKeyCount, loadCommands, loadStringKeys } from './lib/load-keys';
import { ratioRow, referenceRow, type BenchRow } from './lib/report';
import { startBenchServer, type BenchServer } from './lib/servers';
import { settledReading } from './lib/settled-reading';
import { smallKeyCommand } from './small-keys-dataset';

const KEYS = 1_000_000;
const MB = 1024 * 1024;

async function usedMemoryRss(server: BenchServer): Promise<number> {
  const info = String(await server.call('INFO', 'memory'));
  const match = /used_memory_rss:(\d+)/.exec(info);
  if (!match) throw new Error(`${server.kind}: INFO memory has no used_memory_rss`);
  return Number(match[1]);
}

/** Per server kind: the figure before the load (idle) and after it, in bytes. */
type Measured = Record<'ours' | 'redis', { idle: number; loaded: number }>;

async function measure(load: (server: BenchServer) => Promise<void>, read: (server: BenchServer) => Promise<number>): Promise<Measured> {
  const result = { ours: { idle: 0, loaded: 0 }, redis: { idle: 0, loaded: 0 } };
  for (const kind of ['redis', 'ours'] as const) {
    const server = await startBenchServer(kind);
    try {
      result[kind].idle = await read(server);
      await load(server);
      await expectKeyCount(server, KEYS);
      result[kind].loaded = await settledReading(() => read(server));
    } finally {
      await server.stop();
    }
  }
  return result;
}

export async function runMemory(): Promise<BenchRow[]> {
  const plain = await measure((server) => loadStringKeys(server, { to: KEYS }), async (server) => server.rss());
  const mixed = await measure((server) => loadCommands(server, { to: KEYS }, smallKeyCommand), usedMemoryRss);
  const addedPerKey = (kind: 'ours' | 'redis'): number => (mixed[kind].loaded - mixed[kind].idle) / KEYS;
  return [
    ratioRow('memory', '1M keys x 16-byte values, RSS', 'MB', plain.ours.loaded / MB, plain.redis.loaded / MB, { max: 2.5 }),
    ratioRow('memory', '1M small keys by commands (strings, 4-field hashes, 5-member zsets), RSS', 'MB', mixed.ours.loaded / MB, mixed.redis.loaded / MB, { max: 1.5 }),
    referenceRow('memory', 'same, RSS the load added per key', 'B', addedPerKey('ours'), addedPerKey('redis')),
    referenceRow('memory', 'same, RSS before the load (idle server)', 'MB', mixed.ours.idle / MB, mixed.redis.idle / MB),
  ];
}
