import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChaosProxy } from '../../main/console/demo/chaos-proxy';
import { RespConnection } from '../support/resp-connection';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';

let redis: RedisProcess;
let proxy: ChaosProxy;

beforeAll(async () => {
  redis = await startRedisServer();
  proxy = new ChaosProxy('127.0.0.1', redis.port);
  await proxy.listen();
});

afterAll(async () => {
  await proxy.close();
  await stopAllRedisServers();
});

describe('ChaosProxy', () => {
  it('forwards bytes unchanged in both directions', async () => {
    const connection = new RespConnection('127.0.0.1', proxy.port);
    const value = Buffer.alloc(300_000);
    for (let i = 0; i < value.length; i++) value[i] = (i * 7) % 256;
    expect(await connection.call('SET', 'big', value)).toBe('OK');
    const back = (await connection.call('GET', 'big')) as string;
    expect(Buffer.from(back, 'latin1').equals(value)).toBe(true);
    connection.close();
  });

  it('cut drops live connections and refuses new ones until it expires', async () => {
    const connection = new RespConnection('127.0.0.1', proxy.port);
    expect(await connection.call('PING')).toBe('PONG');
    proxy.cut(1);
    await connection.waitClosed();
    expect(proxy.activeFaults().some((f) => f.startsWith('cut'))).toBe(true);
    const refused = new RespConnection('127.0.0.1', proxy.port);
    await expect(refused.call('PING')).rejects.toThrow();
    refused.close();
    await waitFor(async () => {
      const probe = new RespConnection('127.0.0.1', proxy.port);
      try {
        return (await probe.call('PING')) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.close();
      }
    }, { timeoutMs: 5000, what: 'the cut to expire' });
  });

  it('latency delays replies by at least the configured time', async () => {
    const connection = new RespConnection('127.0.0.1', proxy.port);
    await connection.call('PING');
    proxy.latency(150);
    const started = Date.now();
    expect(await connection.call('PING')).toBe('PONG');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    proxy.heal();
    connection.close();
  });

  it('pause holds the downstream direction while the connection stays up', async () => {
    const connection = new RespConnection('127.0.0.1', proxy.port);
    await connection.call('PING');
    proxy.pause(60);
    const reply = connection.call('PING');
    const raced = await Promise.race([reply.then(() => 'replied'), new Promise((resolve) => setTimeout(() => resolve('held'), 300))]);
    expect(raced).toBe('held');
    expect(proxy.connectionCount).toBeGreaterThan(0);
    proxy.heal();
    expect(await reply).toBe('PONG');
    connection.close();
  });

  it('caps the bandwidth towards the replica', async () => {
    const connection = new RespConnection('127.0.0.1', proxy.port);
    await connection.call('SET', 'blob', Buffer.alloc(40_000, 0x41));
    proxy.bandwidth(40_000);
    const started = Date.now();
    await connection.call('GET', 'blob');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    proxy.heal();
    connection.close();
  });
});
