/**
 * A client that floods requests and never reads a reply, against
 * redis-server 7.0.15: redis-server keeps reading and running its commands
 * (readQueryFromClient / processInputBuffer never look at the output
 * side), its replies pile up in the reply list (CLIENT LIST omem), and only
 * client-output-buffer-limit (normal: 0 0 0, no limit, by default) or
 * maxmemory-clients stop it, by closing the client.
 *
 * The flooder pipelines (in bursts of 10) 400 GETs of a 100 KB value (40 MB of replies, far
 * more than the loopback socket buffers hold) and reads nothing. Compared:
 * how many of the GETs ran (INFO commandstats) and whether the unsent
 * replies show as omem; then, with a 4 MB hard normal limit, that the next
 * such flooder is closed.
 */
import { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

afterAll(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const GETS = 400;
const VALUE_BYTES = 100_000;
/** GETs per write. */
const BURST = 10;
const GET_BIG = '*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n';

/** A client that names itself, pipelines the GETs and reads nothing. */
async function startFlooder(port: number, name: string): Promise<Socket> {
  const socket = new Socket();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, '127.0.0.1', () => resolve());
  });
  socket.on('error', () => undefined);
  socket.pause();
  socket.write(`*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$${name.length}\r\n${name}\r\n`);
  // In bursts a few ms apart, so the server reads them one burst at a time (not all in one read).
  for (let sent = 0; sent < GETS && !socket.destroyed; sent += BURST) {
    socket.write(GET_BIG.repeat(BURST));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return socket;
}

async function getCalls(connection: RespConnection): Promise<number> {
  const info = String(await connection.call('INFO', 'commandstats'));
  return Number(/cmdstat_get:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

interface Observed {
  getsRun: number;
  omemOver20MB: boolean;
  limitedFlooderClosed: boolean;
}

async function flood(port: number): Promise<Observed> {
  const other = new RespConnection('127.0.0.1', port);
  const sockets: Socket[] = [];
  try {
    await other.ok('FLUSHALL');
    await other.ok('CONFIG', 'RESETSTAT');
    await other.ok('SET', 'big', 'x'.repeat(VALUE_BYTES));
    sockets.push(await startFlooder(port, 'flooder'));
    // Settled: every GET ran, or the count stayed put for a second.
    let last = -1;
    let since = Date.now();
    await waitFor(async () => {
      const calls = await getCalls(other);
      if (calls !== last) {
        last = calls;
        since = Date.now();
      }
      return calls === GETS || Date.now() - since > 1000;
    }, { what: 'the GETs to settle' });
    const list = String(await other.call('CLIENT', 'LIST'));
    const omem = Number(/name=flooder .*omem=(\d+)/.exec(list)?.[1]);
    const observed = { getsRun: last, omemOver20MB: omem > 20 * 1024 * 1024 };

    await other.ok('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 4mb 0 0');
    const limited = await startFlooder(port, 'limited');
    sockets.push(limited);
    let limitedFlooderClosed = false;
    try {
      await waitFor(async () => !String(await other.call('CLIENT', 'LIST')).includes('name=limited '), { what: 'the limited flooder to be closed' });
      limitedFlooderClosed = true;
    } catch {
      limitedFlooderClosed = false;
    }
    await other.ok('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
    return { ...observed, limitedFlooderClosed };
  } finally {
    for (const socket of sockets) socket.destroy();
    other.close();
  }
}

describe('a client that never reads its replies', () => {
  it('has all its requests run and their replies held as omem, until an output buffer limit closes it, as redis-server', async () => {
    const [redis, ours] = await Promise.all([startRedisServer(), startEngine()]);
    const expected = await flood(redis.port);
    const observed = await flood(ours.port);
    expect(expected).toEqual({ getsRun: GETS, omemOver20MB: true, limitedFlooderClosed: true });
    expect(observed).toEqual(expected);
    await Promise.all([redis.stop(), ours.stop()]);
  }, 60_000);
});
