/**
 * The sds redis-server 7.0 holds for a raw string value (sds.c), which
 * MEMORY USAGE and DEBUG SDSLEN report: its header type and its `alloc`
 * field (the bytes it can hold without growing), from which its
 * allocation follows (jemalloc's size class of header + alloc + NUL).
 *
 *  - sdsnewlen (a string made whole: createRawStringObject when
 *    dbUnshareStringValue copies an embstr or int, SETBIT / SETRANGE /
 *    BITFIELD on a new key) takes the smallest header for the length,
 *    sdshdr5 below 32 bytes (it has no alloc field: no spare room), and
 *    records the allocator's usable size as alloc.
 *  - A value SET raw is the argv's exact sds, its spare room dropped by
 *    tryObjectEncoding when over a tenth of the length (alloc = len).
 *  - sdsMakeRoomFor (APPEND, SETRANGE, SETBIT, BITFIELD growing the
 *    string) keeps the sds when alloc - len covers the growth; otherwise
 *    it asks for twice the new length (below 1 MB; past it 1 MB more),
 *    with the header that length needs (never sdshdr5), and records the
 *    usable size as alloc, capped to what the header can express.
 *
 * Invariant: jemallocSizeClass(header + alloc + 1) is the allocation.
 */
import { jemallocSizeClass } from '../server/query-buffer';

export interface SdsShape {
  /** Header bytes: 1 (sdshdr5), 3, 5, 9 or 17. */
  readonly header: number;
  /** sdsalloc: the bytes the sds holds room for (its length for sdshdr5). */
  readonly alloc: number;
}

const SDS_MAX_PREALLOC = 1024 * 1024;

/** sdsReqType's header for a length: sdshdr5 below 32 bytes where `allowType5`. */
function headerFor(length: number, allowType5: boolean): number {
  if (length < 1 << 5) return allowType5 ? 1 : 3;
  if (length < 1 << 8) return 3;
  if (length < 1 << 16) return 5;
  return length < 2 ** 32 ? 9 : 17;
}

/** sdsTypeMaxSize. */
function typeMax(header: number): number {
  return header === 1 ? 31 : header === 3 ? 255 : header === 5 ? 65535 : header === 9 ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
}

function usableAlloc(header: number, request: number): number {
  return Math.min(jemallocSizeClass(header + request + 1) - header - 1, typeMax(header));
}

/** sdsnewlen: an empty string gets sdshdr8 (it is made to be appended to). */
export function newSds(length: number): SdsShape {
  const header = headerFor(length, length > 0);
  return { header, alloc: header === 1 ? length : usableAlloc(header, length) };
}

/** A raw value as SET stores it: the argv's sds, its spare room trimmed when over a tenth of the length. */
export function setSds(length: number): SdsShape {
  const made = newSds(length);
  return made.alloc - length > Math.floor(length / 10) ? { header: made.header, alloc: length } : made;
}

/** sdsMakeRoomFor (greedy): the sds once it holds `length` bytes where it held `current`. */
export function grownSds(shape: SdsShape, length: number): SdsShape {
  if (length <= shape.alloc) return shape;
  const request = length < SDS_MAX_PREALLOC ? length * 2 : length + SDS_MAX_PREALLOC;
  const header = headerFor(request, false);
  return { header, alloc: usableAlloc(header, request) };
}

/** zmalloc_size of the sds. */
export function sdsAllocation(shape: SdsShape): number {
  return jemallocSizeClass(shape.header + shape.alloc + 1);
}

/**
 * The sds of a raw string value: the one recorded where an in-place write
 * grew it (Database.sdsShapes), else as it was made: by SET (a derived raw
 * encoding) or by sdsnewlen (a string made raw by a write, the copy
 * dbUnshareStringValue makes of an embstr or int).
 */
export function valueSds(recorded: number | undefined, length: number, madeBySet: boolean): SdsShape {
  if (recorded !== undefined) return unpackSds(recorded);
  return madeBySet ? setSds(length) : newSds(length);
}

/** The shape as one number, for Database.sdsShapes. */
export function packSds(shape: SdsShape): number {
  return shape.alloc * 32 + shape.header;
}

export function unpackSds(packed: number): SdsShape {
  return { header: packed % 32, alloc: Math.floor(packed / 32) };
}
