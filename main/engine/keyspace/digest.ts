/**
 * DEBUG DIGEST / DIGEST-VALUE (debug.c computeDatasetDigest,
 * xorObjectDigest), bit for bit: the same data gives the same 40 hex chars
 * as Redis 7.0, whatever the encodings, which is how master and replica
 * datasets are compared across mixed topologies.
 *
 *   xor(d, data): d ^= SHA1(data)        mix(d, data): xor(d, data); d = SHA1(d)
 *   per non-empty db j:  mix(final, u32 BE j)
 *   per key:  d = 0; mix(d, key); mix(d, u32 BE type)
 *             string: mix(d, value)      list: mix(d, element) head to tail
 *             set: xor(d, member)         zset: e = 0; mix(e, member); mix(e, "%.17g" score); xor(d, e)
 *             hash: e = 0; mix(e, field); mix(e, value); xor(d, e)
 *             stream: per live entry in ID order: mix(d, "<ms>.<seq>"),
 *                     then mix(d, field), mix(d, value) for each pair
 *                     (consumer groups are not part of the digest)
 *             with a TTL: xor(d, "!!expire!!")
 *             xor(final, d)
 * Note xor() always hashes its data first, also when the data is itself a
 * 20-byte digest (xorDigest(final, digest, 20) in debug.c).
 */
import { formatG } from '../resp/format-double';
import { hashHex, sha1Latin1, sha1OfHashInPlace, sha1Uint32 } from '../util/sha1';
import type { Database } from './database';
import { HashValue, ListValue, SetValue, StreamValue, type RedisValue } from './values';

/*
 * Digests are five int32 words (util/sha1.ts): xoring words is xoring the
 * 20 bytes, and mix's second SHA-1 reads the words as its message. The
 * constant inputs (type codes, "!!expire!!") are hashed once.
 */

/** SHA1(u32 BE type code), per type. */
function typeCodeHash(code: number): Int32Array {
  const hash = new Int32Array(5);
  sha1Uint32(code, hash);
  return hash;
}
const STRING_TYPE = typeCodeHash(0);
const LIST_TYPE = typeCodeHash(1);
const SET_TYPE = typeCodeHash(2);
const ZSET_TYPE = typeCodeHash(3);
const HASH_TYPE = typeCodeHash(4);
const STREAM_TYPE = typeCodeHash(6);
const EXPIRE_MARK = new Int32Array(5);
sha1Latin1('!!expire!!', EXPIRE_MARK);

/** The SHA-1 of one input, before it is xored in (reused by every call). */
const scratch = new Int32Array(5);

function xorHash(digest: Int32Array, hash: Int32Array): void {
  for (let w = 0; w < 5; w++) digest[w]! ^= hash[w]!;
}

/** xor(d, data) for a latin1 string. */
function xorString(digest: Int32Array, data: string): void {
  sha1Latin1(data, scratch);
  xorHash(digest, scratch);
}

/** xor(d, e) for a 20-byte digest e: its SHA-1 is xored in, as xorDigest(d, e, 20) does. */
function xorDigestOf(digest: Int32Array, element: Int32Array): void {
  for (let w = 0; w < 5; w++) scratch[w] = element[w]!;
  sha1OfHashInPlace(scratch);
  xorHash(digest, scratch);
}

/** mix(d, data) for a latin1 string. */
function mixString(digest: Int32Array, data: string): void {
  xorString(digest, data);
  sha1OfHashInPlace(digest);
}

/** mix(d, data) where SHA1(data) is already known. */
function mixHash(digest: Int32Array, hash: Int32Array): void {
  xorHash(digest, hash);
  sha1OfHashInPlace(digest);
}

/** Redis formats digest scores with %.17g (inf as "inf"). */
function scoreText(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  if (score === 0) return Object.is(score, -0) ? '-0' : '0';
  return formatG(score, 17);
}

/** An element digest of a hash or sorted set (e = 0; mix(e, a); mix(e, b)), reused per element. */
const element = new Int32Array(5);

function xorPairDigest(digest: Int32Array, first: string, second: string): void {
  element.fill(0);
  mixString(element, first);
  mixString(element, second);
  xorDigestOf(digest, element);
}

/** The digest of one value (xorObjectDigest) into `digest`. */
function digestValue(digest: Int32Array, value: RedisValue, hasExpire: boolean): void {
  if (typeof value === 'string') {
    mixHash(digest, STRING_TYPE);
    mixString(digest, value);
  } else if (value instanceof ListValue) {
    mixHash(digest, LIST_TYPE);
    for (const item of value) mixString(digest, item);
  } else if (value instanceof SetValue) {
    mixHash(digest, SET_TYPE);
    for (const member of value.items) xorString(digest, member);
  } else if (value instanceof HashValue) {
    mixHash(digest, HASH_TYPE);
    for (const [field, fieldValue] of value.entries()) xorPairDigest(digest, field, fieldValue);
  } else if (value instanceof StreamValue) {
    mixHash(digest, STREAM_TYPE);
    const iterator = value.iterate(null, null);
    while (iterator.next()) {
      const id = iterator.entry.id;
      mixString(digest, `${id.ms}.${id.seq}`);
      for (const field of iterator.fields()) mixString(digest, field);
    }
  } else {
    mixHash(digest, ZSET_TYPE);
    for (const [member, score] of value.entries()) xorPairDigest(digest, member, scoreText(score));
  }
  if (hasExpire) xorHash(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST of the whole dataset: 40 hex chars, all zeros when empty. */
export function datasetDigest(dbs: ReadonlyArray<Database>): string {
  const final = new Int32Array(5);
  const digest = new Int32Array(5);
  const dbHash = new Int32Array(5);
  for (const db of dbs) {
    if (db.size === 0) continue;
    sha1Uint32(db.id, dbHash);
    mixHash(final, dbHash);
    const expires = db.expires;
    for (const [key, value] of db.dict) {
      digest.fill(0);
      mixString(digest, key);
      digestValue(digest, value, expires.has(key));
      xorDigestOf(final, digest);
    }
  }
  return hashHex(final);
}

/** keyDigest's digest, reused by every call (DIGEST-VALUE takes any number of keys). */
const valueDigest = new Int32Array(5);

/** DEBUG DIGEST-VALUE of one key (zeros when missing); logically expired keys count. */
export function keyDigest(db: Database, key: string): string {
  const digest = valueDigest;
  digest.fill(0);
  const value = db.dict.get(key);
  if (value !== undefined) digestValue(digest, value, db.expires.has(key));
  return hashHex(digest);
}
