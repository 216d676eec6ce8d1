import { describe, expect, it } from 'vitest';
import { latin1String } from './latin1';

describe('latin1String', () => {
  it('equals toString("latin1") for every length around the short-string cutoff and every byte value', () => {
    const bytes = Buffer.alloc(300);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) & 0xff;
    for (let start = 0; start < 260; start += 13) {
      for (let length = 0; length <= 30; length++) {
        expect(latin1String(bytes, start, start + length)).toBe(bytes.toString('latin1', start, start + length));
      }
    }
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (let i = 0; i < 256; i++) expect(latin1String(all, i, i + 1).charCodeAt(0)).toBe(i);
  });
});
