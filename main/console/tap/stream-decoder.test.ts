/**
 * The stream decoder on a replication stream as a master writes it (SELECT,
 * commands, a keepalive newline, an empty argument, a value longer than the
 * kept bytes): the same commands and the same offsets whether the stream
 * arrives whole, byte by byte, or split in two at every boundary; anything
 * that is not the stream is refused.
 */
import { describe, expect, it } from 'vitest';
import { ReplicationStreamDecoder, StreamProtocolError, type DecodedCommand } from './stream-decoder';

function resp(...args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

const LONG = 'v'.repeat(40);
const STREAM = Buffer.from([resp('SELECT', '0'), resp('SET', 'user:1', LONG), '\n', resp('PING'), resp('HSET', 'h', '', 'x'), resp('REPLCONF', 'GETACK', '*')].join(''));

interface Seen {
  args: string[];
  lengths: number[];
  bytes: number;
  consumedAfter: number;
}

function decode(chunks: Buffer[]): Seen[] {
  const seen: Seen[] = [];
  const decoder: ReplicationStreamDecoder = new ReplicationStreamDecoder((command: DecodedCommand) => {
    seen.push({ args: command.args.map((arg) => arg.toString()), lengths: [...command.lengths], bytes: command.bytes, consumedAfter: decoder.consumed });
  }, 16);
  for (const chunk of chunks) decoder.feed(chunk);
  expect(decoder.consumed).toBe(STREAM.length);
  expect(decoder.pendingBytes).toBe(0);
  return seen;
}

describe('ReplicationStreamDecoder', () => {
  const whole = decode([STREAM]);

  it('decodes every command with its bytes, arguments cut to the kept length', () => {
    expect(whole.map((command) => command.args[0])).toEqual(['SELECT', 'SET', 'PING', 'HSET', 'REPLCONF']);
    expect(whole[1]!.args[2]).toBe('v'.repeat(16));
    expect(whole[1]!.lengths[2]).toBe(40);
    expect(whole[3]!.args[2]).toBe('');
    expect(whole.reduce((sum, command) => sum + command.bytes, 0)).toBe(STREAM.length - 1); // the keepalive newline is no command
    expect(whole[4]!.consumedAfter).toBe(STREAM.length);
  });

  it('gives the same result byte by byte and split at every boundary', () => {
    expect(decode([...STREAM].map((byte) => Buffer.from([byte])))).toEqual(whole);
    for (let at = 1; at < STREAM.length; at++) expect(decode([STREAM.subarray(0, at), STREAM.subarray(at)])).toEqual(whole);
  });

  it('refuses what is not the replication stream', () => {
    for (const bad of ['PING\r\n', '*1\r\n:1\r\n', '*1\r\n$3\r\nabcXY', '*x\r\n', `*1\r\n$${'9'.repeat(40)}\r\n`]) {
      const decoder = new ReplicationStreamDecoder(() => {});
      expect(() => decoder.feed(Buffer.from(bad)), bad).toThrow(StreamProtocolError);
    }
  });
});
