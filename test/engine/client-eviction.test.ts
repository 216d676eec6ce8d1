/**
 * maxmemory-clients on our engine next to a real redis-server 7.0: a client
 * whose query buffer takes the clients past the limit is closed (INFO
 * evicted_clients, the log line), a client with CLIENT NO-EVICT on is not,
 * a replica-free idle client is not, and 0 turns eviction off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import type { RespConnection } from '../support/resp-connection';
import { TestConnections } from '../support/test-connections';
import { waitFor } from '../support/wait';

let redis: RedisProcess;
let ours: EngineHandle;
const connections = new TestConnections();

beforeAll(async () => {
  [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
});

afterAll(async () => {
  connections.closeAll();
  await stopAllRedisServers();
  await stopAllEngines();
});


async function evictedClients(admin: RespConnection): Promise<number> {
  const info = String(await admin.call('INFO', 'stats'));
  return Number(/evicted_clients:(\d+)/.exec(info)?.[1] ?? -1);
}

/** Half of a 400 KB argument: its query buffer holds the whole argument's room. */
async function growQueryBuffer(connection: RespConnection): Promise<void> {
  await connection.writeRaw(`*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$400000\r\n${'x'.repeat(200_000)}`);
}

interface Outcome {
  readonly greedyClosed: boolean;
  readonly idleClosed: boolean;
  readonly guardedClosed: boolean;
  readonly evicted: number;
}

async function scenario(port: number): Promise<Outcome> {
  const admin = await connections.open(port);
  await admin.call('CLIENT', 'NO-EVICT', 'on');
  await admin.call('CONFIG', 'SET', 'maxmemory-clients', '300kb');
  // A client that grows past the limit goes; an idle one stays (the total is under the limit again).
  const idle = await connections.open(port);
  await idle.call('PING');
  const greedy = await connections.open(port);
  await greedy.call('PING');
  await growQueryBuffer(greedy);
  await waitFor(() => greedy.closed, { what: 'the greedy client to be evicted' });
  // A client with CLIENT NO-EVICT on grows as much and stays (nothing else is evictable but `idle`, which is small).
  const idleClosed = idle.closed;
  idle.close();
  const guarded = await connections.open(port);
  await guarded.call('CLIENT', 'NO-EVICT', 'on');
  await growQueryBuffer(guarded);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const outcome: Outcome = { greedyClosed: greedy.closed, idleClosed, guardedClosed: guarded.closed, evicted: await evictedClients(admin) };
  guarded.close();
  await admin.call('CONFIG', 'SET', 'maxmemory-clients', '0');
  admin.close();
  return outcome;
}

describe('maxmemory-clients', () => {
  it('evicts the client that went over, not an idle one nor one with NO-EVICT on, like redis-server', async () => {
    const [theirs, mine] = [await scenario(redis.port), await scenario(ours.port)];
    expect(mine).toEqual(theirs);
    expect(mine).toEqual({ greedyClosed: true, idleClosed: false, guardedClosed: false, evicted: 1 });
    expect(ours.logs.some((line) => /Evicting client: id=\d+ .*cmd=ping/.test(line))).toBe(true);
  });

  it('a limit under 128 KB is raised to 128 KB; 0 turns eviction off', async () => {
    const admin = await connections.open(ours.port);
    await admin.call('CONFIG', 'SET', 'maxmemory-clients', '1');
    expect(ours.node.clientEviction.limitBytes).toBe(128 * 1024);
    await admin.call('CONFIG', 'SET', 'maxmemory-clients', '0');
    expect(ours.node.clientEviction.limitBytes).toBe(0);
    await admin.call('CONFIG', 'SET', 'maxmemory', '10mb');
    await admin.call('CONFIG', 'SET', 'maxmemory-clients', '10%');
    expect(ours.node.clientEviction.limitBytes).toBe(1024 * 1024);
    await admin.call('CONFIG', 'SET', 'maxmemory-clients', '0');
    await admin.call('CONFIG', 'SET', 'maxmemory', '0');
  });
});
