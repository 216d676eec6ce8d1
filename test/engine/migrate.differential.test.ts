/**
 * MIGRATE from our engine and from a real redis-server 7.0, each into its
 * own redis-server target (requirepass set), with the same script: every
 * reply must match byte for byte, the targets must end up with the same
 * keys, values (DUMP) and TTLs, and the sources with the same keys left.
 * Then the other direction: redis-server migrating into our engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { TestConnections } from '../support/test-connections';
import { freePort } from '../support/ports';

let redisSource: RedisProcess;
let ours: EngineHandle;
let targetOfRedis: RedisProcess;
let targetOfOurs: RedisProcess;
const connections = new TestConnections();

beforeAll(async () => {
  [redisSource, ours, targetOfRedis, targetOfOurs] = await Promise.all([
    startRedisServer(),
    startEngine(),
    startRedisServer({ args: ['--requirepass', 'secret'], password: 'secret' }),
    startRedisServer({ args: ['--requirepass', 'secret'], password: 'secret' }),
  ]);
});

afterAll(async () => {
  connections.closeAll();
  await stopAllRedisServers();
  await stopAllEngines();
});


type Script = ReadonlyArray<ReadonlyArray<string>>;

async function run(sourcePort: number, script: Script): Promise<string[]> {
  const source = await connections.open(sourcePort);
  const replies: string[] = [];
  for (const command of script) replies.push((await source.callRaw(...command)).raw.toString('latin1'));
  return replies;
}

/** Keys of db 9 of a target with their DUMP and whether they carry a TTL. */
async function targetContents(port: number): Promise<Array<[string, string, boolean]>> {
  const target = await connections.open(port, 'secret');
  await target.call('SELECT', '9');
  const keys = (await target.call('KEYS', '*')) as string[];
  const out: Array<[string, string, boolean]> = [];
  for (const key of keys.sort()) {
    const dump = (await target.callRaw('DUMP', key)).raw.toString('latin1');
    const pttl = Number(await target.call('PTTL', key));
    out.push([key, dump, pttl > 0]);
  }
  return out;
}

function scriptFor(targetPort: number, closedPort: number): Script {
  const to = ['127.0.0.1', String(targetPort)];
  return [
    ['SET', 'k1', 'v1'],
    ['RPUSH', 'list', 'a', 'b', 'c'],
    ['HSET', 'hash', 'f1', 'v1', 'f2', 'v2'],
    ['SET', 'ttl', 'x', 'PX', '100000'],
    ['ZADD', 'zset', '1', 'one', '2', 'two'],
    ['MIGRATE', ...to, 'k1', '9', '5000'],
    ['EXISTS', 'k1'],
    ['MIGRATE', ...to, 'k1', '9', '5000', 'AUTH', 'wrong'],
    ['MIGRATE', ...to, 'k1', '9', '5000', 'AUTH', 'secret'],
    ['EXISTS', 'k1'],
    ['MIGRATE', ...to, '', '9', '5000', 'AUTH2', 'default', 'secret', 'KEYS', 'list', 'nokey', 'hash', 'ttl'],
    ['EXISTS', 'list', 'hash', 'ttl'],
    ['MIGRATE', ...to, 'nokey', '9', '5000'],
    ['MIGRATE', ...to, '', '9', '5000', 'KEYS', 'nokey1', 'nokey2'],
    ['MIGRATE', ...to, 'k', '9', '5000', 'KEYS', 'a'],
    ['MIGRATE', ...to, 'zset', '9', 'soon'],
    ['MIGRATE', ...to, 'zset', 'nine', '5000'],
    ['MIGRATE', ...to, 'zset', '9', '5000', 'AUTH'],
    ['MIGRATE', ...to, 'zset', '9', '5000', 'AUTH2', 'user'],
    ['MIGRATE', ...to, 'zset', '9', '5000', 'BOGUS'],
    ['MIGRATE', ...to, 'zset', '9', '5000', 'COPY', 'AUTH', 'secret'],
    ['EXISTS', 'zset'],
    ['MIGRATE', ...to, 'zset', '9', '5000', 'COPY', 'AUTH', 'secret'],
    ['ZADD', 'zset', '3', 'three'],
    ['MIGRATE', ...to, 'zset', '9', '0', 'REPLACE', 'AUTH', 'secret'],
    ['EXISTS', 'zset'],
    ['SET', 'stay', 'here'],
    ['MIGRATE', '127.0.0.1', String(closedPort), 'stay', '9', '1000'],
    ['MIGRATE', 'no-such-host.invalid', '6379', 'stay', '9', '1000'],
    ['EXISTS', 'stay'],
    ['MIGRATE', ...to, 'stay', '9', '5000'],
  ];
}

describe('MIGRATE', () => {
  it('answers, moves and copies like redis-server 7.0', async () => {
    const closedPort = await freePort();
    const theirs = await run(redisSource.port, scriptFor(targetOfRedis.port, closedPort));
    const mine = await run(ours.port, scriptFor(targetOfOurs.port, closedPort));
    expect(mine).toEqual(theirs);
    expect(theirs).toContain('+NOKEY\r\n');
    expect(theirs).toContain('-IOERR error or timeout writing to target instance\r\n');
    const [moved, movedHere] = [await targetContents(targetOfRedis.port), await targetContents(targetOfOurs.port)];
    expect(movedHere).toEqual(moved);
    // 'stay' moves without AUTH: the cached connection is still authenticated, in Redis too.
    expect(moved.map(([key]) => key)).toEqual(['hash', 'k1', 'list', 'stay', 'ttl', 'zset']);
    expect(moved.find(([key]) => key === 'ttl')?.[2]).toBe(true);
    expect(String(await ours.call('INFO', 'stats'))).toMatch(/migrate_cached_sockets:1/);
  });

  it('redis-server migrates into our engine: RESTORE accepts its payloads', async () => {
    const source = await connections.open(redisSource.port);
    await source.call('RPUSH', 'into-ours', 'x', 'y');
    await source.call('SET', 'into-ours-ttl', 'v', 'EX', '1000');
    expect(await source.call('MIGRATE', '127.0.0.1', String(ours.port), '', '3', '5000', 'KEYS', 'into-ours', 'into-ours-ttl')).toBe('OK');
    const target = await connections.open(ours.port);
    await target.call('SELECT', '3');
    expect(await target.call('LRANGE', 'into-ours', '0', '-1')).toEqual(['x', 'y']);
    expect(Number(await target.call('TTL', 'into-ours-ttl'))).toBeGreaterThan(990);
    expect(await source.call('EXISTS', 'into-ours', 'into-ours-ttl')).toBe(0);
  });
});
