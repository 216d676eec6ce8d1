/**
 * Keyspace notifications against real redis-server: the same scripts run
 * on both with every event class on (AKE plus keymiss m and new-key n), and
 * each command must cause the same notifications, with the same names, on
 * the same channels, in the same order, and get the same reply.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { keyspaceEventRecorder, transcriptDifferences, type Command, type CommandEvents, type Recorder } from '../support/keyspace-events';
import { command, info, waitForSync } from '../support/replication';
import { startRedisServer, type RedisProcess } from '../support/redis-server';
import { startEngine, type EngineHandle } from '../support/engine';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const peers = differentialPair();
const ALL_CLASSES = 'AKEmn';

const recorders: Recorder[] = [];
afterEach(() => {
  while (recorders.length > 0) recorders.pop()!.close();
});

async function compare(script: ReadonlyArray<Command>, classes = ALL_CLASSES): Promise<void> {
  const transcripts = [];
  for (const port of [peers.redis.port, peers.ours.port]) transcripts.push(await transcript(port, port, script, classes));
  const [redis, ours] = transcripts;
  expect(transcriptDifferences(redis!, ours!)).toEqual([]);
  // The scripts are meant to cause events: an empty transcript would prove nothing.
  expect(redis!.some((entry) => entry.events.length > 0)).toBe(true);
}

/** Runs the script on `commandPort` with the classes set on `listenPort`, where the events are recorded. */
async function transcript(commandPort: number, listenPort: number, script: ReadonlyArray<Command>, classes: string): Promise<CommandEvents[]> {
  await command({ port: listenPort }, 'CONFIG', 'SET', 'notify-keyspace-events', classes);
  const recorder = await keyspaceEventRecorder(commandPort, listenPort);
  recorders.push(recorder);
  await recorder.run([['FLUSHALL'], ['SELECT', '0']]);
  const result = await recorder.run(script);
  await command({ port: listenPort }, 'CONFIG', 'SET', 'notify-keyspace-events', '');
  return result;
}

const strings: Command[] = [
  ['SET', 's', 'v'], ['SET', 's', 'w'], ['SET', 's', 'x', 'NX'], ['SET', 's2', 'x', 'XX'],
  ['SET', 's', 'y', 'EX', 100], ['SET', 's', 'z', 'KEEPTTL'], ['SET', 'missing', 'a', 'GET'], ['SET', 'missing', 'b', 'GET'],
  ['SETNX', 's3', 1], ['SETNX', 's3', 2], ['SETEX', 's4', 100, 'v'], ['PSETEX', 's5', 100000, 'v'],
  ['GETSET', 's6', 'a'], ['GETSET', 's6', 'b'], ['GETDEL', 's6'], ['GETDEL', 's6'],
  ['GETEX', 's', 'PERSIST'], ['GETEX', 's', 'PERSIST'], ['GETEX', 's', 'EX', 100], ['GETEX', 's', 'PXAT', 1], ['GETEX', 'nokey'],
  ['MSET', 'm1', 'a', 'm2', 'b'], ['MSETNX', 'm3', 'a', 'm1', 'b'], ['MSETNX', 'm3', 'a', 'm4', 'b'],
  ['GET', 'nokey'], ['MGET', 'm1', 'nokey', 'm2'], ['STRLEN', 'nokey'],
];

const keys: Command[] = [
  ['SET', 'a', 1], ['SET', 'b', 2], ['DEL', 'a', 'b', 'c'], ['UNLINK', 'nokey'],
  ['SET', 'a', 1], ['EXPIRE', 'a', 100], ['PEXPIRE', 'a', 200000, 'GT'], ['PEXPIRE', 'a', 100000, 'GT'], ['EXPIRE', 'a', 10, 'NX'], ['PERSIST', 'a'], ['PERSIST', 'a'],
  ['EXPIREAT', 'a', 1], ['EXPIRE', 'nokey', 10],
  ['SET', 'a', 1], ['RENAME', 'a', 'b'], ['RENAME', 'nokey', 'x'], ['SET', 'c', 3], ['RENAME', 'b', 'c'], ['RENAMENX', 'c', 'd'], ['SET', 'e', 1], ['RENAMENX', 'd', 'e'],
  ['PEXPIRE', 'd', 100000], ['RENAME', 'd', 'f'],
  ['MOVE', 'f', 1], ['MOVE', 'nokey', 1], ['SET', 'g', 1], ['MOVE', 'g', 1], ['SELECT', 1], ['MOVE', 'g', 0], ['SELECT', 0],
  ['COPY', 'e', 'h'], ['COPY', 'e', 'h'], ['COPY', 'e', 'h', 'REPLACE'], ['COPY', 'e', 'h', 'DB', 2], ['COPY', 'nokey', 'x'],
  ['EXISTS', 'nokey', 'e'], ['TYPE', 'nokey'], ['TTL', 'nokey'], ['PTTL', 'e'], ['OBJECT', 'ENCODING', 'nokey'], ['TOUCH', 'nokey'],
];

const lists: Command[] = [
  ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'nol', 'a'], ['RPUSHX', 'l', 'd'],
  ['LPOP', 'l'], ['RPOP', 'l'], ['LPOP', 'l', 0], ['LPOP', 'l', 5], ['RPOP', 'l'], ['LPOP', 'nol', 2],
  ['RPUSH', 'l', 'a', 'b', 'c', 'a'], ['LSET', 'l', 0, 'x'], ['LSET', 'l', 99, 'x'], ['LINSERT', 'l', 'BEFORE', 'b', 'y'], ['LINSERT', 'l', 'AFTER', 'zz', 'y'],
  ['LREM', 'l', 0, 'nope'], ['LREM', 'l', 1, 'a'], ['LTRIM', 'l', 0, -1], ['LTRIM', 'l', 1, 2], ['LTRIM', 'l', 5, 1], ['LTRIM', 'nol', 0, 1],
  ['RPUSH', 'l', 'a', 'b'], ['RPOPLPUSH', 'l', 'l2'], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'], ['LMOVE', 'l2', 'l2', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'nol', 'l2'],
  ['LMPOP', 2, 'nol', 'l2', 'LEFT', 'COUNT', 1], ['LMPOP', 1, 'l2', 'RIGHT', 'COUNT', 10],
  ['RPUSH', 'l', 'a'], ['BLPOP', 'nol', 'l', 1], ['RPUSH', 'l', 'a', 'b'], ['BRPOPLPUSH', 'l', 'l3', 1], ['BLMOVE', 'l', 'l3', 'RIGHT', 'LEFT', 1], ['BLMPOP', 1, 1, 'l3', 'LEFT', 'COUNT', 5],
  ['LRANGE', 'nol', 0, -1], ['LLEN', 'nol'], ['LINDEX', 'nol', 0], ['LPOS', 'nol', 'a'],
];

const counters: Command[] = [
  ['INCR', 'n'], ['INCRBY', 'n', 10], ['DECR', 'n'], ['DECRBY', 'n', 2], ['INCRBYFLOAT', 'n', '1.5'], ['INCRBYFLOAT', 'f', '0.1'],
  ['SET', 'big', '9223372036854775807'], ['INCR', 'big'], ['SET', 'txt', 'abc'], ['INCR', 'txt'],
  ['APPEND', 'ap', 'x'], ['APPEND', 'ap', 'yz'], ['SETRANGE', 'sr', 3, 'ab'], ['SETRANGE', 'sr', 0, ''], ['SETRANGE', 'nosr', 0, ''], ['SETRANGE', 'sr', 1, 'Z'],
  ['SETBIT', 'bits', 7, 1], ['SETBIT', 'bits', 7, 1], ['SETBIT', 'bits', 7, 0], ['SETBIT', 'bits', 100, 0], ['GETBIT', 'nobits', 1],
  ['BITFIELD', 'bf', 'SET', 'u8', 0, 255], ['BITFIELD', 'bf', 'SET', 'u8', 0, 255], ['BITFIELD', 'bf', 'GET', 'u8', 0], ['BITFIELD', 'nobf', 'GET', 'u8', 0],
  ['BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', 0, 10], ['BITFIELD', 'bf2', 'INCRBY', 'i5', 0, 3],
  ['BITOP', 'AND', 'bo', 'bits', 'bf'], ['BITOP', 'OR', 'bo', 'nokey1', 'nokey2'], ['BITOP', 'NOT', 'bo2', 'nokey'], ['BITCOUNT', 'nokey'], ['LCS', 'ap', 'nokey'],
];

const sets: Command[] = [
  ['SADD', 's', 'a', 'b', 'c'], ['SADD', 's', 'a'], ['SADD', 's', 'a', 'd'], ['SREM', 's', 'zz'], ['SREM', 's', 'a', 'zz'], ['SREM', 'nos', 'a'],
  ['SMOVE', 's', 't', 'b'], ['SMOVE', 's', 't', 'nope'], ['SMOVE', 'nos', 't', 'b'], ['SADD', 'one', 'x'], ['SMOVE', 'one', 't', 'x'], ['SADD', 'u', 'b'], ['SMOVE', 't', 'u', 'b'],
  ['SADD', 'p', 1], ['SPOP', 'p'], ['SPOP', 'nos'], ['SADD', 'p', 1, 2], ['SPOP', 'p', 0], ['SPOP', 'p', 5], ['SPOP', 'nos', 2],
  ['SADD', 'x1', 1, 2, 3], ['SADD', 'x2', 2, 3, 4], ['SINTERSTORE', 'dst', 'x1', 'x2'], ['SINTERSTORE', 'dst', 'x1', 'nos'], ['SINTERSTORE', 'dst', 'x1', 'nos'],
  ['SUNIONSTORE', 'dst', 'x1', 'x2'], ['SDIFFSTORE', 'dst', 'x1', 'x2'], ['SDIFFSTORE', 'dst', 'x1', 'x1'], ['SUNIONSTORE', 'dst', 'nos', 'nos2'],
  ['SINTER', 'x1', 'nos'], ['SUNION', 'nos', 'x2'], ['SDIFF', 'nos', 'x1'], ['SINTERCARD', 2, 'x1', 'nos'], ['SISMEMBER', 'nos', 'a'], ['SMISMEMBER', 'nos', 'a'], ['SCARD', 'nos'], ['SMEMBERS', 'nos'], ['SRANDMEMBER', 'nos'],
];

const hashes: Command[] = [
  ['HSET', 'h', 'a', 1, 'b', 2], ['HSET', 'h', 'a', 1], ['HMSET', 'h', 'c', 3], ['HSETNX', 'h', 'a', 9], ['HSETNX', 'h', 'z', 9], ['HSETNX', 'h2', 'z', 9],
  ['HINCRBY', 'h', 'a', 5], ['HINCRBY', 'h3', 'n', 1], ['HINCRBYFLOAT', 'h', 'f', '1.5'], ['HINCRBY', 'h', 'f', 1],
  ['HDEL', 'h', 'nope'], ['HDEL', 'h', 'a', 'b'], ['HDEL', 'h2', 'z'], ['HDEL', 'noh', 'a'],
  ['HGET', 'noh', 'a'], ['HMGET', 'noh', 'a'], ['HGETALL', 'noh'], ['HLEN', 'noh'], ['HEXISTS', 'noh', 'a'], ['HSTRLEN', 'noh', 'a'], ['HKEYS', 'noh'], ['HVALS', 'noh'], ['HRANDFIELD', 'noh'],
];

const zsets: Command[] = [
  ['ZADD', 'z', 1, 'a', 2, 'b'], ['ZADD', 'z', 1, 'a'], ['ZADD', 'z', 'XX', 5, 'nope'], ['ZADD', 'noz', 'XX', 1, 'a'], ['ZADD', 'z', 'GT', 0, 'a'], ['ZADD', 'z', 'CH', 3, 'a'],
  ['ZINCRBY', 'z', 1, 'a'], ['ZADD', 'z', 'INCR', 1, 'c'], ['ZINCRBY', 'z', 0, 'a'],
  ['ZREM', 'z', 'nope'], ['ZREM', 'z', 'c'], ['ZREM', 'noz', 'a'],
  ['ZADD', 'r', 1, 'a', 2, 'b', 3, 'c', 4, 'd', 5, 'e'], ['ZREMRANGEBYSCORE', 'r', 10, 20], ['ZREMRANGEBYSCORE', 'r', 1, 1], ['ZREMRANGEBYRANK', 'r', 0, 0], ['ZREMRANGEBYLEX', 'r', '[c', '[c'], ['ZREMRANGEBYRANK', 'r', 0, -1],
  ['ZADD', 'p', 1, 'a', 2, 'b', 3, 'c'], ['ZPOPMIN', 'p'], ['ZPOPMAX', 'p', 0], ['ZPOPMAX', 'p', 5], ['ZPOPMIN', 'noz'], ['ZMPOP', 1, 'noz', 'MIN'],
  ['ZADD', 'p', 1, 'a', 2, 'b'], ['ZMPOP', 2, 'noz', 'p', 'MAX', 'COUNT', 1], ['BZPOPMIN', 'noz', 'p', 1], ['ZADD', 'p', 1, 'a'], ['BZMPOP', 1, 1, 'p', 'MIN'],
  ['ZADD', 'k1', 1, 'a', 2, 'b'], ['ZADD', 'k2', 2, 'b', 3, 'c'], ['ZUNIONSTORE', 'd', 2, 'k1', 'k2'], ['ZINTERSTORE', 'd', 2, 'k1', 'k2'], ['ZDIFFSTORE', 'd', 2, 'k1', 'k2'],
  ['ZINTERSTORE', 'd', 2, 'k1', 'noz'], ['ZINTERSTORE', 'd', 2, 'k1', 'noz'], ['ZRANGESTORE', 'd', 'k1', 0, -1], ['ZRANGESTORE', 'd', 'noz', 0, -1], ['ZRANGESTORE', 'd', 'noz', 0, -1],
  ['ZSCORE', 'noz', 'a'], ['ZCARD', 'noz'], ['ZRANGE', 'noz', 0, -1], ['ZRANK', 'noz', 'a'], ['ZCOUNT', 'noz', 0, 1], ['ZUNION', 2, 'noz', 'k1'], ['ZRANDMEMBER', 'noz'], ['ZMSCORE', 'noz', 'a'],
];

/** DUMP of the string "value" by Redis 7.0. */
const DUMPED_VALUE = Buffer.from('000576616c75650a0081f6c138c1aa9b6e', 'hex');

const sortAndRestore: Command[] = [
  ['RPUSH', 'src', 3, 1, 2], ['SORT', 'src', 'STORE', 'dst'], ['SORT', 'src', 'STORE', 'dst'], ['SORT', 'nosrc', 'STORE', 'dst'], ['SORT', 'nosrc', 'STORE', 'dst'], ['SORT', 'nosrc'],
  ['SET', 'w_1', 3], ['SET', 'w_2', 1], ['SORT', 'src', 'BY', 'w_*', 'GET', 'o_*', 'GET', '#', 'STORE', 'dst'], ['SORT_RO', 'src', 'BY', 'w_*'],
  ['SET', 'r', 'value'], ['DUMP', 'r'], ['DUMP', 'nokey'], ['DEL', 'r'],
  ['RESTORE', 'r', 0, DUMPED_VALUE], ['RESTORE', 'r', 0, DUMPED_VALUE], ['RESTORE', 'r', 0, DUMPED_VALUE, 'REPLACE'], ['RESTORE', 'r', 100000, DUMPED_VALUE, 'REPLACE'],
  ['RESTORE', 'r', 1, DUMPED_VALUE, 'REPLACE', 'ABSTTL'], ['RESTORE', 'r2', 1, DUMPED_VALUE, 'ABSTTL'],
];

/** Read-only commands on a missing key: "keymiss" exactly where Redis's lookups raise it. */
const missingReads: Command[] = [
  ['GETRANGE', 'nokey', 0, 1], ['SUBSTR', 'nokey', 0, 1], ['BITPOS', 'nokey', 1], ['BITFIELD_RO', 'nokey', 'GET', 'u8', 0], ['STRLEN', 'nokey'],
  ['ZRANGEBYSCORE', 'nokey', 0, 1], ['ZREVRANGE', 'nokey', 0, 1], ['ZLEXCOUNT', 'nokey', '-', '+'], ['ZRANGEBYLEX', 'nokey', '-', '+'], ['ZREVRANK', 'nokey', 'a'],
  ['ZINTER', 2, 'nokey', 'nokey2'], ['ZDIFF', 2, 'nokey', 'nokey2'], ['ZINTERCARD', 2, 'nokey', 'nokey2'],
  ['SSCAN', 'nokey', 0], ['HSCAN', 'nokey', 0], ['ZSCAN', 'nokey', 0], ['LINDEX', 'nokey', 0], ['HRANDFIELD', 'nokey', 2],
  ['PTTL', 'nokey'], ['EXPIRETIME', 'nokey'], ['PEXPIRETIME', 'nokey'], ['MEMORY', 'USAGE', 'nokey'], ['OBJECT', 'IDLETIME', 'nokey'],
  ['SET', 'present', 'v'], ['GET', 'present'], ['EXISTS', 'present', 'nokey'], ['MGET', 'present', 'nokey'],
];

/** Keys that expire while the active cycle is off, then touched by reads and writes (lazy expiry). */
const lazyExpiry: Command[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', 0],
  ['SET', 'e1', 'v', 'PX', 20], ['SET', 'e2', 'v', 'PX', 20], ['HSET', 'e3', 'f', 'v'], ['PEXPIRE', 'e3', 20], ['RPUSH', 'e4', 'a'], ['PEXPIRE', 'e4', 20],
  ['SET', 'e5', 'v', 'PX', 20], ['SADD', 'e6', 'm'], ['PEXPIRE', 'e6', 20],
  ['DEBUG', 'SLEEP', '0.05'],
  ['GET', 'e1'], ['EXISTS', 'e2'], ['HSET', 'e3', 'f', 'v'], ['LPUSH', 'e4', 'b'], ['DEL', 'e5'], ['SCARD', 'e6'],
  ['DEBUG', 'SET-ACTIVE-EXPIRE', 1],
];

/** The sorted "channel message" lines a subscriber receives until `done` says the server is finished. */
async function collectSorted(port: number, classes: string, act: () => Promise<void>, done: () => Promise<boolean>): Promise<string[]> {
  await command({ port }, 'CONFIG', 'SET', 'notify-keyspace-events', classes);
  const subscriber = new RespConnection('127.0.0.1', port);
  try {
    await subscriber.call('PSUBSCRIBE', '__key*__:*');
    await act();
    await waitFor(done, { timeoutMs: 10_000, what: 'the server to finish' });
    await command({ port }, 'PUBLISH', '__keyend__:done', 'end');
    const lines: string[] = [];
    for (;;) {
      const items = (await subscriber.nextReply()).value as string[];
      if (items[2] === '__keyend__:done') break;
      lines.push(`${items[2]} ${items[3]}`);
    }
    return lines.sort();
  } finally {
    subscriber.close();
    await command({ port }, 'CONFIG', 'SET', 'notify-keyspace-events', '');
  }
}

describe('keyspace notifications match redis-server', () => {
  it('expired on access (lazy expiry) before the command\'s own events', async () => compare(lazyExpiry));

  it('expired by the active expire cycle', async () => {
    const results = [];
    for (const port of [peers.redis.port, peers.ours.port]) {
      await command({ port }, 'FLUSHALL');
      results.push(await collectSorted(port, 'KEx', async () => {
        for (let i = 0; i < 20; i++) await command({ port }, 'SET', `active:${i}`, 'v', 'PX', 20 + i);
        await command({ port }, 'SET', 'stays', 'v');
      }, async () => Number(await command({ port }, 'DBSIZE')) === 1));
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toHaveLength(40);
  });

  it('evicted by maxmemory, as soon as CONFIG SET lowers it', async () => {
    const results = [];
    for (const port of [peers.redis.port, peers.ours.port]) {
      await command({ port }, 'FLUSHALL');
      await command({ port }, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-random');
      for (let i = 0; i < 10; i++) await command({ port }, 'SET', `victim:${i}`, 'v');
      try {
        results.push(await collectSorted(port, 'Ee', async () => {
          await command({ port }, 'CONFIG', 'SET', 'maxmemory', 1);
        }, async () => Number(await command({ port }, 'DBSIZE')) === 0));
      } finally {
        await command({ port }, 'CONFIG', 'SET', 'maxmemory', 0);
        await command({ port }, 'CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toHaveLength(10);
  });

  it('events of clients served after they blocked come after the unblocking command\'s own', async () => {
    const transcripts = [];
    for (const port of [peers.redis.port, peers.ours.port]) {
      await command({ port }, 'FLUSHALL');
      const blockers = [
        ['BLPOP', 'bl', 0], ['BLMOVE', 'bl', 'moved', 'LEFT', 'RIGHT', 0], ['BRPOPLPUSH', 'bl2', 'moved', 0], ['BZPOPMIN', 'bz', 0], ['BLMPOP', 0, 1, 'bl3', 'RIGHT', 'COUNT', 2], ['BZMPOP', 0, 1, 'bz', 'MAX'],
      ].map((blocking) => {
        const connection = new RespConnection('127.0.0.1', port);
        return { connection, reply: connection.call(...blocking) };
      });
      await waitFor(async () => (await info({ port }, 'clients')).get('blocked_clients') === String(blockers.length), { what: 'clients to block' });
      transcripts.push(await transcript(port, port, [
        ['RPUSH', 'bl', 'a', 'b', 'c'], ['RPUSH', 'bl2', 'x'], ['ZADD', 'bz', 1, 'a', 2, 'b', 3, 'c'], ['RPUSH', 'bl3', 1, 2, 3],
      ], ALL_CLASSES));
      for (const blocker of blockers) {
        await blocker.reply;
        blocker.connection.close();
      }
    }
    expect(transcriptDifferences(transcripts[0]!, transcripts[1]!)).toEqual([]);
  });

  it('strings', async () => compare(strings));
  it('reads of missing keys', async () => compare(missingReads));
  it('counters, ranges and bits', async () => compare(counters));
  it('sets', async () => compare(sets));
  it('hashes', async () => compare(hashes));
  it('sorted sets', async () => compare(zsets));
  it('SORT ... STORE and RESTORE', async () => compare(sortAndRestore));
  it('generic key commands', async () => compare(keys));
  it('lists', async () => compare(lists));

  it('only the enabled classes and channel kinds are published', async () => {
    const script: Command[] = [['SET', 'a', 1], ['LPUSH', 'l', 'x'], ['DEL', 'a'], ['GET', 'nokey']];
    for (const classes of ['K$', 'El', 'Kg', 'KEA', 'Em', 'En', 'KElg']) await compare([...script, ['SET', 'a', 2]], classes);
  });

  it('CONFIG SET accepts the class letters and CONFIG GET prints the canonical string', async () => {
    for (const value of ['gKE', '$lshzxeKE', 'KA', 'EA', 'AKEmn', 'nm', 'Ad', 'tdn', 'x', '', 'K']) {
      const redisReply = await peers.redis.call('CONFIG', 'SET', 'notify-keyspace-events', value);
      const ourReply = await peers.ours.call('CONFIG', 'SET', 'notify-keyspace-events', value);
      expect(ourReply).toEqual(redisReply);
      expect(await peers.ours.call('CONFIG', 'GET', 'notify-keyspace-events')).toEqual(await peers.redis.call('CONFIG', 'GET', 'notify-keyspace-events'));
    }
    const redisError = await peers.redis.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEq');
    expect(String(await peers.ours.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEq'))).toBe(String(redisError));
    expect(await peers.ours.call('CONFIG', 'GET', 'notify-keyspace-events')).toEqual(['notify-keyspace-events', 'K']);
    await peers.redis.call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await peers.ours.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  });
});

/** What a master's stream makes a replica do: rewritten commands (SET PXAT, SREM for SPOP, DEL for expiry) with their own events. */
const replicated: Command[] = [
  ['SET', 'a', 1, 'EX', 100], ['GETEX', 'a', 'PERSIST'], ['GETDEL', 'a'], ['INCRBYFLOAT', 'f', '1.5'], ['HINCRBYFLOAT', 'h', 'f', '2.5'],
  ['SADD', 's', 1], ['SPOP', 's'], ['SADD', 's', 1, 2], ['SPOP', 's', 5], ['RPUSH', 'l', 'a', 'b'], ['BLPOP', 'l', 1], ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
  ['ZADD', 'z', 1, 'a', 2, 'b'], ['BZPOPMAX', 'z', 1], ['ZMPOP', 1, 'z', 'MIN'], ['SET', 'k', 1], ['EXPIRE', 'k', -1],
  ['DEBUG', 'SET-ACTIVE-EXPIRE', 0], ['SET', 'lazy', 1, 'PX', 20], ['DEBUG', 'SLEEP', '0.05'], ['GET', 'lazy'], ['DEBUG', 'SET-ACTIVE-EXPIRE', 1],
  ['MULTI'], ['SET', 'm', 1], ['INCR', 'm'], ['EXEC'], ['RENAME', 'm', 'm2'], ['MOVE', 'm2', 3], ['SELECT', 3], ['COPY', 'm2', 'm3', 'DB', 0], ['SELECT', 0],
  ['RPUSH', 'src', 2, 1], ['SORT', 'src', 'STORE', 'sorted'], ['RESTORE', 'r', 0, DUMPED_VALUE], ['SETRANGE', 'r', 1, 'x'], ['SETBIT', 'r', 1, 1], ['FLUSHDB'],
];

describe('keyspace notifications on replicas match redis-server', () => {
  const replicas: { redis?: RedisProcess; ours?: EngineHandle } = {};
  beforeAll(async () => {
    [replicas.redis, replicas.ours] = await Promise.all([startRedisServer(), startEngine()]);
    await command(replicas.redis, 'REPLICAOF', '127.0.0.1', peers.redis.port);
    await command(replicas.ours, 'REPLICAOF', '127.0.0.1', peers.ours.port);
    await Promise.all([waitForSync(replicas.redis), waitForSync(replicas.ours)]);
  });

  it('the commands of the master\'s stream notify on the replica as Redis does', async () => {
    const redis = await transcript(peers.redis.port, replicas.redis!.port, replicated, ALL_CLASSES);
    const ours = await transcript(peers.ours.port, replicas.ours!.port, replicated, ALL_CLASSES);
    expect(transcriptDifferences(redis, ours)).toEqual([]);
    expect(redis.filter((entry) => entry.events.length > 0).length).toBeGreaterThan(20);
  });
});
