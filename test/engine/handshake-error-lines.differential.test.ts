/**
 * The replica's log lines for an error reply during the replication
 * handshake, against redis-server 7.0.15 replicas in the same scene
 * (replication.c syncWithMaster): "Error reply to PING from master: '<reply>'",
 * "Unable to AUTH to MASTER: <reply>" and "(Non critical) Master does not
 * understand REPLCONF <what>: <reply>". Redis logs the reply line as it read
 * it, its leading '-' included.
 *
 * The AUTH refusal comes from a real redis-server master with requirepass;
 * the other two from a scripted master answering each handshake command
 * with a fixed line (no real master refuses PING but for NOAUTH, NOPERM or
 * "operation not permitted", which the replica takes as a reply to go on).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';

const servers: net.Server[] = [];

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

type Replica = RedisProcess | EngineHandle;

const HANDSHAKE_LINES = /Error reply to PING from master|Unable to AUTH to MASTER|\(Non critical\) Master does not understand/;

/** The distinct handshake lines of `replica`'s log (every attempt repeats them), without pid and time. */
function handshakeLines(replica: Replica): string[] {
  const lines = ('logs' in replica ? replica.logs : replica.log().split('\n'))
    .map((line) => line.replace(/^\d+:[MS] \d\d \w{3} \d{4} [\d:.]+ /, ''))
    .filter((line) => HANDSHAKE_LINES.test(line));
  return [...new Set(lines)];
}

/**
 * A master that answers each request line by its command's name from
 * `replies` (an error to anything else) and never sends more: enough for a
 * replica's handshake to log what it makes of each reply.
 */
async function scriptedMaster(replies: Record<string, string>): Promise<number> {
  const server = net.createServer((socket) => {
    let pending = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      // Each request is a RESP array of bulk strings: *N, then $len / value pairs.
      for (;;) {
        const lines = pending.split('\r\n');
        const count = Number(lines[0]?.slice(1));
        if (!Number.isInteger(count) || lines.length < 1 + 2 * count + 1) return;
        const name = lines[2]!.toUpperCase();
        pending = lines.slice(1 + 2 * count).join('\r\n');
        socket.write(`${replies[name] ?? `-ERR unexpected '${name}'`}\r\n`);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return (server.address() as net.AddressInfo).port;
}

async function startReplica(kind: 'redis' | 'ours', masterPort: number, options: string[][]): Promise<Replica> {
  const config = [['replicaof', '127.0.0.1', String(masterPort)], ...options];
  if (kind === 'redis') return startRedisServer({ args: config.flatMap(([name, ...values]) => [`--${name!}`, ...values]) });
  return startEngine(config.map(([name, ...values]) => [name!, values.join(' ')] as const));
}

/** The handshake lines a replica of `masterPort` logs, once it logged `count` distinct ones. */
async function linesOf(kind: 'redis' | 'ours', masterPort: number, options: string[][], count: number): Promise<string[]> {
  const replica = await startReplica(kind, masterPort, options);
  await waitFor(() => handshakeLines(replica).length >= count, { timeoutMs: 20_000, what: `${kind}: ${count} handshake line(s)` });
  return handshakeLines(replica);
}

describe('error replies in the replication handshake, logged as a redis-server replica logs them', () => {
  it('a wrong masterauth (a real master with requirepass)', async () => {
    const master = await startRedisServer({ args: ['--requirepass', 'right-password'], password: 'right-password' });
    const options = [['masterauth', 'wrong-password']];
    const redis = await linesOf('redis', master.port, options, 1);
    expect(redis).toEqual(['# Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.']);
    expect(await linesOf('ours', master.port, options, 1)).toEqual(redis);
  }, 60_000);

  it('REPLCONF refused (listening-port, ip-address, capa)', async () => {
    const port = await scriptedMaster({ PING: '+PONG', REPLCONF: '-ERR unknown command', PSYNC: '-ERR not now' });
    const options = [['replica-announce-ip', '10.0.0.9']];
    const redis = await linesOf('redis', port, options, 3);
    expect(redis).toHaveLength(3);
    expect(await linesOf('ours', port, options, 3)).toEqual(redis);
  }, 60_000);

  it('an error reply to PING', async () => {
    const port = await scriptedMaster({ PING: "-ERR unknown command 'PING', with args beginning with: " });
    const redis = await linesOf('redis', port, [], 1);
    expect(redis).toHaveLength(1);
    expect(await linesOf('ours', port, [], 1)).toEqual(redis);
  }, 60_000);
});
