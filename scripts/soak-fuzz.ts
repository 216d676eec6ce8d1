/**
 * The fuzzing phases of `npm run soak`, with random seeds (printed on
 * failure so a case can be replayed):
 *  - RDB reader: a dump written by a real redis-server with every encoding,
 *    fed in random chunk sizes (must load), truncated at random (must be a
 *    format error) and with random multi-byte mutations (format error: the
 *    CRC64 catches what parsing does not); never another exception; the
 *    same mutations with the CRC zeroed load alike whether values are kept
 *    in RDB encoding or built (same dataset, or both a format error);
 *  - DUMP/RESTORE: payloads DUMPed by our engine for every type, mutated and
 *    RESTOREd: always Redis's error reply, never a load, the server answers;
 *  - the glob matcher: longer random patterns than the unit test's, same
 *    answer as the memoized reference and at most stars x length + 1 frames.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { RdbFormatError } from '../main/engine/rdb/format-error';
import { RdbLoader } from '../main/engine/rdb/rdb-loader';
import { lastMatchFrames, stringMatch } from '../main/engine/util/glob';
import { everyEncodingCommands, runCommands } from '../test/support/dataset';
import { globCases, referenceMatch } from '../test/support/glob-reference';
import { loadOutcome, mutatedWithoutChecksum } from '../test/support/rdb-outcome';
import { startEngine, stopAllEngines } from '../test/support/engine';
import { startRedisServer } from '../test/support/redis-server';
import { RespConnection } from '../test/support/resp-connection';

type Outcome = 'loaded' | 'format-error';

function load(bytes: Buffer, chunkSizes: readonly number[] = [bytes.length]): Outcome {
  const loader = new RdbLoader({ databases: 16, keepExpired: true });
  try {
    let offset = 0;
    for (let i = 0; offset < bytes.length; i++) {
      const size = Math.max(1, chunkSizes[i % chunkSizes.length]!);
      loader.feed(bytes.subarray(offset, offset + size));
      offset += size;
    }
    loader.finish();
    return 'loaded';
  } catch (failure) {
    if (failure instanceof RdbFormatError) return 'format-error';
    throw failure;
  }
}

async function realDump(): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-soak-rdb-'));
  const redis = await startRedisServer({ dir, args: ['--dbfilename', 'dump.rdb'] });
  try {
    await runCommands(redis, everyEncodingCommands());
    await redis.call('SAVE');
    return readFileSync(path.join(dir, 'dump.rdb'));
  } finally {
    await redis.stop({ keepDir: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Returns the number of cases run; throws with the seed on the first wrong outcome. */
export async function rdbFuzz(until: number): Promise<number> {
  const dump = await realDump();
  let cases = 0;
  while (Date.now() < until) {
    const seed = (Date.now() ^ (cases * 2246822519)) >>> 0;
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 16 }),
      fc.nat({ max: dump.length - 1 }),
      fc.array(fc.tuple(fc.nat({ max: dump.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
      (chunks, cut, changes) => {
        if (load(dump, chunks) !== 'loaded') throw new Error('the intact dump did not load when fed in chunks');
        if (load(dump.subarray(0, cut), chunks) !== 'format-error') throw new Error(`a dump truncated at ${cut} did not fail`);
        const mutated = Buffer.from(dump);
        for (const [index, xor] of changes) mutated[index] = mutated[index]! ^ xor;
        if (load(mutated, chunks) !== 'format-error') throw new Error('a mutated dump loaded');
        const unchecked = mutatedWithoutChecksum(dump, changes);
        if (loadOutcome(unchecked, true) !== loadOutcome(unchecked, false)) throw new Error('kept and built loads of a mutated dump without a checksum differ');
      },
    ), { seed, numRuns: 100 });
    cases += 400;
  }
  return cases;
}

/** Returns the number of RESTOREs of mutated payloads; throws on the first that is not refused. */
export async function dumpPayloadFuzz(until: number): Promise<number> {
  const ours = await startEngine();
  const connection = new RespConnection('127.0.0.1', ours.port);
  let cases = 0;
  try {
    await runCommands(ours, everyEncodingCommands());
    const keys = (await connection.call('KEYS', '*')) as string[];
    const payloads = await Promise.all(keys.map(async (key) => (await connection.call('DUMP', key)) as Buffer));
    while (Date.now() < until) {
      const seed = (Date.now() ^ (cases * 3266489917)) >>> 0;
      const samples = fc.sample(fc.tuple(fc.nat({ max: payloads.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 })), { seed, numRuns: 200 });
      for (const [which, changes] of samples) {
        const mutated = Buffer.from(payloads[which]!);
        for (const [position, xor] of changes) mutated[position % mutated.length] = mutated[position % mutated.length]! ^ xor;
        const reply = await connection.call('RESTORE', 'fuzzed', '0', mutated, 'REPLACE');
        if (!(reply instanceof Error) || !/^ERR (DUMP payload version or checksum are wrong|Bad data format)$/.test(reply.message)) {
          throw new Error(`seed ${seed}: a mutated DUMP payload of ${keys[which]} was answered ${String(reply)}`);
        }
        cases++;
      }
      if ((await connection.call('PING')) !== 'PONG') throw new Error(`seed ${seed}: the server stopped answering`);
    }
    return cases;
  } finally {
    connection.close();
    await stopAllEngines();
  }
}

/** Glob matcher against the reference until the deadline; returns the number of cases checked. */
export function globFuzz(until: number): number {
  let cases = 0;
  while (Date.now() < until) {
    const seed = Date.now() >>> 0;
    fc.assert(fc.property(globCases(40), ({ pattern, text, noCase }) => {
      const answer = stringMatch(pattern, text, noCase);
      const stars = pattern.split('*').length - 1;
      if (answer !== referenceMatch(pattern, text, noCase)) throw new Error(`seed ${seed}: ${JSON.stringify({ pattern, text, noCase })} answered ${answer}`);
      if (lastMatchFrames() > stars * text.length + 1) throw new Error(`seed ${seed}: ${JSON.stringify({ pattern, text })} took ${lastMatchFrames()} frames`);
    }), { seed, numRuns: 5000 });
    cases += 5000;
  }
  return cases;
}
