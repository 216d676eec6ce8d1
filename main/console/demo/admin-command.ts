/**
 * Sends one command to an embedded node over loopback and returns its reply
 * line ("+OK", ":1", "-ERR ..."): enough for the demo's own admin commands
 * (CONFIG SET), without a client library in the demo's hot path.
 */
import net from 'node:net';
import { encodeCommand } from '../../engine/resp/reply-encoder';

export function sendAdminCommand(port: number, argv: ReadonlyArray<string>, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply from 127.0.0.1:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(encodeCommand(argv)));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(received.toString('latin1', 0, end));
    });
    socket.on('error', (failure) => {
      clearTimeout(timer);
      reject(failure);
    });
  });
}
