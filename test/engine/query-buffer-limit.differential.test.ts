/**
 * client-query-buffer-limit, against a real redis-server 7.0 with the limit
 * at its minimum (1mb). Redis checks a client's query buffer after every
 * read (networking.c readQueryFromClient) and closes a client past the
 * limit, logging "Closing client that reached max query buffer length".
 * Input waits in that buffer while a client is blocked (BLPOP ... with
 * more sent behind it) and while a bulk argument is still arriving.
 *
 *  - a blocked client that keeps sending is closed once 1mb waits, and
 *    nothing it sent runs (the engine once kept such input without bound,
 *    joined again at every read: quadratic copies);
 *  - a SET whose 2mb value is still arriving is closed the same way;
 *  - under the limit, many reads' worth of input sent while blocked all
 *    runs, in order, once the client is served.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { command, type Peer } from '../support/replication';
import { waitFor } from '../support/wait';

const peers = differentialPair([['client-query-buffer-limit', '1mb']]);

const LIMIT_LOG = /Closing client that reached max query buffer length: id=\d+ addr=127\.0\.0\.1:\d+ .*\(qbuf initial bytes: "/;

const resp = (...args: string[]): string => `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;

const blockedClients = async (peer: Peer): Promise<number> => Number(/blocked_clients:(\d+)/.exec(String(await command(peer, 'INFO', 'clients')))![1]);

/** Connects, sends BLPOP on an empty list and waits until the server counts the client blocked. */
async function blockedConnection(peer: Peer, list: string): Promise<{ socket: net.Socket; closed: Promise<void>; received: () => Buffer }> {
  const socket = net.connect(peer.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(resp('BLPOP', list, '0'));
  await waitFor(async () => (await blockedClients(peer)) === 1, { timeoutMs: 5000, what: 'the BLPOP to block' });
  return { socket, closed, received: () => Buffer.concat(chunks) };
}

async function blockedClientFloods(peer: Peer, log: () => string): Promise<unknown[]> {
  await command(peer, 'FLUSHALL');
  const client = await blockedConnection(peer, 'flood-list');
  // 1.5 MB of INCRs behind the BLPOP, in many writes: none may run.
  const incr = resp('INCR', 'flooded');
  const batch = incr.repeat(Math.ceil(64 * 1024 / incr.length));
  for (let sent = 0; sent < 1.5 * 1024 * 1024; sent += batch.length) client.socket.write(batch);
  await client.closed;
  await waitFor(async () => (await blockedClients(peer)) === 0, { timeoutMs: 5000, what: 'the flooding client to be freed' });
  return [await command(peer, 'EXISTS', 'flooded'), await command(peer, 'LPUSH', 'flood-list', 'x'), await command(peer, 'LLEN', 'flood-list'), LIMIT_LOG.test(log())];
}

async function bigArgumentArrives(peer: Peer): Promise<unknown[]> {
  await command(peer, 'FLUSHALL');
  const socket = net.connect(peer.port, '127.0.0.1');
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(resp('SET', 'big', 'v'.repeat(2 * 1024 * 1024)));
  await closed;
  return [await command(peer, 'EXISTS', 'big')];
}

async function underTheLimit(peer: Peer): Promise<unknown[]> {
  await command(peer, 'FLUSHALL');
  const client = await blockedConnection(peer, 'served-list');
  // ~600 KB of INCRs in ~10 writes while blocked, then the push that serves the BLPOP.
  const incr = resp('INCR', 'counted');
  const writes = 10;
  const perWrite = 2000;
  for (let i = 0; i < writes; i++) client.socket.write(incr.repeat(perWrite));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const beforeServed = await command(peer, 'EXISTS', 'counted');
  await command(peer, 'LPUSH', 'served-list', 'x');
  await waitFor(async () => Number(await command(peer, 'GET', 'counted')) === writes * perWrite, { timeoutMs: 10_000, what: 'the INCRs sent while blocked to run' });
  const replies = client.received().toString('latin1');
  client.socket.destroy();
  return [beforeServed, await command(peer, 'GET', 'counted'), replies.startsWith('*2\r\n$11\r\nserved-list\r\n$1\r\nx\r\n:1\r\n:2\r\n'), replies.endsWith(`:${writes * perWrite}\r\n`)];
}

describe('client-query-buffer-limit (1mb)', () => {
  it('closes a blocked client that keeps sending, with Redis\'s log line, and runs none of it', async () => {
    const theirs = await blockedClientFloods(peers.redis, () => peers.redis.log());
    expect(theirs).toEqual([0, 1, 1, true]);
    expect(await blockedClientFloods(peers.ours, () => peers.ours.logs.join('\n'))).toEqual(theirs);
  });

  it('closes a client whose bulk argument passes the limit while it arrives', async () => {
    const theirs = await bigArgumentArrives(peers.redis);
    expect(theirs).toEqual([0]);
    expect(await bigArgumentArrives(peers.ours)).toEqual(theirs);
  });

  it('under the limit, runs all the input a blocked client sent, in order, once it is served', async () => {
    const theirs = await underTheLimit(peers.redis);
    expect(theirs).toEqual([0, String(20_000), true, true]);
    expect(await underTheLimit(peers.ours)).toEqual(theirs);
  });
});
