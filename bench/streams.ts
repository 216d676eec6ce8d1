/**
 * A 1,000,000-entry stream side by side: memory (the resident set size the
 * load added) and read speed at that size: redis-benchmark (-c 50, as the
 * throughput section) running XRANGE <random ms> + COUNT 10 and XREVRANGE
 * <random ms> - COUNT 10, the random ms from __rand_int__ over the IDs'
 * range, so each read seeks into the node tree from a random place.
 * Entries are "sensor <n> value <n>" with IDs <n/4>-<n%4>, node limits at
 * their defaults (100 entries / 4 KB). Rounds alternate the servers, the
 * median is reported.
 * Targets: memory <= 2.5x redis-server's (as for keys), reads >= 0.8x
 * unpipelined and >= 0.5x with -P 16 (as for the other commands).
 */
import { encodeRequest } from '../test/support/resp-reply-parser';
import { RespConnection } from '../test/support/resp-connection';
import { median, ratioRow, type BenchRow } from './lib/report';
import { redisBenchmark } from './lib/redis-benchmark';
import { startBenchServer, type BenchServer } from './lib/servers';

const ENTRIES = 1_000_000;
/** Small batches: a pipeline's replies live until it is flushed, and big ones end up in V8's old space. */
const BATCH = 1_000;
const READS = 50_000;

function idOf(index: number): string {
  return `${1 + Math.floor(index / 4)}-${index % 4}`;
}

async function pipelined(connection: RespConnection, commands: ReadonlyArray<ReadonlyArray<string>>): Promise<void> {
  const replies = commands.map(() => connection.nextReply(120_000));
  await connection.writeRaw(Buffer.concat(commands.map((command) => encodeRequest([...command]))));
  await Promise.all(replies);
}

async function load(server: BenchServer): Promise<void> {
  const connection = new RespConnection('127.0.0.1', server.port);
  try {
    for (let start = 0; start < ENTRIES; start += BATCH) {
      const commands: string[][] = [];
      for (let i = start; i < start + BATCH; i++) commands.push(['XADD', 'big', idOf(i), 'sensor', String(i % 97), 'value', String(i)]);
      await pipelined(connection, commands);
    }
  } finally {
    connection.close();
  }
}

/** redis-benchmark's requests per second for one command line, __rand_int__ drawn below ENTRIES / 4. */
async function rate(server: BenchServer, command: string[], pipeline: number): Promise<number> {
  const results = await redisBenchmark(server.port, { command, requests: READS * pipeline, keySpace: ENTRIES / 4, ...(pipeline > 1 ? { pipeline } : {}) });
  const rps = [...results.values()][0];
  if (rps === undefined) throw new Error(`redis-benchmark reported nothing for ${command.join(' ')}`);
  return rps;
}

const READ_COMMANDS: ReadonlyArray<{ name: string; command: string[] }> = [
  { name: 'XRANGE <random id> + COUNT 10', command: ['XRANGE', 'big', '__rand_int__', '+', 'COUNT', '10'] },
  { name: 'XREVRANGE <random id> - COUNT 10', command: ['XREVRANGE', 'big', '__rand_int__', '-', 'COUNT', '10'] },
];

export async function runStreams(options: { rounds?: number } = {}): Promise<BenchRow[]> {
  const rounds = options.rounds ?? 3;
  const megabytes = { ours: 0, redis: 0 };
  const reads = new Map<string, { ours: number[]; redis: number[] }>();
  const servers = { redis: await startBenchServer('redis'), ours: await startBenchServer('ours') };
  try {
    for (const kind of ['redis', 'ours'] as const) {
      const server = servers[kind];
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = server.rss();
      await load(server);
      const length = Number(await server.call('XLEN', 'big'));
      if (length !== ENTRIES) throw new Error(`${kind}: expected ${ENTRIES} entries, found ${length}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      megabytes[kind] = (server.rss() - before) / 1024 / 1024;
    }
    // Rounds alternate the servers; the median of the rounds is reported.
    for (let round = 0; round < rounds; round++) {
      for (const kind of round % 2 === 0 ? (['ours', 'redis'] as const) : (['redis', 'ours'] as const)) {
        for (const { name, command } of READ_COMMANDS) {
          for (const pipeline of [1, 16]) {
            const metric = `${name}, 1M entries${pipeline > 1 ? ` -P ${pipeline}` : ''}`;
            const entry = reads.get(metric) ?? { ours: [], redis: [] };
            entry[kind].push(await rate(servers[kind], command, pipeline));
            reads.set(metric, entry);
          }
        }
      }
    }
  } finally {
    await servers.ours.stop();
    await servers.redis.stop();
  }
  return [
    ratioRow('streams', '1M-entry stream, RSS added by the load', 'MB', megabytes.ours, megabytes.redis, { max: 2.5 }),
    ...[...reads].map(([metric, { ours, redis }]) => ratioRow('streams', metric, 'req/s', median(ours), median(redis), { min: metric.includes('-P') ? 0.5 : 0.8 })),
  ];
}
