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

  it('splits a command larger than a block across blocks without losing bytes', () => {
    const buffer = new ReplicationBuffer(1024 * 1024, 10);
    const big = Buffer.alloc(100_000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    buffer.append(big);
    const back = Buffer.concat(buffer.read(11));
    expect(back.equals(big)).toBe(true);
  });
});
