/**
 * A script in our master's stream that runs past busy-reply-threshold on
 * our replica (masters that replicate scripts verbatim: Redis 6 with
 * lua-replicate-commands no, Redis 4): the replica keeps answering (BUSY,
 * SCRIPT KILL refused as UNKILLABLE), the rest of the stream waits and is
 * applied after the script in order, the script's bytes count in the
 * acknowledged offset once it ended, and a sub-replica gets the stream
 * verbatim and ends with the same data. A client's long script holds the
 * stream the same way: the master's writes wait for it instead of being
 * refused with BUSY (and lost).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startFakeMaster, type FakeMaster } from '../support/fake-master';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, infoNumber, waitForEqualDigests, waitForSync } from '../support/replication';
import { RespError } from '../support/resp-connection';
import { waitFor } from '../support/wait';

let master: FakeMaster | null = null;

afterEach(async () => {
  await master?.close();
  master = null;
  await stopAllRedisServers();
  await stopAllEngines();
});

const LONG_SCRIPT = "local n = tonumber(ARGV[1]) local i = 0 while i < n do i = i + 1 end redis.call('rpush', KEYS[1], 'script') return i";

describe('a long script from our master', () => {
  it('parks the stream, not the node: BUSY meanwhile, the commands after it applied in order, offsets exact', async () => {
    master = await startFakeMaster();
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`], ['busy-reply-threshold', '100']]);
    await master.synced();
    await waitForSync(replica);
    const subReplica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(replica.port)] });
    await waitForSync(subReplica);

    master.send(['SELECT', '0'], ['RPUSH', 'order', 'before']);
    master.send(['EVAL', LONG_SCRIPT, '1', 'order', '20000000']);
    master.send(['RPUSH', 'order', 'after-1'], ['INCR', 'n'], ['RPUSH', 'order', 'after-2']);

    // The replica answers other clients while the script runs: BUSY, and the script can not be killed.
    await waitFor(async () => {
      const reply = await command(replica, 'GET', 'n');
      return reply instanceof RespError && reply.message.startsWith('BUSY Redis is busy running a script.');
    }, { timeoutMs: 20_000, what: 'BUSY from the replica' });
    const kill = await command(replica, 'SCRIPT', 'KILL');
    expect(kill).toBeInstanceOf(RespError);
    expect((kill as RespError).message).toBe('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');

    await waitFor(async () => (await command(replica, 'LLEN', 'order')) === 4, { timeoutMs: 30_000, what: 'the script and the commands after it' });
    expect(await command(replica, 'LRANGE', 'order', '0', '-1')).toEqual(['before', 'script', 'after-1', 'after-2']);
    expect(await command(replica, 'GET', 'n')).toBe('1');
    const streamEnd = master.offset;
    await waitFor(() => master!.acks.at(-1) === streamEnd, { what: `an ACK of offset ${streamEnd}` });
    expect(await infoNumber(replica, 'master_repl_offset', 'replication')).toBe(streamEnd);
    await waitFor(async () => (await infoNumber(subReplica, 'master_repl_offset', 'replication')) === streamEnd, { timeoutMs: 30_000, what: 'the sub-replica to catch up' });
    await waitForEqualDigests([replica, subReplica]);
  });

  it("a client's long script on the replica holds the master's stream instead of refusing it", async () => {
    const realMaster = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${realMaster.port}`], ['busy-reply-threshold', '100']]);
    await waitForSync(replica);
    await command(realMaster, 'SET', 'seen', 'before');
    await waitFor(async () => (await command(replica, 'GET', 'seen')) === 'before', { what: 'the first write on the replica' });
    // A read-only script on the replica that outlasts busy-reply-threshold; it reads the key at its end.
    const script = command(replica, 'EVAL', "local n = tonumber(ARGV[1]) local i = 0 while i < n do i = i + 1 end return redis.call('get', KEYS[1])", '1', 'seen', '20000000');
    await waitFor(async () => {
      const reply = await command(replica, 'PING');
      return reply instanceof RespError && reply.message.startsWith('BUSY');
    }, { timeoutMs: 20_000, what: 'BUSY from the replica' });
    for (let i = 0; i < 20; i++) await command(realMaster, 'INCR', 'during');
    await command(realMaster, 'SET', 'seen', 'after');
    // The script saw the dataset as it was when it started: the master's writes waited for it.
    expect(await script).toBe('before');
    await waitFor(async () => (await command(replica, 'GET', 'seen')) === 'after', { what: 'the held writes' });
    expect(await command(replica, 'GET', 'during')).toBe('20');
    await waitForEqualDigests([realMaster, replica]);
  });

  it('a link lost while a script of the stream runs: the script completes and PSYNC continues after it', async () => {
    master = await startFakeMaster();
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`], ['busy-reply-threshold', '100']]);
    await master.synced();
    await waitForSync(replica);
    master.send(['SELECT', '0'], ['EVAL', LONG_SCRIPT, '1', 'order', '20000000']);
    const scriptEnd = master.offset;
    master.send(['RPUSH', 'order', 'after']);
    await waitFor(async () => {
      const reply = await command(replica, 'PING');
      return reply instanceof RespError && reply.message.startsWith('BUSY');
    }, { timeoutMs: 20_000, what: 'BUSY from the replica' });
    master.dropReplica();
    await waitFor(() => master!.psyncs.length === 2, { timeoutMs: 20_000, what: 'the replica to reconnect' });
    // The script counts as applied; what followed it is asked for again.
    expect(master.psyncs[1]).toEqual(['f'.repeat(40), scriptEnd + 1]);
    master.send(['RPUSH', 'order', 'after']);
    await waitFor(async () => (await command(replica, 'LLEN', 'order')) === 2, { timeoutMs: 30_000, what: 'the script and the resent write' });
    expect(await command(replica, 'LRANGE', 'order', '0', '-1')).toEqual(['script', 'after']);
    const streamEnd = master.offset;
    await waitFor(() => master!.acks.at(-1) === streamEnd, { what: `an ACK of offset ${streamEnd}` });
  });
});
