/**
 * DUMP / RESTORE against redis-server 7.0: a payload DUMPed by redis RESTOREs
 * into ours and the other way round, for every type and encoding, with equal
 * DEBUG DIGEST-VALUE on both sides; RESTORE's errors match redis byte for
 * byte; corrupted payloads are refused cleanly (fixed-seed mutations).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { runDifferential, step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

let redis: RedisProcess;
let ours: EngineHandle;
let redisConnection: RespConnection;
let oursConnection: RespConnection;

const KEYS: Array<[string, string[][]]> = [
  ['str', [['SET', 'str', 'hello world']]],
  ['int', [['SET', 'int', '1234567']]],
  ['long', [['SET', 'long', 'abc'.repeat(200)]]],
  ['list', [['RPUSH', 'list', 'a', 'b', '3', 'd']]],
  ['biglist', [['RPUSH', 'biglist', ...Array.from({ length: 300 }, (_, i) => `element-${i}`)]]],
  ['hash', [['HSET', 'hash', 'f1', 'v1', 'f2', '2']]],
  ['bighash', [['HSET', 'bighash', ...Array.from({ length: 300 }, (_, i) => [`f${i}`, `v${i}`]).flat()]]],
  ['intset', [['SADD', 'intset', '1', '2', '300', '-5']]],
  ['set', [['SADD', 'set', 'a', 'b', 'c']]],
  ['zset', [['ZADD', 'zset', '1', 'a', '2.5', 'b', '-3', 'c']]],
  ['bigzset', [['ZADD', 'bigzset', ...Array.from({ length: 300 }, (_, i) => [String(i / 3), `m${i}`]).flat()]]],
  ['stream', [
    ...Array.from({ length: 250 }, (_, i) => ['XADD', 'stream', `${i + 1}-${i % 3}`, 'field', `v${i}`, ...(i % 9 === 0 ? ['odd', 'layout'] : [])]),
    ['XDEL', 'stream', '5-1', '100-0'], ['XGROUP', 'CREATE', 'stream', 'g', '0'], ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '10', 'STREAMS', 'stream', '>'],
  ]],
  ['emptystream', [['XADD', 'emptystream', 'MAXLEN', '0', '9-9', 'a', 'b'], ['XGROUP', 'CREATE', 'emptystream', 'g', '$']]],
];

beforeAll(async () => {
  [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
  redisConnection = new RespConnection('127.0.0.1', redis.port);
  oursConnection = new RespConnection('127.0.0.1', ours.port);
  for (const [, commands] of KEYS) {
    for (const command of commands) {
      await redisConnection.ok(...command);
      await oursConnection.ok(...command);
    }
  }
});

afterAll(async () => {
  redisConnection.close();
  oursConnection.close();
  await stopAllRedisServers();
  await stopAllEngines();
});

async function dumpBytes(connection: RespConnection, key: string): Promise<Buffer> {
  const { raw } = await connection.callRaw('DUMP', key);
  // $<len>\r\n<payload>\r\n
  const headerEnd = raw.indexOf('\r\n');
  return raw.subarray(headerEnd + 2, raw.length - 2);
}

describe('DUMP/RESTORE interoperate with redis-server', () => {
  it.each(KEYS.map(([key]) => key))('%s: redis -> ours and ours -> redis', async (key) => {
    const fromRedis = await dumpBytes(redisConnection, key);
    expect(await oursConnection.call('RESTORE', `${key}:from-redis`, '0', fromRedis)).toBe('OK');
    const fromOurs = await dumpBytes(oursConnection, key);
    expect(await redisConnection.call('RESTORE', `${key}:from-ours`, '0', fromOurs)).toBe('OK');
    const expected = await redisConnection.call('DEBUG', 'DIGEST-VALUE', key);
    expect(await oursConnection.call('DEBUG', 'DIGEST-VALUE', `${key}:from-redis`)).toEqual(expected);
    expect(await redisConnection.call('DEBUG', 'DIGEST-VALUE', `${key}:from-ours`)).toEqual(expected);
    expect(await oursConnection.call('TYPE', `${key}:from-redis`)).toBe(await redisConnection.call('TYPE', key));
  });

  it('a stream built by the same commands DUMPs to the same bytes (same nodes, listpacks and metadata)', async () => {
    // Uncompressed: our LZF finds other (valid) matches than liblzf, so compressed bytes may differ.
    for (const connection of [redisConnection, oursConnection]) {
      await connection.ok('CONFIG', 'SET', 'rdbcompression', 'no');
      await connection.ok('CONFIG', 'SET', 'stream-node-max-entries', '7');
      for (let i = 0; i < 60; i++) await connection.ok('XADD', 'samebytes', `${1000 + i}-${i}`, ...(i % 5 === 0 ? ['x', String(i * 1000)] : ['a', 'v'.repeat(i), 'b', String(-i)]));
      await connection.ok('XDEL', 'samebytes', '1003-3', '1020-20');
      await connection.ok('XTRIM', 'samebytes', 'MAXLEN', '50');
      await connection.ok('CONFIG', 'SET', 'stream-node-max-entries', '100');
    }
    expect((await dumpBytes(oursConnection, 'samebytes')).toString('hex')).toBe((await dumpBytes(redisConnection, 'samebytes')).toString('hex'));
    for (const connection of [redisConnection, oursConnection]) await connection.ok('CONFIG', 'SET', 'rdbcompression', 'yes');
  });

  it('errors, TTLs and options match redis byte for byte', async () => {
    const payload = await dumpBytes(redisConnection, 'str');
    const script = [
      step('RESTORE', 'str', '0', payload), step('RESTORE', 'r1', '0', payload, 'FOO'), step('RESTORE', 'r1', '-1', payload), step('RESTORE', 'r1', 'x', payload),
      step('RESTORE', 'r1', '0', 'garbage'), step('RESTORE', 'r1', '0', payload, 'IDLETIME', '-1'), step('RESTORE', 'r1', '0', payload, 'FREQ', '300'),
      step('RESTORE', 'r1', '0', payload, 'IDLETIME', '10', 'FREQ', '5'), step('RESTORE', 'r1', '100000', payload), step('TTL', 'r1'),
      step('RESTORE', 'r1', '0', payload, 'REPLACE'), step('TTL', 'r1'), step('RESTORE', 'r2', '1', payload, 'ABSTTL'), step('EXISTS', 'r2'),
      step('RESTORE', 'r1', '1', payload, 'ABSTTL', 'REPLACE'), step('EXISTS', 'r1'), step('DUMP', 'nope'), step('GET', 'str'),
      // Any int64 is a TTL, IDLETIME or FREQ argument; a relative TTL near 2^63 wraps (ttl + mstime() in int64) and
      // expires at once; IDLETIME 2^63-1 wraps too when scaled (OBJECT IDLETIME then reads 16777214).
      step('RESTORE', 'big1', '9223372036854775807', payload), step('EXISTS', 'big1'), step('RESTORE', 'big2', '9223372036854775807', payload, 'ABSTTL'),
      step('PEXPIRETIME', 'big2'), step('RESTORE', 'big3', '9223372036854775808', payload), step('RESTORE', 'big4', '100000', payload, 'IDLETIME', '9223372036854775807'),
      step('OBJECT', 'IDLETIME', 'big4'), step('RESTORE', 'big5', '0', payload, 'IDLETIME', '20000000'), step('RESTORE', 'big6', '0', payload, 'FREQ', '9223372036854775807'),
    ];
    for (const protocol of [2, 3] as const) expect(await runDifferential(redis, ours, script, protocol)).toEqual([]);
  });

  it('mutated payloads are refused cleanly, never loaded wrong (fixed seed)', async () => {
    const payload = await dumpBytes(redisConnection, 'bighash');
    const mutations = fc.sample(fc.array(fc.tuple(fc.nat({ max: payload.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), { seed: 99, numRuns: 200 });
    for (const changes of mutations) {
      const mutated = Buffer.from(payload);
      for (const [index, xor] of changes) mutated[index] = mutated[index]! ^ xor;
      const reply = await oursConnection.call('RESTORE', 'mutated', '0', mutated, 'REPLACE');
      expect(reply).toMatchObject({ message: expect.stringMatching(/^ERR (DUMP payload version or checksum are wrong|Bad data format)$/) });
    }
    expect(await oursConnection.call('PING')).toBe('PONG');
  });
});
