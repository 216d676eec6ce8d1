import { describe, expect, it } from 'vitest';
import { ReplicationBuffer } from './replication-buffer';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const joined = (views: Buffer[]): string => Buffer.concat(views).toString('latin1');

describe('ReplicationBuffer', () => {
  it('starts empty right after the current offset', () => {
    const buffer = new ReplicationBuffer(16 * 1024, 500);
    expect(buffer.masterOffset).toBe(500);
    expect(buffer.histlen).toBe(0);
    expect(buffer.firstByteOffset).toBe(501);
    expect(buffer.canServeFrom(501)).toBe(true);
    expect(buffer.canServeFrom(500)).toBe(false);
    expect(buffer.canServeFrom(502)).toBe(false);
  });

  it('counts offsets over exactly the appended bytes and reads any range back', () => {
    const buffer = new ReplicationBuffer(16 * 1024, 0);
    buffer.append(bytes('hello '));
    buffer.append(bytes('world'));
    expect(buffer.masterOffset).toBe(11);
    expect(joined(buffer.read(1))).toBe('hello world');
    expect(joined(buffer.read(7))).toBe('world');
    expect(joined(buffer.read(7, 9))).toBe('wor');
    expect(buffer.read(12)).toEqual([]);
  });

  it('keeps at least the configured size, trimming whole head blocks only', () => {
    const size = 16 * 1024;
    const buffer = new ReplicationBuffer(size, 0);
    const chunk = Buffer.alloc(1000, 0x61);
    for (let i = 0; i < 200; i++) buffer.append(chunk);
    expect(buffer.masterOffset).toBe(200_000);
    expect(buffer.histlen).toBeGreaterThanOrEqual(size);
    expect(buffer.histlen).toBeLessThan(size + 16 * 1024 + 1000);
    expect(buffer.firstByteOffset).toBe(buffer.masterOffset - buffer.histlen + 1);
    expect(buffer.canServeFrom(1)).toBe(false);
    expect(buffer.canServeFrom(buffer.masterOffset - size + 1)).toBe(true);
  });

  it('a pinned reader keeps old blocks (the backlog grows beyond its size) until it goes away', () => {
    const size = 16 * 1024;
    const buffer = new ReplicationBuffer(size, 0);
    const reader = {};
    expect(buffer.pin(reader, 1)).toBe(true);
    const chunk = Buffer.alloc(4096, 0x62);
    for (let i = 0; i < 64; i++) buffer.append(chunk);
    expect(buffer.firstByteOffset).toBe(1);
    expect(buffer.histlen).toBe(64 * 4096);
    expect(buffer.canServeFrom(1)).toBe(true);
    buffer.unpin(reader);
    expect(buffer.firstByteOffset).toBeGreaterThan(1);
    expect(buffer.histlen).toBeLessThan(2 * size + 4096);
  });

  it('shrinks on resize and refuses pins of bytes already gone', () => {
    const buffer = new ReplicationBuffer(1024 * 1024, 0);
    buffer.append(Buffer.alloc(1024 * 1024, 0x63));
    expect(buffer.firstByteOffset).toBe(1);
    buffer.resize(16 * 1024);
    expect(buffer.histlen).toBeLessThan(1024 * 1024);
    expect(buffer.pin({}, 1)).toBe(false);
  });

  it('shrunk from a large size, keeps what redis-server keeps: the new size plus less than one 16 KiB block', () => {
    // Blocks made under 8 MiB are larger than 16 KiB; redis-server's are 16 KiB whatever the size, so
    // CONFIG SET repl-backlog-size 16kb leaves it about 16-32 KiB of history, and a replica 100 KiB behind
    // is refused a partial resync. Ours kept whole 512 KiB blocks and continued it.
    const buffer = new ReplicationBuffer(8 * 1024 * 1024, 0);
    for (let index = 0; index < 64; index++) buffer.append(Buffer.alloc(16 * 1024, 0x61 + (index % 26)));
    buffer.resize(16 * 1024);
    buffer.append(Buffer.alloc(100, 0x7a));
    expect(buffer.histlen).toBeGreaterThanOrEqual(16 * 1024);
    expect(buffer.histlen).toBeLessThan(32 * 1024);
    expect(buffer.canServeFrom(buffer.masterOffset - 100 * 1024)).toBe(false);
    // What is left reads back as written.
    const tail = Buffer.concat(buffer.read(buffer.firstByteOffset, buffer.masterOffset));
    expect(tail.length).toBe(buffer.histlen);
    expect(tail.subarray(tail.length - 100).every((byte) => byte === 0x7a)).toBe(true);
  });

  it('splits a command larger than a block across blocks without losing bytes', () => {
    const buffer = new ReplicationBuffer(1024 * 1024, 10);
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    buffer.append(big);
    const back = Buffer.concat(buffer.read(11));
    expect(back.equals(big)).toBe(true);
  });
});
