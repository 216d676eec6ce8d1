/**
 * Throughput side by side: redis-benchmark -c 50 against our engine and
 * redis-server, without pipelining and with -P 16, for the commands the
 * issues name (EVAL and EVALSHA of a script making one call, PFADD,
 * GEOADD and XADD included). Rounds alternate the servers; the median of
 * the rounds is reported. `only` (from `npm run bench --
 * throughput=XADD,EVAL`) keeps the rows whose name starts with one of its
 * words. Targets: ours/redis >= 0.8 unpipelined, >= 0.5 with -P 16.
 * A reference row gives the ceiling Node itself sets with -P 16: a bare
 * server answering +OK without parsing (bare-node-server.ts).
 */
import { createHash } from 'node:crypto';
import { startBareNodeServer } from './lib/bare-node-server';
import { median, ratioRow, referenceRow, type BenchRow } from './lib/report';
import { redisBenchmark } from './lib/redis-benchmark';
import { startBenchServer } from './lib/servers';

const TESTS = 'set,get,incr,lpush,hset,zadd,lrange_100';

/** A one-call script (issue 17: EVAL "at the same ratios as the other commands"), sent as EVAL and as EVALSHA of the loaded script. */
const ONE_CALL_SCRIPT = "return redis.call('incr',KEYS[1])";
const ONE_CALL_SHA = createHash('sha1').update(ONE_CALL_SCRIPT).digest('hex');
/** keySpace: redis-benchmark -r, replacing __rand_int__ (PFADD and GEOADD add 100,000 distinct elements, so the HLL turns dense and the set a skiplist, as in use). */
const COMMANDS: ReadonlyArray<{ readonly name: string; readonly argv: ReadonlyArray<string>; readonly keySpace?: number }> = [
  { name: 'EVAL (one INCR)', argv: ['EVAL', ONE_CALL_SCRIPT, '1', 'counter'] },
  { name: 'EVALSHA (one INCR)', argv: ['EVALSHA', ONE_CALL_SHA, '1', 'counter'] },
  { name: 'PFADD (one element)', argv: ['PFADD', 'hll', 'element:__rand_int__'], keySpace: 100_000 },
  { name: 'GEOADD (one point)', argv: ['GEOADD', 'geo', '13.361389', '38.115556', 'member:__rand_int__'], keySpace: 100_000 },
  // Every client appends to one stream, as `redis-benchmark XADD s * f v` does: the tail node fills and a new one starts every 100 entries.
  { name: 'XADD (one stream, * ID, one field)', argv: ['XADD', 'bench:stream', '*', 'field', 'value'] },
];
const NAMES: Record<string, string> = {
  SET: 'SET',
  GET: 'GET',
  INCR: 'INCR',
  LPUSH: 'LPUSH',
  HSET: 'HSET',
  ZADD: 'ZADD',
  'LRANGE_100 (first 100 elements)': 'LRANGE_100',
  ...Object.fromEntries(COMMANDS.map(({ name }) => [name, name])),
};

export async function runThroughput(options: { rounds?: number; requests?: number; only?: ReadonlyArray<string> } = {}): Promise<BenchRow[]> {
  const rounds = options.rounds ?? 3;
  const requests = options.requests ?? 100_000;
  const only = options.only?.map((word) => word.toUpperCase());
  const wanted = (name: string): boolean => !only || only.some((word) => name.toUpperCase().startsWith(word));
  const tests = TESTS.split(',').filter((test) => wanted(test)).join(',');
  const commands = COMMANDS.filter(({ name }) => wanted(name));
  const ours = await startBenchServer('ours');
  const redis = await startBenchServer('redis');
  const samples = new Map<string, { ours: number[]; redis: number[] }>();
  const record = (label: string, kind: 'ours' | 'redis', results: Map<string, number>): void => {
    for (const [test, rps] of results) {
      const name = NAMES[test];
      if (!name) continue;
      const key = `${name}${label}`;
      const entry = samples.get(key) ?? { ours: [], redis: [] };
      entry[kind].push(rps);
      samples.set(key, entry);
    }
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [ours, redis] : [redis, ours];
      for (const server of order) {
        if (tests) {
          await server.call('FLUSHALL');
          record('', server.kind, await redisBenchmark(server.port, { tests, requests }));
          await server.call('FLUSHALL');
          record(' -P 16', server.kind, await redisBenchmark(server.port, { tests, requests: requests * 5, pipeline: 16 }));
        }
        await server.call('SCRIPT', 'LOAD', ONE_CALL_SCRIPT);
        for (const { name, argv, keySpace } of commands) {
          for (const [label, pipeline] of [['', 0], [' -P 16', 16]] as const) {
            const results = await redisBenchmark(server.port, { command: argv, requests: pipeline ? requests * 5 : requests, pipeline, ...(keySpace ? { keySpace } : {}) });
            const rps = [...results.values()][0];
            if (rps !== undefined) record(label, server.kind, new Map([[name, rps]]));
          }
        }
      }
    }
  } finally {
    await ours.stop();
    await redis.stop();
  }
  const rows: BenchRow[] = [];
  for (const [metric, values] of samples) {
    if (values.ours.length === 0 || values.redis.length === 0) continue;
    const pipelined = metric.endsWith('-P 16');
    rows.push(ratioRow('throughput', metric, 'req/s', median(values.ours), median(values.redis), { min: pipelined ? 0.5 : 0.8 }));
  }
  const redisSet = samples.get('SET -P 16')?.redis ?? [];
  if (redisSet.length > 0) {
    const bare = await startBareNodeServer();
    const bareRates: number[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        const rps = (await redisBenchmark(bare.port, { tests: 'set', requests: requests * 5, pipeline: 16 })).get('SET');
        if (rps !== undefined) bareRates.push(rps);
      }
    } finally {
      await bare.close();
    }
    if (bareRates.length > 0) rows.push(referenceRow('throughput', 'SET -P 16, bare Node server answering +OK (ceiling)', 'req/s', median(bareRates), median(redisSet)));
  }
  return rows;
}
