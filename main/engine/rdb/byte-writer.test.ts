import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer';

/** A string of `length` chars cycling through every byte value, NUL and 0xff included. */
function bytesText(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode((i * 37 + 255) % 256);
  return text;
}

describe('ByteWriter latin1', () => {
  // 24 chars are copied by the loop, 25 by Buffer#write: both must write what Buffer.from(text, 'latin1') holds.
  const texts: Array<[string, string]> = [
    ['empty', ''],
    ['24 chars', bytesText(24)],
    ['25 chars', bytesText(25)],
    ['a short string with a char above 0xff', 'a\u0100b\u20acc\uffff'],
    ['a long string with a char above 0xff', `${bytesText(30)}\u0141${bytesText(10)}`],
  ];

  it.each(texts)('%s: the bytes of Buffer.from(text, "latin1")', (_name, text) => {
    const alone = new ByteWriter();
    alone.latin1(text);
    expect(alone.drain()).toEqual(Buffer.from(text, 'latin1'));
    // After other bytes, in a buffer that has to grow for it.
    const after = new ByteWriter(4);
    after.byte(7);
    after.latin1(text);
    expect(after.drain()).toEqual(Buffer.concat([Buffer.from([7]), Buffer.from(text, 'latin1')]));
  });
});
