/**
 * How soon the console dials a node again after its connection closed
 * (node-client.ts retryStrategy), against a real redis-server killed with
 * kill -9. The first redial comes at once; when it fails, the second must
 * come soon too: a first redial can land between the dying process closing
 * its connections and closing its listening socket and be reset ("connect
 * ECONNRESET", about 1 in 10 kills), and only the next dial, refused, tells
 * the node sampler the process is gone. At ioredis's backoff that dial came
 * 800 ms later, and the dead node read "refused" that much later.
 */
import { afterEach, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createNodeClient } from '../../main/console/monitor/node-client';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { waitFor } from '../support/wait';

const clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await stopAllRedisServers();
});

it('after kill -9, a failed first redial is followed by a second within half a second, and a redial is refused', async () => {
  const server = await startRedisServer();
  const client = createNodeClient({ host: '127.0.0.1', port: server.port }, {}, {});
  clients.push(client);
  await client.connect();
  expect(await client.ping()).toBe('PONG');
  const dials: Array<{ at: number; failedAt: number | null; code: string | null }> = [];
  client.on('connecting', () => dials.push({ at: performance.now(), failedAt: null, code: null }));
  client.on('error', (failure: NodeJS.ErrnoException) => {
    const dial = dials.at(-1);
    if (dial !== undefined && dial.failedAt === null) Object.assign(dial, { failedAt: performance.now(), code: failure.code ?? failure.message });
  });
  server.signal('SIGKILL');
  await waitFor(async () => dials.length >= 2 && dials[1]!.failedAt !== null, { timeoutMs: 15_000, what: 'two redials of the killed node, failed' });
  const [first, second] = dials as [(typeof dials)[number], (typeof dials)[number]];
  expect(first.failedAt, `first redial: ${first.code}`).not.toBeNull();
  // A timer never fires early: before, the second dial came at the backoff's 800 ms at the least.
  expect(second.at - first.failedAt!, `second redial after the first failed (${first.code})`).toBeLessThan(500);
  // The process is gone: a dial is refused soon (the second, or, when the dying process's listening socket
  // outlived it under load, a later one); which one is the kernel's timing, not the client's.
  await waitFor(async () => dials.some((dial) => dial.code === 'ECONNREFUSED'), { timeoutMs: 15_000, what: 'a refused redial of the killed node' });
});
