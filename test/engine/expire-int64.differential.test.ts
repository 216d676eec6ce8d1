/**
 * Expire times are int64 milliseconds in redis-server. Between 2^53 and
 * 2^63-1 a JS number rounds them, so the engine keeps those few exact beside
 * the number (keyspace/database.ts): PEXPIRETIME, EXPIRETIME, GT/LT,
 * RENAME, MOVE, COPY, SWAPDB, RESTORE ABSTTL, SET/GETEX PXAT and an RDB
 * round trip (DEBUG RELOAD) read them as redis-server does.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const TWO_53_PLUS_1 = '9007199254740993';
const TWO_60_PLUS_1 = '1152921504606846977';
const INT64_MAX = '9223372036854775807';

const pexpiretime = (key: string): Step => step('PEXPIRETIME', key);

describe('expire times past 2^53 stay exact', () => {
  it.each([2, 3] as const)('through the commands that set, compare, move and read them (RESP%i)', async (protocol) => {
    await peers.redis.call('SET', 'src', 'payload');
    const payload = Buffer.from(String(await peers.redis.call('DUMP', 'src')), 'latin1');
    const script: Step[] = [
      step('FLUSHALL'), step('SET', 'k', 'v'),
      step('PEXPIREAT', 'k', TWO_53_PLUS_1), pexpiretime('k'), step('EXPIRETIME', 'k'),
      // 2^53+2 rounds to 2^53+2, 2^53+1 to 2^53: only exact comparisons get GT and LT right.
      step('PEXPIREAT', 'k', '9007199254740994', 'GT'), pexpiretime('k'), step('PEXPIREAT', 'k', TWO_53_PLUS_1, 'LT'), pexpiretime('k'),
      step('PEXPIREAT', 'k', TWO_53_PLUS_1, 'LT'), step('PEXPIREAT', 'k', TWO_53_PLUS_1, 'GT'),
      step('SET', 's', 'v', 'PXAT', TWO_60_PLUS_1), pexpiretime('s'), step('EXPIRETIME', 's'),
      step('RENAME', 's', 's2'), pexpiretime('s2'), step('COPY', 's2', 's3'), pexpiretime('s3'),
      step('MOVE', 's3', '1'), step('SELECT', '1'), pexpiretime('s3'), step('SELECT', '0'),
      step('SWAPDB', '0', '1'), pexpiretime('s3'), step('SWAPDB', '0', '1'),
      step('SET', 'e', 'v', 'EXAT', '9223372036854775'), pexpiretime('e'), step('EXPIRETIME', 'e'),
      step('EXPIREAT', 'k', '9007199254740993'), pexpiretime('k'),
      step('RESTORE', 'r', TWO_60_PLUS_1, payload, 'ABSTTL'), pexpiretime('r'),
      step('SET', 'g', 'v'), step('GETEX', 'g', 'PXAT', INT64_MAX), pexpiretime('g'), step('GETEX', 'g', 'PXAT', '9223372036854775806'), pexpiretime('g'),
      step('PEXPIREAT', 'g', '9223372036854775806', 'GT'), step('PEXPIREAT', 'g', INT64_MAX, 'GT'), pexpiretime('g'),
      // A later ordinary time replaces the exact one.
      step('PEXPIREAT', 's2', '1152921504606846980'), step('PEXPIREAT', 's2', '4000000000000'), pexpiretime('s2'), step('PERSIST', 'r'), pexpiretime('r'),
      step('PEXPIREAT', 'r', TWO_60_PLUS_1), step('SET', 'r', 'plain'), pexpiretime('r'),
    ];
    expect(await peers.compare(script, protocol)).toEqual([]);
  });

  it('through an RDB written and loaded again (DEBUG RELOAD)', async () => {
    const script: Step[] = [
      step('FLUSHALL'), step('SET', 'a', 'v', 'PXAT', TWO_60_PLUS_1), step('SET', 'b', 'v', 'PXAT', INT64_MAX), step('SET', 'c', 'v', 'PXAT', TWO_53_PLUS_1),
      step('RPUSH', 'list', 'x'), step('PEXPIREAT', 'list', '9223372036854775806'),
      step('DEBUG', 'RELOAD'), pexpiretime('a'), pexpiretime('b'), pexpiretime('c'), pexpiretime('list'), step('DBSIZE'),
    ];
    expect(await peers.compare(script)).toEqual([]);
  });
});
