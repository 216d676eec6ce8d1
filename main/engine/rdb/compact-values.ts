/**
 * Values stored as one blob in an RDB (intset, listpack, ziplist, zipmap):
 * building our value from the blob, and checking a blob as strictly as
 * building it would, without building it (a load that keeps the value in
 * its RDB encoding until first access still refuses what a building load
 * refuses: bad headers, odd pair counts, duplicate members or fields,
 * invalid scores).
 */
import type { RedisValue } from '../keyspace/values';
import * as C from './constants';
import { RdbFormatError } from './format-error';
import { decodeIntset, validateIntset } from './intset';
import { decodeListpack, listpackElementText, newListpackElement, scanListpack, type ListpackElement } from './listpack';
import { latin1String } from '../util/latin1';
import { HashBuilder, ListBuilder, SetBuilder, ZSetBuilder, type EncodingLimits } from './value-builders';
import { decodeZiplist } from './ziplist';
import { decodeZipmap } from './zipmap';

/** The blob types whose value is the blob alone (no per-element framing around it). */
export function isCompactBlobType(type: number): boolean {
  return (
    type === C.RDB_TYPE_SET_INTSET ||
    type === C.RDB_TYPE_SET_LISTPACK ||
    type === C.RDB_TYPE_HASH_LISTPACK ||
    type === C.RDB_TYPE_ZSET_LISTPACK ||
    type === C.RDB_TYPE_HASH_ZIPMAP ||
    type === C.RDB_TYPE_LIST_ZIPLIST ||
    type === C.RDB_TYPE_ZSET_ZIPLIST ||
    type === C.RDB_TYPE_HASH_ZIPLIST
  );
}

/** Builds the value of a compact blob type; `offset` locates errors. */
export function buildCompactValue(type: number, blob: Buffer, limits: EncodingLimits, offset: number): RedisValue {
  switch (type) {
    case C.RDB_TYPE_HASH_ZIPMAP:
      return buildHash(decodeZipmap(blob), limits, offset);
    case C.RDB_TYPE_LIST_ZIPLIST: {
      const list = new ListBuilder();
      for (const element of decodeZiplist(blob)) list.add(element);
      return list.finish();
    }
    case C.RDB_TYPE_SET_INTSET:
    case C.RDB_TYPE_SET_LISTPACK: {
      const set = new SetBuilder();
      for (const member of type === C.RDB_TYPE_SET_INTSET ? decodeIntset(blob) : decodeListpack(blob)) set.add(member, offset);
      return set.finish(limits, type === C.RDB_TYPE_SET_INTSET ? blob.readUInt32LE(0) : 2);
    }
    case C.RDB_TYPE_ZSET_ZIPLIST:
    case C.RDB_TYPE_ZSET_LISTPACK: {
      const flat = pairs(type === C.RDB_TYPE_ZSET_ZIPLIST ? decodeZiplist(blob) : decodeListpack(blob), 'sorted set', offset);
      const zset = new ZSetBuilder();
      for (let i = 0; i < flat.length; i += 2) zset.add(flat[i]!, parseScore(flat[i + 1]!, offset), offset);
      return zset.finish(limits);
    }
    case C.RDB_TYPE_HASH_ZIPLIST:
    case C.RDB_TYPE_HASH_LISTPACK:
      return buildHash(type === C.RDB_TYPE_HASH_ZIPLIST ? decodeZiplist(blob) : decodeListpack(blob), limits, offset);
    default:
      throw new RdbFormatError(`internal: ${type} is not a compact blob type`, offset);
  }
}

/**
 * Checks the blob bytes[start, end) of type intset, set/hash/zset listpack
 * the way buildCompactValue would, without building; returns the element
 * count (0 means an empty value, which loading skips).
 */
export function validateCompactValue(type: number, bytes: Buffer, start: number, end: number, offset: number): number {
  switch (type) {
    case C.RDB_TYPE_SET_INTSET:
      return validateIntset(bytes, start, end);
    case C.RDB_TYPE_SET_LISTPACK: {
      const members = decodeListpack(bytes.subarray(start, end));
      assertUnique(members, 1, 'Duplicate set members detected', offset);
      return members.length;
    }
    case C.RDB_TYPE_HASH_LISTPACK: {
      const small = validateSmallPairs(bytes, start, end, 'hash', 'Duplicate hash fields detected', false, offset);
      if (small >= 0) return small;
      const flat = pairs(decodeListpack(bytes.subarray(start, end)), 'hash', offset);
      assertUnique(flat, 2, 'Duplicate hash fields detected', offset);
      return flat.length / 2;
    }
    case C.RDB_TYPE_ZSET_LISTPACK: {
      const small = validateSmallPairs(bytes, start, end, 'sorted set', 'Duplicate zset fields detected', true, offset);
      if (small >= 0) return small;
      const flat = pairs(decodeListpack(bytes.subarray(start, end)), 'sorted set', offset);
      assertUnique(flat, 2, 'Duplicate zset fields detected', offset);
      for (let i = 1; i < flat.length; i += 2) parseScore(flat[i]!, offset);
      return flat.length / 2;
    }
    default:
      throw new RdbFormatError(`internal: no validation for type ${type}`, offset);
  }
}

/** Pairs checked without making strings: up to this many (16, as assertUnique compares pairwise). */
const SMALL_PAIRS = 16;
const records: ListpackElement[] = Array.from({ length: SMALL_PAIRS * 2 }, newListpackElement);

/**
 * A hash or sorted set listpack of at most SMALL_PAIRS pairs checked as
 * the string path below checks it (same errors, same order: format, odd
 * count, duplicate fields, then scores), comparing fields as bytes and
 * integers instead of making their strings: a load keeping a million small
 * hashes made ten million short-lived strings only to compare them.
 * Returns the pair count, or -1 when the listpack has more elements (the
 * caller takes the string path).
 */
function validateSmallPairs(blob: Buffer, start: number, end: number, what: string, duplicateMessage: string, scores: boolean, offset: number): number {
  const count = scanListpack(blob, records, start, end);
  if (count > records.length) return -1;
  if (count % 2 !== 0) throw new RdbFormatError(`${what} listpack with an odd number of elements`, offset);
  for (let i = 0; i < count; i += 2) {
    for (let j = i + 2; j < count; j += 2) if (sameElement(blob, records[i]!, records[j]!)) throw new RdbFormatError(duplicateMessage, offset);
  }
  if (scores) {
    for (let i = 1; i < count; i += 2) {
      const score = records[i]!;
      // An integer entry is always a valid score; only text needs parsing.
      if (score.isString) parseScore(latin1String(blob, score.start, score.start + score.length), offset);
    }
  }
  return count / 2;
}

/** Whether two elements have the same text (an integer entry's text is its decimal form). */
function sameElement(blob: Buffer, a: ListpackElement, b: ListpackElement): boolean {
  if (!a.isString && !b.isString) return a.integer === b.integer;
  if (a.isString && b.isString) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (blob[a.start + i] !== blob[b.start + i]) return false;
    return true;
  }
  return listpackElementText(blob, a) === listpackElementText(blob, b);
}

function buildHash(flat: string[], limits: EncodingLimits, offset: number): RedisValue {
  pairs(flat, 'hash', offset);
  const hash = new HashBuilder();
  for (let i = 0; i < flat.length; i += 2) hash.add(flat[i]!, flat[i + 1]!, offset);
  return hash.finish(limits);
}

function pairs(flat: string[], what: string, offset: number): string[] {
  if (flat.length % 2 !== 0) throw new RdbFormatError(`${what} listpack with an odd number of elements`, offset);
  return flat;
}

/** Every `step`-th element from 0 on must be distinct (pairwise for the small sizes compact blobs have, a Set beyond). */
function assertUnique(items: string[], step: number, message: string, offset: number): void {
  const count = Math.ceil(items.length / step);
  if (count <= 16) {
    for (let i = 0; i < items.length; i += step) {
      for (let j = i + step; j < items.length; j += step) if (items[i] === items[j]) throw new RdbFormatError(message, offset);
    }
    return;
  }
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i += step) {
    if (seen.has(items[i]!)) throw new RdbFormatError(message, offset);
    seen.add(items[i]!);
  }
}

/** A listpack/ziplist score: decimal text, inf/-inf; NaN and garbage are corruption. */
export function parseScore(text: string, offset: number): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  const value = Number(text);
  if (text.length === 0 || Number.isNaN(value)) throw new RdbFormatError(`invalid score '${text.slice(0, 40)}' in a sorted set`, offset);
  return value;
}
