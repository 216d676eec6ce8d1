/**
 * The request decoder is a state machine over chunks: whatever way the same
 * bytes are cut (whole, byte by byte, at every split point, random chunks),
 * it must deliver the same requests with the same wire lengths, and a
 * malformed stream must fail with the same error after the same requests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, RequestDecoder } from './request-decoder';

interface Outcome {
  readonly commands: Array<{ argv: string[]; wireLength: number; inline: boolean }>;
  readonly error: string | null;
}

function decode(chunks: ReadonlyArray<Buffer>, options: { authenticated?: boolean; maxBulkLength?: number } = {}): Outcome {
  const decoder = new RequestDecoder({ maxBulkLength: options.maxBulkLength ?? 512 * 1024 * 1024, isAuthenticated: () => options.authenticated ?? true });
  const commands: Outcome['commands'] = [];
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk, (argv, wireLength, inline) => {
        commands.push({ argv: [...argv], wireLength, inline });
      });
    }
  } catch (failure) {
    if (!(failure instanceof ProtocolError)) throw failure;
    return { commands, error: failure.message };
  }
  return { commands, error: null };
}

function multibulk(...args: Array<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const binary = Buffer.from([0, 13, 10, 36, 42, 255, 13]);

const FIXTURES: Array<[string, Buffer]> = [
  ['one multibulk', multibulk('SET', 'key', 'value')],
  ['binary and CRLF inside a bulk', multibulk('SET', binary, binary)],
  ['empty bulk and empty multibulk', Buffer.concat([multibulk('SET', 'k', ''), Buffer.from('*0\r\n'), multibulk('PING')])],
  ['a 100 KB bulk', multibulk('SET', 'big', 'x'.repeat(100_000))],
  ['inline commands with quotes and escapes', Buffer.from('SET "a key" \'v\\\'x\'\r\nGET "a\\x41"\nPING\r\n')],
  ['empty inline lines', Buffer.from('\r\n\r\nPING\r\n')],
  ['a pipeline mixing both forms', Buffer.concat([multibulk('PING'), Buffer.from('ECHO hi\r\n'), multibulk('ECHO', binary), Buffer.from('PING\n')])],
  ['a valid request then a bad header', Buffer.concat([multibulk('PING'), Buffer.from('*1\r\n$x\r\n')])],
  ['a bulk not followed by CRLF', Buffer.from('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n')],
  ['unbalanced quotes', Buffer.from('PING\r\nSET "a b\r\n')],
  ['negative multibulk count', Buffer.from('*-5\r\nPING\r\n')],
  ['a NUL before a line ends stalls it: requests before it run, none after', Buffer.concat([multibulk('PING'), Buffer.from('GET a\x00\r\nPING\r\n*1\r\n$4\r\nPING\r\n', 'latin1')])],
  ['a NUL in a bulk header stalls it', Buffer.concat([multibulk('PING'), Buffer.from('*1\r\n$4\x00\r\nPING\r\n', 'latin1')])],
  ['a stalled header fails once 64 KB have piled up', Buffer.concat([multibulk('PING'), Buffer.from('*1\x00\r\n', 'latin1'), Buffer.alloc(66 * 1024, '\r')])],
];

function splitsOf(bytes: Buffer): Buffer[][] {
  const cuts: Buffer[][] = [];
  for (let at = 1; at < bytes.length; at++) cuts.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return cuts;
}

describe('request decoder: same outcome whatever the chunking', () => {
  for (const [name, bytes] of FIXTURES) {
    it(name, () => {
      const whole = decode([bytes]);
      expect(whole.commands.length + (whole.error ? 1 : 0)).toBeGreaterThan(0);
      const byteByByte = decode(Array.from(bytes, (byte) => Buffer.from([byte])));
      expect(byteByByte).toEqual(whole);
      // Every split point of the small fixtures (the 100 KB one: every 997th).
      const step = bytes.length > 10_000 ? 997 : 1;
      splitsOf(bytes).forEach((parts, index) => {
        if (index % step === 0) expect(decode(parts)).toEqual(whole);
      });
    });
  }

  it('wire lengths add up to the bytes consumed', () => {
    const bytes = FIXTURES[6]![1];
    const { commands, error } = decode([bytes]);
    expect(error).toBeNull();
    expect(commands.reduce((sum, command) => sum + command.wireLength, 0)).toBe(bytes.length);
  });

  it('random pipelines cut at random places (fixed seed)', () => {
    const argument = fc.uint8Array({ maxLength: 40 }).map((array) => Buffer.from(array));
    const request = fc.array(argument, { minLength: 1, maxLength: 6 }).map((args) => multibulk(...args));
    const pipeline = fc.array(request, { minLength: 1, maxLength: 30 }).map((requests) => Buffer.concat(requests));
    fc.assert(
      fc.property(pipeline, fc.array(fc.nat(), { maxLength: 20 }), (bytes, rawCuts) => {
        const cuts = [...new Set(rawCuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const cut of cuts) {
          chunks.push(bytes.subarray(from, cut));
          from = cut;
        }
        chunks.push(bytes.subarray(from));
        expect(decode(chunks)).toEqual(decode([bytes]));
      }),
      { seed: 20261124, numRuns: 300 },
    );
  });
});

describe('request decoder: limits and errors', () => {
  it('Redis messages for malformed headers', () => {
    expect(decode([Buffer.from('*abc\r\n')]).error).toBe('Protocol error: invalid multibulk length');
    expect(decode([Buffer.from('*1\r\n+x\r\n')]).error).toBe("Protocol error: expected '$', got '+'");
    expect(decode([Buffer.from('*1\r\n$-1\r\n')]).error).toBe('Protocol error: invalid bulk length');
    expect(decode([Buffer.from('*1\r\n$11\r\n')], { maxBulkLength: 10 }).error).toBe('Protocol error: invalid bulk length');
    expect(decode([Buffer.from('A'.repeat(65 * 1024))]).error).toBe('Protocol error: too big inline request');
    expect(decode([Buffer.from('*' + '1'.repeat(65 * 1024))]).error).toBe('Protocol error: too big mbulk count string');
  });

  it('unauthenticated clients get the small limits', () => {
    expect(decode([Buffer.from('*11\r\n')], { authenticated: false }).error).toBe('Protocol error: unauthenticated multibulk length');
    expect(decode([Buffer.from('*1\r\n$16385\r\n')], { authenticated: false }).error).toBe('Protocol error: unauthenticated bulk length');
    expect(decode([Buffer.from('*1\r\n$16385\r\n')], { authenticated: true }).error).toBeNull();
  });

  it('command names of the same length are told apart (the last name is reused only for equal bytes)', () => {
    const names = ['SET', 'GET', 'GET', 'SET', 'set', 'SEt', 'S\u00ffT', 'SET', 'LPUSH', 'RPUSH', 'RPUSH', 'x', 'y', ''];
    const bytes = Buffer.concat(names.map((name) => multibulk(name, 'k')));
    expect(decode([bytes]).commands.map((command) => command.argv[0])).toEqual(names);
    expect(decode([...bytes].map((byte) => Buffer.from([byte]))).commands.map((command) => command.argv[0])).toEqual(names);
  });

  it('arguments of equal length differing in one byte are told apart at every remembered position (word and tail compares)', () => {
    // Lengths 1..64 (the longest remembered), one byte changed at each place
    // in turn: the compare runs four bytes at a time, then byte by byte.
    const requests: string[][] = [];
    for (const length of [1, 3, 4, 5, 7, 8, 9, 16, 20, 23, 64]) {
      const base = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!?'.slice(0, length);
      for (let place = 0; place < length; place++) {
        const changed = `${base.slice(0, place)}\u00ff${base.slice(place + 1)}`;
        for (const argument of [base, changed, changed, base]) requests.push(['CMD', 'k', 'f1', 'f2', 'f3', argument, argument]);
        requests.push([base, changed, base, changed, base, changed]);
      }
    }
    const bytes = Buffer.concat(requests.map((argv) => multibulk(...argv)));
    expect(decode([bytes]).commands.map((command) => command.argv)).toEqual(requests);
  });

  it('argumentBytes holds the bytes of each remembered argument while its request runs, whatever the chunking, and of nothing else', () => {
    const requests = [
      ['PFADD', 'hll', 'element:000000012345', '\u00ff\u0000x'],
      ['PFADD', 'hll', 'element:000000067890', 'a'.repeat(64), 'b'.repeat(65), 'c', 'seventh'],
      ['PFADD', 'hll', 'element:000000067890'],
      ['GET', ''],
    ];
    const bytes = Buffer.concat(requests.map((argv) => multibulk(...argv)));
    // Whole requests in one chunk have their bytes held; a request cut across chunks may not (-1), but never wrong bytes.
    for (const [chunks, whole] of [[[bytes], true], [[...bytes].map((byte) => Buffer.from([byte])), false]] as const) {
      const decoder = new RequestDecoder({ maxBulkLength: 1024, isAuthenticated: () => true });
      let seen = 0;
      for (const chunk of chunks) {
        decoder.feed(chunk, (argv) => {
          const held = decoder.argumentBytes;
          argv.forEach((argument, position) => {
            const at = held.bytesAt(position, argument);
            // Positions 0-5 of up to 64 bytes are remembered; the 65-byte and the seventh argument are not.
            if (position >= 6 || argument.length > 64 || (!whole && at === -1)) expect(at).toBe(-1);
            else expect(Buffer.from(held.rememberedBytes.subarray(at, at + argument.length)).toString('latin1')).toBe(argument);
          });
          expect(held.bytesAt(2, 'element:000000099999')).toBe(-1);
          seen++;
        });
      }
      expect(seen).toBe(requests.length);
    }
  });

  it('a partial request is buffered, not delivered', () => {
    const decoder = new RequestDecoder({ maxBulkLength: 1024, isAuthenticated: () => true });
    const seen: string[][] = [];
    decoder.feed(Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\nhel'), (argv) => void seen.push(argv));
    expect(seen).toEqual([]);
    expect(decoder.isIdle).toBe(false);
    decoder.feed(Buffer.from('lo\r\n'), (argv) => void seen.push(argv));
    expect(seen).toEqual([['ECHO', 'hello']]);
    expect(decoder.isIdle).toBe(true);
  });

  it('stopping mid-chunk hands back the unread bytes', () => {
    const decoder = new RequestDecoder({ maxBulkLength: 1024, isAuthenticated: () => true });
    const bytes = Buffer.concat([multibulk('PING'), multibulk('ECHO', 'x')]);
    const rest = decoder.feed(bytes, () => false);
    expect(rest?.equals(multibulk('ECHO', 'x'))).toBe(true);
  });
});

describe('request decoder: garbage', () => {
  it('random bytes end in requests, a protocol error, or a wait for more input, never another failure (fixed seed)', () => {
    const garbage = fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(Buffer.from('*'), Buffer.from('$'), Buffer.from('\r\n'), Buffer.from('*3\r\n'), Buffer.from('$-1\r\n'), Buffer.from('"'))), { maxLength: 30 })
      .map((parts) => Buffer.concat(parts.map((part) => Buffer.from(part))));
    fc.assert(
      fc.property(garbage, fc.nat({ max: 64 }), (bytes, cut) => {
        const outcome = decode([bytes.subarray(0, cut), bytes.subarray(cut)], { authenticated: false });
        if (outcome.error !== null) expect(outcome.error).toMatch(/^Protocol error: /);
        expect(decode([bytes], { authenticated: false })).toEqual(outcome);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});
