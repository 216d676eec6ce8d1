import { describe, expect, it } from 'vitest';
import { Crc64, crc64 } from './crc64';

describe('crc64 (Redis Jones variant)', () => {
  it('matches the check value of Redis crc64.c', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('matches the Lorem ipsum vector of crc64Test (trailing NUL included)', () => {
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';
    expect(crc64(Buffer.concat([Buffer.from(text), Buffer.from([0])]))).toBe(0xc7794709e69683b3n);
  });

  it('gives the same result however the input is chunked', () => {
    const data = Buffer.alloc(1000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) % 256;
    const whole = crc64(data);
    for (const size of [1, 3, 7, 8, 9, 16, 17, 37, 64, 999]) {
      const crc = new Crc64();
      for (let i = 0; i < data.length; i += size) crc.update(data.subarray(i, Math.min(data.length, i + size)));
      expect(crc.value()).toBe(whole);
    }
  });

  it('is stored little-endian', () => {
    const bytes = new Crc64().update(Buffer.from('123456789')).digestBytes();
    expect(bytes.toString('hex')).toBe('cad9b8c414d9c6e9');
  });
});
