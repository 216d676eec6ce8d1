/**
 * Connection limits and abrupt clients: maxclients refuses the connection
 * over the limit with Redis's error (and closes it); a burst of clients that
 * drop mid-command or without reading their replies leaves the server
 * answering, and their client slots are released.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { RespConnection } from '../support/resp-connection';
import { command } from '../support/replication';
import { waitFor } from '../support/wait';

afterEach(async () => {
  await stopAllEngines();
});

function firstBytes(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}

describe('connections', () => {
  it('maxclients refuses the extra client with Redis error and closes it', async () => {
    const ours = await startEngine([['maxclients', '3']]);
    const held = [new RespConnection('127.0.0.1', ours.port), new RespConnection('127.0.0.1', ours.port), new RespConnection('127.0.0.1', ours.port)];
    for (const connection of held) expect(await connection.call('PING')).toBe('PONG');
    expect(await firstBytes(ours.port)).toBe('-ERR max number of clients reached\r\n');
    held[0]!.close();
    await waitFor(async () => {
      const probe = new RespConnection('127.0.0.1', ours.port);
      try {
        return (await probe.call('PING')) === 'PONG';
      } catch {
        return false;
      } finally {
        probe.close();
      }
    }, { what: 'a slot to be free again' });
    for (const connection of held) connection.close();
  });

  it('2,000 clients dropping mid-command or mid-reply: the server answers and frees every slot', async () => {
    const ours = await startEngine();
    await Promise.all(Array.from({ length: 2000 }, (_, i) => new Promise<void>((resolve) => {
      const socket = net.connect(ours.port, '127.0.0.1');
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.on('connect', () => {
        const pipeline = `*3\r\n$3\r\nSET\r\n$${String(i).length}\r\n${i}\r\n$1\r\nv\r\n`.repeat(10);
        if (i % 2 === 0) socket.write(`${pipeline}*3\r\n$3\r\nSET\r\n$1\r\nk`); // half-written command
        else socket.write(`${pipeline}*2\r\n$4\r\nKEYS\r\n$1\r\n*\r\n`); // reply never read
        setTimeout(() => socket.destroy(), 10);
      });
    })));
    expect(await command(ours, 'PING')).toBe('PONG');
    await waitFor(async () => String(await command(ours, 'INFO', 'clients')).includes('connected_clients:1\r\n'), { what: 'every dropped client to be released' });
  });
});

describe('output-buffer limits', () => {
  it('a subscriber that stops reading is closed at the pubsub hard limit; the server and other clients carry on', async () => {
    const ours = await startEngine([['client-output-buffer-limit', 'pubsub 1mb 512kb 60']]);
    const subscriber = net.connect(ours.port, '127.0.0.1');
    await new Promise((resolve) => subscriber.once('connect', resolve));
    subscriber.write('*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nnews\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscriber.pause(); // never reads again
    subscriber.on('error', () => {});
    const publisher = new RespConnection('127.0.0.1', ours.port);
    const message = 'x'.repeat(100 * 1024);
    let delivered = 1;
    for (let i = 0; i < 400 && delivered > 0; i++) delivered = (await publisher.call('PUBLISH', 'news', message)) as number;
    expect(delivered).toBe(0); // the subscriber was dropped before the 400th message
    expect(String(await publisher.call('CLIENT', 'LIST'))).not.toMatch(/sub=1/);
    expect(await publisher.call('PING')).toBe('PONG');
    publisher.close();
    subscriber.destroy();
  });
});
