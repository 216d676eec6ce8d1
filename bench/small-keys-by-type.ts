/**
 * The small-keys dataset of the memory section, one kind at a time: 1M
 * strings only, 1M small hashes only, 1M small sorted sets only (the same
 * commands small-keys-dataset.ts makes, every third key number), loaded
 * into one fresh server of each kind in turn, and per kind the figures
 * after the load: RSS once settled (lib/settled-reading.ts, the rule of the
 * memory and scaling benches: the smallest reading every second from 2 s to
 * 10 s after the load), and for our engine the V8 heap at the end of that
 * window (MEMORY STATS allocator.allocated = heapUsed, allocator.active =
 * heapTotal).
 *
 *   npx tsx bench/small-keys-by-type.ts [strings,hashes,zsets] [keys]
 *
 * ENGINE_CLI=<bundle> runs that engine bundle instead of building one
 * (an A/B of two builds is two runs, one with it set).
 */
import { expectKeyCount, loadCommands } from './lib/load-keys';
import { startBenchServer, type BenchServer } from './lib/servers';
import { settledReading } from './lib/settled-reading';
import { smallKeyCommand } from './small-keys-dataset';

const KINDS = { strings: 0, hashes: 1, zsets: 2 } as const;
type Kind = keyof typeof KINDS;

async function statsOf(server: BenchServer, rss: number = server.rss()): Promise<{ rss: number; heapUsed: number; heapTotal: number }> {
  if (server.kind === 'redis') return { rss, heapUsed: 0, heapTotal: 0 };
  const stats = (await server.call('MEMORY', 'STATS')) as unknown[];
  const field = (name: string): number => Number(stats[stats.indexOf(name) + 1]);
  return { rss, heapUsed: field('allocator.allocated'), heapTotal: field('allocator.active') };
}

async function main(): Promise<void> {
  const kinds = (process.argv[2] ?? 'strings,hashes,zsets').split(',');
  for (const kind of kinds) {
    if (!Object.hasOwn(KINDS, kind)) throw new Error(`unknown kind '${kind}': the kinds are ${Object.keys(KINDS).join(', ')}`);
  }
  const keys = Number(process.argv[3] ?? 1_000_000);
  if (!Number.isSafeInteger(keys) || keys <= 0) throw new Error(`key count '${process.argv[3]}' is not a positive whole number`);
  const servers = (process.env['SERVERS'] ?? 'redis,ours').split(',');
  for (const serverKind of servers) {
    if (serverKind !== 'redis' && serverKind !== 'ours') throw new Error(`unknown server '${serverKind}' in SERVERS: the servers are redis, ours`);
  }
  for (const kind of kinds as Kind[]) {
    const offset = KINDS[kind];
    for (const serverKind of servers as Array<'ours' | 'redis'>) {
      const server = await startBenchServer(serverKind);
      try {
        const idle = await statsOf(server);
        await loadCommands(server, { to: keys }, (i) => smallKeyCommand(3 * i + offset));
        await expectKeyCount(server, keys);
        const loaded = await statsOf(server, await settledReading(() => server.rss()));
        const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);
        process.stdout.write(
          `${kind} ${serverKind}: RSS ${mb(loaded.rss)} MB (idle ${mb(idle.rss)}), added ${((loaded.rss - idle.rss) / keys).toFixed(1)} B/key` +
            (serverKind === 'ours' ? `, heapUsed added ${((loaded.heapUsed - idle.heapUsed) / keys).toFixed(1)} B/key, heapTotal ${mb(loaded.heapTotal)} MB` : '') +
            '\n',
        );
      } finally {
        await server.stop();
      }
    }
  }
}

await main();
