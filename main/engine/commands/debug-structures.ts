/**
 * DEBUG's looks at low-level structures (debug.c): SDSLEN, LISTPACK,
 * QUICKLIST and CLIENT-EVICTION, with Redis 7.0's replies.
 *
 * LISTPACK and QUICKLIST print the structure on Redis's stdout and answer a
 * fixed status line: we answer the same line and print nothing (an
 * embedded node has no console of its own to print on).
 *
 * SDSLEN's sizes are those of Redis's allocations, which we do not make:
 * the lengths are the strings' own; the zmalloc and avail figures are those
 * of the sds Redis would have allocated for a string written whole (SET
 * and the like), by jemalloc's size classes (jemalloc 5.3 on x86-64, as
 * Debian builds Redis; a libc-malloc build answers other figures). A string
 * grown in place (APPEND, SETRANGE, SETBIT, BITFIELD) has the greedy spare
 * room sdsMakeRoomFor gave it in Redis (memory/sds-layout.ts).
 *
 * CLIENT-EVICTION lists the client memory buckets; the clients in them
 * are those client eviction may close, their memory as client-memory.ts
 * models it (the figures of CLIENT LIST's tot-mem).
 */
import { clientMemoryUsage } from '../server/client-memory';
import { evictionMayClose } from '../server/client-eviction';
import { objectEncoding } from '../keyspace/encoding';
import { encodingOverride, ENCODING_DERIVED } from '../keyspace/key-entry';
import { sdsAllocation, valueSds } from '../memory/sds-layout';
import * as errors from '../resp/errors';
import { error, simple, verbatim, type Reply } from '../resp/reply';
import type { CommandContext } from './command-context';

const EMBSTR_ROBJ_BYTES = 16;

/** jemalloc's usable size for a request of `bytes` (size classes: 8, then 4 per doubling from 16). */
export function jemallocSizeClass(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return Math.ceil(bytes / 16) * 16;
  const spacing = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / spacing) * spacing;
}

/** sdsReqType's header size: sdshdr5 (1 byte) below 32 bytes except empty strings (sdshdr8), then 8/16/32-bit lengths. */
function sdsHeaderBytes(length: number): number {
  if (length > 0 && length < 32) return 1;
  if (length < 256) return 3;
  if (length < 65536) return 5;
  return length < 2 ** 32 ? 9 : 17;
}

/** An sds made whole by sdsnewlen: its allocation, and the spare room (alloc - len) it records; sdshdr5 records none. */
function newSds(length: number): { allocation: number; avail: number } {
  const header = sdsHeaderBytes(length);
  const allocation = jemallocSizeClass(header + length + 1);
  return { allocation, avail: header === 1 ? 0 : allocation - header - length - 1 };
}

/** DEBUG SDSLEN <key>: looked up in the dict directly (no expiry), as debug.c does. */
export function debugSdsLen(ctx: CommandContext, key: string): Reply {
  const entry = ctx.db.dict.entry(key);
  if (entry === undefined) return errors.NO_SUCH_KEY;
  const value = ctx.db.dict.valueOf(entry);
  const encoding = typeof value === 'string' ? objectEncoding(value, ctx.db.dict.metaOfHolder(entry)) : '';
  if (encoding !== 'raw' && encoding !== 'embstr') return error('ERR Not an sds encoded string.');
  const text = value as string;
  // The key is the dict's sdsdup of the argument: sdsnewlen's room kept.
  const keySds = newSds(key.length);
  let valueAllocation: number;
  let valueAvail: number;
  if (encoding === 'embstr') {
    // The sds (sdshdr8, alloc = len) lives in the robj's allocation: its share is that allocation less the robj.
    valueAllocation = jemallocSizeClass(EMBSTR_ROBJ_BYTES + 3 + text.length + 1) - EMBSTR_ROBJ_BYTES;
    valueAvail = 0;
  } else {
    // As SET (spare room over a tenth of the length trimmed) or sdsnewlen made it, or as an in-place write grew it.
    const meta = ctx.db.dict.metaOfHolder(entry);
    const sds = valueSds(ctx.db.sdsShapes?.get(key), text.length, encodingOverride(meta) === ENCODING_DERIVED);
    valueAllocation = sdsAllocation(sds);
    valueAvail = sds.alloc - text.length;
  }
  return simple(
    `key_sds_len:${key.length}, key_sds_avail:${keySds.avail}, key_zmalloc: ${keySds.allocation}, ` +
      `val_sds_len:${text.length}, val_sds_avail:${valueAvail}, val_zmalloc: ${valueAllocation}`,
  );
}

/** DEBUG LISTPACK / QUICKLIST <key>: objectCommandLookupOrReply (expired keys are missing), then the encoding check. */
export function debugEncodingDump(ctx: CommandContext, key: string, expected: 'listpack' | 'quicklist'): Reply {
  const value = ctx.keyspace.lookupReadNoTouch(ctx.db, key, ctx.access, false);
  if (value === undefined) return errors.NO_SUCH_KEY;
  const encoding = objectEncoding(value, ctx.keyspace.keyMeta(ctx.db, key) ?? 0);
  if (expected === 'listpack') return encoding === 'listpack' ? simple('Listpack structure printed on stdout') : error('ERR Not a listpack encoded object.');
  return encoding === 'quicklist' ? simple('Quicklist structure printed on stdout') : error('ERR Not a quicklist encoded object.');
}

/** Bucket sizes as server.h has them: up to 32 KB (2^15), doubling, the last for 4 GB (2^32) and above. */
const BUCKET_MIN_LOG = 15;
const BUCKET_MAX_LOG = 33;
const BUCKETS = 1 + BUCKET_MAX_LOG - BUCKET_MIN_LOG;

/** getMemUsageBucket: the bucket of a client using `bytes`. */
function bucketOf(bytes: number): number {
  const sizeBits = bytes === 0 ? 0 : Math.floor(Math.log2(bytes)) + 1;
  return Math.min(Math.max(sizeBits - BUCKET_MIN_LOG, 0), BUCKETS - 1);
}

/** DEBUG CLIENT-EVICTION: the buckets exist while maxmemory-clients is not 0. */
export function debugClientEviction(ctx: CommandContext): Reply {
  if (ctx.node.config.int('maxmemory-clients') === 0) return error('ERR maxmemory-clients is disabled.');
  const sums = new Array<number>(BUCKETS).fill(0);
  const counts = new Array<number>(BUCKETS).fill(0);
  for (const client of ctx.node.clients.clients.values()) {
    if (!evictionMayClose(client)) continue;
    const bytes = clientMemoryUsage(client);
    const bucket = bucketOf(bytes);
    sums[bucket]! += bytes;
    counts[bucket]! += 1;
  }
  let text = '';
  for (let j = 0; j < BUCKETS; j++) {
    text += j === 0 ? 'bucket          0' : `bucket ${String(2 ** (j - 1 + BUCKET_MIN_LOG)).padStart(10)}`;
    text += j === BUCKETS - 1 ? '+            : ' : ` - ${String(2 ** (j + BUCKET_MIN_LOG) - 1).padStart(10)}: `;
    text += `tot-mem: ${String(sums[j]).padStart(10)}, clients: ${counts[j]}\n`;
  }
  return verbatim(text);
}
