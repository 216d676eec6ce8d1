/**
 * A demo node's role in its own words: the first element of its ROLE reply
 * ("master", "slave"), read over loopback. The demo's plan says which node
 * it started as the master, but a promotion (FAILOVER TO, REPLICAOF NO ONE)
 * moves that: whatever acts on "the master" must ask the nodes.
 *
 * ROLE answers an array whose first element is a bulk string:
 *   *3\r\n$6\r\nmaster\r\n...   or   *5\r\n$5\r\nslave\r\n...
 * so the first three lines are enough.
 */
import net from 'node:net';
import { encodeCommand } from '../../engine/resp/reply-encoder';

export type NodeRole = 'master' | 'slave' | 'sentinel';

export function nodeRole(port: number, timeoutMs = 2000): Promise<NodeRole> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    let received = '';
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no ROLE reply from 127.0.0.1:${port} within ${timeoutMs} ms`))), timeoutMs);
    socket.on('connect', () => socket.write(encodeCommand(['ROLE'])));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const lines = received.split('\r\n');
      if (lines[0]?.startsWith('-')) return finish(() => reject(new Error(`ROLE on 127.0.0.1:${port}: ${lines[0]!.slice(1)}`)));
      if (lines.length < 4) return; // "*N", "$len", the role, and the line after it has begun
      const role = lines[2];
      if (role === 'master' || role === 'slave' || role === 'sentinel') finish(() => resolve(role));
      else finish(() => reject(new Error(`ROLE on 127.0.0.1:${port} answered ${JSON.stringify(received.slice(0, 40))}`)));
    });
    socket.on('error', (failure) => finish(() => reject(failure)));
  });
}
