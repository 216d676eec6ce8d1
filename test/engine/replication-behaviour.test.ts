/**
 * Replication behaviours around the stream (conformance §10.1/§10.2, Redis's
 * replication-2/-3 and wait tests): WAIT, min-replicas-to-write, read-only
 * replicas, serve-stale-data, timeouts on both sides, output-buffer limits,
 * and the legacy SYNC used by redis-cli --rdb.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection, RespError } from '../support/resp-connection';
import { command, info, infoNumber, waitForOffsets, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const run = promisify(execFile);

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const FAST: Array<[string, string]> = [['repl-diskless-sync-delay', '0']];

describe('WAIT', () => {
  it('counts replicas that acknowledged the client\'s writes, and times out with the count reached', async () => {
    const master = await startEngine(FAST);
    const replicas = await Promise.all([0, 1].map(() => startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] })));
    await Promise.all(replicas.map((replica) => waitForSync(replica)));
    const client = new RespConnection('127.0.0.1', master.port);
    await client.call('SET', 'k', 'v');
    expect(await client.call('WAIT', '2', '5000')).toBe(2);
    await client.call('SET', 'k', 'v2');
    expect(await client.call('WAIT', '3', '300')).toBe(2);
    replicas[0]!.signal('SIGSTOP');
    await client.call('SET', 'k', 'v3');
    expect(await client.call('WAIT', '2', '500')).toBe(1);
    replicas[0]!.signal('SIGCONT');
    expect(await client.call('WAIT', '0', '0')).toBeGreaterThanOrEqual(1);
    client.close();
  });

  it('is refused on a replica with Redis\'s error', async () => {
    const master = await startRedisServer();
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    const reply = await command(replica, 'WAIT', '1', '0');
    expect(reply).toBeInstanceOf(RespError);
    expect(String((reply as RespError).message)).toMatch(/^ERR WAIT cannot be used with replica instances/);
  });
});

describe('min-replicas-to-write', () => {
  it('refuses writes with -NOREPLICAS when the only replica stops acknowledging', async () => {
    const master = await startEngine([...FAST, ['min-replicas-to-write', '1'], ['min-replicas-max-lag', '2']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await waitFor(async () => (await command(master, 'SET', 'a', '1')) === 'OK', { what: 'writes accepted with a good replica' });
    replica.signal('SIGSTOP');
    await waitFor(async () => {
      const reply = await command(master, 'PING');
      const refused = await command(master, 'SET', 'probe', '1');
      return reply === 'PONG' && refused instanceof RespError && refused.message === 'NOREPLICAS Not enough good replicas to write.';
    }, { timeoutMs: 10_000, what: 'NOREPLICAS' });
    const refused = await command(master, 'SET', 'a', 'refused');
    expect(refused).toBeInstanceOf(RespError);
    expect(await command(master, 'GET', 'a')).not.toBe('refused');
    replica.signal('SIGCONT');
    await waitFor(async () => (await command(master, 'SET', 'a', '3')) === 'OK', { timeoutMs: 10_000, what: 'writes accepted again' });
  });
});

describe('our replica', () => {
  it('is read-only by default, and writable (locally) with replica-read-only no', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    const refused = await command(replica, 'SET', 'x', '1');
    expect(refused).toBeInstanceOf(RespError);
    expect((refused as RespError).message).toBe("READONLY You can't write against a read only replica.");
    await command(replica, 'CONFIG', 'SET', 'replica-read-only', 'no');
    expect(await command(replica, 'SET', 'x', '1')).toBe('OK');
    expect(await command(master, 'GET', 'x')).toBeNull();
  });

  it('answers -MASTERDOWN with replica-serve-stale-data no while its link is down, and still answers INFO', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`], ['replica-serve-stale-data', 'no']]);
    await waitForSync(replica);
    await master.stop();
    await waitFor(async () => (await info(replica, 'replication')).get('master_link_status') === 'down', { what: 'link down' });
    const reply = await command(replica, 'GET', 'x');
    expect(reply).toBeInstanceOf(RespError);
    expect((reply as RespError).message).toBe("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
    expect(String(await command(replica, 'INFO', 'replication'))).toContain('master_link_status:down');
  });

  it('drops a master that stops sending anything for repl-timeout, then resyncs partially when it comes back', async () => {
    const master = await startRedisServer({ args: ['--repl-ping-replica-period', '1', '--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`], ['repl-timeout', '2']]);
    await waitForSync(replica);
    await master.call('SET', 'k', 'v');
    await waitForOffsets(master, replica);
    master.signal('SIGSTOP');
    await waitFor(async () => (await info(replica, 'replication')).get('master_link_status') === 'down', { timeoutMs: 10_000, what: 'MASTER timeout' });
    expect(replica.logs.some((line) => line.includes('MASTER timeout: no data nor PING received...'))).toBe(true);
    master.signal('SIGCONT');
    await waitForSync(replica, 20_000);
    expect(await infoNumber(master, 'sync_partial_ok')).toBeGreaterThanOrEqual(1);
  });
});

describe('our master', () => {
  it('drops a replica that stops acknowledging for repl-timeout', async () => {
    const master = await startEngine([...FAST, ['repl-timeout', '2']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    replica.signal('SIGSTOP');
    await waitFor(async () => (await infoNumber(master, 'connected_slaves')) === 0, { timeoutMs: 10_000, what: 'the replica to be dropped' });
    expect(master.logs.some((line) => line.includes('Disconnecting timedout replica (streaming sync)'))).toBe(true);
    replica.signal('SIGCONT');
    await waitForSync(replica, 20_000);
  });

  it('drops a replica whose output buffer passes the replica hard limit', async () => {
    const master = await startEngine([...FAST, ['repl-backlog-size', '16kb'], ['client-output-buffer-limit', 'replica 128kb 0 0']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    replica.signal('SIGSTOP');
    const client = new RespConnection('127.0.0.1', master.port);
    // Loopback socket buffers absorb a few MB before our side has to hold bytes, so write well past that.
    const value = 'x'.repeat(100_000);
    for (let i = 0; i < 600 && (await infoNumber(master, 'connected_slaves')) > 0; i++) await client.call('SET', `big${i % 10}`, value);
    client.close();
    await waitFor(async () => (await infoNumber(master, 'connected_slaves')) === 0, { timeoutMs: 10_000, what: 'the replica to be dropped' });
    expect(master.logs.some((line) => line.includes('scheduled to be closed ASAP for overcoming of output buffer limits'))).toBe(true);
    replica.signal('SIGCONT');
  });

  it.each(['redis-server', 'ours'] as const)('a CONFIG SET of the replica limits applies at once to a replica already streaming (%s master)', async (kind) => {
    const master = kind === 'ours' ? await startEngine(FAST) : await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    replica.signal('SIGSTOP');
    const client = new RespConnection('127.0.0.1', master.port);
    const value = 'x'.repeat(100_000);
    try {
      // 30 MB for a replica that reads nothing, under the default limits (hard 256mb, soft 64mb for 60 s): it stays.
      for (let i = 0; i < 300; i++) await client.call('SET', `big${i % 10}`, value);
      expect(await infoNumber(master, 'connected_slaves')).toBe(1);
      // Far below what the replica now holds back (loopback buffers absorb a few MB; repl-backlog-size is 1mb).
      expect(await client.call('CONFIG', 'SET', 'client-output-buffer-limit', 'replica 2mb 0 0')).toBe('OK');
      await client.call('SET', 'after', value);
      await waitFor(async () => (await infoNumber(master, 'connected_slaves')) === 0, { timeoutMs: 10_000, what: 'the replica to be dropped' });
    } finally {
      client.close();
      replica.signal('SIGCONT');
    }
  }, 60_000);

  it('serves legacy SYNC: redis-cli --rdb gets a valid RDB', async () => {
    const master = await startEngine(FAST);
    for (let i = 0; i < 100; i++) await master.call('SET', `k${i}`, `v${i}`);
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-rdb-cli-'));
    const file = path.join(dir, 'dump.rdb');
    try {
      await run('redis-cli', ['-p', String(master.port), '--rdb', file], { timeout: 20_000 });
      const check = await run('redis-check-rdb', [file]);
      expect(check.stdout).toContain('RDB looks OK!');
      expect(check.stdout).toContain('[info] 100 keys read');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
