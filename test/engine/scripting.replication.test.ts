/**
 * Scripts and functions under replication, against redis-server 7.0.
 *
 * Effects replication as 7.0 does it: EVAL/EVALSHA/FCALL never reach the
 * stream, the commands a script ran do (several wrapped in MULTI/EXEC, one
 * bare, none for a read-only run), with SELECTs where the script changed
 * database, nothing of what ran under redis.set_repl(REPL_NONE), the writes
 * made before a script failed, and the rewrites commands make anyway
 * (INCRBYFLOAT -> SET KEEPTTL). FUNCTION LOAD/DELETE/FLUSH/RESTORE go out
 * verbatim; SCRIPT FLUSH and SCRIPT LOAD do not (7.0 dropped that: replicas
 * never run the scripts). The streams of both servers are recorded by a
 * bare replica and compared command by command.
 *
 * Then a workload whose scripts make random choices (SPOP, SRANDMEMBER,
 * math.random, TIME), which only effects replication keeps in step, runs
 * with each kind of server as the master and through a chain; digests and
 * FUNCTION LIST must be equal everywhere.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { command, functionLibraries, waitForEqualDigests, waitForOffsets, waitForSync, type Peer } from '../support/replication';
import { recordReplicationStream } from '../support/replication-stream';
import { waitFor } from '../support/wait';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const FAST_SYNC: Array<[string, string]> = [['repl-diskless-sync-delay', '0']];

const LIB = [
  '#!lua name=counters',
  "redis.register_function('bump', function(keys, args) redis.call('incrby', keys[1], args[1]) return redis.call('rpush', keys[2], args[1]) end)",
  "redis.register_function{function_name='peek', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
].join('\n');
const LIB_V2 = LIB.replace("args[1]) end)", "args[1]) end)\nredis.register_function('bump2', function(keys) return redis.call('incr', keys[1]) end)");
const OTHER_LIB = "#!lua name=other\nredis.register_function('hello', function(keys) redis.call('set', keys[1], 'hello') return 'hello' end)";

/** Scripts whose effects are deterministic: the same workload gives the same stream on any server. */
async function deterministicWorkload(master: Peer, restorePayload: Buffer): Promise<void> {
  const c = new RespConnection(master.host ?? '127.0.0.1', master.port);
  try {
    const sha = String(await c.call('SCRIPT', 'LOAD', "return redis.call('incr', KEYS[1])"));
    await c.call('EVAL', "redis.call('set', KEYS[1], ARGV[1])", '1', 's1', 'v1');
    for (let i = 0; i < 3; i++) await c.call('EVALSHA', sha, '1', 'counter');
    await c.call('EVAL', "redis.call('set', KEYS[1], 'a') redis.call('rpush', KEYS[2], 'x', 'y') return redis.call('hset', KEYS[3], 'f', 'v')", '3', 'a', 'l', 'h');
    await c.call('EVAL', "return redis.call('get', KEYS[1])", '1', 's1');
    await c.call('EVAL_RO', "return redis.call('get', KEYS[1])", '1', 's1');
    await c.call('EVAL', "return redis.call('del', 'no-such-key')", '0');
    await c.call('EVAL', "return redis.call('incrbyfloat', KEYS[1], '1.5')", '1', 'float');
    await c.call('EVAL', "redis.call('set', KEYS[1], 'before the error') redis.call('nosuchcommand')", '1', 'partial');
    await c.call('EVAL', "redis.call('select', 1) redis.call('set', KEYS[1], 'in db 1') redis.call('select', 0) return redis.call('set', KEYS[1], 'in db 0')", '1', 'dbkey');
    await c.call('EVAL', "redis.set_repl(redis.REPL_NONE) redis.call('set', KEYS[1], 'not propagated') redis.set_repl(redis.REPL_ALL) return redis.call('set', KEYS[2], 'propagated')", '2', 'hidden', 'shown');
    await c.call('EVAL', "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", '1', 'a');
    await c.call('EVAL', "redis.set_repl(redis.REPL_AOF) redis.call('set', KEYS[1], 'aof only') redis.set_repl(redis.REPL_REPLICA) return redis.call('set', KEYS[2], 'replicas only')", '2', 'aof-only', 'replicas-only');
    await c.call('EVAL', "redis.call('publish', 'channel', 'from a script') return redis.call('del', KEYS[1])", '1', 's1');
    await c.call('EVAL', "redis.replicate_commands() return {redis.call('lpop', KEYS[1]), redis.call('rpop', 'empty-list')}", '1', 'l');
    await c.call('EVAL', "redis.call('rpush', KEYS[1], 'a', 'b', 'c') redis.call('lmove', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') return redis.call('getdel', KEYS[1])", '2', 'wrongtype-after', 'moved');
    await c.call('EVAL', 'return redis.call(', '0');
    await c.call('MULTI');
    await c.call('EVAL', "return redis.call('lpush', KEYS[1], 'in-multi')", '1', 'l');
    await c.call('SET', 'plain-in-multi', '1');
    await c.call('EVALSHA', sha, '1', 'counter');
    await c.call('EXEC');
    await c.call('SELECT', '2');
    await c.call('EVAL', "return redis.call('set', KEYS[1], 'caller in db 2')", '1', 'db2key');
    await c.call('SELECT', '0');
    await c.call('SCRIPT', 'FLUSH');
    await c.call('FUNCTION', 'LOAD', LIB);
    await c.call('FCALL', 'bump', '2', 'fn-counter', 'fn-list', '5');
    await c.call('FCALL_RO', 'peek', '1', 'fn-counter');
    await c.call('FUNCTION', 'LOAD', 'REPLACE', LIB_V2);
    await c.call('FCALL', 'bump2', '1', 'fn-counter');
    await c.call('FUNCTION', 'DELETE', 'counters');
    expect(await c.call('FUNCTION', 'RESTORE', restorePayload)).toBe('OK');
    expect(await c.call('FCALL', 'hello', '1', 'greeting')).toBe('hello');
    await c.call('FUNCTION', 'FLUSH');
    await c.call('FUNCTION', 'LOAD', LIB);
    await c.call('SET', 'end-marker', '1');
  } finally {
    c.close();
  }
}

/** Scripts that choose at random or by the clock: replicas only agree if they get the effects. */
async function randomWorkload(master: Peer): Promise<void> {
  const c = new RespConnection(master.host ?? '127.0.0.1', master.port);
  try {
    await c.call('FUNCTION', 'LOAD', 'REPLACE', LIB);
    await c.call('FUNCTION', 'LOAD', 'REPLACE', OTHER_LIB);
    await c.call('SADD', 'pool', ...Array.from({ length: 60 }, (_, i) => `m${i}`));
    for (let i = 0; i < 20; i++) {
      await c.call('EVAL', "local m = redis.call('spop', KEYS[1]) redis.call('sadd', KEYS[2], m) return m", '2', 'pool', 'taken');
      await c.call('EVAL', "local m = redis.call('srandmember', KEYS[1]) return redis.call('rpush', KEYS[2], m)", '2', 'pool', 'sampled');
      await c.call('EVAL', "local t = redis.call('time') return redis.call('hset', KEYS[1], ARGV[1], t[1] .. '.' .. t[2])", '1', 'clock', `run${i}`);
      await c.call('EVAL', "#!lua\nreturn redis.call('zadd', KEYS[1], math.random(1000), ARGV[1])", '1', 'scores', `e${i}`);
      await c.call('FCALL', 'bump', '2', `fn:${i % 3}`, 'fn-list', String(i));
    }
    await c.call('FUNCTION', 'DELETE', 'other');
    await c.call('EVAL', "for i = 1, 50 do redis.call('rpush', KEYS[1], i) end return redis.call('ltrim', KEYS[1], 10, 20)", '1', 'trimmed');
  } finally {
    c.close();
  }
}

async function expectSameDataAndLibraries(master: Peer, ...replicas: Peer[]): Promise<void> {
  for (const replica of replicas) await waitForOffsets(master, replica);
  await waitForEqualDigests([master, ...replicas]);
  const expected = await functionLibraries(master);
  expect(expected.length).toBe(1);
  for (const replica of replicas) expect(await functionLibraries(replica)).toEqual(expected);
}

describe('effects replication as redis-server 7.0 streams it', () => {
  it('the same workload puts the same commands in both servers\' replication streams', async () => {
    // One FUNCTION RESTORE payload for both, so the verbatim argv is the same.
    const source = await startRedisServer();
    await command(source, 'FUNCTION', 'LOAD', OTHER_LIB);
    const payload = Buffer.from(String(await command(source, 'FUNCTION', 'DUMP')), 'latin1');
    const streams: string[][][] = [];
    for (const master of [await startRedisServer(), await startEngine()]) {
      const recorder = await recordReplicationStream(master);
      await deterministicWorkload(master, payload);
      await waitFor(() => recorder.commands.some((argv) => argv[1] === 'end-marker'), { what: 'the end of the workload in the stream' });
      recorder.close();
      streams.push(recorder.commands);
    }
    const [theirs, ours] = streams;
    expect(ours).toEqual(theirs);
    // What the comparison stands on (redis-server's own stream).
    expect(theirs!.some((argv) => /^(eval|evalsha|fcall|fcall_ro|script)$/i.test(argv[0]!))).toBe(false);
    expect(theirs).toContainEqual(['SET', 'float', '1.5', 'KEEPTTL']);
    expect(theirs).toContainEqual(['FUNCTION', 'RESTORE', payload.toString('latin1')]);
    expect(theirs!.filter((argv) => argv[0]!.toLowerCase() === 'multi').length).toBeGreaterThanOrEqual(3);
  });
});

describe('scripts and functions in replication topologies', () => {
  it('our master, real replica: equal digests and libraries', async () => {
    const master = await startEngine(FAST_SYNC);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await randomWorkload(master);
    await expectSameDataAndLibraries(master, replica);
  });

  it('real master, our replica: equal digests and libraries', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await randomWorkload(master);
    await expectSameDataAndLibraries(master, replica);
  });

  it('chain real master -> our replica -> real replica, and ours -> real -> ours: equal everywhere', async () => {
    const realTop = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const ourMiddle = await startEngine([['replicaof', `127.0.0.1 ${realTop.port}`], ...FAST_SYNC]);
    const realBottom = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ourMiddle.port)] });
    const ourTop = await startEngine(FAST_SYNC);
    const realMiddle = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ourTop.port), '--repl-diskless-sync-delay', '0'] });
    const ourBottom = await startEngine([['replicaof', `127.0.0.1 ${realMiddle.port}`]]);
    for (const replica of [ourMiddle, realBottom, realMiddle, ourBottom]) await waitForSync(replica);
    await Promise.all([randomWorkload(realTop), randomWorkload(ourTop)]);
    await expectSameDataAndLibraries(realTop, ourMiddle, realBottom);
    await expectSameDataAndLibraries(ourTop, realMiddle, ourBottom);
  });
});
