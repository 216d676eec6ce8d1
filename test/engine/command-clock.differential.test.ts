/**
 * Which clock a command reads inside EXEC and inside a script (redis-server
 * 7.0.15). Whether a key has expired is judged at a fixed time: call()'s
 * cached time (EXEC's start for its queued commands) or the script's start
 * (scriptTimeSnapshot). Every time a command computes reads mstime() afresh:
 * EXPIRE/PEXPIRE's base and checkAlreadyExpired (expire.c), TTL/PTTL,
 * SET/SETEX/PSETEX/GETEX EX|PX (getExpireMillisecondsOrReply), RESTORE's
 * relative TTL and its already-expired test (cluster.c), XADD's automatic ID
 * (streamNextID), stream delivery and idle times (XREADGROUP, XCLAIM,
 * XAUTOCLAIM, XPENDING IDLE). DEBUG SLEEP inside MULTI, and a script
 * spinning on TIME, let time pass; the margins are hundreds of
 * milliseconds so a loaded machine reads the same.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, type Step } from '../support/differential';

const peers = differentialPair();

/** Spins until `ms` milliseconds have passed by TIME, as a script cannot sleep. */
const SPIN = "local function ms() local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000) end local start = ms() while ms() - start < tonumber(ARGV[1]) do end ";

/** The millisecond parts of a stream's first two IDs are at least ARGV[1] apart: 1, else 0. */
const IDS_APART = "local r = redis.call('XRANGE', KEYS[1], '-', '+') local a = tonumber(string.match(r[1][1], '^(%d+)-')) local b = tonumber(string.match(r[2][1], '^(%d+)-')) return (b - a >= tonumber(ARGV[1])) and 1 or 0";

describe('the clock commands read inside EXEC and scripts', () => {
  it.each([2, 3] as const)('TTLs computed inside EXEC start from the command\'s own time, not EXEC\'s (RESP%i)', async (protocol) => {
    await peers.redis.call('SET', 'src', 'payload');
    const payload = Buffer.from(String(await peers.redis.call('DUMP', 'src')), 'latin1');
    const keys = ['pexpire', 'expire', 'set-ex', 'set-px', 'setex', 'psetex', 'getex', 'restore'];
    const script: Step[] = [
      step('FLUSHALL'), step('SET', 'pexpire', 'v'), step('SET', 'expire', 'v'), step('SET', 'getex', 'v'), step('SET', 'ttl', 'v', 'EX', '10'),
      step('MULTI'), step('DEBUG', 'SLEEP', '0.6'),
      step('PEXPIRE', 'pexpire', '10000'), step('EXPIRE', 'expire', '10'), step('SET', 'set-ex', 'v', 'EX', '10'), step('SET', 'set-px', 'v', 'PX', '10000'),
      step('SETEX', 'setex', '10', 'v'), step('PSETEX', 'psetex', '10000', 'v'), step('GETEX', 'getex', 'EX', '10'), step('RESTORE', 'restore', '10000', payload),
      // TTL reads the clock too: 0.6 s of the 10 have gone.
      step('TTL', 'ttl'),
      step('EXEC'),
      // Right after EXEC: 10 s from the command's time read 10; from EXEC's start they would read 9.
      ...keys.map((key) => step('TTL', key)),
    ];
    expect(await peers.compare(script, protocol)).toEqual([]);
  });

  it.each([2, 3] as const)('an absolute time passed while EXEC ran deletes the key at once (checkAlreadyExpired) (RESP%i)', async (protocol) => {
    await peers.redis.call('SET', 'src', 'payload');
    const payload = Buffer.from(String(await peers.redis.call('DUMP', 'src')), 'latin1');
    // Between EXEC's start and the end of its 0.6 s sleep.
    const at = String(Date.now() + 300);
    const script: Step[] = [
      step('FLUSHALL'), step('SET', 'k', 'v'), step('SET', 'g', 'v'),
      step('MULTI'), step('DEBUG', 'SLEEP', '0.6'),
      step('PEXPIREAT', 'k', at), step('EXISTS', 'k'), step('GETEX', 'g', 'PXAT', at), step('EXISTS', 'g'),
      step('RESTORE', 'r', at, payload, 'ABSTTL'), step('EXISTS', 'r'),
      step('EXEC'), step('EXISTS', 'k', 'g', 'r'),
    ];
    expect(await peers.compare(script, protocol)).toEqual([]);
  });

  it.each([2, 3] as const)('XADD\'s automatic ID and stream delivery times inside EXEC are the command\'s own (RESP%i)', async (protocol) => {
    const script: Step[] = [
      step('FLUSHALL'), step('XADD', 's', '1-1', 'f', 'v'), step('XGROUP', 'CREATE', 's', 'g', '0'),
      step('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'),
      step('MULTI'), step('XADD', 'auto', '*', 'f', 'v'), step('DEBUG', 'SLEEP', '0.6'), step('XADD', 'auto', '*', 'f', 'v'),
      // 1-1 was delivered before EXEC: idle 0.6 s by now.
      step('XAUTOCLAIM', 's', 'g', 'c2', '300', '0', 'JUSTID'), step('XCLAIM', 's', 'g', 'c3', '300', '1-1', 'JUSTID'),
      step('XADD', 's', '2-1', 'f', 'v'), step('XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 's', '>'),
      { ...shape('EXEC') },
      step('EVAL', IDS_APART, '1', 'auto', '300'),
      // 2-1 was delivered at the XREADGROUP's time, so it is not idle yet (from EXEC's start it would be).
      shape('XPENDING', 's', 'g', 'IDLE', '300', '-', '+', '10'),
    ];
    expect(await peers.compare(script, protocol)).toEqual([]);
  });

  it.each([2, 3] as const)('a script\'s commands compute times from the clock, and judge expiry at the script\'s start (RESP%i)', async (protocol) => {
    const at = String(Date.now() + 300);
    const body = `${SPIN}
      redis.call('PEXPIRE', KEYS[1], 10000)
      redis.call('SET', KEYS[2], 'v', 'EX', 10)
      local gone = redis.call('PEXPIREAT', KEYS[3], ARGV[2])
      return {redis.call('TTL', KEYS[4]), gone, redis.call('EXISTS', KEYS[3]), redis.call('GET', KEYS[5])}`;
    const script: Step[] = [
      step('FLUSHALL'), step('SET', 'p', 'v'), step('SET', 'at', 'v'), step('SET', 'ttl', 'v', 'EX', '10'), step('SET', 'short', 'v', 'PX', '100'),
      step('EVAL', body, '5', 'p', 'set-ex', 'at', 'ttl', 'short', '600', at),
      step('TTL', 'p'), step('TTL', 'set-ex'), step('EXISTS', 'at', 'short'),
    ];
    expect(await peers.compare(script, protocol)).toEqual([]);
  });
});
