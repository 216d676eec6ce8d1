import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectSocketWriter, WRITE_DONE, WRITE_FAILED, WRITE_QUEUED, WRITE_UNAVAILABLE } from './direct-socket-write';

/** An accepted server-side socket and the client socket connected to it, over loopback. */
async function socketPair(): Promise<{ server: net.Server; accepted: net.Socket; peer: net.Socket }> {
  const server = net.createServer();
  const acceptedPromise = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const peer = net.connect(port, '127.0.0.1');
  const accepted = await acceptedPromise;
  await new Promise<void>((resolve) => (peer.readyState === 'open' ? resolve() : peer.once('connect', () => resolve())));
  return { server, accepted, peer };
}

/** Collects what the peer reads until `total` bytes arrived. */
function readBytes(peer: net.Socket, total: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= total) {
        peer.off('data', onData);
        resolve(Buffer.concat(chunks));
      }
    };
    peer.on('data', onData);
  });
}

const open: Array<{ server: net.Server; accepted: net.Socket; peer: net.Socket }> = [];

afterEach(async () => {
  for (const { server, accepted, peer } of open.splice(0)) {
    accepted.destroy();
    peer.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

describe('DirectSocketWriter', () => {
  it('is available on this Node', () => {
    expect(DirectSocketWriter.available).toBe(true);
  });

  it('writes small replies within the call, in order with writes through the socket', async () => {
    const pair = await socketPair();
    open.push(pair);
    const writer = new DirectSocketWriter(pair.accepted);
    const received = readBytes(pair.peer, 3 * 5 + 4);
    const reused = Buffer.from('+OK\r\n');
    expect(writer.write(reused)).toBe(WRITE_DONE);
    // The same bytes object again: nothing kept it.
    reused.write('+O1\r\n');
    expect(writer.write(reused)).toBe(WRITE_DONE);
    pair.accepted.write(':7\r\n');
    expect(writer.pendingBytes).toBe(0);
    expect(writer.write(Buffer.from('+OK\r\n'))).toBe(WRITE_DONE);
    expect((await received).toString('latin1')).toBe('+OK\r\n+O1\r\n:7\r\n+OK\r\n');
  });

  it('is not taken while the socket still holds bytes, nor after end()', async () => {
    const pair = await socketPair();
    open.push(pair);
    const writer = new DirectSocketWriter(pair.accepted);
    pair.peer.pause();
    // Fill the kernel's buffers through the socket until its Writable keeps bytes.
    const block = Buffer.alloc(1024 * 1024, 0x61);
    let written = 0;
    while (pair.accepted.writableLength === 0 && written < 512 * 1024 * 1024) {
      pair.accepted.write(block);
      written += block.length;
    }
    expect(pair.accepted.writableLength).toBeGreaterThan(0);
    expect(writer.write(Buffer.from('+OK\r\n'))).toBe(WRITE_UNAVAILABLE);
    const other = await socketPair();
    open.push(other);
    other.accepted.end();
    expect(new DirectSocketWriter(other.accepted).write(Buffer.from('+OK\r\n'))).toBe(WRITE_UNAVAILABLE);
  });

  it('counts what the kernel did not take until the peer reads it, and delivers it whole', async () => {
    const pair = await socketPair();
    open.push(pair);
    const writer = new DirectSocketWriter(pair.accepted);
    pair.peer.pause();
    const big = Buffer.alloc(64 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    expect(writer.write(big)).toBe(WRITE_QUEUED);
    expect(writer.pendingBytes).toBe(big.length);
    // Queued bytes keep the direct path closed: the next bytes would otherwise go first.
    expect(writer.write(Buffer.from('x'))).toBe(WRITE_UNAVAILABLE);
    pair.accepted.write(Buffer.from('tail'));
    const received = readBytes(pair.peer, big.length + 4);
    pair.peer.resume();
    const bytes = await received;
    expect(bytes.length).toBe(big.length + 4);
    expect(bytes.subarray(0, big.length).equals(big)).toBe(true);
    expect(bytes.subarray(big.length).toString('latin1')).toBe('tail');
    expect(writer.pendingBytes).toBe(0);
    expect(writer.write(Buffer.from('+OK\r\n'))).toBe(WRITE_DONE);
  });

  it('a write to a socket the peer reset destroys it with the write error', async () => {
    const pair = await socketPair();
    open.push(pair);
    const writer = new DirectSocketWriter(pair.accepted);
    const closed = new Promise<void>((resolve) => pair.accepted.once('close', () => resolve()));
    const errors: Array<NodeJS.ErrnoException> = [];
    pair.accepted.on('error', (failure) => errors.push(failure));
    // The peer's RST goes out as it closes; written in the same turn, before a read could see it.
    pair.peer.resetAndDestroy();
    const results: number[] = [];
    while (results.length < 10 && !pair.accepted.destroyed) results.push(writer.write(Buffer.from('+OK\r\n')));
    await closed;
    expect(results.at(-1)).toBe(WRITE_FAILED);
    expect(errors.map((failure) => [failure.syscall, failure.code])).toEqual([['write', expect.stringMatching(/^(EPIPE|ECONNRESET)$/)]]);
  });
});
