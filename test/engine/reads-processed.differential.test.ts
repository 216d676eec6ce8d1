/**
 * INFO stats total_reads_processed against redis-server 7.0.15, which
 * counts every call of readQueryFromClient: the read that finds the peer's
 * end of stream (read returns 0) is one too, while a client the server
 * closes itself (QUIT, CLIENT KILL) is read no more, and the read that
 * fails with ECONNRESET (a peer's SO_LINGER 0 close) counts. Compared: how much
 * the counter grows for short-lived connections of each kind, less the
 * admin connection's own commands (one read each; how often it polls
 * depends on timing).
 */
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const peers = differentialPair();

type Kind = 'command then close' | 'command and close together' | 'QUIT' | 'killed' | 'reset';

/** The admin connection, counting its commands. */
class Admin {
  calls = 0;
  constructor(readonly connection: RespConnection) {}

  async call(...args: string[]): Promise<unknown> {
    this.calls++;
    return this.connection.call(...args);
  }
}

async function readsProcessed(admin: Admin): Promise<number> {
  return Number(/total_reads_processed:(\d+)/.exec(String(await admin.call('INFO', 'stats')))![1]);
}

async function connections(admin: Admin): Promise<number> {
  return Number(/connected_clients:(\d+)/.exec(String(await admin.call('INFO', 'clients')))![1]);
}

/** One short-lived connection of the kind; resolves once the server has let it go. */
async function shortLived(port: number, admin: Admin, kind: Kind): Promise<void> {
  const socket = new Socket();
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', () => resolve()));
  const replied = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  if (kind === 'command and close together') {
    socket.end('*1\r\n$4\r\nPING\r\n');
  } else if (kind === 'QUIT') {
    socket.write('*1\r\n$4\r\nQUIT\r\n');
    await replied;
    socket.end();
  } else {
    socket.write('*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$5\r\nshort\r\n');
    await replied;
    if (kind === 'killed') await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    // SO_LINGER 0: the server's read fails with ECONNRESET, and that read is counted too.
    if (kind === 'reset') socket.resetAndDestroy();
    else socket.end();
  }
  await waitFor(async () => (await connections(admin)) === 1, { what: 'the connection to be gone' });
}

async function growth(port: number, kind: Kind): Promise<number> {
  const admin = new Admin(new RespConnection('127.0.0.1', port));
  try {
    const before = await readsProcessed(admin);
    const callsBefore = admin.calls;
    for (let i = 0; i < 3; i++) await shortLived(port, admin, kind);
    // The last INFO's own read is in its figure: every admin command after the first INFO is.
    const after = await readsProcessed(admin);
    return after - before - (admin.calls - callsBefore);
  } finally {
    admin.connection.close();
  }
}

describe('INFO total_reads_processed against redis-server', () => {
  // Per connection: its command, plus the end of stream unless the server closed it first.
  const expected: Record<Kind, number> = { 'command then close': 6, 'command and close together': 6, QUIT: 3, killed: 3, reset: 6 };
  for (const kind of ['command then close', 'command and close together', 'QUIT', 'killed', 'reset'] as const) {
    it(`three connections: ${kind}`, async () => {
      const redis = await growth(peers.redis.port, kind);
      const ours = await growth(peers.ours.port, kind);
      expect({ redis, ours }).toEqual({ redis: expected[kind], ours: expected[kind] });
      expect(ours).toBe(redis);
    });
  }
});
