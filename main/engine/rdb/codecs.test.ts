import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeListpack, encodeListpack } from './listpack';
import { decodeIntset, encodeIntset } from './intset';
import { RdbFormatError } from './format-error';

describe('listpack', () => {
  it('decodes the example of the reference (§6.9)', () => {
    const blob = Buffer.from('16000000040081610201018162028568656c6c6f06ff', 'hex');
    expect(decodeListpack(blob)).toEqual(['a', '1', 'b', 'hello']);
    expect(encodeListpack(['a', '1', 'b', 'hello']).toString('hex')).toBe(blob.toString('hex'));
  });

  it('round-trips strings and integers of every encoding', () => {
    const values = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32767', '8388607', '-8388608', '2147483647', '-2147483648', '9223372036854775807', '-9223372036854775808', '', 'x', 'a'.repeat(63), 'b'.repeat(64), 'c'.repeat(4095), 'd'.repeat(4096), '007', '+1', '1.5', '\u0000\u00ff'];
    const blob = encodeListpack(values);
    expect(blob.readUInt32LE(0)).toBe(blob.length);
    expect(decodeListpack(blob)).toEqual(values);
  });

  it('round-trips arbitrary string lists (property)', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 300 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')), { maxLength: 50 }), (values) => {
      expect(decodeListpack(encodeListpack(values))).toEqual(values);
    }), { seed: 7, numRuns: 200 });
  });

  it('rejects a wrong header length or a missing terminator', () => {
    const blob = encodeListpack(['a', 'b']);
    const wrongTotal = Buffer.from(blob);
    wrongTotal.writeUInt32LE(blob.length + 1, 0);
    expect(() => decodeListpack(wrongTotal)).toThrow(RdbFormatError);
    const noEnd = Buffer.from(blob);
    noEnd[noEnd.length - 1] = 0;
    expect(() => decodeListpack(noEnd)).toThrow(/0xFF/);
  });
});

describe('intset', () => {
  it('round-trips with the smallest width', () => {
    expect(encodeIntset(['3', '1', '2']).readUInt32LE(0)).toBe(2);
    expect(encodeIntset(['1', '100000']).readUInt32LE(0)).toBe(4);
    expect(encodeIntset(['1', '5000000000']).readUInt32LE(0)).toBe(8);
    const members = ['-9223372036854775808', '-5', '0', '7', '9223372036854775807'];
    expect(decodeIntset(encodeIntset([...members].reverse()))).toEqual(members);
  });

  it('rejects bad headers, unsorted data and emptiness', () => {
    expect(() => decodeIntset(Buffer.from('0300000001000000aaaaaa', 'hex'))).toThrow(/encoding/);
    expect(() => decodeIntset(Buffer.from('020000000300000001000200', 'hex'))).toThrow(/header says/);
    expect(() => decodeIntset(Buffer.from('0200000000000000', 'hex'))).toThrow(/empty intset/);
    expect(() => decodeIntset(Buffer.from('020000000200000002000100', 'hex'))).toThrow(/not sorted/);
    expect(decodeIntset(Buffer.from('020000000200000001000200', 'hex'))).toEqual(['1', '2']);
    expect(() => decodeIntset(Buffer.from('02000000020000000200', 'hex'))).toThrow(RdbFormatError);
  });
});
