/**
 * The sds an in-place string write (APPEND, SETRANGE, SETBIT, BITFIELD on
 * an existing key) leaves, recorded for MEMORY USAGE and DEBUG SDSLEN
 * (memory/sds-layout.ts): dbUnshareStringValue's copy of an embstr or int
 * (or the raw sds itself), grown by sdsMakeRoomFor to the new length.
 * Read the sds before the write's setKey (which drops the record) and
 * record it after.
 */
import { objectEncoding } from '../keyspace/encoding';
import { encodingOverride, ENCODING_DERIVED } from '../keyspace/key-entry';
import { grownSds, newSds, packSds, valueSds, type SdsShape } from '../memory/sds-layout';
import type { CommandContext } from './command-context';

/** The sds of the key's string `current` as the write finds it, unshared (a raw sds kept, anything else copied whole). */
export function sdsBeforeWrite(ctx: CommandContext, key: string, current: string): SdsShape {
  const meta = ctx.keyspace.keyMeta(ctx.db, key) ?? 0;
  if (objectEncoding(current, meta) !== 'raw') return newSds(current.length);
  return valueSds(ctx.db.sdsShapes?.get(key), current.length, encodingOverride(meta) === ENCODING_DERIVED);
}

/** Records the sds `before` grown to `length` bytes (after the write's setKey). */
export function recordWrittenSds(ctx: CommandContext, key: string, before: SdsShape, length: number): void {
  ctx.keyspace.recordSds(ctx.db, key, packSds(grownSds(before, length)));
}
