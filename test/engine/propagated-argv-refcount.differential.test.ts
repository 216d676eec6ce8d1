/**
 * With a replica attached (a master with a backlog: shouldPropagate),
 * call() hands the argv of every command it propagates to alsoPropagate,
 * which keeps a reference to each argument until propagatePendingCommands
 * runs at the end of the top-level command (server.c, redis-server 7.0).
 * A value stored from its argv (SET, SETNX, SETEX, PSETEX, GETSET, MSET,
 * MSETNX, APPEND on a missing key; INCRBYFLOAT's rewritten SET) therefore
 * reads one more reference until EXEC or the script that stored it ends:
 * OBJECT REFCOUNT 3 inside EXEC (the queue's argv, the propagation queue,
 * the database), 2 inside a script (its argv is freed after each call),
 * and 1 again once the transaction or the script is over. A script whose
 * writes do not replicate (redis.set_repl) keeps no such reference.
 * Found by fuzz seed 352 with --replication (length 1000): MULTI, SET s3
 * foobar, OBJECT REFCOUNT s3, EXEC read 3 on redis-server and 2 on ours.
 * A script that runs past busy-reply-threshold (which ours runs in slices,
 * its effects detached in between) keeps that reference to its end too.
 * Both masters get a real redis-server replica.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { startRedisServer } from '../support/redis-server';
import { infoNumber, waitForSync } from '../support/replication';

const peers = differentialPair();

beforeAll(async () => {
  const replicas = await Promise.all([peers.redis, peers.ours].map((master) => startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] })));
  await Promise.all(replicas.map((replica) => waitForSync(replica)));
});

const refcount = (key: string): Step => step('OBJECT', 'REFCOUNT', key);

const cases: Record<string, Step[]> = {
  'a value SET inside EXEC has three references until EXEC ends': [
    step('FLUSHALL'), step('MULTI'), step('SET', 's3', 'foobar'), refcount('s3'), step('EXEC'), refcount('s3'),
  ],
  'every command that stores its argument inside EXEC, and what a rewrite, a move or a script does to it': [
    step('FLUSHALL'), step('SET', 'before', 'x'), step('SET', 'f', '1.5'), step('MULTI'),
    refcount('before'),
    step('SETNX', 'nx', 'v'), refcount('nx'), step('SETEX', 'ex', '100', 'v'), refcount('ex'), step('PSETEX', 'px', '100000', 'v'), refcount('px'),
    step('GETSET', 'gs', 'v'), refcount('gs'), step('MSET', 'm1', 'a', 'm2', '123456'), refcount('m1'), refcount('m2'),
    step('MSETNX', 'n1', 'a', 'n2', 'b'), refcount('n2'), step('APPEND', 'ap', 'new'), refcount('ap'),
    step('SET', 'long', 'x'.repeat(100)), refcount('long'), step('SET', 'small', '42'), refcount('small'),
    step('SET', 'k', 'v', 'GET'), refcount('k'), step('SET', 'k', 'w', 'NX'), refcount('k'), step('SET', 'k2', 'v', 'EX', '100', 'GET'), refcount('k2'),
    step('INCRBYFLOAT', 'f', '1'), refcount('f'), step('INCRBYFLOAT', 'newf', '2.5'), refcount('newf'),
    step('APPEND', 'm1', 'b'), refcount('m1'), step('INCR', 'm2'), refcount('m2'), step('SETRANGE', 'gs', '0', 'z'), refcount('gs'),
    step('RENAME', 'px', 'px2'), refcount('px2'), step('MOVE', 'ex', '1'), step('SELECT', '1'), refcount('ex'), step('SELECT', '0'),
    step('SWAPDB', '0', '1'), refcount('ex'), refcount('ap'), step('SWAPDB', '0', '1'),
    step('COPY', 'ap', 'copied'), refcount('copied'),
    step('EVAL', "redis.call('SET', KEYS[1], 'fromscript') return redis.call('OBJECT', 'REFCOUNT', KEYS[1])", '1', 'sc'), refcount('sc'),
    step('EXEC'), refcount('k'), refcount('px2'), refcount('sc'), refcount('f'),
  ],
  'a value a script stores has two references until the script ends, one when its writes do not replicate': [
    step('FLUSHALL'),
    step('EVAL', "redis.call('SET', KEYS[1], ARGV[1]) redis.call('MSET', KEYS[2], ARGV[1]) redis.call('INCRBYFLOAT', KEYS[3], '0.5') return {redis.call('OBJECT', 'REFCOUNT', KEYS[1]), redis.call('OBJECT', 'REFCOUNT', KEYS[2]), redis.call('OBJECT', 'REFCOUNT', KEYS[3])}", '3', 'a', 'b', 'c', 'value'),
    refcount('a'), refcount('b'), refcount('c'),
    step('EVAL', "redis.set_repl(redis.REPL_NONE) redis.call('SET', KEYS[1], ARGV[1]) local n = redis.call('OBJECT', 'REFCOUNT', KEYS[1]) redis.set_repl(redis.REPL_ALL) redis.call('SET', KEYS[2], ARGV[1]) return {n, redis.call('OBJECT', 'REFCOUNT', KEYS[2])}", '2', 'quiet', 'loud', 'value'),
    step('EVAL', "redis.call('SET', KEYS[1], ARGV[1]) redis.call('RENAME', KEYS[1], KEYS[2]) local moved = redis.call('OBJECT', 'REFCOUNT', KEYS[2]) redis.call('APPEND', KEYS[2], 'x') return {moved, redis.call('OBJECT', 'REFCOUNT', KEYS[2])}", '2', 'from', 'to', 'value'),
  ],
  // Ours runs such a script in slices (script-runner.ts): its effects are detached while other
  // commands flush the propagator, and its value must keep the propagation queue's reference.
  'a script that runs past busy-reply-threshold keeps the reference until it ends': [
    step('FLUSHALL'), step('CONFIG', 'SET', 'busy-reply-threshold', '10'),
    step('EVAL', "redis.call('SET', KEYS[1], ARGV[1]) local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > 80000 return redis.call('OBJECT', 'REFCOUNT', KEYS[1])", '1', 'slow', 'value'),
    step('CONFIG', 'SET', 'busy-reply-threshold', '5000'), refcount('slow'),
  ],
};

describe('values an argv still holds while a replica is attached', () => {
  it('both masters count their replica (INFO connected_slaves)', async () => {
    expect(await Promise.all([peers.redis, peers.ours].map((master) => infoNumber(master, 'connected_slaves', 'replication')))).toEqual([1, 1]);
  });

  for (const [name, script] of Object.entries(cases)) {
    it.each([2, 3] as const)(`${name} (RESP%i)`, async (protocol) => {
      expect(await peers.compare(script, protocol)).toEqual([]);
    });
  }
});
