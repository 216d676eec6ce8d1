/**
 * Differences the random differential runs (scripts/fuzz-differential.ts)
 * found between our engine and redis-server 7.0, each as the shrunk
 * reproduction, byte for byte in RESP2 and RESP3. Mostly the order in
 * which a command checks things: the key before its arguments or the other
 * way round, as t_list.c, bitops.c and t_string.c do it.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const BINARY = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0xc3]);

const cases: Record<string, Step[]> = {
  // lookupKeyReadOrReply / checkType come before the index is parsed.
  'LINDEX and LSET look the key up before parsing the index': [
    step('FLUSHALL'), step('SET', 'str', 'x'), step('RPUSH', 'list', 'a', 'b'),
    step('LINDEX', 'missing', 'abc'), step('LINDEX', 'str', 'abc'), step('LINDEX', 'list', 'abc'),
    step('LSET', 'missing', '0x1', 'v'), step('LSET', 'str', 'x', 'v'), step('LSET', 'list', 'x', 'v'), step('LSET', 'list', '5', 'v'),
  ],
  'BITCOUNT and BITPOS answer a missing key before reading the range, and read the unit where bitops.c does': [
    step('FLUSHALL'), step('SET', 'bits', 'foobar'), step('LPUSH', 'list', 'a'),
    step('BITCOUNT', 'missing', '-3', '1', 'WORD'), step('BITCOUNT', 'missing', 'x', 'y'), step('BITCOUNT', 'missing', '1'), step('BITCOUNT', 'list', '1', '2', 'WORD'),
    step('BITCOUNT', 'bits', '-1', '-3', 'WORD'), step('BITCOUNT', 'bits', '-3', '-1', 'WORD'), step('BITCOUNT', 'bits', 'x', '1', 'WORD'),
    step('BITPOS', 'missing', '0', '1', 'bit'), step('BITPOS', 'missing', '0', 'WITHSCORES'), step('BITPOS', 'missing', '1', '1', '2', '3', '4'),
    step('BITPOS', 'bits', 'x'), step('BITPOS', 'bits', '01'), step('BITPOS', 'bits', '-1'), step('BITPOS', 'bits', '2'), step('BITPOS', 'missing', 'x'),
    step('BITPOS', 'bits', '1', '0', 'x', 'WORD'), step('BITPOS', 'bits', '1', '0', 'x', 'BIT'), step('BITPOS', 'bits', '1', 'WITHSCORES'),
  ],
  // addReplyErrorFormat turns CR and LF into spaces, and %s stops at a NUL: the reply stays one line.
  'an argument echoed in an error keeps the reply on one line': [
    step('FLUSHALL'), step('SET', 'k', 'v'),
    step('EXPIRE', 'k', '100', BINARY), step('PING'), step('EXPIRE', 'k', '100', 'a\r\nb'), step('PING'),
    step('XADD', 'x', '1-1', 'f', 'v'), step('XGROUP', 'CREATE', 'x', 'g', '0'), step('XCLAIM', 'x', 'g', 'c', '0', '1-1', 'a\r\nb'), step('PING'),
    step('XINFO', 'CONSUMERS', 'x', 'no\r\ngroup'), step('PING'), step('CLIENT', 'KILL', 'TYPE', 'a\nb'), step('PING'),
  ],
  'GETEX looks the key up before checking the expire time': [
    step('FLUSHALL'), step('GETEX', 'missing', 'EX', '0'), step('GETEX', 'missing', 'PX', '-5'), step('SET', 'k', 'v'), step('GETEX', 'k', 'EX', '0'), step('LPUSH', 'list', 'a'), step('GETEX', 'list', 'EX', '0'),
  ],
  'SORT converts a listpack sorted set to a skiplist for good (SORT_RO too)': [
    step('FLUSHALL'), step('ZADD', 'z', '1', 'b', '2', 'a'), step('OBJECT', 'ENCODING', 'z'), step('SORT', 'z', 'LIMIT', '0', '1', 'ALPHA'), step('OBJECT', 'ENCODING', 'z'),
    step('ZADD', 'z2', '1', '3'), step('SORT_RO', 'z2'), step('OBJECT', 'ENCODING', 'z2'), step('ZADD', 'z3', '1', 'x'), step('SORT', 'z3'), step('OBJECT', 'ENCODING', 'z3'),
  ],
  // Redis's Lua 5.1 holds every number as a double: an integer reply near 2^63 comes back from a script rounded (generated EVAL bodies).
  'a script returns a big integer reply as Lua 5.1 does, through a double': [
    step('FLUSHALL'), step('SET', 's1', '2'),
    step('EVAL', "local r0 = redis.call(ARGV[1], ARGV[2], ARGV[3], ARGV[4])\nlocal r1 = redis.call(ARGV[5], ARGV[6], ARGV[7])\nreturn {r0, r1}", '0', 'BITOP', 'NOT', 'b2', 'b2', 'INCRBY', 's1', '-9223372036854775808'),
    step('SET', 's3', '9223372036854775807'), step('EVAL', "return redis.pcall('incrby', KEYS[1], ARGV[1])", '1', 's3', '-2'),
    step('SET', 's4', '-9223372036854775806'), step('EVAL', "return redis.pcall('incr', KEYS[1])", '1', 's4'),
    step('EVAL', 'return 9007199254740993', '0'), step('EVAL', "return {redis.call('incrby', KEYS[1], '-1'), 2^53}", '1', 's5'),
  ],
  // GEOPOS's RESP3 double is ld2string's human text ("%.17Lf" trimmed); the script's Lua number is strtod of that text (resp_parser.c parseDouble).
  'a RESP3 double a script gets is the number its reply text spells': [
    step('FLUSHALL'), step('GEOADD', 'g', '0.0000026822090148925781', '0.0000026822090148925781', 'm', '13.361389', '38.115556', 'p'),
    step('EVAL', "redis.setresp(3)\nreturn redis.call('GEOPOS', KEYS[1], ARGV[1], ARGV[2], 'none')", '1', 'g', 'm', 'p'),
    step('EVAL', "redis.setresp(3)\nlocal r = redis.call('GEOPOS', KEYS[1], ARGV[1])\nreturn string.format('%.17g %.17g', r[1][1].double, r[1][2].double)", '1', 'g', 'm'),
    step('EVAL', "redis.setresp(3)\nlocal r = redis.call('GEOPOS', KEYS[1], ARGV[1])\nreturn {r[1][1], r[1][2]}", '1', 'g', 'm'),
  ],
  // redisProtocolToLuaType_Map/_Set fill a lua_newtable() in reply order; luaReplyToRedisReply writes it in Lua 5.1's lua_next order.
  'a RESP3 map or set a script returns comes out in Lua 5.1 table order': [
    step('FLUSHALL'), step('XADD', 'x', '1-1', 'f', 'v'), step('XADD', 'x', '2-1', 'f', 'v'), step('XGROUP', 'CREATE', 'x', 'g', '0'), step('XADD', 'empty', 'MAXLEN', '0', '5-1', 'f', 'v'),
    step('EVAL', "redis.setresp(3)\nreturn redis.call('XINFO', 'STREAM', KEYS[1])", '1', 'x'),
    step('EVAL', "redis.setresp(3)\nreturn redis.call('XINFO', 'STREAM', KEYS[1])", '1', 'empty'),
    step('EVAL', "redis.setresp(3)\nlocal r = redis.call('XINFO', 'STREAM', KEYS[1])\nr.map['length'] = nil\nr.map['added'] = 1\nr.map['first-entry'] = 'now set'\nreturn r", '1', 'empty'),
    step('HSET', 'h', 'alpha', '1', 'beta', '2', 'gamma', '3', 'delta', '4', 'epsilon', '5', 'zeta', '6', '7', 'seven', '8', 'eight'),
    step('EVAL', "redis.setresp(3)\nreturn {redis.call('HGETALL', KEYS[1]), redis.call('CONFIG', 'GET', 'hash-max-*')}", '1', 'h'),
    step('SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'), step('SADD', 'ints', '1', '2', '3', '5', '8', '13', '21'),
    step('EVAL', "redis.setresp(3)\nreturn {redis.call('SMEMBERS', KEYS[1]), redis.call('SMEMBERS', KEYS[2])}", '2', 's', 'ints'),
  ],
  // CLIENT_DENY_BLOCKING: blmoveGenericCommand replies addReplyNull, the pops and XREAD a null array.
  'blocking commands on empty keys inside MULTI: BLMOVE and BRPOPLPUSH reply a null bulk, the others a null array': [
    step('FLUSHALL'), step('MULTI'), step('BRPOPLPUSH', 'l', 'l', '0'), step('BLMOVE', 'l', 'm', 'LEFT', 'RIGHT', '0'), step('BLPOP', 'l', '0'), step('BLMPOP', '0', '1', 'l', 'LEFT'),
    step('BZPOPMIN', 'z', '0'), step('BZMPOP', '0', '1', 'z', 'MIN'), step('XREAD', 'BLOCK', '0', 'STREAMS', 'x', '$'), step('EXEC'),
  ],
  // xautoclaimCommand: lookupKeyRead and checkType before the arguments, NOGROUP after them.
  'XAUTOCLAIM looks the key up before parsing its arguments': [
    step('FLUSHALL'), step('SET', 'str', 'x'), step('XAUTOCLAIM', 'str', 'g', 'c', 'abc', '0'), step('XAUTOCLAIM', 'str', 'g', 'c', '0', '0-0', 'COUNT', '-1'),
    step('XAUTOCLAIM', 'missing', 'g', 'c', '0', '0-0', 'COUNT', '-1', 'JUSTID'), step('XAUTOCLAIM', 'missing', 'g', 'c', '0', '0-0'),
  ],
  // strtod on a C string: "\0x" and "" weigh 0 and convert without error.
  'SORT reads a weight up to its first NUL': [
    step('FLUSHALL'), step('RPUSH', 'l', Buffer.from([0x00, 0x78]), '3', '', '1'), step('SORT', 'l'), step('SORT', 'l', 'DESC'),
    step('ZADD', 'z', '1', BINARY), step('SORT_RO', 'z', 'GET', 'h->*'), step('RPUSH', 'bad', ' ', '1'), step('SORT', 'bad'),
  ],
  'SORT BY nosort (or a pattern without *) reads an intset in ascending order': [
    step('FLUSHALL'), step('SADD', 's', '1', '100', '2', '3', '-5'), step('SORT', 's', 'BY', 'nosort'), step('SORT', 's', 'BY', 'h->f', 'DESC'), step('SORT', 's', 'BY', 'nosort', 'LIMIT', '1', '2'),
  ],
  // The reply comes from the skiplist t_zset.c builds: a computed -0 is "-0".
  'ZUNION, ZINTER and ZDIFF reply the computed scores, -0 included': [
    step('FLUSHALL'), step('ZADD', 'z', '0', 'a', '1', 'b', '-1', 'c'),
    step('ZUNION', '1', 'z', 'WEIGHTS', '-2.25', 'WITHSCORES'), step('ZINTER', '2', 'z', 'z', 'WEIGHTS', '-1', '0', 'WITHSCORES'),
    step('ZUNIONSTORE', 'd', '1', 'z', 'WEIGHTS', '-1'), step('ZRANGE', 'd', '0', '-1', 'WITHSCORES'),
    step('CONFIG', 'SET', 'zset-max-listpack-value', '4'), step('ZADD', 'big', '-0', 'c', '10', 'longmember'), step('ZDIFF', '1', 'big', 'WITHSCORES'), step('ZINTER', '1', 'big', 'WITHSCORES'),
    step('CONFIG', 'SET', 'zset-max-listpack-value', '64'),
  ],
  // 7.0 negates RANK (LLONG_MIN stays negative); ranks past 2^53 are valid and match nothing.
  'LPOS RANK at the ends of the 64-bit range': [
    step('FLUSHALL'), step('RPUSH', 'l', 'a', 'b', 'a', 'c', 'a'),
    step('LPOS', 'l', 'a', 'RANK', '-9223372036854775808'), step('LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '2'), step('LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'MAXLEN', '2'),
    step('LPOS', 'l', 'a', 'RANK', '-9223372036854775807', 'COUNT', '0'), step('LPOS', 'l', 'a', 'RANK', '-9007199254740993'), step('LPOS', 'l', 'a', 'RANK', '9223372036854775807', 'COUNT', '0'),
    step('LPOS', 'missing', 'a', 'RANK', '-9223372036854775808', 'COUNT', '1'), step('LPOS', 'l', 'a', 'RANK', '-9223372036854775809'),
  ],
  // zrangeResultBeginStore starts a listpack (a -0 added to it becomes 0) and zsetAdd converts it on the way.
  'ZRANGESTORE keeps a -0 only for members added after the result became a skiplist': [
    // A skiplist from its first member (ZINCRBY of a long one), so the source keeps its -0 scores.
    step('FLUSHALL'), step('ZINCRBY', 'z', '0', 'v'.repeat(73)), step('ZADD', 'z', '0', 'A', '3', '-1', '-0', 'nan', '-0', 'y'), step('ZRANGE', 'z', '0', '-1', 'WITHSCORES'),
    step('ZRANGESTORE', 'd1', 'z', '-inf', '(2.5', 'BYSCORE'), step('ZRANGE', 'd1', '0', '-1', 'WITHSCORES'), step('DEBUG', 'DIGEST-VALUE', 'd1'),
    step('ZRANGESTORE', 'd2', 'z', '0', '-1'), step('ZRANGE', 'd2', '0', '-1', 'WITHSCORES'),
    step('CONFIG', 'SET', 'zset-max-listpack-entries', '2'), step('ZRANGESTORE', 'd3', 'z', '0', '-1'), step('ZRANGE', 'd3', '0', '-1', 'WITHSCORES'), step('DEBUG', 'DIGEST-VALUE', 'd3'),
    step('ZRANGESTORE', 'd4', 'z', '-inf', '+inf', 'BYSCORE'), step('ZRANGE', 'd4', '0', '-1', 'WITHSCORES'), step('DEBUG', 'DIGEST-VALUE', 'd4'),
    step('CONFIG', 'SET', 'zset-max-listpack-entries', '128'),
  ],
  // call()'s fixed_time_expire: EXEC's queued commands check expiry at the time EXEC started, a script at its own
  // start (scriptPrepareForRun). Found by --clients seed 30 (a PEXPIRE k 1 queued before a script reading k);
  // DEBUG SLEEP makes the millisecond pass for certain.
  'EXEC freezes the time for its queued commands, but not for a script inside it': [
    step('FLUSHALL'), step('SET', 'k', 'v'), step('SET', 'k2', 'v2'), step('MULTI'), step('PEXPIRE', 'k', '1'), step('PEXPIRE', 'k2', '1'), step('DEBUG', 'SLEEP', '0.02'),
    step('GET', 'k'), step('EXISTS', 'k'), step('INCR', 'k'), step('EVAL', "return redis.call('GET', KEYS[1])", '1', 'k2'), step('EXISTS', 'k2'), step('EXEC'), step('EXISTS', 'k', 'k2'),
  ],
  // lookupStringForBitCommand creates (dbAdd) or grows (sdsgrowzero) the string before the ops run, but only
  // an op that did not fail counts as a change: when every write fails (OVERFLOW FAIL), no signalModifiedKey,
  // so a WATCH is not touched and a tracking client is not told (--clients seed 522).
  'a BITFIELD whose every write fails makes or grows the string without signalling it': [
    step('FLUSHALL'), step('SET', 'grown', 'a'),
    { ...step('CLIENT', 'TRACKING', 'ON', 'BCAST'), session: 'tracker' },
    { ...step('WATCH', 'made', 'grown'), session: 'watcher' },
    step('BITFIELD', 'made', 'OVERFLOW', 'FAIL', 'INCRBY', 'u63', '100', '-3', 'OVERFLOW', 'SAT'),
    step('BITFIELD', 'grown', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '200', '-1'),
    { ...step('MULTI'), session: 'watcher' }, { ...step('PING'), session: 'watcher' }, { ...step('EXEC'), session: 'watcher' },
    { ...step('PING'), session: 'tracker' },
    step('STRLEN', 'made'), step('STRLEN', 'grown'), step('OBJECT', 'ENCODING', 'made'), step('OBJECT', 'ENCODING', 'grown'), step('GET', 'grown'),
    step('BITFIELD', 'grown', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1'), step('GET', 'grown'), { ...step('PING'), session: 'tracker' },
  ],
  // copyCommand's dupStringObject makes a new int-encoded object, never a shared integer (seed 32, RESP2 and RESP3, with the counters family).
  'COPY of a small integer string is not a shared integer': [
    step('FLUSHALL'), step('SET', 's3', '3', 'GET'), step('ZADD', 'z3', '1', 'm'), step('COPY', 's3', 'z3', 'REPLACE'), step('OBJECT', 'REFCOUNT', 'z3'), step('OBJECT', 'ENCODING', 'z3'),
    step('COPY', 's3', 'fresh'), step('OBJECT', 'REFCOUNT', 'fresh'), step('COPY', 's3', 'other-db', 'DB', '1'), step('MOVE', 'other-db', '0'), step('INCR', 's3'), step('COPY', 's3', 'c2'), step('OBJECT', 'REFCOUNT', 'c2'),
    step('INCR', 'fresh'), step('OBJECT', 'REFCOUNT', 'fresh'), step('RENAME', 's3', 'renamed'), step('OBJECT', 'REFCOUNT', 'renamed'), step('SET', 'big', '12345'), step('COPY', 'big', 'big2'), step('OBJECT', 'REFCOUNT', 'big2'),
  ],
  // printf("%.17g") rounds an exact tie to even; toExponential rounds it up (seed 1305: 0.1 + 0.5 x a geohash score in ZUNION WEIGHTS).
  'a score exactly halfway between two 17-digit texts rounds to even, as printf does': [
    step('FLUSHALL'), step('GEOADD', 'g', '-73.9', '37.80', 'aa'), step('ZADD', 'z', '0.1', 'aa'), step('ZUNION', '2', 'z', 'g', 'WEIGHTS', '1', '.5', 'WITHSCORES'),
    step('ZADD', 'ties', '895362981023427.125', 'even', '895362981023427.375', 'odd', '-1234567890123456.25', 'neg', '4503599627370495.5', 'whole', '0.5', 'half'),
    step('ZRANGE', 'ties', '0', '-1', 'WITHSCORES'), step('ZSCORE', 'ties', 'even'), step('ZINCRBY', 'ties', '0.25', 'even'), step('ZMSCORE', 'ties', 'neg', 'odd'),
    step('ZSCAN', 'ties', '0'), step('DEBUG', 'DIGEST-VALUE', 'ties'), step('EVAL', "return redis.call('ZSCORE', KEYS[1], 'even')", '1', 'ties'),
  ],
  // zzlInsertAt stores an integral score within +-2^62 (double2ll) as an integer, which ZSCAN of a listpack replies
  // and DUMP carries; past 2^62 it is %.17g text (seed 8834: a ZUNIONSTORE WEIGHTS 1e3 of two geohash scores).
  'a listpack score is an integer up to 2^62, in ZSCAN and DUMP': [
    step('FLUSHALL'), step('GEOADD', 'z1', 'NX', '139.69', '37.502669', 'c', '-180', '85.05112878', 'd'),
    step('ZUNIONSTORE', 'z3', '3', 'z1', 'z1', 'z1', 'WEIGHTS', '0', '1e-5', '1e3', 'AGGREGATE', 'MAX'), step('ZSCAN', 'z3', '0'),
    step('ZADD', 'edges', '4503599627370497', 'a', '4611686018427387904', 'b', '4611686018427388928', 'c', '-4611686018427387904', 'd',
      '-4611686018427388928', 'e', '9223372036854775808', 'f', '-0', 'g', '1e20', 'h', '0.5', 'i'),
    step('ZSCAN', 'edges', '0'), step('DUMP', 'edges'), step('DUMP', 'z3'), step('OBJECT', 'ENCODING', 'edges'),
    step('ZRANGE', 'edges', '0', '-1', 'WITHSCORES'),
  ],
};

describe('differences found by the random differential runs stay fixed', () => {
  for (const [name, script] of Object.entries(cases)) {
    it.each([2, 3] as const)(`${name} (RESP%i)`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }

  // rdbLoadObject converts as it loads, by the thresholds in force at RESTORE time.
  it('RESTORE gives a value the encoding the current thresholds call for', async () => {
    await peers.redis.call('FLUSHALL');
    await peers.redis.call('HSET', 'small', 'f1', 'v1', 'f2', 'v2', 'f3', 'v3', 'f4', 'v4');
    await peers.redis.call('SADD', 'ints', '1', '2', '3', '4');
    await peers.redis.call('ZADD', 'zs', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    // A skiplist (SORT converted it) holding a -0: its payload keeps the -0, a listpack made from it does not.
    await peers.redis.call('SORT', 'zs');
    await peers.redis.call('ZADD', 'zs', 'GT', '-0', 'negzero');
    const payloads = await Promise.all(['small', 'ints', 'zs'].map(async (key) => Buffer.from(String(await peers.redis.call('DUMP', key)), 'latin1')));
    const restoreAll = (suffix: string): Step[] => payloads.flatMap((payload, i) => [step('RESTORE', `r${i}${suffix}`, '0', payload, 'REPLACE'), step('OBJECT', 'ENCODING', `r${i}${suffix}`), step('DEBUG', 'DIGEST-VALUE', `r${i}${suffix}`)]);
    const script: Step[] = [
      step('FLUSHALL'), ...restoreAll('default'),
      step('CONFIG', 'SET', 'hash-max-listpack-entries', '3'), step('CONFIG', 'SET', 'set-max-intset-entries', '3'), step('CONFIG', 'SET', 'zset-max-listpack-entries', '3'),
      ...restoreAll('lowered'), step('HSET', 'big', 'f1', 'v1', 'f2', 'v2', 'f3', 'v3', 'f4', 'v4'), step('OBJECT', 'ENCODING', 'big'),
      step('CONFIG', 'SET', 'hash-max-listpack-entries', '128'), step('CONFIG', 'SET', 'set-max-intset-entries', '512'), step('CONFIG', 'SET', 'zset-max-listpack-entries', '128'),
    ];
    expect(await peers.compare(script)).toEqual([]);
    // A hashtable payload (written under the lowered threshold) loads as a listpack under the default one.
    await peers.redis.call('CONFIG', 'SET', 'hash-max-listpack-entries', '3');
    const hashtable = Buffer.from(String(await peers.redis.call('DUMP', 'big')), 'latin1');
    await peers.redis.call('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
    expect(await peers.compare([step('RESTORE', 'fromtable', '0', hashtable, 'REPLACE'), step('OBJECT', 'ENCODING', 'fromtable'), step('HGETALL', 'fromtable')])).toEqual([]);
  });
});
