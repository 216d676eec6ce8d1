/**
 * EXEC keeps its queued argv until the whole queue has run
 * (freeClientMultiState after execCommand's loop), and SET, SETNX, SETEX,
 * PSETEX, GETSET, MSET, MSETNX and APPEND on a missing key store the
 * argument object itself: while the transaction runs, OBJECT REFCOUNT of
 * such a value reads 2 on redis-server 7.0, and 1 once EXEC is over. A
 * rewrite unshares it (APPEND, SETRANGE, SETBIT, INCR: refcount 1 again),
 * RENAME and MOVE keep it, a small integer stays the shared object.
 * INCRBYFLOAT stores the object it rewrites its argv with (SET key <new>
 * KEEPTTL), which the queue then holds: 2 as well (1 in a script).
 * Found by fuzz seed 352 (length 1000): MULTI, SET s3 foobar, OBJECT
 * REFCOUNT s3, EXEC.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const refcount = (key: string): Step => step('OBJECT', 'REFCOUNT', key);

const cases: Record<string, Step[]> = {
  'a value SET inside EXEC has two references until EXEC ends': [
    step('FLUSHALL'), step('MULTI'), step('SET', 's3', 'foobar'), refcount('s3'), step('EXEC'), refcount('s3'),
  ],
  'every command that stores its argument, and what a rewrite, a move or a script does to it': [
    step('FLUSHALL'), step('SET', 'before', 'x'), step('MULTI'),
    refcount('before'),
    step('SETNX', 'nx', 'v'), refcount('nx'), step('SETEX', 'ex', '100', 'v'), refcount('ex'), step('PSETEX', 'px', '100000', 'v'), refcount('px'),
    step('GETSET', 'gs', 'v'), refcount('gs'), step('MSET', 'm1', 'a', 'm2', '123456'), refcount('m1'), refcount('m2'),
    step('MSETNX', 'n1', 'a', 'n2', 'b'), refcount('n2'), step('APPEND', 'ap', 'new'), refcount('ap'),
    step('SET', 'long', 'x'.repeat(100)), refcount('long'), step('SET', 'small', '42'), refcount('small'), step('SET', 'neg', '-7'), refcount('neg'),
    step('SET', 'k', 'v', 'GET'), refcount('k'), step('SET', 'k', 'w', 'NX'), refcount('k'),
    step('APPEND', 'm1', 'b'), refcount('m1'), step('INCR', 'm2'), refcount('m2'), step('SETRANGE', 'gs', '0', 'z'), refcount('gs'), step('SETBIT', 'nx', '1', '1'), refcount('nx'),
    step('RENAME', 'px', 'px2'), refcount('px2'), step('MOVE', 'ex', '1'), step('SELECT', '1'), refcount('ex'), step('SELECT', '0'),
    step('SWAPDB', '0', '1'), refcount('ex'), refcount('ap'), step('SWAPDB', '0', '1'),
    step('COPY', 'ap', 'copied'), refcount('copied'), step('INCRBYFLOAT', 'n1', '1'), refcount('n1'),
    step('SET', 'f', '1.5'), step('INCRBYFLOAT', 'f', '1'), refcount('f'), step('INCRBYFLOAT', 'newf', '2'), refcount('newf'), step('INCR', 'newf'), refcount('newf'),
    step('EVAL', "redis.call('INCRBYFLOAT', KEYS[1], '1') return redis.call('OBJECT', 'REFCOUNT', KEYS[1])", '1', 'fs'),
    step('EVAL', "redis.call('SET', KEYS[1], 'fromscript') return {redis.call('OBJECT', 'REFCOUNT', KEYS[1]), redis.call('OBJECT', 'REFCOUNT', KEYS[2])}", '2', 'sc', 'ap'),
    step('FLUSHDB'), step('LPUSH', 'ap', 'new'), step('DEL', 'ap'), step('INCR', 'ap'), step('INCRBY', 'ap', '20000'), refcount('ap'),
    step('EXEC'), refcount('k'), refcount('px2'), step('SELECT', '1'), refcount('ex'), step('SELECT', '0'),
  ],
};

describe('values stored from EXEC\'s queued argv', () => {
  for (const [name, script] of Object.entries(cases)) {
    it.each([2, 3] as const)(`${name} (RESP%i)`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }
});
