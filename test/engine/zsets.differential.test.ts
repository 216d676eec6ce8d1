/**
 * SORTED SET commands against redis-server 7.0, byte for byte in RESP2 and
 * RESP3 (orders are exact): ZADD flags and their errors, score parsing and
 * formatting, every range form (rank, BYSCORE, BYLEX, REV, LIMIT,
 * WITHSCORES) and its errors, ZRANGESTORE, counts and range removals, pops
 * (ZMPOP included), algebra with WEIGHTS/AGGREGATE over sorted sets and
 * sets, ZINTERCARD, ZRANDMEMBER (shape), ZSCAN, encodings, WRONGTYPE; and
 * BZPOPMIN/BZMPOP served across two connections.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const add: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'), step('ZADD', 'z', '1.5', 'a'), step('ZADD', 'z', 'CH', '1.5', 'a', '9', 'd'), step('ZADD', 'z', 'NX', '100', 'a', '4', 'e'),
  step('ZADD', 'z', 'XX', '5', 'e', '6', 'f'), step('ZADD', 'z', 'GT', '1', 'e'), step('ZADD', 'z', 'LT', '1', 'e'), step('ZADD', 'z', 'GT', 'CH', '10', 'e'), step('ZADD', 'z', 'XX', 'LT', 'CH', '0', 'e', '1', 'new'),
  step('ZADD', 'z', 'INCR', '2', 'a'), step('ZADD', 'z', 'INCR', 'NX', '2', 'a'), step('ZADD', 'z', 'INCR', 'XX', '2', 'nope'), step('ZADD', 'z', 'INCR', 'GT', '-1', 'a'), step('ZADD', 'z', 'INCR', 'LT', '0', 'a'),
  step('ZADD', 'z', 'INCR', '1', 'a', '2', 'b'), step('ZADD', 'z', 'NX', 'XX', '1', 'a'), step('ZADD', 'z', 'GT', 'LT', '1', 'a'), step('ZADD', 'z', 'NX', 'GT', '1', 'a'), step('ZADD', 'z', 'NX', 'XX', '1'),
  step('ZADD', 'z', 'x', 'a'), step('ZADD', 'z', '1'), step('ZADD', 'z', 'NX'), step('ZADD', 'str', '1', 'a'), step('ZADD', 'str', 'x', 'a'), step('ZADD', 'nope', 'XX', '1', 'a'), step('EXISTS', 'nope'),
  step('ZADD', 'z', 'nan', 'a'), step('ZADD', 'z', '1e400', 'a'), step('ZADD', 'z', ' 1', 'a'), step('ZADD', 'z', '0x10', 'hex'), step('ZADD', 'z', '1', 'ok', 'bad', 'no'), step('ZSCORE', 'z', 'ok'),
  step('ZADD', 'z', '+inf', 'inf', '-inf', 'ninf', '0.1', 'tenth', '-0', 'negzero', '1e-320', 'sub', '123456789012345678', 'big'),
  step('ZSCORE', 'z', 'tenth'), step('ZSCORE', 'z', 'inf'), step('ZSCORE', 'z', 'negzero'), step('ZSCORE', 'z', 'sub'), step('ZSCORE', 'z', 'big'), step('ZSCORE', 'z', 'nope'), step('ZSCORE', 'nope', 'a'), step('ZSCORE', 'str', 'a'),
  step('ZMSCORE', 'z', 'a', 'nope', 'inf'), step('ZMSCORE', 'nope', 'a', 'b'), step('ZMSCORE', 'str', 'a'),
  step('ZINCRBY', 'z', '1.5', 'b'), step('ZINCRBY', 'z', 'x', 'b'), step('ZINCRBY', 'z', '-inf', 'inf'), step('ZINCRBY', 'z', '+inf', 'ninf'), step('ZINCRBY', 'fresh', '2.5', 'm'), step('ZINCRBY', 'str', '1', 'm'),
  step('ZADD', 'z', 'INCR', '-inf', 'inf'),
  step('ZCARD', 'z'), step('ZCARD', 'nope'), step('ZCARD', 'str'), step('ZRANK', 'z', 'b'), step('ZREVRANK', 'z', 'b'), step('ZRANK', 'z', 'nope'), step('ZRANK', 'nope', 'a'), step('ZREVRANK', 'str', 'a'),
  step('ZRANGE', 'z', '0', '-1', 'WITHSCORES'),
  step('ZREM', 'z', 'a', 'nope', 'a'), step('ZREM', 'nope', 'a'), step('ZREM', 'str', 'a'), step('ZADD', 'gone', '1', 'x'), step('ZREM', 'gone', 'x', 'y'), step('EXISTS', 'gone'),
  step('ZADD', 'enc', '1', 'a'), step('OBJECT', 'ENCODING', 'enc'), step('ZADD', 'enc', '2', 'x'.repeat(65)), step('OBJECT', 'ENCODING', 'enc'),
  step('CONFIG', 'SET', 'zset-max-listpack-entries', '2'), step('ZADD', 'enc2', '1', 'a', '2', 'b'), step('OBJECT', 'ENCODING', 'enc2'), step('ZADD', 'enc2', '3', 'c'), step('OBJECT', 'ENCODING', 'enc2'), step('ZADD', 'enc2', '-0', 'negz'), step('ZSCORE', 'enc2', 'negz'), step('ZADD', 'enc3', '1', 'a', '2', 'b', '-0', 'c'), step('ZSCORE', 'enc3', 'c'),
  step('CONFIG', 'SET', 'zset-max-listpack-entries', '128'),
  // A member found by walking the listpack, then re-added with its score: the score read for the member before must not stand for it.
  step('ZADD', 'walk', '1', 'm', '5', 'a'), step('ZSCORE', 'walk', 'm'), step('ZADD', 'walk', '5', 'a'), step('ZSCORE', 'walk', 'a'),
];

const ranges: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '3', 'cc', '4', 'd', '5', 'e', '-inf', 'ninf', '+inf', 'pinf'),
  step('ZADD', 'lex', '0', 'alpha', '0', 'bravo', '0', 'charlie', '0', 'delta', '0', 'echo', '0', 'b'),
  step('ZRANGE', 'z', '0', '-1'), step('ZRANGE', 'z', '0', '-1', 'WITHSCORES'), step('ZRANGE', 'z', '-2', '-1', 'REV'), step('ZRANGE', 'z', '5', '1'), step('ZRANGE', 'z', '-100', '100'),
  step('ZRANGE', 'z', '2', '3', 'REV', 'WITHSCORES'), step('ZRANGE', 'nope', '0', '-1'), step('ZRANGE', 'str', '0', '-1'), step('ZRANGE', 'z', 'x', '1'), step('ZRANGE', 'z', '0', '1', 'LIMIT', '0', '-1'),
  step('ZRANGE', 'z', '(1', '5', 'BYSCORE'), step('ZRANGE', 'z', '5', '(1', 'BYSCORE', 'REV', 'WITHSCORES'), step('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '1', '2'),
  step('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '-1', '2'), step('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '-1'), step('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '2', '0'),
  step('ZRANGE', 'z', '-inf', '+inf', 'BYSCORE', 'LIMIT', '100', '1'), step('ZRANGE', 'z', '(3', '(3', 'BYSCORE'), step('ZRANGE', 'z', '3', '3', 'BYSCORE'), step('ZRANGE', 'z', '5', '1', 'BYSCORE'),
  step('ZRANGE', 'z', '(', '3', 'BYSCORE'), step('ZRANGE', 'z', '1e400', '-1e400', 'BYSCORE', 'REV'), step('ZRANGE', 'z', 'nan', '1', 'BYSCORE'), step('ZRANGE', 'z', ' 2', '3', 'BYSCORE'), step('ZRANGE', 'z', '', '3', 'BYSCORE'),
  step('ZRANGE', 'z', '0', '1', 'LIMIT', '1', '2'), step('ZRANGE', 'z', 'a', '1', 'BYSCORE'), step('ZRANGE', 'z', '0', '-1', 'FOO'), step('ZRANGE', 'z', '0', '1', 'BYSCORE', 'BYLEX'),
  step('ZRANGE', 'z', '0', '1', 'LIMIT', '1'), step('ZRANGE', 'z', '0', '1', 'BYSCORE', 'LIMIT', 'x', '1'), step('ZRANGE', 'z', '0', '1', 'REV', 'REV'),
  step('ZRANGE', 'lex', '-', '+', 'BYLEX'), step('ZRANGE', 'lex', '[b', '(delta', 'BYLEX'), step('ZRANGE', 'lex', '+', '-', 'BYLEX', 'REV'), step('ZRANGE', 'lex', '(echo', '[b', 'BYLEX', 'REV', 'LIMIT', '1', '2'),
  step('ZRANGE', 'lex', '-', '+', 'BYLEX', 'WITHSCORES'), step('ZRANGE', 'lex', 'a', '+', 'BYLEX'), step('ZRANGE', 'lex', '[a', '+x', 'BYLEX'), step('ZRANGE', 'lex', '-', '-', 'BYLEX'), step('ZRANGE', 'lex', '+', '+', 'BYLEX'),
  step('ZRANGE', 'lex', '[c', '[c', 'BYLEX'), step('ZRANGE', 'lex', '[charlie', '[charlie', 'BYLEX'), step('ZRANGE', 'lex', '(charlie', '[charlie', 'BYLEX'), step('ZRANGE', 'lex', '[', '(b', 'BYLEX'),
  step('ZREVRANGE', 'z', '0', '2', 'WITHSCORES'), step('ZREVRANGE', 'z', '0', '2', 'REV'), step('ZREVRANGE', 'z', '0', '2', 'BYSCORE'), step('ZREVRANGE', 'z', '0', '2', 'LIMIT', '0', '1'), step('ZREVRANGE', 'nope', '0', '1'),
  step('ZRANGEBYSCORE', 'z', '1', '3', 'WITHSCORES'), step('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '0', '2'), step('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES', 'LIMIT', '3', '2'),
  step('ZRANGEBYSCORE', 'z', '1', '3', 'REV'), step('ZRANGEBYSCORE', 'z', '1', '3', 'BYSCORE'), step('ZRANGEBYSCORE', 'z', 'x', '3'), step('ZRANGEBYSCORE', 'str', '1', '3'),
  step('ZREVRANGEBYSCORE', 'z', '+inf', '2'), step('ZREVRANGEBYSCORE', 'z', '(3', '-inf', 'WITHSCORES', 'LIMIT', '1', '10'), step('ZREVRANGEBYSCORE', 'z', '2', '+inf'),
  step('ZRANGEBYLEX', 'lex', '-', '+'), step('ZRANGEBYLEX', 'lex', '[b', '[c', 'LIMIT', '0', '2'), step('ZRANGEBYLEX', 'lex', '-', '+', 'WITHSCORES'), step('ZRANGEBYLEX', 'lex', 'b', '+'),
  step('ZREVRANGEBYLEX', 'lex', '+', '-'), step('ZREVRANGEBYLEX', 'lex', '[delta', '(alpha', 'LIMIT', '1', '1'), step('ZREVRANGEBYLEX', 'lex', '-', '+'), step('ZRANGEBYLEX', 'nope', '-', '+'),
  step('ZCOUNT', 'z', '1', '3'), step('ZCOUNT', 'z', '(1', '(3'), step('ZCOUNT', 'z', '-inf', '+inf'), step('ZCOUNT', 'z', 'x', '3'), step('ZCOUNT', 'nope', '0', '1'), step('ZCOUNT', 'str', '0', '1'), step('ZCOUNT', 'z', '3', '1'),
  step('ZLEXCOUNT', 'lex', '-', '+'), step('ZLEXCOUNT', 'lex', '[b', '(d'), step('ZLEXCOUNT', 'lex', 'b', 'd'), step('ZLEXCOUNT', 'nope', '-', '+'), step('ZLEXCOUNT', 'str', '-', '+'),
  step('ZRANGESTORE', 'dst', 'z', '0', '2'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'), step('OBJECT', 'ENCODING', 'dst'),
  step('ZRANGESTORE', 'dst', 'z', '(1', '+inf', 'BYSCORE', 'REV', 'LIMIT', '0', '3'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'),
  step('ZRANGESTORE', 'dst', 'lex', '[b', '+', 'BYLEX'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'), step('ZRANGESTORE', 'dst', 'z', '0', '1', 'WITHSCORES'),
  step('ZRANGESTORE', 'dst', 'z', '5', '1'), step('EXISTS', 'dst'), step('SET', 'dst', 'v'), step('ZRANGESTORE', 'dst', 'nope', '0', '-1'), step('EXISTS', 'dst'),
  step('SET', 'dst', 'v'), step('ZRANGESTORE', 'dst', 'z', '0', '0'), step('TYPE', 'dst'), step('ZRANGESTORE', 'dst', 'str', '0', '1'), step('ZRANGESTORE', 'dst', 'z', '0'),
  step('ZRANGESTORE', 'z', 'z', '1', '2'), step('ZRANGE', 'z', '0', '-1', 'WITHSCORES'),
  step('ZADD', 'r', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'),
  step('ZREMRANGEBYRANK', 'r', '0', '0'), step('ZREMRANGEBYRANK', 'r', '-2', '-1'), step('ZREMRANGEBYRANK', 'r', '5', '1'), step('ZREMRANGEBYRANK', 'r', 'x', '1'), step('ZRANGE', 'r', '0', '-1'),
  step('ZREMRANGEBYSCORE', 'r', '(2', '3'), step('ZREMRANGEBYSCORE', 'r', 'x', '3'), step('ZREMRANGEBYSCORE', 'nope', '0', '1'), step('ZREMRANGEBYSCORE', 'str', '0', '1'), step('ZRANGE', 'r', '0', '-1'),
  step('ZREMRANGEBYLEX', 'lex', '[b', '(charlie'), step('ZREMRANGEBYLEX', 'lex', 'b', 'c'), step('ZRANGE', 'lex', '0', '-1'), step('ZREMRANGEBYLEX', 'lex', '-', '+'), step('EXISTS', 'lex'),
  step('ZREMRANGEBYRANK', 'r', '0', '-1'), step('EXISTS', 'r'), step('ZREMRANGEBYRANK', 'str', '0', '1'),
  // A skiplist-encoded sorted set (more than 128 members), with ties.
  step('ZADD', 'big', ...Array.from({ length: 300 }, (_, i) => [String(Math.floor(i / 3) / 2), `m${String(i).padStart(3, '0')}`]).flat()), step('OBJECT', 'ENCODING', 'big'),
  step('ZCOUNT', 'big', '10', '(50'), step('ZCOUNT', 'big', '-inf', '+inf'), step('ZCOUNT', 'big', '(49.5', '+inf'), step('ZLEXCOUNT', 'big', '[m100', '(m200'),
  step('ZRANGE', 'big', '10', '20', 'BYSCORE', 'LIMIT', '3', '5', 'WITHSCORES'), step('ZRANGE', 'big', '(20', '10', 'BYSCORE', 'REV', 'LIMIT', '2', '4'), step('ZREVRANGE', 'big', '5', '9', 'WITHSCORES'),
  step('ZRANGE', 'big', '-3', '-1'), step('ZRANK', 'big', 'm150'), step('ZREVRANK', 'big', 'm150'), step('ZREMRANGEBYSCORE', 'big', '0', '(5'), step('ZREMRANGEBYRANK', 'big', '-10', '-1'), step('ZCARD', 'big'),
  step('ZRANGESTORE', 'bigdst', 'big', '0', '199'), step('OBJECT', 'ENCODING', 'bigdst'), step('ZRANGESTORE', 'bigdst', 'big', '0', '9'), step('OBJECT', 'ENCODING', 'bigdst'),
  step('ZUNIONSTORE', 'bigu', '1', 'big', 'WEIGHTS', '-1'), step('ZRANGE', 'bigu', '0', '4', 'WITHSCORES'), step('OBJECT', 'ENCODING', 'bigu'),
];

const pops: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e', '6', 'f'),
  step('ZPOPMIN', 'z'), step('ZPOPMAX', 'z'), step('ZPOPMIN', 'z', '2'), step('ZPOPMAX', 'z', '0'), step('ZPOPMIN', 'z', '-1'), step('ZPOPMIN', 'z', 'x'), step('ZPOPMIN', 'nope'), step('ZPOPMIN', 'nope', '3'),
  step('ZPOPMIN', 'str'), step('ZPOPMAX', 'str', '0'), step('ZPOPMIN', 'z', '1', '2'), step('ZPOPMAX', 'z', '100'), step('EXISTS', 'z'),
  step('ZADD', 'm1', '1', 'a', '2', 'b', '3', 'c'), step('ZADD', 'm2', '10', 'x'),
  step('ZMPOP', '2', 'nope', 'm1', 'MIN'), step('ZMPOP', '2', 'm1', 'm2', 'MAX', 'COUNT', '5'), step('EXISTS', 'm1'), step('ZMPOP', '1', 'nope', 'MIN'), step('ZMPOP', '2', 'nope', 'm2', 'min', 'count', '1'),
  step('ZMPOP', '1', 'str', 'MIN'), step('ZMPOP', '0', 'm1', 'MIN'), step('ZMPOP', 'x', 'm1', 'MIN'), step('ZMPOP', '2', 'm1', 'MIN'), step('ZMPOP', '1', 'm1', 'MIDDLE'),
  step('ZMPOP', '1', 'm1', 'MIN', 'COUNT', '0'), step('ZMPOP', '1', 'm1', 'MIN', 'COUNT', 'x'), step('ZMPOP', '1', 'm1', 'MIN', 'COUNT'), step('ZMPOP', '1', 'm1', 'MIN', 'COUNT', '1', 'COUNT', '2'), step('ZMPOP', '1', 'm1', 'MIN', 'FOO'),
  step('ZADD', 'huge', '1', 'a', '2', 'b', '3', 'c', '4', 'd'), step('ZPOPMIN', 'huge', '9223372036854775807'), step('ZADD', 'huge', '1', 'a', '2', 'b'), step('ZPOPMIN', 'huge', '9223372036854775808'),
  step('ZMPOP', '1', 'huge', 'MAX', 'COUNT', '9223372036854775807'), step('ZMPOP', '9223372036854775807', 'huge', 'MAX'), step('ZMPOP', '9223372036854775808', 'huge', 'MAX'),
  step('ZUNION', '9223372036854775807', 'huge'), step('ZUNION', '9223372036854775808', 'huge'), step('ZINTERCARD', '1', 'm2', 'LIMIT', '9223372036854775807'),
  step('ZRANGE', 'm2', '0', '9223372036854775807'), step('ZRANGE', 'm2', '-9223372036854775808', '0'), step('ZRANGE', 'm2', '0', '9223372036854775808'),
  step('ZADD', 'bz', '1', 'm', '2', 'n'), step('BZPOPMIN', 'bz', '0.1'), step('BZPOPMAX', 'nope', 'bz', '0'), step('BZPOPMAX', 'nope', '0.05'), step('BZPOPMIN', 'str', '0.1'), step('BZPOPMIN', 'bz', '-1'), step('BZPOPMIN', 'bz', 'x'),
  step('ZADD', 'bz', '1', 'm', '2', 'n', '3', 'o'), step('BZMPOP', '0.1', '2', 'nope', 'bz', 'MAX', 'COUNT', '2'), step('BZMPOP', '0.05', '1', 'nope', 'MIN'), step('BZMPOP', 'x', '1', 'bz', 'MIN'), step('BZMPOP', '0', '0', 'bz', 'MIN'),
  step('BZMPOP', '0', '1', 'bz', 'SIDE'), step('BZMPOP', '-1', '1', 'bz', 'MIN'), step('BZMPOP', '0', '1', 'str', 'MIN'), step('BZMPOP', '0', '1', 'bz', 'MIN'),
  step('MULTI'), step('BZPOPMIN', 'empty', '0'), step('BZMPOP', '0', '1', 'empty', 'MIN'), step('EXEC'),
  step('ZADD', 'rm', '1', 'a', '2', 'b', '3', 'c'),
  step('ZRANDMEMBER', 'nope'), step('ZRANDMEMBER', 'nope', '2'), step('ZRANDMEMBER', 'str'), step('ZRANDMEMBER', 'str', '1'), shape('ZRANDMEMBER', 'rm'), step('ZRANDMEMBER', 'rm', '0'),
  step('ZRANDMEMBER', 'rm', 'x'), step('ZRANDMEMBER', 'rm', '1', 'FOO'), step('ZRANDMEMBER', 'rm', '1', 'WITHSCORES', 'x'), step('ZRANDMEMBER', 'rm', '-9223372036854775808'),
  step('ZRANDMEMBER', 'rm', '9223372036854775807', 'WITHSCORES'), step('ZRANDMEMBER', 'rm', '-4611686018427387905', 'WITHSCORES'),
  shape('ZRANDMEMBER', 'rm', '2'), shape('ZRANDMEMBER', 'rm', '-5'), shape('ZRANDMEMBER', 'rm', '2', 'WITHSCORES'), shape('ZRANDMEMBER', 'rm', '-4', 'withscores'), step('ZRANDMEMBER', 'rm', '10', 'WITHSCORES'), step('ZRANDMEMBER', 'rm', '3'),
];

const algebra: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('ZADD', 'a', '1', 'x', '2', 'y', '3', 'z'), step('ZADD', 'b', '10', 'y', '20', 'z', '30', 'w'), step('SADD', 's', 'x', 'w', 'q'), step('ZADD', 'inf', '+inf', 'x', '-inf', 'y'),
  step('ZUNION', '2', 'a', 'b'), step('ZUNION', '2', 'a', 'b', 'WITHSCORES'), step('ZUNION', '3', 'a', 'b', 's', 'WITHSCORES'), step('ZUNION', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES'),
  step('ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES'), step('ZUNION', '2', 'a', 'b', 'aggregate', 'max', 'withscores'), step('ZUNION', '2', 'a', 'inf', 'WEIGHTS', '0', '0', 'WITHSCORES'),
  step('ZUNION', '2', 'inf', 'inf', 'WITHSCORES'), step('ZUNION', '2', 'inf', 'a', 'WEIGHTS', '1', '-1', 'WITHSCORES'), step('ZUNION', '1', 'nope'), step('ZUNION', '2', 'a', 'nope', 'WITHSCORES'),
  step('ZUNION', '0', 'a'), step('ZUNION', '-1', 'a'), step('ZUNION', 'x', 'a'), step('ZUNION', '3', 'a', 'b'), step('ZUNION', '2', 'a', 'str'), step('ZUNION', '2', 'a', 'b', 'WEIGHTS', '1'),
  step('ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'x'), step('ZUNION', '2', 'a', 'b', 'AGGREGATE', 'AVG'), step('ZUNION', '2', 'a', 'b', 'AGGREGATE'), step('ZUNION', '2', 'a', 'b', 'LIMIT', '1'),
  step('ZINTER', '2', 'a', 'b', 'WITHSCORES'), step('ZINTER', '2', 'a', 's', 'WITHSCORES'), step('ZINTER', '3', 'a', 'b', 's'), step('ZINTER', '2', 'a', 'nope'), step('ZINTER', '2', 'a', 'a', 'WEIGHTS', '1', '2', 'WITHSCORES'),
  step('ZINTER', '2', 'a', 'b', 'WEIGHTS', '2', '3', 'AGGREGATE', 'MAX', 'WITHSCORES'), step('ZINTER', '2', 'inf', 'inf', 'WEIGHTS', '1', '-1', 'WITHSCORES'), step('ZINTER', '2', 'nope', 'str'),
  step('ZDIFF', '2', 'a', 'b'), step('ZDIFF', '2', 'a', 'b', 'WITHSCORES'), step('ZDIFF', '2', 'a', 's', 'WITHSCORES'), step('ZDIFF', '1', 'a'), step('ZDIFF', '2', 'a', 'a'), step('ZDIFF', '2', 'nope', 'a'),
  step('ZDIFF', '2', 'a', 'b', 'WEIGHTS', '1', '1'), step('ZDIFF', '2', 'a', 'b', 'AGGREGATE', 'SUM'), step('ZDIFF', '2', 's', 'a', 'WITHSCORES'),
  step('ZUNIONSTORE', 'dst', '2', 'a', 'b'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'), step('OBJECT', 'ENCODING', 'dst'), step('ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WITHSCORES'),
  step('ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2', 'AGGREGATE', 'MIN'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'), step('ZUNIONSTORE', 'dst', '1', 'nope'), step('EXISTS', 'dst'),
  step('SET', 'dst', 'v'), step('EXPIRE', 'dst', '100'), step('ZINTERSTORE', 'dst', '2', 'a', 'b'), step('TTL', 'dst'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'),
  step('ZINTERSTORE', 'dst', '2', 'a', 'nope'), step('EXISTS', 'dst'), step('ZINTERSTORE', 'dst', '0', 'a'), step('ZINTERSTORE', 'dst', '2', 'a', 'str'),
  step('ZDIFFSTORE', 'dst', '2', 'a', 'b'), step('ZRANGE', 'dst', '0', '-1', 'WITHSCORES'), step('ZDIFFSTORE', 'dst', '1', 'nope'), step('EXISTS', 'dst'), step('ZDIFFSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2'),
  step('ZUNIONSTORE', 'a', '2', 'a', 'b'), step('ZRANGE', 'a', '0', '-1', 'WITHSCORES'), step('ZUNIONSTORE', 'big', '1', 'b', 'WEIGHTS', '1e300'), step('ZUNIONSTORE', 'big', '2', 'big', 'big'), step('ZRANGE', 'big', '0', '-1', 'WITHSCORES'),
  step('ZINTERCARD', '2', 'a', 'b'), step('ZINTERCARD', '2', 'a', 'b', 'LIMIT', '1'), step('ZINTERCARD', '2', 'a', 'b', 'LIMIT', '0'), step('ZINTERCARD', '2', 'a', 'b', 'LIMIT', '-1'), step('ZINTERCARD', '2', 'a', 's'),
  step('ZINTERCARD', '0', 'a'), step('ZINTERCARD', '3', 'a', 'b'), step('ZINTERCARD', '2', 'a', 'b', 'WITHSCORES'), step('ZINTERCARD', '2', 'a', 'b', 'WEIGHTS', '1', '2'), step('ZINTERCARD', '1', 'str'),
];

const scan: Step[] = [
  step('FLUSHALL'), step('SET', 'str', 'x'),
  step('ZADD', 'z', '1', 'a', '2.5', 'b', '-inf', 'c', '1e-5', 'd', '100', 'ab'), step('ZSCAN', 'z', '0'), step('ZSCAN', 'z', '0', 'MATCH', 'a*'), step('ZSCAN', 'z', '0', 'COUNT', '1'),
  step('ZSCAN', 'nope', '0'), step('ZSCAN', 'str', '0'), step('ZSCAN', 'z', 'x'), step('ZSCAN', 'z', '0', 'COUNT', '0'), step('ZSCAN', 'z', '0', 'MATCH'), step('ZSCAN', 'z', '0', 'NOVALUES'),
];

describe('sorted-set commands match redis-server', () => {
  for (const [name, script] of [['ZADD, scores, lookups', add], ['ranges, counts, removals', ranges], ['pops and ZRANDMEMBER', pops], ['algebra', algebra], ['ZSCAN', scan]] as const) {
    it.each([2, 3] as const)(`${name}, RESP%i`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }

  it('ZSCAN of a skiplist sorted set visits every member once with its score, like redis-server', async () => {
    const results: string[][] = [];
    for (const server of [peers.redis, peers.ours]) {
      const connection = new RespConnection('127.0.0.1', server.port);
      await connection.call('DEL', 'bigz');
      const args: string[] = [];
      for (let i = 0; i < 200; i++) args.push(String(i / 4), `m${i}`);
      await connection.call('ZADD', 'bigz', ...args);
      expect(await connection.call('OBJECT', 'ENCODING', 'bigz')).toBe('skiplist');
      const seen: string[] = [];
      let cursor = '0';
      let rounds = 0;
      do {
        const [next, batch] = (await connection.call('ZSCAN', 'bigz', cursor, 'COUNT', '9')) as [string, string[]];
        for (let i = 0; i < batch.length; i += 2) seen.push(`${batch[i]}=${batch[i + 1]}`);
        cursor = next;
        rounds++;
      } while (cursor !== '0' && rounds < 1000);
      expect(new Set(seen).size).toBe(seen.length);
      results.push(seen.sort());
      connection.close();
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]).toHaveLength(200);
  });

  it('BZPOPMIN and BZMPOP blocked on one connection are served by ZADD on another, oldest first, same replies as redis-server', async () => {
    const transcripts: unknown[][] = [];
    for (const server of [peers.redis, peers.ours]) {
      const first = new RespConnection('127.0.0.1', server.port);
      const second = new RespConnection('127.0.0.1', server.port);
      const writer = new RespConnection('127.0.0.1', server.port);
      const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
      await writer.call('DEL', 'q1', 'q2');
      const transcript: unknown[] = [];
      const a = first.call('BZPOPMIN', 'q1', 'q2', '5');
      await pause();
      const b = second.call('BZMPOP', '5', '2', 'q2', 'q1', 'MAX', 'COUNT', '2');
      await pause();
      transcript.push(await writer.call('ZADD', 'q2', '3', 'x', '1', 'y', '2', 'z'));
      transcript.push(await a, await b, await writer.call('EXISTS', 'q2'));
      // A timeout with nothing to pop replies a null array.
      transcript.push(await first.call('BZMPOP', '0.05', '1', 'q1', 'MIN'));
      // A watched key turning into a string does not serve (nor fail) the blocked client; a later ZADD does.
      await writer.call('DEL', 'q3', 'q4');
      const c = first.call('BZPOPMAX', 'q3', 'q4', '5');
      await pause();
      transcript.push(await writer.call('SET', 'q3', 'string'));
      await pause();
      transcript.push(await writer.call('ZADD', 'q4', '1', 'late'));
      transcript.push(await c);
      transcripts.push(transcript);
      first.close();
      second.close();
      writer.close();
    }
    expect(transcripts[0]).toEqual([3, ['q2', 'y', '1'], ['q2', [['x', '3'], ['z', '2']]], 0, null, 'OK', 1, ['q4', 'late', '1']]);
    expect(transcripts[1]).toEqual(transcripts[0]);
  });

  it('COMMAND INFO (classic fields: arity, flags, key positions, ACL categories, tips) and COMMAND GETKEYS match redis-server', async () => {
    const names = 'zadd zincrby zrem zcard zscore zmscore zrank zrevrank zrange zrangestore zrevrange zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex zcount zlexcount zremrangebyrank zremrangebyscore zremrangebylex zpopmin zpopmax zmpop bzpopmin bzpopmax bzmpop zrandmember zunion zinter zdiff zunionstore zinterstore zdiffstore zintercard zscan'.split(' ');
    const classic = async (port: number, name: string) => {
      const connection = new RespConnection('127.0.0.1', port);
      try {
        return ((await connection.call('COMMAND', 'INFO', name)) as unknown[][])[0]!.slice(0, 8);
      } finally {
        connection.close();
      }
    };
    for (const name of names) expect(await classic(peers.ours.port, name), name).toEqual(await classic(peers.redis.port, name));
    for (const args of [['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['zinter', '2', 'a', 'b'], ['zintercard', '3', 'a', 'b', 'c'], ['zmpop', '2', 'a', 'b', 'MIN'], ['bzmpop', '0', '2', 'a', 'b', 'MAX'], ['bzpopmin', 'a', 'b', '0'], ['zrangestore', 'd', 's', '0', '1']]) {
      const [a, b] = [new RespConnection('127.0.0.1', peers.redis.port), new RespConnection('127.0.0.1', peers.ours.port)];
      expect(await b.call('COMMAND', 'GETKEYS', ...args), args[0]).toEqual(await a.call('COMMAND', 'GETKEYS', ...args));
      a.close();
      b.close();
    }
  });
});
