/**
 * CLIENT PAUSE and coordinated FAILOVER, with real redis-server on the other
 * side: a write issued while writes are paused waits (unanswered) and is
 * processed from scratch afterwards (scripts by their declared flags:
 * read-only ones run); FAILOVER hands the master role over with
 * partial resyncs only, in both directions with redis-server; TIMEOUT aborts
 * when the target never catches up; argument errors match Redis.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { runDifferential, step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';
import { command, info, infoNumber, waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const NOT_YET = Symbol('not answered yet');

/** The reply if it arrives within `ms`, else NOT_YET (the promise keeps running). */
async function replyWithin(reply: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([reply, new Promise((resolve) => setTimeout(() => resolve(NOT_YET), ms))]);
}

async function role(peer: { port: number }): Promise<string> {
  return (await info(peer, 'replication')).get('role') ?? '';
}

describe('argument errors match redis-server', () => {
  let redis: RedisProcess;
  let ours: EngineHandle;
  beforeAll(async () => {
    [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
  });
  afterAll(async () => {
    await stopAllRedisServers();
    await stopAllEngines();
  });

  it('CLIENT PAUSE / UNPAUSE and FAILOVER on a master without replicas', async () => {
    const script = [
      step('CLIENT', 'PAUSE', '10', 'FOO'), step('CLIENT', 'PAUSE', 'abc'), step('CLIENT', 'PAUSE', '-1'),
      step('CLIENT', 'PAUSE', '10', 'WRITE', 'X'), step('CLIENT', 'PAUSE', '0', 'ALL'), step('CLIENT', 'UNPAUSE'), step('CLIENT', 'UNPAUSE', 'x'),
      step('FAILOVER', 'ABORT'), step('FAILOVER'), step('FAILOVER', 'TIMEOUT', '0'), step('FAILOVER', 'TIMEOUT', 'x'),
      step('FAILOVER', 'FORCE'), step('FAILOVER', 'TO', 'h', 'x'), step('FAILOVER', 'TO', 'h', '1', 'FORCE'),
      step('FAILOVER', 'FOO'), step('FAILOVER', 'TIMEOUT', '10', 'TIMEOUT', '10'),
    ];
    for (const protocol of [2, 3] as const) expect(await runDifferential(redis, ours, script, protocol)).toEqual([]);
  });
});

describe('CLIENT PAUSE', () => {
  afterEach(async () => {
    await stopAllEngines();
  });

  it('WRITE postpones writes (not reads) until UNPAUSE; ALL postpones everything; a timeout ends it', async () => {
    const ours = await startEngine();
    const admin = new RespConnection('127.0.0.1', ours.port);
    const writer = new RespConnection('127.0.0.1', ours.port);
    const reader = new RespConnection('127.0.0.1', ours.port);
    try {
      await admin.call('SET', 'k', 'before');
      expect(await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE')).toBe('OK');
      const postponed = writer.call('SET', 'k', 'after');
      const pipelinedRead = writer.call('GET', 'k');
      expect(await replyWithin(postponed, 300)).toBe(NOT_YET);
      expect(await reader.call('GET', 'k')).toBe('before');
      const clients = String(await admin.call('CLIENT', 'LIST'));
      expect(clients).toMatch(/flags=b .*cmd=set/);
      expect(await admin.call('CLIENT', 'UNPAUSE')).toBe('OK');
      expect(await postponed).toBe('OK');
      // The pipelined GET runs after the postponed SET, in order.
      expect(await pipelinedRead).toBe('after');

      await admin.call('CLIENT', 'PAUSE', '400', 'ALL');
      const read = reader.call('GET', 'k');
      expect(await replyWithin(read, 150)).toBe(NOT_YET);
      expect(await read).toBe('after'); // released by the timeout, no UNPAUSE
    } finally {
      admin.close();
      writer.close();
      reader.close();
    }
  });

  // processCommand checks EVAL/FCALL with the flags their script declares (getCommandFlags), EXEC with
  // the flags its commands were queued with: read-only scripts run during a write pause, the others wait.
  for (const kind of ['redis-server', 'engine'] as const) {
    it(`WRITE lets EVAL_RO, FCALL_RO and no-writes scripts run (also in MULTI) and postpones scripts that may write (${kind})`, async () => {
      const peer = kind === 'engine' ? await startEngine() : await startRedisServer();
      const admin = new RespConnection('127.0.0.1', peer.port);
      const reader = new RespConnection('127.0.0.1', peer.port);
      const writers = [0, 1, 2, 3].map(() => new RespConnection('127.0.0.1', peer.port));
      try {
        await admin.call('SET', 'x', 'y');
        await admin.call('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=pauselib\nredis.register_function{function_name='ro', callback=function() return 'ro' end, flags={'no-writes'}}\nredis.register_function('rw', function() return 'rw' end)");
        const sha = String(await admin.call('SCRIPT', 'LOAD', '#!lua flags=no-writes\nreturn 2'));
        // Queued before the pause (queuing a write would itself wait).
        await writers[3]!.call('MULTI');
        await writers[3]!.call('EVAL', '#!lua\nreturn 13', '0');
        expect(await admin.call('CLIENT', 'PAUSE', '60000', 'WRITE')).toBe('OK');
        expect(await replyWithin(reader.call('EVAL', '#!lua flags=no-writes\nreturn redis.call("get", KEYS[1])', '1', 'x'), 1000)).toBe('y');
        expect(await replyWithin(reader.call('EVAL_RO', "return redis.call('get', KEYS[1]) .. ' ro'", '1', 'x'), 1000)).toBe('y ro');
        expect(await replyWithin(reader.call('EVALSHA', sha, '0'), 1000)).toBe(2);
        expect(await replyWithin(reader.call('FCALL', 'ro', '0'), 1000)).toBe('ro');
        expect(await replyWithin(reader.call('FCALL_RO', 'ro', '0'), 1000)).toBe('ro');
        expect(await replyWithin(reader.call('MULTI'), 1000)).toBe('OK');
        expect(await replyWithin(reader.call('EVAL', '#!lua flags=no-writes\nreturn 12', '0'), 1000)).toBe('QUEUED');
        expect(await replyWithin(reader.call('EXEC'), 1000)).toEqual([12]);

        const noFlags = writers[0]!.call('EVAL', 'return 1', '0');
        const shebangNoFlags = writers[1]!.call('EVAL', '#!lua\nreturn 1', '0');
        const writingFunction = writers[2]!.call('FCALL', 'rw', '0');
        const writingExec = writers[3]!.call('EXEC');
        for (const reply of [noFlags, shebangNoFlags, writingFunction, writingExec]) expect(await replyWithin(reply, 100)).toBe(NOT_YET);
        expect(await admin.call('CLIENT', 'UNPAUSE')).toBe('OK');
        expect(await Promise.all([noFlags, shebangNoFlags, writingFunction, writingExec])).toEqual([1, 1, 'rw', [13]]);
      } finally {
        for (const connection of [admin, reader, ...writers]) connection.close();
        await stopAllRedisServers();
      }
    });
  }

  it('keys expiring during a pause read as missing but are only deleted (and DEL propagated) after it', async () => {
    const ours = await startEngine([['repl-diskless-sync-delay', '0']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    await waitForSync(replica);
    await command(ours, 'SET', 'short', 'v');
    expect(await command(ours, 'PEXPIRE', 'short', '700')).toBe(1);
    await command(ours, 'CLIENT', 'PAUSE', '60000', 'WRITE');
    const offsetDuringPause = await infoNumber(ours, 'master_repl_offset', 'replication');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await command(ours, 'GET', 'short')).toBeNull();
    expect(await command(ours, 'DBSIZE')).toBe(1); // still there
    expect(await infoNumber(ours, 'master_repl_offset', 'replication')).toBe(offsetDuringPause);
    await command(ours, 'CLIENT', 'UNPAUSE');
    await command(ours, 'GET', 'short');
    await waitFor(async () => (await command(replica, 'EXISTS', 'short')) === 0, { what: 'the DEL to reach the replica' });
    await stopAllRedisServers();
  });
});

describe('FAILOVER', () => {
  afterEach(async () => {
    await stopAllRedisServers();
    await stopAllEngines();
  });

  it('ours -> real redis-server: roles swap with partial resyncs only, nothing lost', async () => {
    const ours = await startEngine([['repl-diskless-sync-delay', '0']]);
    const target = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    await waitForSync(target);
    for (let i = 0; i < 200; i++) await command(ours, 'SET', `k${i}`, `v${i}`);
    expect(await command(ours, 'FAILOVER')).toBe('OK');
    await waitFor(async () => (await role(ours)) === 'slave' && (await role(target)) === 'master', { what: 'the roles to swap' });
    await waitForSync(ours);
    const [oursInfo, targetInfo] = await Promise.all([info(ours), info(target)]);
    expect(oursInfo.get('master_failover_state')).toBe('no-failover');
    expect(oursInfo.get('master_port')).toBe(String(target.port));
    expect(targetInfo.get('sync_partial_ok')).toBe('1');
    expect(targetInfo.get('sync_full')).toBe('0');
    expect(await command(ours, 'SET', 'x', 'y')).toBeInstanceOf(Error); // READONLY now
    await command(target, 'SET', 'after', 'failover');
    await waitForOffsets(target, ours);
    await waitForEqualDigests([ours, target]);
    expect(await command(ours, 'GET', 'k199')).toBe('v199');
  });

  it('real redis-server -> ours: our replica promotes itself on PSYNC FAILOVER', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(ours);
    for (let i = 0; i < 200; i++) await master.call('SET', `k${i}`, `v${i}`);
    await waitForOffsets(master, ours);
    expect(await master.call('FAILOVER', 'TO', '127.0.0.1', String(ours.port))).toBe('OK');
    await waitFor(async () => (await role(ours)) === 'master' && (await role(master)) === 'slave', { what: 'the roles to swap' });
    await waitForSync(master);
    expect(await infoNumber(ours, 'sync_partial_ok')).toBe(1);
    expect(await infoNumber(ours, 'sync_full')).toBe(0);
    await command(ours, 'SET', 'after', 'failover');
    await waitForOffsets(ours, master);
    await waitForEqualDigests([ours, master]);
  });

  it('a write waiting during the failover is answered -READONLY once the switch is done', async () => {
    const ours = await startEngine([['repl-diskless-sync-delay', '0']]);
    const target = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    await waitForSync(target);
    await command(ours, 'SET', 'a', '1');
    await waitForOffsets(ours, target);
    target.signal('SIGSTOP'); // the target cannot acknowledge: the failover waits
    const writer = new RespConnection('127.0.0.1', ours.port);
    try {
      await command(ours, 'SET', 'b', '2'); // moves the offset past the stopped target's ack
      expect(await command(ours, 'FAILOVER', 'TO', '127.0.0.1', String(target.port), 'TIMEOUT', '20000')).toBe('OK');
      const postponed = writer.call('SET', 'c', '3');
      expect(await replyWithin(postponed, 300)).toBe(NOT_YET);
      expect((await info(ours, 'replication')).get('master_failover_state')).toBe('waiting-for-sync');
      target.signal('SIGCONT');
      const reply = await postponed;
      expect(reply).toBeInstanceOf(Error);
      expect((reply as Error).message).toMatch(/^READONLY /);
      await waitForSync(ours);
      await waitForEqualDigests([ours, target]);
      expect(await command(target, 'GET', 'b')).toBe('2');
      expect(await command(target, 'EXISTS', 'c')).toBe(0);
    } finally {
      target.signal('SIGCONT');
      writer.close();
    }
  });

  it('TIMEOUT without FORCE aborts when the target never catches up; postponed writes are then served', async () => {
    const ours = await startEngine([['repl-diskless-sync-delay', '0']]);
    const target = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    await waitForSync(target);
    target.signal('SIGSTOP');
    const writer = new RespConnection('127.0.0.1', ours.port);
    try {
      await command(ours, 'SET', 'a', '1');
      expect(await command(ours, 'FAILOVER', 'TO', '127.0.0.1', String(target.port), 'TIMEOUT', '500')).toBe('OK');
      expect(await command(ours, 'FAILOVER')).toMatchObject({ message: 'ERR FAILOVER already in progress.' });
      expect(await command(ours, 'REPLICAOF', 'NO', 'ONE')).toMatchObject({ message: 'ERR REPLICAOF not allowed while failing over.' });
      expect(await writer.call('SET', 'b', '2')).toBe('OK'); // waited for the abort, then served as master
      const fields = await info(ours, 'replication');
      expect(fields.get('role')).toBe('master');
      expect(fields.get('master_failover_state')).toBe('no-failover');
    } finally {
      target.signal('SIGCONT');
      writer.close();
    }
    await waitForOffsets(ours, target);
    await waitForEqualDigests([ours, target]);
  });
});
