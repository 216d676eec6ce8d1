/**
 * Counters kept as integers (held-integer.ts: INCR and its kin update a
 * counter in place, as Redis updates an int-encoded string) read exactly as
 * redis-server's: GET, STRLEN, GETRANGE, APPEND, SETRANGE, SETBIT, OBJECT
 * ENCODING, DEBUG DIGEST-VALUE, DUMP and RESTORE, SAVE + DEBUG RELOAD, the PF
 * commands' type check, WATCH, INCRBYFLOAT on such a counter, the step from
 * held integers to text at 2^53 and back, the int64 limits with Redis's
 * overflow errors, and texts Redis keeps raw (leading zeros, '+1', ' 1').
 * Then replication both ways with real redis-server: the counters reach a
 * real replica by full sync and by the stream with equal DEBUG DIGESTs, and
 * our replica of a real master ends with the master's digest.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { shape, step, type Step } from '../support/differential';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { command, waitForEqualDigests, waitForOffsets, waitForSync, type Peer } from '../support/replication';

const peers = differentialPair();

const other = (...cmd: string[]): Step => ({ ...step(...cmd), session: 'other' });
const DUMP_RESTORE_GET = "local p = redis.call('DUMP', KEYS[1]) redis.call('RESTORE', KEYS[2], '0', p) return {redis.call('GET', KEYS[2]), redis.call('OBJECT', 'ENCODING', KEYS[2])}";
/** Everything a reader can see of a string key. */
const readBack = (key: string): Step[] => [
  step('GET', key), step('STRLEN', key), step('OBJECT', 'ENCODING', key), step('GETRANGE', key, '0', '0'), step('GETRANGE', key, '-2', '-1'),
  step('DEBUG', 'DIGEST-VALUE', key), step('DUMP', key), step('TYPE', key),
];

const script: Step[] = [
  step('FLUSHALL'),
  // A counter made by INCR, then updated in place, read every way.
  step('INCR', 'c'), step('OBJECT', 'ENCODING', 'c'), step('INCR', 'c'), step('INCRBY', 'c', '12344'), step('DECR', 'c'), ...readBack('c'),
  step('DECRBY', 'c', '20000000'), ...readBack('c'), step('INCRBY', 'c', '0'), step('GET', 'c'),
  step('EVAL', DUMP_RESTORE_GET, '2', 'c', 'c-restored'), step('INCR', 'c-restored'), ...readBack('c-restored'),
  step('EVAL', "return {redis.call('INCR', KEYS[1]), redis.call('GET', KEYS[1]), redis.call('INCRBY', KEYS[1], 5)}", '1', 'c'),
  // Writers that turn it into text (raw): APPEND, SETRANGE, SETBIT; INCR makes it an integer again.
  step('INCR', 'ap'), step('INCR', 'ap'), step('APPEND', 'ap', '7'), ...readBack('ap'), step('INCR', 'ap'), ...readBack('ap'),
  step('INCRBY', 'sr', '500'), step('SETRANGE', 'sr', '0', '9'), ...readBack('sr'), step('INCR', 'sr'), step('OBJECT', 'ENCODING', 'sr'),
  step('INCRBY', 'sb', '48'), step('SETBIT', 'sb', '7', '1'), ...readBack('sb'), step('INCR', 'sb'), step('INCRBY', 'bits', '3'), step('BITCOUNT', 'bits'), step('GETBIT', 'bits', '6'),
  step('INCRBY', 'sr2', '42'), step('SETRANGE', 'sr2', '3', 'x'), step('GET', 'sr2'), step('INCR', 'sr2'),
  // INCRBYFLOAT on a held counter (its result is an embstr even when integral), INCR after it.
  step('INCR', 'f'), step('INCR', 'f'), step('INCRBYFLOAT', 'f', '1.5'), ...readBack('f'), step('INCR', 'f'),
  step('INCR', 'f2'), step('INCRBYFLOAT', 'f2', '2'), step('OBJECT', 'ENCODING', 'f2'), step('INCR', 'f2'), ...readBack('f2'),
  // The PF commands' type check, and a counter that is not an HLL.
  step('INCR', 'pf'), step('PFADD', 'pf', 'a'), step('PFCOUNT', 'pf'), step('PFMERGE', 'pf', 'pf'), step('INCR', 'pf'), step('GET', 'pf'),
  // A TTL survives both the first INCR and the in-place ones.
  step('SET', 'ttl', '5', 'EX', '100'), step('INCR', 'ttl'), step('INCR', 'ttl'), shape('TTL', 'ttl'), step('GET', 'ttl'), step('DEL', 'ttl'),
  // WATCH sees an in-place update, by this client and by another.
  step('INCR', 'w'), step('WATCH', 'w'), step('INCR', 'w'), step('MULTI'), step('GET', 'w'), step('EXEC'),
  step('WATCH', 'w'), other('INCR', 'w'), step('MULTI'), step('GET', 'w'), step('EXEC'), step('GET', 'w'),
  step('MULTI'), step('INCR', 'w'), step('INCRBY', 'w', '10'), step('GET', 'w'), step('EXEC'),
  // Across 2^53: held integers below it, text (bigint arithmetic) above, and back.
  step('SET', 'big', '9007199254740980'), step('INCRBY', 'big', '10'), step('OBJECT', 'ENCODING', 'big'), step('INCR', 'big'), step('INCR', 'big'), step('INCR', 'big'),
  ...readBack('big'), step('DECR', 'big'), step('DECR', 'big'), step('DECR', 'big'), ...readBack('big'), step('INCRBY', 'big', '-18014398509481982'), ...readBack('big'),
  step('DECR', 'big'), step('DECR', 'big'), ...readBack('big'),
  // The int64 limits, reached from a held counter: the result at the limit, then Redis's overflow error with the value untouched.
  step('INCR', 'lim'), step('INCRBY', 'lim', '9223372036854775806'), ...readBack('lim'), step('INCR', 'lim'), step('INCRBY', 'lim', '1'), step('GET', 'lim'),
  step('DECRBY', 'lim', '9223372036854775807'), step('OBJECT', 'ENCODING', 'lim'), step('DECRBY', 'lim', '9223372036854775807'), step('DECR', 'lim'), ...readBack('lim'),
  step('DECR', 'lim'), step('DECRBY', 'lim', '1'), step('INCRBY', 'lim', '-1'), step('GET', 'lim'), step('INCRBY', 'lim', '9223372036854775807'), step('GET', 'lim'),
  step('INCR', 'neg'), step('DECRBY', 'neg', '-9223372036854775808'), step('INCRBY', 'neg', '-9223372036854775808'), step('GET', 'neg'),
  step('INCR', 'neg2'), step('INCRBY', 'neg2', '9223372036854775807'), step('GET', 'neg2'), step('INCR', 'neg2'), step('GET', 'neg2'),
  // Texts Redis keeps raw (not string2ll's canonical form): not counters, and not "int".
  ...['01', '+1', ' 1', '1 ', '-0', '00', '0x10', '1e3', '9223372036854775808', '-9223372036854775809', ''].flatMap((text) => [
    step('SET', 'txt', text), step('OBJECT', 'ENCODING', 'txt'), step('INCR', 'txt'), step('INCRBY', 'txt', '1'), step('GET', 'txt'),
  ]),
  step('SET', 'txt', '-9223372036854775808'), step('OBJECT', 'ENCODING', 'txt'), step('DECR', 'txt'), step('INCR', 'txt'), ...readBack('txt'),
  step('SET', 'zero', '0'), step('INCR', 'zero'), step('DECR', 'zero'), step('DECR', 'zero'), ...readBack('zero'),
  // Saved and loaded: the loaded counter is updated and read back, saved again.
  step('SAVE'), step('DEBUG', 'RELOAD'), ...readBack('c'), step('INCR', 'c'), step('INCRBY', 'c', '-7'), ...readBack('c'), step('INCR', 'neg2'),
  step('DEBUG', 'RELOAD'), ...readBack('c'), ...readBack('neg2'), step('INCR', 'w'), step('DEBUG', 'DIGEST'), step('DBSIZE'),
];

describe('counters held as integers read as redis-server reads them', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    expect(await peers.compare(script, protocol)).toEqual([]);
  });
});

/** Counters in every state above: in place, past 2^53, at the limits, turned into text and back. */
async function counterWorkload(master: Peer, prefix: string): Promise<void> {
  for (let i = 0; i < 50; i++) await command(master, 'INCR', `${prefix}:hits`);
  await command(master, 'INCRBY', `${prefix}:big`, '9007199254740990');
  for (let i = 0; i < 4; i++) await command(master, 'INCR', `${prefix}:big`);
  await command(master, 'INCRBY', `${prefix}:max`, '9223372036854775807');
  await command(master, 'INCR', `${prefix}:max`);
  await command(master, 'DECRBY', `${prefix}:min`, '9223372036854775807');
  await command(master, 'DECR', `${prefix}:min`);
  await command(master, 'INCR', `${prefix}:ap`);
  await command(master, 'APPEND', `${prefix}:ap`, '0');
  await command(master, 'INCR', `${prefix}:ap`);
  await command(master, 'INCR', `${prefix}:fl`);
  await command(master, 'INCRBYFLOAT', `${prefix}:fl`, '0.25');
  await command(master, 'SET', `${prefix}:ttl`, '10', 'EX', '1000');
  await command(master, 'INCRBY', `${prefix}:ttl`, '-20');
}

describe('counters held as integers replicate', () => {
  afterEach(async () => {
    await stopAllRedisServers();
    await stopAllEngines();
  });

  it('our master -> real replica: by full sync and by the stream, equal digests and values', async () => {
    const master = await startEngine([['repl-diskless-sync-delay', '0']]);
    await counterWorkload(master, 'before');
    const replica: RedisProcess = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await counterWorkload(master, 'after');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    for (const key of ['before:hits', 'after:hits', 'after:big', 'after:min', 'before:ap']) {
      expect(await command(replica, 'GET', key)).toBe(await command(master, 'GET', key));
      expect(await command(replica, 'OBJECT', 'ENCODING', key)).toBe(await command(master, 'OBJECT', 'ENCODING', key));
    }
    expect(await command(replica, 'GET', 'after:hits')).toBe('50');
  });

  it('real master -> our replica: by full sync and by the stream, equal digests, and our replica counts on in place', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await counterWorkload(master, 'before');
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await counterWorkload(master, 'after');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    // The loaded counters are then updated in place by the stream.
    for (let i = 0; i < 10; i++) await command(master, 'INCR', 'before:hits');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await command(replica, 'GET', 'before:hits')).toBe('60');
    expect(await command(replica, 'OBJECT', 'ENCODING', 'before:hits')).toBe('int');
  });
});
