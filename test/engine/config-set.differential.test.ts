/**
 * CONFIG SET / GET against redis-server 7.0: percent-or-memory values
 * (maxmemory-clients), rollback when one value of a CONFIG SET is invalid,
 * rollback when applying fails (a port in use: every value of the same
 * CONFIG SET keeps its old value and the server still listens where it
 * did), moving to a free port, hidden parameters, several names at once.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { redisAndOurs } from '../support/peers';
import { runDifferential, step, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';
import { freePort } from '../support/ports';

const peers = redisAndOurs();

async function occupiedPort(): Promise<net.Server> {
  const server = net.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('CONFIG SET against redis-server', () => {
  it('parses maxmemory-clients as a memory or a percentage and rolls a CONFIG SET back when one value is invalid', async () => {
    const steps: Step[] = [];
    for (const value of ['10%', '0', '1mb', '100%', '101%', '200%', 'abc', '-5', '5%%', '%']) {
      steps.push(step('CONFIG', 'SET', 'maxmemory-clients', value), step('CONFIG', 'GET', 'maxmemory-clients'));
    }
    steps.push(
      step('CONFIG', 'SET', 'maxmemory', '10000002'),
      step('CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory-clients', '200%', 'client-query-buffer-limit', 'invalid'),
      step('CONFIG', 'GET', 'maxmemory'), step('CONFIG', 'GET', 'maxmemory-clients'), step('CONFIG', 'GET', 'client-query-buffer-limit'),
      step('CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory', '10000002'), step('CONFIG', 'SET', 'daemonize', 'yes'),
      step('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-clients', '0'),
      step('CONFIG', 'GET', 'key-load-delay'), step('CONFIG', 'GET', 'rdb-key-save-delay'),
    );
    for (const protocol of [2, 3] as const) {
      expect(await runDifferential(peers.redis, peers.ours, steps, protocol)).toEqual([]);
    }
    const several: string[][] = [];
    for (const peer of [peers.redis, peers.ours]) {
      const all = (await peer.call('CONFIG', 'GET', '*')) as string[];
      expect(all).not.toContain('key-load-delay');
      expect(all).not.toContain('rdb-key-save-delay');
      // Names and patterns together, each parameter once (Redis answers in its dict's order).
      const reply = (await peer.call('CONFIG', 'GET', 'maxmemory', 'maxmemory*', 'bind', '*of')) as string[];
      const pairs: string[] = [];
      for (let i = 0; i < reply.length; i += 2) pairs.push(`${reply[i]}=${reply[i + 1]}`);
      several.push(pairs.sort());
    }
    expect(several[1]).toEqual(several[0]);
  });

  it('rolls the whole CONFIG SET back when the port is in use, and keeps listening where it did', async () => {
    const blocker = await occupiedPort();
    const used = (blocker.address() as net.AddressInfo).port;
    try {
      const steps: Step[] = [
        step('CONFIG', 'SET', 'maxmemory', '10000001', 'port', String(used), 'client-query-buffer-limit', '10m'),
        step('CONFIG', 'GET', 'maxmemory'), step('CONFIG', 'GET', 'client-query-buffer-limit'), step('PING'),
      ];
      expect(await runDifferential(peers.redis, peers.ours, steps)).toEqual([]);
      for (const peer of [peers.redis, peers.ours]) {
        const fresh = new RespConnection('127.0.0.1', peer.port);
        expect(await fresh.call('PING')).toBe('PONG');
        fresh.close();
      }
    } finally {
      blocker.close();
    }
  });

  it('moves to a free port: new connections there, established ones kept, and back', async () => {
    const original = peers.ours.port;
    const connection = new RespConnection('127.0.0.1', original);
    try {
      const configuredBefore = await connection.call('CONFIG', 'GET', 'port');
      const target = await freePort();
      expect(await connection.call('CONFIG', 'SET', 'port', String(target))).toBe('OK');
      expect(await connection.call('CONFIG', 'GET', 'port')).toEqual(['port', String(target)]);
      expect(await connection.call('PING')).toBe('PONG');
      const moved = new RespConnection('127.0.0.1', target);
      expect(await moved.call('PING')).toBe('PONG');
      await expect(new RespConnection('127.0.0.1', original).call('PING')).rejects.toThrow();
      expect(await moved.call('CONFIG', 'SET', 'port', String(original))).toBe('OK');
      moved.close();
      const back = new RespConnection('127.0.0.1', original);
      expect(await back.call('PING')).toBe('PONG');
      await back.call('CONFIG', 'SET', 'port', (configuredBefore as string[])[1]!);
      back.close();
    } finally {
      connection.close();
    }
  });
});
