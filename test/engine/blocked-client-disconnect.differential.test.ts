/**
 * A client blocked in BLPOP that pipelined more commands behind it, then
 * closed its connection: redis-server keeps reading a blocked client's
 * socket (readQueryFromClient), sees the close and frees the client at
 * once. So a later LPUSH is not served to the gone client (the element
 * stays in the list) and its pipelined ZADD never runs. Compared with a
 * real redis-server: INFO's connected_clients / blocked_clients after the
 * close, then the list and the key the pipelined command would have made.
 * (Found by the multi-client fuzzer: --clients seeds 80 then 81, a blocked
 * client of seed 80 was served seed 81's LPUSH.)
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { command, type Peer } from '../support/replication';

const peers = differentialPair();

const PIPELINE = '*3\r\n$5\r\nBLPOP\r\n$2\r\nl2\r\n$1\r\n0\r\n*4\r\n$4\r\nZADD\r\n$2\r\nz1\r\n$1\r\n1\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n';

const clientCounts = async (peer: Peer): Promise<string[]> => String(await command(peer, 'INFO', 'clients')).match(/connected_clients:\d+|blocked_clients:\d+/g) ?? [];

async function blockPipelineAndLeave(peer: Peer): Promise<unknown[]> {
  await command(peer, 'FLUSHALL');
  const socket = net.connect(peer.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(PIPELINE);
  // The BLPOP blocks; the ZADD and PING wait behind it.
  for (let i = 0; i < 200 && !(await clientCounts(peer)).includes('blocked_clients:1'); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  const whileBlocked = await clientCounts(peer);
  socket.destroy();
  for (let i = 0; i < 200 && !(await clientCounts(peer)).includes('blocked_clients:0'); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  const afterClose = await clientCounts(peer);
  const pushed = await command(peer, 'LPUSH', 'l2', 'x');
  await new Promise((resolve) => setTimeout(resolve, 50));
  return [whileBlocked, afterClose, pushed, await command(peer, 'LRANGE', 'l2', '0', '-1'), await command(peer, 'EXISTS', 'z1'), await clientCounts(peer)];
}

describe('a blocked client that closed its connection', () => {
  it('is freed at once: a later push is not served to it and what it pipelined does not run', async () => {
    const theirs = await blockPipelineAndLeave(peers.redis);
    const ours = await blockPipelineAndLeave(peers.ours);
    expect(ours).toEqual(theirs);
    expect(theirs[3]).toEqual(['x']);
    expect(theirs[4]).toBe(0);
  });
});
