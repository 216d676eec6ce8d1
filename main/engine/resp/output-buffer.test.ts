import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutputBuffer } from './output-buffer';

function numberLine(prefix: string, value: number): string {
  const out = new OutputBuffer();
  out.writeNumberLine(prefix.charCodeAt(0), value);
  return out.take().toString('latin1');
}

describe('OutputBuffer.writeNumberLine', () => {
  it('writes what the template string would, digit by digit', () => {
    const edges = [0, -0, 1, -1, 9, 10, 11, 99, 100, 101, 9999, 10000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
    for (const value of edges) expect(numberLine(':', value)).toBe(`:${value}\r\n`);
    fc.assert(fc.property(fc.maxSafeInteger(), (value) => numberLine('$', value) === `$${value}\r\n`));
  });

  it('falls back to the string form outside safe integers', () => {
    for (const value of [2 ** 53, -(2 ** 60), 1.5, 1e21]) expect(numberLine(':', value)).toBe(`:${value}\r\n`);
  });

  it('keeps earlier bytes and grows the buffer', () => {
    const out = new OutputBuffer();
    const expected: string[] = [];
    for (let i = 0; i < 5000; i++) {
      out.writeLatin1('+x\r\n');
      out.writeNumberLine(0x2a, i * 7919);
      expected.push('+x\r\n', `*${i * 7919}\r\n`);
    }
    expect(out.take().toString('latin1')).toBe(expected.join(''));
  });
});

describe('OutputBuffer.writeLine', () => {
  it('writes <prefix><text>CRLF for short, long and binary text, growing the buffer', () => {
    const out = new OutputBuffer();
    const expected: string[] = [];
    const texts = ['', 'OK', 'QUEUED', 'x'.repeat(15), 'y'.repeat(16), 'ERR syntax error', '\u00ff\u0000\r\n', 'z'.repeat(40_000)];
    for (let round = 0; round < 3; round++) {
      for (const text of texts) {
        out.writeLine(0x2b, text);
        out.writeLine(0x2d, text);
        expected.push(`+${text}\r\n`, `-${text}\r\n`);
      }
    }
    expect(out.take().toString('latin1')).toBe(expected.join(''));
  });
});

describe('OutputBuffer.writeStreamIdBulk', () => {
  it('writes the bulk string of <ms>-<seq> for every digit count, growing the buffer', () => {
    const out = new OutputBuffer();
    const expected: string[] = [];
    const halves = [0, 1, 9, 10, 99, 100, 12345678, 2 ** 31 - 1, 2 ** 31, 1764877200000, Number.MAX_SAFE_INTEGER];
    for (let round = 0; round < 300; round++) {
      for (const ms of halves) {
        for (const seq of halves) {
          out.writeStreamIdBulk(ms, seq);
          expected.push(`$${`${ms}-${seq}`.length}\r\n${ms}-${seq}\r\n`);
        }
      }
    }
    expect(out.take().toString('latin1')).toBe(expected.join(''));
    fc.assert(fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (ms, seq) => {
      out.writeStreamIdBulk(ms, seq);
      return out.take().toString('latin1') === `$${`${ms}-${seq}`.length}\r\n${ms}-${seq}\r\n`;
    }));
  });
});

describe('OutputBuffer.writeBulk / writeBulkArray', () => {
  const bulk = (value: string): string => `$${value.length}\r\n${value}\r\n`;
  const values = ['', 'x', 'xxx', 'a'.repeat(9), 'b'.repeat(10), 'c'.repeat(24), 'd'.repeat(25), 'e'.repeat(99), 'f'.repeat(100), '\u00ff\u0000\r\n', 'g'.repeat(70_000)];

  it('writes $<len>CRLF<value>CRLF at every header width, short and long values, binary, growing the buffer', () => {
    const out = new OutputBuffer();
    const expected: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const value of values) {
        out.writeBulk(value);
        expected.push(bulk(value));
      }
    }
    expect(out.take().toString('latin1')).toBe(expected.join(''));
  });

  it('writes an array of bulks and nulls in RESP2 and RESP3 after what the buffer holds', () => {
    for (const nullBulk of ['$-1\r\n', '_\r\n']) {
      const out = new OutputBuffer();
      out.writeLatin1('+OK\r\n');
      const elements = [...values, null, 'xxx', null];
      out.writeBulkArray(elements, nullBulk);
      out.writeBulkArray([], nullBulk);
      out.writeBulkArray(Array.from({ length: 1000 }, (_, i) => String(i)), nullBulk);
      const expected = `+OK\r\n*${elements.length}\r\n${elements.map((value) => (value === null ? nullBulk : bulk(value))).join('')}*0\r\n*1000\r\n${Array.from({ length: 1000 }, (_, i) => bulk(String(i))).join('')}`;
      expect(out.take().toString('latin1')).toBe(expected);
    }
  });

  it('matches the template form for any latin1 values', () => {
    fc.assert(fc.property(fc.array(fc.option(fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)), maxLength: 40 }), { nil: null })), (elements) => {
      const out = new OutputBuffer();
      out.writeBulkArray(elements, '$-1\r\n');
      return out.take().toString('latin1') === `*${elements.length}\r\n${elements.map((value) => (value === null ? '$-1\r\n' : bulk(value))).join('')}`;
    }));
  });
});
