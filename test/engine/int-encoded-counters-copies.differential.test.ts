/**
 * A counter held as its integer (held-integer.ts) is one mutable object in
 * its key's slot, updated in place by the next INCR. Every command that
 * copies or moves a value, or keeps a point-in-time image of it, must leave
 * the other key / the image alone when one of them is then incremented, and
 * every reader must see redis-server's bytes. Compared byte for byte with a
 * real redis-server: COPY, RENAME, MOVE, SWAPDB, DUMP + RESTORE, SORT ...
 * STORE (GET patterns reading counters), GETSET / SET GET / GETDEL / GETEX,
 * MSET / MSETNX over a counter, Lua reading a counter it just incremented,
 * EXPIRE / PERSIST, the bit commands, LCS, SUBSTR, SETRANGE, APPEND, OBJECT,
 * DEBUG OBJECT's serializedlength, MEMORY USAGE (its shape: our figure is
 * the engine's own heap estimate, memory.differential.test.ts), SCAN TYPE, DEBUG DIGEST;
 * then a BGSAVE taken while a counter is incremented in place (the RDB
 * holds the value at the BGSAVE), and MIGRATE COPY of a counter to a third
 * server followed by INCR on both sides.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, unordered, type Step } from '../support/differential';
import { startRedisServer } from '../support/redis-server';
import { command, infoNumber, type Peer } from '../support/replication';

const peers = differentialPair();

/** DEBUG OBJECT's address and LRU fields differ between servers: its encoding and serializedlength do not. */
const debugObjectFields = (raw: Buffer): string => (raw.toString('latin1').match(/encoding:\S+|serializedlength:\d+/g) ?? [raw.toString('latin1')]).join(' ');
const debugObject = (key: string): Step => ({ cmd: ['DEBUG', 'OBJECT', key], compare: debugObjectFields });
/**
 * OBJECT IDLETIME counts whole ticks of a once-a-second LRU clock (LRU_CLOCK_RESOLUTION), so a key touched
 * just before a tick reads 1 a few milliseconds later on either server: compared as "touched within a tick".
 */
const idleTimeTicks = (raw: Buffer): string => {
  const text = raw.toString('latin1');
  return /^:[01]\r\n$/.test(text) ? 'idle at most one tick' : text;
};
const objectIdletime = (key: string): Step => ({ cmd: ['OBJECT', 'IDLETIME', key], compare: idleTimeTicks });

const readBack = (key: string): Step[] => [
  step('GET', key), step('STRLEN', key), step('OBJECT', 'ENCODING', key), step('SUBSTR', key, '0', '-1'), step('DEBUG', 'DIGEST-VALUE', key),
  step('DUMP', key), step('TYPE', key), debugObject(key), shape('MEMORY', 'USAGE', key), objectIdletime(key),
];
/** Three counters made by INCR and updated in place (held integers). */
const counters = (...keys: string[]): Step[] => keys.flatMap((key) => [step('INCRBY', key, '12345'), step('INCR', key), step('INCR', key)]);

const script: Step[] = [
  step('FLUSHALL'),
  // COPY: the copy and the source are incremented apart.
  ...counters('a'), step('COPY', 'a', 'b'), step('INCR', 'a'), step('GET', 'b'), step('INCR', 'b'), step('INCR', 'b'), step('GET', 'a'), ...readBack('b'),
  step('COPY', 'a', 'b', 'REPLACE'), step('INCRBY', 'b', '100'), step('GET', 'a'), step('COPY', 'b', 'a', 'DB', '1'), step('INCR', 'b'),
  step('SELECT', '1'), step('GET', 'a'), step('INCR', 'a'), step('SELECT', '0'), step('GET', 'a'), step('GET', 'b'),
  // RENAME / RENAMENX / MOVE / SWAPDB carry the counter, which then goes on counting where it is.
  ...counters('r'), step('RENAME', 'r', 'r2'), step('INCR', 'r2'), step('EXISTS', 'r'), step('INCR', 'r'), ...readBack('r2'), ...readBack('r'),
  step('RENAMENX', 'r2', 'r3'), step('INCR', 'r3'), step('GET', 'r3'),
  ...counters('m'), step('MOVE', 'm', '1'), step('INCR', 'm'), step('SELECT', '1'), step('INCR', 'm'), ...readBack('m'), step('SELECT', '0'), step('GET', 'm'),
  ...counters('sw'), step('SWAPDB', '0', '1'), step('INCR', 'sw'), step('SWAPDB', '0', '1'), step('INCR', 'sw'), step('GET', 'sw'),
  step('SELECT', '1'), step('GET', 'sw'), step('FLUSHDB'), step('SELECT', '0'),
  // DUMP + RESTORE from a script: two keys from one counter.
  ...counters('d'), step('EVAL', "local p = redis.call('DUMP', KEYS[1]) redis.call('RESTORE', KEYS[2], 0, p) redis.call('INCR', KEYS[1]) return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('INCR', KEYS[2]), redis.call('GET', KEYS[1])}", '2', 'd', 'd2'),
  ...readBack('d2'),
  // SORT ... GET patterns read counters; the stored list keeps the text when they move on.
  step('RPUSH', 'l', '2', '1', '3'), ...counters('w_1', 'w_2', 'w_3'), step('INCRBY', 'w_2', '-99999'),
  step('SORT', 'l', 'BY', 'w_*', 'GET', 'w_*', 'GET', '#', 'STORE', 'sorted'), step('LRANGE', 'sorted', '0', '-1'), step('INCR', 'w_1'), step('LRANGE', 'sorted', '0', '-1'),
  step('SORT', 'l', 'BY', 'w_*', 'DESC', 'GET', 'w_*'), step('INCR', 'w_3'), step('GET', 'w_3'),
  // The replies of GETSET / SET GET / GETDEL / GETEX are the counter's text; what replaces it counts on.
  ...counters('g'), step('GETSET', 'g', '7'), step('INCR', 'g'), step('INCR', 'g'), step('SET', 'g', '100', 'GET'), step('INCR', 'g'), step('GET', 'g'),
  step('GETEX', 'g', 'EX', '1000'), step('INCR', 'g'), shape('TTL', 'g'), step('GETEX', 'g', 'PERSIST'), step('TTL', 'g'), step('INCR', 'g'), step('GETDEL', 'g'), step('INCR', 'g'), ...readBack('g'),
  ...counters('ms1', 'ms2'), step('MSET', 'ms1', '5', 'ms3', '9'), step('INCR', 'ms1'), step('MSETNX', 'ms2', '1', 'ms4', '1'), step('INCR', 'ms2'), step('MGET', 'ms1', 'ms2', 'ms3', 'ms4'),
  // Lua: INCR then GET in one script, both returned; INCR's reply is an integer, GET's the text.
  step('EVAL', "local a = redis.call('INCR', KEYS[1]) local b = redis.call('GET', KEYS[1]) local c = redis.call('INCRBY', KEYS[1], -3) return {a, b, c, redis.call('GET', KEYS[1]), redis.call('STRLEN', KEYS[1])}", '1', 'lua'),
  step('EVAL', "redis.call('INCR', KEYS[1]) redis.call('COPY', KEYS[1], KEYS[2]) redis.call('INCR', KEYS[1]) return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2])}", '2', 'lua', 'lua2'),
  // MULTI: the same counter read and incremented inside one transaction.
  step('MULTI'), step('INCR', 'tx'), step('COPY', 'tx', 'tx2'), step('INCR', 'tx'), step('GET', 'tx2'), step('RENAME', 'tx', 'tx3'), step('INCR', 'tx3'), step('GET', 'tx3'), step('EXEC'),
  // EXPIRE / PERSIST keep a counter's value and TTL through in-place updates.
  ...counters('e'), step('EXPIRE', 'e', '1000'), step('INCR', 'e'), shape('TTL', 'e'), step('PERSIST', 'e'), step('INCR', 'e'), step('TTL', 'e'), step('PEXPIRE', 'e', '500000'), step('DECR', 'e'), shape('PTTL', 'e'), ...readBack('e'),
  // Bit commands and LCS read the counter's text.
  ...counters('bt', 'bt2'), step('BITCOUNT', 'bt'), step('BITCOUNT', 'bt', '1', '2'), step('BITCOUNT', 'bt', '3', '20', 'BIT'), step('BITPOS', 'bt', '1'), step('BITPOS', 'bt', '0', '2'),
  step('GETBIT', 'bt', '10'), step('GETBIT', 'bt', '47'), step('BITOP', 'XOR', 'bx', 'bt', 'bt2'), step('GET', 'bx'), step('BITOP', 'NOT', 'bt2', 'bt2'), step('GET', 'bt2'), step('INCR', 'bt2'),
  step('BITFIELD', 'bt', 'GET', 'u8', '0'), step('BITFIELD_RO', 'bt', 'GET', 'i16', '4'), step('INCR', 'bt'), step('LCS', 'bt', 'a'), step('LCS', 'bt', 'a', 'LEN'), step('LCS', 'bt', 'a', 'IDX', 'WITHMATCHLEN'),
  // SETRANGE / APPEND turn it into raw text; INCR after them.
  ...counters('sr'), step('SETRANGE', 'sr', '1', '0'), step('INCR', 'sr'), ...readBack('sr'), step('APPEND', 'sr', '1'), step('INCR', 'sr'), ...readBack('sr'),
  step('APPEND', 'new', '41'), step('INCR', 'new'), ...readBack('new'), step('SETRANGE', 'zero', '0', '5'), step('INCR', 'zero'), ...readBack('zero'),
  // Small counters (Redis shares 0..9999) and their OBJECT / MEMORY figures.
  step('INCR', 'small'), ...readBack('small'), step('OBJECT', 'REFCOUNT', 'small'), step('DECRBY', 'small', '10001'), ...readBack('small'), step('OBJECT', 'REFCOUNT', 'small'),
  step('INCRBY', 'small', '10000'), ...readBack('small'), step('OBJECT', 'REFCOUNT', 'small'),
  // Shared integers (OBJECT REFCOUNT): a counter that Redis would replace by a new object (its old one shared,
  // or a result in 0..9999) is shared or not by the policy in force at that INCR, not at its key's creation.
  // (Reading the value turns the held integer into text, so the INCRs that matter run back to back.)
  step('CONFIG', 'SET', 'maxmemory', '1000000000'), step('INCR', 'sh'), step('INCR', 'sh'), step('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru'),
  step('INCR', 'sh'), step('OBJECT', 'REFCOUNT', 'sh'), step('INCR', 'sh'), step('INCR', 'sh'), step('OBJECT', 'REFCOUNT', 'sh'),
  step('INCRBY', 'un', '10005'), step('DECR', 'un'), step('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'), step('DECRBY', 'un', '10000'), step('OBJECT', 'REFCOUNT', 'un'),
  step('INCRBY', 'un', '20000'), step('DECR', 'un'), step('DECRBY', 'un', '10000'), step('OBJECT', 'REFCOUNT', 'un'), step('INCRBY', 'un', '-20000'), step('OBJECT', 'REFCOUNT', 'un'),
  step('INCR', 'sh'), step('INCR', 'sh'), step('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lfu'), step('INCRBY', 'sh', '9990'), step('DECRBY', 'sh', '9000'), step('OBJECT', 'REFCOUNT', 'sh'), ...readBack('sh'),
  // OBJECT FREQ under LFU with lfu-log-factor 0 and no decay (each access counts one): in-place INCR, COPY, GET.
  step('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lfu'), step('CONFIG', 'SET', 'lfu-log-factor', '0'), step('CONFIG', 'SET', 'lfu-decay-time', '0'),
  step('INCRBY', 'fq', '20000'), step('OBJECT', 'FREQ', 'fq'), step('INCR', 'fq'), step('INCR', 'fq'), step('OBJECT', 'FREQ', 'fq'), step('COPY', 'fq', 'fq2'), step('OBJECT', 'FREQ', 'fq2'),
  step('INCR', 'fq2'), step('DECRBY', 'fq2', '20000'), step('OBJECT', 'FREQ', 'fq2'), step('OBJECT', 'FREQ', 'fq'), step('GET', 'fq'), step('OBJECT', 'FREQ', 'fq'), step('OBJECT', 'REFCOUNT', 'fq2'),
  step('CONFIG', 'SET', 'maxmemory-policy', 'noeviction'), step('CONFIG', 'SET', 'maxmemory', '0'), step('CONFIG', 'SET', 'lfu-log-factor', '10'), step('CONFIG', 'SET', 'lfu-decay-time', '1'),
  // SCAN's TYPE filter and TYPE see strings.
  step('EVAL', "local r = redis.call('SCAN', '0', 'COUNT', '1000', 'TYPE', 'string') table.sort(r[2]) return r", '0'), unordered('KEYS', '*'), step('DEBUG', 'DIGEST'), step('DBSIZE'),
];

describe('counters held as integers: copies, moves and readers', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    expect(await peers.compare(script, protocol)).toEqual([]);
  });
});

async function bgsaveFinished(peer: Peer): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await infoNumber(peer, 'rdb_bgsave_in_progress', 'persistence') === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('BGSAVE did not finish');
}

/**
 * BGSAVE while a counter is incremented in place: the RDB holds each
 * counter as it was at the BGSAVE (redis-server's fork), read back by
 * DEBUG RELOAD NOSAVE; the live counter counted on. Enough other keys that
 * our snapshot is written over several slices, with the INCRs between them.
 */
async function bgsaveDuringIncr(peer: Peer): Promise<unknown[]> {
  await command(peer, 'FLUSHALL');
  await command(peer, 'DEBUG', 'POPULATE', '200000', 'pad', '64');
  for (const key of ['c1', 'c2', 'zz']) for (let i = 0; i < 5; i++) await command(peer, 'INCRBY', key, '1000');
  await command(peer, 'BGSAVE');
  for (let i = 0; i < 20; i++) for (const key of ['c1', 'c2', 'zz']) await command(peer, 'INCR', key);
  await command(peer, 'COPY', 'c1', 'copied');
  await command(peer, 'INCR', 'copied');
  const live = [await command(peer, 'MGET', 'c1', 'c2', 'zz', 'copied')];
  await bgsaveFinished(peer);
  const liveDigest = await command(peer, 'DEBUG', 'DIGEST');
  await command(peer, 'DEBUG', 'RELOAD', 'NOSAVE');
  return [...live, await command(peer, 'MGET', 'c1', 'c2', 'zz', 'copied'), await command(peer, 'DBSIZE'), liveDigest, await command(peer, 'DEBUG', 'DIGEST')];
}

describe('counters held as integers under BGSAVE and MIGRATE', () => {
  afterAll(async () => {
    await command(peers.redis, 'FLUSHALL');
    await command(peers.ours, 'FLUSHALL');
  });

  it('a BGSAVE keeps the values at its start while INCR updates them in place', async () => {
    const [theirs, ours] = [await bgsaveDuringIncr(peers.redis), await bgsaveDuringIncr(peers.ours)];
    expect(ours).toEqual(theirs);
    expect(theirs[1]).toEqual(['5000', '5000', '5000', null]);
  }, 120_000);

  it('MIGRATE COPY of a counter: the target and the source count apart, with redis-server as the target', async () => {
    const target = await startRedisServer();
    try {
      const run = async (source: Peer, prefix: string): Promise<unknown[]> => {
        for (let i = 0; i < 3; i++) await command(source, 'INCRBY', `${prefix}`, '5000');
        const reply = await command(source, 'MIGRATE', '127.0.0.1', String(target.port), prefix, '0', '5000', 'COPY');
        await command(source, 'INCR', prefix);
        await command(target, 'INCR', prefix);
        const moved = await command(source, 'MIGRATE', '127.0.0.1', String(target.port), prefix, '0', '5000', 'REPLACE');
        await command(target, 'INCRBY', prefix, '2');
        return [reply, moved, await command(source, 'EXISTS', prefix), await command(target, 'GET', prefix), await command(target, 'OBJECT', 'ENCODING', prefix)];
      };
      expect(await run(peers.ours, 'mig-ours')).toEqual(await run(peers.redis, 'mig-redis'));
    } finally {
      await target.stop();
    }
  }, 60_000);
});
