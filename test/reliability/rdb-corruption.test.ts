/**
 * Corrupt RDB files never crash the loader and never load silently wrong:
 * a small dump written by a real redis-server (strings, integers, a
 * listpack hash and zset, an intset, a quicklist, an expiring key, two
 * databases) is cut at every length and has every byte flipped; each
 * variant must end in RdbFormatError (truncation, bad encoding, or the
 * CRC64 mismatch), never another exception, never a completed load. Then a
 * fixed-seed run of random multi-byte mutations over the full every-encoding
 * dump: each ends in RdbFormatError or a load whose CRC still matched.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RdbFormatError } from '../../main/engine/rdb/format-error';
import { RdbLoader } from '../../main/engine/rdb/rdb-loader';
import { everyEncodingCommands, runCommands } from '../support/dataset';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';

let small: Buffer;
let large: Buffer;

async function dumpOf(commands: ReadonlyArray<ReadonlyArray<string>>): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-corrupt-'));
  const redis = await startRedisServer({ dir, args: ['--dbfilename', 'dump.rdb'] });
  await runCommands(redis, commands);
  await redis.call('SAVE');
  const bytes = readFileSync(path.join(dir, 'dump.rdb'));
  await redis.stop({ keepDir: true });
  return bytes;
}

beforeAll(async () => {
  small = await dumpOf([
    ['SET', 's', 'hello'], ['SET', 'n', '12345'], ['HSET', 'h', 'f', 'v', 'g', 'w'], ['ZADD', 'z', '1', 'a', '2.5', 'b'],
    ['SADD', 'i', '1', '2', '3'], ['RPUSH', 'l', 'x', 'y', 'z'], ['SET', 'e', 'v', 'PX', '99999999'], ['SELECT', '3'], ['SET', 'other', 'db'],
  ]);
  large = await dumpOf(everyEncodingCommands().map((command) => command.map(String)));
});

afterAll(async () => {
  await stopAllRedisServers();
});

type Outcome = 'loaded' | 'format-error';

function load(bytes: Buffer): Outcome {
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  try {
    loader.feed(bytes);
    loader.finish();
    return 'loaded';
  } catch (failure) {
    if (failure instanceof RdbFormatError) return 'format-error';
    throw failure;
  }
}

describe('corrupt RDB input', () => {
  it('the intact small dump loads', () => {
    expect(load(small)).toBe('loaded');
  });

  it('every truncation point is a format error', () => {
    for (let length = 0; length < small.length; length++) {
      expect({ length, outcome: load(small.subarray(0, length)) }).toEqual({ length, outcome: 'format-error' });
    }
  });

  it('every single-byte flip is a format error (the CRC64 catches what parsing does not)', () => {
    for (let index = 0; index < small.length; index++) {
      const mutated = Buffer.from(small);
      mutated[index] = mutated[index]! ^ 0xff;
      expect({ index, outcome: load(mutated) }).toEqual({ index, outcome: 'format-error' });
    }
  });

  it('a key stored twice in one database is refused with the key named (the same dump with only its CRC zeroed loads)', () => {
    // 's' and 'n' are one-byte keys: renaming 'n' to 's' makes a duplicate.
    // A stored CRC of zero means "not checked", so only the duplicate can fail.
    const renamed = Buffer.from(small);
    const at = renamed.indexOf(Buffer.from('\x01n', 'latin1'));
    expect(at).toBeGreaterThan(0);
    renamed[at + 1] = 's'.charCodeAt(0);
    renamed.fill(0, renamed.length - 8);
    const loader = new RdbLoader({ databases: 16, keepExpired: true });
    expect(() => loader.feed(renamed)).toThrow(/Duplicated key found in RDB file: 's'/);
    const unchecked = Buffer.from(small).fill(0, small.length - 8);
    expect(load(unchecked)).toBe('loaded');
  });

  it('random multi-byte mutations of a dump with every encoding (fixed seed)', () => {
    expect(load(large)).toBe('loaded');
    const mutation = fc.array(fc.tuple(fc.nat({ max: large.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(mutation, (changes) => {
        const mutated = Buffer.from(large);
        for (const [index, xor] of changes) mutated[index] = mutated[index]! ^ xor;
        expect(load(mutated)).toBe('format-error');
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});
