/**
 * What a load makes of an RDB, as a comparable string: 'format-error', or
 * the loaded dataset dumped key by key. Loads that keep values in their RDB
 * encoding must agree with loads that build every value, on any input.
 */
import { RdbFormatError } from '../../main/engine/rdb/format-error';
import { RdbLoader } from '../../main/engine/rdb/rdb-loader';
import { dumpDatabases } from './database-dump';

export function loadOutcome(bytes: Buffer, keepEncoded: boolean): string {
  const loader = new RdbLoader({ databases: 16, keepExpired: true, keepEncoded });
  try {
    loader.feed(bytes);
    // Reading every key decodes every kept value: a decode failure would throw here, not as a format error.
    return JSON.stringify(dumpDatabases(loader.finish().dbs));
  } catch (failure) {
    if (failure instanceof RdbFormatError) return 'format-error';
    throw failure;
  }
}

/** `dump` with bytes changed (xor, positions within the body) and its CRC zeroed, so only parsing can catch the changes. */
export function mutatedWithoutChecksum(dump: Buffer, changes: ReadonlyArray<readonly [number, number]>): Buffer {
  const mutated = Buffer.from(dump);
  const body = mutated.length - 8 - 9;
  for (const [position, xor] of changes) {
    const at = 9 + (position % body);
    mutated[at] = mutated[at]! ^ xor;
  }
  mutated.fill(0, mutated.length - 8);
  return mutated;
}
