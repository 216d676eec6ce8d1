/**
 * SHUTDOWN on our master with a lagging replica, as Redis 7.0 does it
 * (prepareForShutdown / isReadyToShutdown / finishShutdown): without NOW it
 * pauses writes, sends GETACK and waits (up to shutdown-timeout) until every
 * replica acknowledged the master's offset, then exits; NOW does not wait;
 * ABORT cancels a pending one. The lagging replica is a real redis-server
 * behind a TCP proxy that holds back the master's stream; an engine replica
 * of ours is attached directly. What each replica ends with is read from its
 * own INFO.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { RespConnection, RespError } from '../support/resp-connection';
import { sleep, waitFor } from '../support/wait';

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

function field(info: unknown, name: string): string | undefined {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(String(info))?.[1]?.trim();
}

async function offsetOf(node: { call(...args: string[]): Promise<unknown> }): Promise<number> {
  return Number(field(await node.call('INFO', 'replication'), 'master_repl_offset'));
}

interface Topology {
  master: EngineHandle;
  proxy: TcpProxy;
  lagging: RedisProcess;
}

/** Our master, a redis-server replica through the proxy, both in sync with `keys` keys written. */
async function topology(keys: number, config: ReadonlyArray<readonly [string, string]> = []): Promise<Topology> {
  const master = await startEngine([['repl-diskless-sync-delay', '0'], ...config]);
  const proxy = await startTcpProxy({ port: master.port });
  const lagging = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(proxy.port)] });
  await waitFor(async () => field(await lagging.call('INFO', 'replication'), 'master_link_status') === 'up', { what: 'the redis-server replica linked' });
  await write(master, 'before', keys);
  await waitFor(async () => (await offsetOf(lagging)) === (await offsetOf(master)), { what: 'the replica in sync' });
  return { master, proxy, lagging };
}

async function write(node: EngineHandle, prefix: string, count: number): Promise<void> {
  const connection = new RespConnection('127.0.0.1', node.port);
  try {
    await connection.pipeline(Array.from({ length: count }, (_, index) => ['SET', `${prefix}:${index}`, 'x'.repeat(100)]));
  } finally {
    connection.close();
  }
}

function logged(node: EngineHandle, pattern: RegExp): boolean {
  return node.logs.some((line) => pattern.test(line));
}

describe('SHUTDOWN with lagging replicas', () => {
  it('waits for a held-back replica to acknowledge the final offset, then exits', async () => {
    const { master, proxy, lagging } = await topology(200);
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitFor(async () => (await offsetOf(ours)) === (await offsetOf(master)), { what: 'our replica in sync' });
    proxy.holdFromNode();
    await write(master, 'after', 500);
    const shutdown = new RespConnection('127.0.0.1', master.port);
    let answered: unknown = null;
    void shutdown.call('SHUTDOWN').then((reply) => (answered = reply), () => undefined);
    await waitFor(() => logged(master, /Waiting for replicas before shutting down\./), { what: 'the wait' });
    expect(Number(field(await master.call('INFO', 'server'), 'shutdown_in_milliseconds'))).toBeGreaterThan(5000);
    // Writes are paused while it waits: a SET gets no reply.
    const writer = new RespConnection('127.0.0.1', master.port);
    let setReply: unknown = null;
    void writer.call('SET', 'late', '1').then((reply) => (setReply = reply), () => undefined);
    await sleep(1500);
    expect(await master.call('PING')).toBe('PONG');
    expect(answered).toBeNull();
    expect(setReply).toBeNull();
    expect(shutdown.closed).toBe(false);
    const finalOffset = await offsetOf(master);
    expect(await offsetOf(lagging)).toBeLessThan(finalOffset);
    proxy.releaseFromNode();
    await shutdown.waitClosed(10_000);
    writer.close();
    expect(master.node.replication.masterReplOffset).toBe(finalOffset);
    expect(logged(master, /2 of 2 replicas are in sync when shutting down\./)).toBe(true);
    expect(logged(master, /Lagging replica/)).toBe(false);
    // Each replica's own truth: the master's final offset and every write.
    expect(await offsetOf(lagging)).toBe(finalOffset);
    expect(await offsetOf(ours)).toBe(finalOffset);
    expect(await lagging.call('DBSIZE')).toBe(700);
    expect(await ours.call('DBSIZE')).toBe(700);
    expect(await lagging.call('EXISTS', 'late')).toBe(0);
    await proxy.close();
  }, 60_000);

  it('SHUTDOWN NOW does not wait, and logs the lagging replica', async () => {
    const { master, proxy, lagging } = await topology(100);
    proxy.holdFromNode();
    await write(master, 'after', 300);
    const finalOffset = await offsetOf(master);
    const shutdown = new RespConnection('127.0.0.1', master.port);
    void shutdown.call('SHUTDOWN', 'NOW').catch(() => undefined);
    await shutdown.waitClosed(3000);
    expect(logged(master, /Waiting for replicas/)).toBe(false);
    const behind = new RegExp(`Lagging replica 127\\.0\\.0\\.1:${lagging.port} reported offset (\\d+) behind master, lag=\\d+, state=online\\.`);
    const line = master.logs.find((entry) => behind.test(entry));
    expect(line, master.logs.join('\n')).toBeDefined();
    expect(logged(master, /0 of 1 replicas are in sync when shutting down\./)).toBe(true);
    proxy.releaseFromNode();
    await sleep(500);
    // The replica got what the proxy held (sent before the exit), but it never acknowledged it in time.
    const behindBytes = Number(behind.exec(line!)![1]);
    expect(behindBytes).toBeGreaterThan(0);
    expect(await offsetOf(lagging)).toBeLessThanOrEqual(finalOffset);
    await proxy.close();
  }, 60_000);

  it('SHUTDOWN ABORT cancels the wait; shutdown-timeout ends it with the replica still behind', async () => {
    const { master, proxy, lagging } = await topology(50);
    proxy.holdFromNode();
    await write(master, 'after', 100);
    const first = new RespConnection('127.0.0.1', master.port);
    const firstReply = first.call('SHUTDOWN');
    await waitFor(() => logged(master, /Waiting for replicas before shutting down\./), { what: 'the wait' });
    const writer = new RespConnection('127.0.0.1', master.port);
    const setReply = writer.call('SET', 'during-wait', '1');
    expect(await master.call('SHUTDOWN', 'ABORT', 'NOW')).toBeInstanceOf(RespError);
    expect(await master.call('SHUTDOWN', 'ABORT')).toBe('OK');
    expect(String(await firstReply)).toContain('ERR Errors trying to SHUTDOWN. Check logs.');
    expect(logged(master, /Shutdown manually aborted\./)).toBe(true);
    expect(await setReply).toBe('OK');
    expect(field(await master.call('INFO', 'server'), 'shutdown_in_milliseconds')).toBeUndefined();
    expect(String(await master.call('SHUTDOWN', 'ABORT'))).toContain('ERR No shutdown in progress.');
    writer.close();
    first.close();

    expect(await master.call('CONFIG', 'SET', 'shutdown-timeout', '1')).toBe('OK');
    const second = new RespConnection('127.0.0.1', master.port);
    const started = Date.now();
    void second.call('SHUTDOWN').catch(() => undefined);
    await second.waitClosed(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(logged(master, /Lagging replica 127\.0\.0\.1:\d+ reported offset \d+ behind master/)).toBe(true);
    expect(logged(master, /0 of 1 replicas are in sync when shutting down\./)).toBe(true);
    expect(await offsetOf(lagging)).toBeLessThan(master.node.replication.masterReplOffset);
    await proxy.close();
  }, 60_000);
});
