/**
 * List, hash, set and sorted-set commands against redis-server, byte for byte
 * in RESP2 and RESP3: pushes/pops with counts, ranges with negative indexes,
 * LTRIM/LREM/LINSERT/LMOVE, hash fields and counters (HINCRBYFLOAT digits),
 * set membership and algebra (unordered where Redis replies in hash order),
 * ZADD flags and their errors, score formatting, rank and score ranges,
 * pops, WRONGTYPE everywhere, empty collections deleted.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, unordered, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const lists: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('LPUSH', 'l', 'a', 'b', 'c'), step('RPUSH', 'l', 'd', 'e'), step('LRANGE', 'l', '0', '-1'), step('LLEN', 'l'), step('LLEN', 'nope'),
  step('LPUSHX', 'nope', 'x'), step('RPUSHX', 'l', 'f'), step('LPUSH', 'str', 'x'), step('LRANGE', 'str', '0', '1'),
  step('LRANGE', 'l', '-3', '-1'), step('LRANGE', 'l', '5', '1'), step('LRANGE', 'l', '0', '100'), step('LRANGE', 'l', 'a', '1'), step('LRANGE', 'nope', '0', '-1'),
  step('LINDEX', 'l', '0'), step('LINDEX', 'l', '-1'), step('LINDEX', 'l', '99'), step('LINDEX', 'l', 'x'), step('LINDEX', 'nope', '0'),
  step('LSET', 'l', '1', 'B'), step('LSET', 'l', '99', 'x'), step('LSET', 'nope', '0', 'x'), step('LSET', 'l', '-1', 'F'), step('LRANGE', 'l', '0', '-1'),
  step('LPOP', 'l'), step('RPOP', 'l'), step('LPOP', 'l', '2'), step('RPOP', 'l', '0'), step('LPOP', 'l', '-1'), step('LPOP', 'l', 'x'), step('LPOP', 'l', '1', '2'),
  step('LPOP', 'nope'), step('LPOP', 'nope', '2'), step('RPOP', 'l', '10'), step('EXISTS', 'l'),
  step('RPUSH', 't', '1', '2', '3', '4', '5', '6'), step('LTRIM', 't', '1', '-2'), step('LRANGE', 't', '0', '-1'), step('LTRIM', 't', '5', '1'), step('EXISTS', 't'), step('LTRIM', 'nope', '0', '1'),
  step('RPUSH', 'r', 'a', 'b', 'a', 'c', 'a'), step('LREM', 'r', '1', 'a'), step('LREM', 'r', '-1', 'a'), step('LRANGE', 'r', '0', '-1'), step('LREM', 'r', '0', 'zzz'), step('LREM', 'r', 'x', 'a'),
  step('LINSERT', 'r', 'BEFORE', 'c', 'X'), step('LINSERT', 'r', 'AFTER', 'c', 'Y'), step('LINSERT', 'r', 'AFTER', 'nope', 'Y'), step('LINSERT', 'r', 'MIDDLE', 'c', 'Y'), step('LINSERT', 'nope', 'BEFORE', 'a', 'b'),
  step('LRANGE', 'r', '0', '-1'),
  step('RPUSH', 's1', 'a', 'b'), step('RPOPLPUSH', 's1', 's2'), step('LMOVE', 's1', 's2', 'LEFT', 'RIGHT'), step('EXISTS', 's1'), step('LRANGE', 's2', '0', '-1'),
  step('LMOVE', 's2', 's2', 'LEFT', 'RIGHT'), step('LRANGE', 's2', '0', '-1'), step('LMOVE', 's2', 'str', 'LEFT', 'LEFT'), step('LMOVE', 's2', 'x', 'UP', 'LEFT'), step('RPOPLPUSH', 'nope', 's2'),
  step('BLPOP', 's2', '0.1'), step('BRPOP', 'nope', '0.05'), step('BLPOP', 'nope', '-1'), step('BLPOP', 'nope', 'abc'), step('BLPOP', 'str', '0.1'),
  // (long long) ceill(s * 1000): past int64 is LLONG_MIN ("negative"), -0.0001 is 0 (forever; served at once here).
  step('BLPOP', 's2', 'inf'), step('BLPOP', 's2', '-inf'), step('BLPOP', 's2', '1e400'), step('BLPOP', 's2', '9300000000000000'), step('BLPOP', 's2', 'nan'), step('BLPOP', 's2', '1e5000'),
  step('BZPOPMIN', 's2', 'inf'), step('BLMPOP', '1e400', '1', 's2', 'LEFT'), step('RPUSH', 'served', 'x'), step('BLPOP', 'served', '-0.0001'),
  step('OBJECT', 'ENCODING', 's2'),
  step('RPUSH', 'p', 'a', 'b', 'c', 'b', 'd', 'b'), step('LPOS', 'p', 'b'), step('LPOS', 'p', 'b', 'RANK', '2'), step('LPOS', 'p', 'b', 'RANK', '-1'), step('LPOS', 'p', 'b', 'COUNT', '0'),
  step('LPOS', 'p', 'b', 'COUNT', '2', 'RANK', '-1'), step('LPOS', 'p', 'b', 'MAXLEN', '2'), step('LPOS', 'p', 'zz'), step('LPOS', 'p', 'zz', 'COUNT', '1'), step('LPOS', 'nope', 'a'),
  step('LPOS', 'nope', 'a', 'COUNT', '1'), step('LPOS', 'p', 'b', 'RANK', '0'), step('LPOS', 'p', 'b', 'COUNT', '-1'), step('LPOS', 'p', 'b', 'MAXLEN', '-1'), step('LPOS', 'p', 'b', 'FOO'), step('LPOS', 'str', 'a'),
  step('LMPOP', '2', 'nope', 'p', 'LEFT'), step('LMPOP', '1', 'p', 'RIGHT', 'COUNT', '2'), step('LMPOP', '1', 'nope', 'LEFT'), step('LMPOP', '0', 'p', 'LEFT'), step('LMPOP', '3', 'p', 'LEFT'),
  step('LMPOP', '1', 'p', 'UP'), step('LMPOP', '1', 'p', 'LEFT', 'COUNT', '0'), step('LMPOP', '1', 'p', 'LEFT', 'COUNT', '1', 'COUNT', '1'), step('LMPOP', '1', 'str', 'LEFT'),
  step('BLMPOP', '0.05', '1', 'nope', 'LEFT'), step('BLMPOP', '0.1', '1', 'p', 'RIGHT', 'COUNT', '10'), step('EXISTS', 'p'),
  step('RPUSH', 'm1', 'x', 'y'), step('BLMOVE', 'm1', 'm2', 'RIGHT', 'LEFT', '0.1'), step('BRPOPLPUSH', 'm1', 'm2', '0.1'), step('BRPOPLPUSH', 'm1', 'm2', '0.05'), step('BLMOVE', 'm1', 'm2', 'UP', 'LEFT', '1'),
  step('LRANGE', 'm2', '0', '-1'), step('BLMOVE', 'str', 'm2', 'LEFT', 'LEFT', '0.1'),
];

const hashes: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('HSET', 'h', 'f1', 'v1', 'f2', 'v2'), step('HSET', 'h', 'f1', 'V1', 'f3', 'v3'), step('HSET', 'h', 'f'), step('HGET', 'h', 'f1'), step('HGET', 'h', 'nope'), step('HGET', 'nope', 'f'),
  step('HMSET', 'h', 'f4', 'v4'), step('HSETNX', 'h', 'f4', 'x'), step('HSETNX', 'h', 'f5', 'v5'), step('HMGET', 'h', 'f1', 'nope', 'f5'), step('HMGET', 'nope', 'a'),
  step('HLEN', 'h'), step('HSTRLEN', 'h', 'f1'), step('HSTRLEN', 'h', 'nope'), step('HEXISTS', 'h', 'f2'), step('HEXISTS', 'h', 'nope'),
  step('HKEYS', 'h'), step('HVALS', 'h'), step('HGETALL', 'h'), step('HGETALL', 'nope'), step('HKEYS', 'nope'),
  step('HDEL', 'h', 'f1', 'nope'), step('HDEL', 'nope', 'f'), step('HGETALL', 'h'), step('HSET', 'str', 'a', 'b'), step('HGET', 'str', 'a'), step('HGETALL', 'str'),
  step('HINCRBY', 'h', 'n', '5'), step('HINCRBY', 'h', 'n', '-10'), step('HINCRBY', 'h', 'f2', '1'), step('HINCRBY', 'h', 'n', 'x'), step('HSET', 'h', 'big', '9223372036854775807'), step('HINCRBY', 'h', 'big', '1'),
  step('HINCRBYFLOAT', 'h', 'fl', '10.5'), step('HINCRBYFLOAT', 'h', 'fl', '0.1'), step('HINCRBYFLOAT', 'h', 'fl', 'inf'), step('HINCRBYFLOAT', 'h', 'fl', 'abc'), step('HINCRBYFLOAT', 'h', 'f2', '1'),
  step('HINCRBYFLOAT', 'newh', 'x', '3.0e2'), step('HGETALL', 'newh'),
  step('HDEL', 'newh', 'x'), step('EXISTS', 'newh'), step('HSCAN', 'h', '0'), step('HSCAN', 'h', '0', 'MATCH', 'f*', 'COUNT', '1'), step('HSCAN', 'nope', '0'),
  step('HSCAN', 'h', 'x'), step('HSCAN', 'h', '0', 'COUNT', '0'), step('HSCAN', 'str', '0'),
  step('HRANDFIELD', 'nope'), step('HRANDFIELD', 'nope', '3'), step('HRANDFIELD', 'h', '0'), step('HRANDFIELD', 'h', 'x'), step('HRANDFIELD', 'h', '1', 'FOO'), step('HRANDFIELD', 'str'),
  shape('HRANDFIELD', 'h'), shape('HRANDFIELD', 'h', '2'), shape('HRANDFIELD', 'h', '-5', 'WITHVALUES'),
  step('OBJECT', 'ENCODING', 'h'), step('HSET', 'h', 'long', 'x'.repeat(100)), step('OBJECT', 'ENCODING', 'h'),
  // A field found by walking the listpack, then set to the value another field had: the value known for that other field must not stand for it.
  step('HSET', 'walk', 'f', 'F', 'g', 'G'), step('HSET', 'walk', 'f', 'F'), step('HEXISTS', 'walk', 'g'), step('HSET', 'walk', 'g', 'F'), step('HGET', 'walk', 'g'),
];

const sets: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('SADD', 'si', '3', '1', '2'), step('SMEMBERS', 'si'), step('OBJECT', 'ENCODING', 'si'), step('SADD', 'si', '2', '4'), step('SCARD', 'si'),
  step('SADD', 's', 'a', 'b', 'c'), unordered('SMEMBERS', 's'), step('OBJECT', 'ENCODING', 's'), step('SISMEMBER', 's', 'a'), step('SISMEMBER', 's', 'z'), step('SISMEMBER', 'nope', 'a'),
  step('SMISMEMBER', 's', 'a', 'z'), step('SMISMEMBER', 'nope', 'a'), step('SREM', 's', 'a', 'z'), step('SREM', 'nope', 'a'), step('SCARD', 'nope'), step('SADD', 'str', 'a'),
  step('SMOVE', 's', 'd', 'b'), step('SMOVE', 's', 'd', 'zz'), step('SMOVE', 'nope', 'd', 'b'), step('SMOVE', 's', 'str', 'c'), unordered('SMEMBERS', 'd'),
  step('SADD', 'x', 'a', 'b', 'c'), step('SADD', 'y', 'b', 'c', 'd'), unordered('SINTER', 'x', 'y'), unordered('SUNION', 'x', 'y'), unordered('SDIFF', 'x', 'y'), step('SINTER', 'x', 'nope'),
  unordered('SDIFF', 'x', 'nope'), step('SINTER', 'x', 'str'), step('SINTERCARD', '2', 'x', 'y'), step('SINTERCARD', '2', 'x', 'y', 'LIMIT', '1'), step('SINTERCARD', '0', 'x'), step('SINTERCARD', '3', 'x', 'y'),
  step('SINTERCARD', '2', 'x', 'y', 'LIMIT', '-1'), step('SINTERCARD', '2', 'x', 'y', 'FOO'),
  step('SADD', 'one', 'only'), step('SPOP', 'one'), step('EXISTS', 'one'), step('SPOP', 'nope'), step('SPOP', 'nope', '2'), step('SPOP', 'x', '-1'), step('SPOP', 'x', '0'), step('SPOP', 'x', 'a'),
  shape('SPOP', 'x', '2'), step('SCARD', 'x'), step('SRANDMEMBER', 'nope'), step('SRANDMEMBER', 'nope', '3'), shape('SRANDMEMBER', 'y'), step('SRANDMEMBER', 'y', 'a'),
];

const zsets: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'), step('ZADD', 'z', '1.5', 'a'), step('ZADD', 'z', 'CH', '1.5', 'a', '9', 'd'), step('ZADD', 'z', 'NX', '100', 'a', '4', 'e'),
  step('ZADD', 'z', 'XX', '5', 'e', '6', 'f'), step('ZADD', 'z', 'GT', '1', 'e'), step('ZADD', 'z', 'LT', '1', 'e'), step('ZADD', 'z', 'GT', 'CH', '10', 'e'),
  step('ZADD', 'z', 'INCR', '2', 'a'), step('ZADD', 'z', 'INCR', 'NX', '2', 'a'), step('ZADD', 'z', 'INCR', '1', 'a', '2', 'b'), step('ZADD', 'z', 'NX', 'XX', '1', 'a'), step('ZADD', 'z', 'GT', 'LT', '1', 'a'),
  step('ZADD', 'z', 'x', 'a'), step('ZADD', 'z', '1'), step('ZADD', 'z', 'NX'), step('ZADD', 'str', '1', 'a'), step('ZADD', 'nope', 'XX', '1', 'a'), step('EXISTS', 'nope'),
  step('ZADD', 'z', '+inf', 'inf', '-inf', 'ninf', '0.1', 'tenth'), step('ZSCORE', 'z', 'tenth'), step('ZSCORE', 'z', 'inf'), step('ZSCORE', 'z', 'nope'), step('ZMSCORE', 'z', 'a', 'nope'),
  step('ZINCRBY', 'z', '1.5', 'b'), step('ZINCRBY', 'z', 'x', 'b'), step('ZINCRBY', 'z', '+inf', 'ninf'),
  step('ZCARD', 'z'), step('ZCARD', 'nope'), step('ZRANK', 'z', 'b'), step('ZREVRANK', 'z', 'b'), step('ZRANK', 'z', 'nope'),
  step('ZRANGE', 'z', '0', '-1'), step('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), step('ZRANGE', 'z', '-2', '-1', 'REV'), step('ZRANGE', 'z', '5', '1'), step('ZRANGE', 'nope', '0', '-1'),
  step('ZRANGE', 'z', '(1', '5', 'BYSCORE'), step('ZRANGE', 'z', '5', '(1', 'BYSCORE', 'REV', 'WITHSCORES'), step('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '2'),
  step('ZRANGE', 'z', '0', '1', 'LIMIT', '1', '2'), step('ZRANGE', 'z', 'a', '1', 'BYSCORE'), step('ZRANGE', 'z', '0', '-1', 'FOO'), step('ZRANGE', 'z', 'x', '1'),
  step('ZREVRANGE', 'z', '0', '2', 'WITHSCORES'), step('ZRANGEBYSCORE', 'z', '1', '3', 'WITHSCORES'), step('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '0', '2'), step('ZREVRANGEBYSCORE', 'z', '+inf', '2'),
  step('ZCOUNT', 'z', '1', '3'), step('ZCOUNT', 'z', '(1', '(3'), step('ZCOUNT', 'z', 'x', '3'), step('ZCOUNT', 'nope', '0', '1'),
  step('ZREM', 'z', 'a', 'nope'), step('ZREM', 'nope', 'a'),
  step('ZPOPMIN', 'z'), step('ZPOPMAX', 'z'), step('ZPOPMIN', 'z', '2'), step('ZPOPMAX', 'z', '0'), step('ZPOPMIN', 'z', '-1'), step('ZPOPMIN', 'z', 'x'), step('ZPOPMIN', 'nope'), step('ZPOPMIN', 'str'),
  step('ZPOPMIN', 'z', '100'), step('EXISTS', 'z'),
  step('ZADD', 'bz', '1', 'm'), step('BZPOPMIN', 'bz', '0.1'), step('BZPOPMAX', 'nope', '0.05'), step('BZPOPMIN', 'str', '0.1'), step('OBJECT', 'ENCODING', 'zz'),
  step('ZADD', 'enc', '1', 'a'), step('OBJECT', 'ENCODING', 'enc'), step('ZADD', 'enc', '2', 'x'.repeat(100)), step('OBJECT', 'ENCODING', 'enc'),
];

describe('collection commands match redis-server', () => {
  for (const [name, script] of [['lists', lists], ['hashes', hashes], ['sets', sets], ['sorted sets', zsets]] as const) {
    it.each([2, 3] as const)(`${name}, RESP%i`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }

  it('a push serves a client blocked in BLPOP, oldest first, and BZPOPMIN likewise', async () => {
    for (const server of [peers.redis, peers.ours]) {
      const first = new RespConnection('127.0.0.1', server.port);
      const second = new RespConnection('127.0.0.1', server.port);
      const pusher = new RespConnection('127.0.0.1', server.port);
      await pusher.call('DEL', 'queue', 'zq');
      const a = first.call('BLPOP', 'queue', '5');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const b = second.call('BLPOP', 'queue', '5');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await pusher.call('RPUSH', 'queue', 'one', 'two')).toBe(2);
      expect(await a).toEqual(['queue', 'one']);
      expect(await b).toEqual(['queue', 'two']);
      const c = first.call('BZPOPMIN', 'zq', '5');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await pusher.call('ZADD', 'zq', '2', 'x', '1', 'y');
      expect(await c).toEqual(['zq', 'y', '1']);
      first.close();
      second.close();
      pusher.close();
    }
  });
});
