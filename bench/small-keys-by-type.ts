/**
 * The small-keys dataset of the memory section, one kind at a time: 1M
 * strings only, 1M small hashes only, 1M small sorted sets only (the same
 * commands small-keys-dataset.ts makes, every third key number), loaded
 * into one fresh server of each kind in turn, and per kind the figures 2 s
 * after the load: RSS, and for our engine the V8 heap (MEMORY STATS
 * allocator.allocated = heapUsed, allocator.active = heapTotal).
 *
 *   npx tsx bench/small-keys-by-type.ts [strings,hashes,zsets] [keys]
 *
 * ENGINE_CLI=<bundle> runs that engine bundle instead of building one
 * (A/B of two builds of the engine).
 */
import { expectKeyCount, loadCommands } from './lib/load-keys';
import { startBenchServer, type BenchServer } from './lib/servers';
import { smallKeyCommand } from './small-keys-dataset';

const KINDS = { strings: 0, hashes: 1, zsets: 2 } as const;
type Kind = keyof typeof KINDS;

async function statsOf(server: BenchServer): Promise<{ rss: number; heapUsed: number; heapTotal: number }> {
  const rss = server.rss();
  if (server.kind === 'redis') return { rss, heapUsed: 0, heapTotal: 0 };
  const stats = (await server.call('MEMORY', 'STATS')) as unknown[];
  const field = (name: string): number => Number(stats[stats.indexOf(name) + 1]);
  return { rss, heapUsed: field('allocator.allocated'), heapTotal: field('allocator.active') };
}

async function main(): Promise<void> {
  const kinds = (process.argv[2] ?? 'strings,hashes,zsets').split(',') as Kind[];
  const keys = Number(process.argv[3] ?? 1_000_000);
  const servers = (process.env['SERVERS'] ?? 'redis,ours').split(',') as Array<'ours' | 'redis'>;
  for (const kind of kinds) {
    const offset = KINDS[kind];
    for (const serverKind of servers) {
      const server = await startBenchServer(serverKind);
      try {
        const idle = await statsOf(server);
        await loadCommands(server, { to: keys }, (i) => smallKeyCommand(3 * i + offset));
        await expectKeyCount(server, keys);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const loaded = await statsOf(server);
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
