/**
 * keyspace_hits and keyspace_misses (INFO stats) move as on redis-server
 * 7.0 after each command: EXISTS, TYPE, TTL/PTTL/EXPIRETIME, OBJECT and
 * SCAN's TYPE filter look keys up with LOOKUP_NOTOUCH, which still counts a
 * hit or a miss (only LOOKUP_NOSTATS and write lookups do not); the other
 * reads count as lookupKeyRead does; MEMORY USAGE and DEBUG OBJECT count
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { parseReply } from '../support/resp-reply-parser';

const peers = differentialPair();

/** The two counters from an INFO stats reply. */
function hitsAndMisses(raw: Buffer): string {
  const text = String(parseReply(raw)?.value ?? raw.toString());
  return (text.match(/keyspace_(hits|misses):\d+/g) ?? []).join(' ') || text;
}

const commands: ReadonlyArray<ReadonlyArray<string>> = [
  ['SET', 'a', '1'], ['GET', 'a'], ['GET', 'nokey'], ['EXISTS', 'a', 'nokey', 'a'], ['TYPE', 'a'], ['TYPE', 'nokey'],
  ['TTL', 'a'], ['PTTL', 'nokey'], ['EXPIRETIME', 'a'], ['PEXPIRETIME', 'nokey'], ['OBJECT', 'ENCODING', 'a'], ['OBJECT', 'ENCODING', 'nokey'],
  ['OBJECT', 'FREQ', 'a'], ['OBJECT', 'IDLETIME', 'a'], ['OBJECT', 'REFCOUNT', 'nokey'], ['MEMORY', 'USAGE', 'a'], ['DEBUG', 'OBJECT', 'a'],
  ['RPUSH', 'l', 'x', 'y'], ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'm'], ['ZADD', 'z', '1', 'm'],
  ['SCAN', '0', 'TYPE', 'list', 'COUNT', '100'], ['SCAN', '0', 'MATCH', 'a*', 'TYPE', 'string'], ['SCAN', '0'],
  ['INCR', 'a'], ['APPEND', 'a', '2'], ['STRLEN', 'a'], ['GETRANGE', 'a', '0', '1'], ['SETRANGE', 'a', '0', 'x'], ['GETEX', 'a'], ['GETDEL', 'a'],
  ['SET', 'a', 'v', 'GET'], ['SET', 'a', 'v', 'XX'], ['MGET', 'a', 'nokey', 'l'], ['DUMP', 'a'], ['COPY', 'a', 'b'], ['RENAME', 'b', 'c'],
  ['EXPIRE', 'a', '100'], ['PERSIST', 'a'], ['TOUCH', 'a', 'nokey'], ['LRANGE', 'l', '0', '-1'], ['LLEN', 'nokey'], ['HGET', 'h', 'f'], ['HGETALL', 'nokey'],
  ['SMEMBERS', 's'], ['SISMEMBER', 'nokey', 'm'], ['ZSCORE', 'z', 'm'], ['ZRANGE', 'z', '0', '-1'], ['SORT', 'l', 'ALPHA'], ['LCS', 'a', 'c'],
  ['SUNION', 's', 'nokey'], ['ZUNIONSTORE', 'zd', '2', 'z', 'nokey'], ['LMOVE', 'l', 'l2', 'LEFT', 'LEFT'], ['BITCOUNT', 'a'], ['PFCOUNT', 'nokey'],
  ['XADD', 'x', '1-1', 'f', 'v'], ['XRANGE', 'x', '-', '+'], ['XREAD', 'STREAMS', 'x', '0'], ['XLEN', 'nokey'], ['DEL', 'a', 'nokey'], ['UNLINK', 'c'],
];

describe('keyspace hits and misses', () => {
  it('count as on redis-server after each command', async () => {
    const steps: Step[] = [step('FLUSHALL'), step('CONFIG', 'RESETSTAT')];
    // The replies themselves are other tests' subject (sizes, addresses and SCAN order differ): only the counters are compared.
    for (const command of commands) steps.push({ cmd: command, compare: 'ignore' }, { cmd: ['INFO', 'stats'], compare: hitsAndMisses });
    expect(await peers.compare(steps)).toEqual([]);
  });
});
