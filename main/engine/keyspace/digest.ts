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
import { createHash } from 'node:crypto';
import { formatG } from '../resp/format-double';
import type { Database } from './database';
import { HashValue, ListValue, SetValue, StreamValue, type RedisValue } from './values';

const TYPE_CODES = { string: 0, list: 1, set: 2, zset: 3, hash: 4, stream: 6 } as const;
const EXPIRE_MARK = Buffer.from('!!expire!!', 'latin1');

function sha1(data: Buffer): Buffer {
  return createHash('sha1').update(data).digest();
}

function xorInto(digest: Buffer, data: Buffer): void {
  const hash = sha1(data);
  for (let i = 0; i < 20; i++) digest[i]! ^= hash[i]!;
}

function mixInto(digest: Buffer, data: Buffer): void {
  xorInto(digest, data);
  sha1(digest).copy(digest);
}

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

function u32be(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/** Redis formats digest scores with %.17g (inf as "inf"). */
function scoreText(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  if (score === 0) return Object.is(score, -0) ? '-0' : '0';
  return formatG(score, 17);
}

/** The digest of one value (xorObjectDigest) into `digest`. */
export function digestValue(digest: Buffer, value: RedisValue, hasExpire: boolean): void {
  if (typeof value === 'string') {
    mixInto(digest, u32be(TYPE_CODES.string));
    mixInto(digest, bytes(value));
  } else if (value instanceof ListValue) {
    mixInto(digest, u32be(TYPE_CODES.list));
    for (const element of value) mixInto(digest, bytes(element));
  } else if (value instanceof SetValue) {
    mixInto(digest, u32be(TYPE_CODES.set));
    for (const member of value.items) xorInto(digest, bytes(member));
  } else if (value instanceof HashValue) {
    mixInto(digest, u32be(TYPE_CODES.hash));
    for (const [field, fieldValue] of value.entries()) {
      const element = Buffer.alloc(20);
      mixInto(element, bytes(field));
      mixInto(element, bytes(fieldValue));
      xorInto(digest, element);
    }
  } else if (value instanceof StreamValue) {
    mixInto(digest, u32be(TYPE_CODES.stream));
    const iterator = value.iterate(null, null);
    while (iterator.next()) {
      const id = iterator.entry.id;
      mixInto(digest, bytes(`${id.ms}.${id.seq}`));
      for (const element of iterator.fields()) mixInto(digest, bytes(element));
    }
  } else {
    mixInto(digest, u32be(TYPE_CODES.zset));
    for (const [member, score] of value.entries()) {
      const element = Buffer.alloc(20);
      mixInto(element, bytes(member));
      mixInto(element, bytes(scoreText(score)));
      xorInto(digest, element);
    }
  }
  if (hasExpire) xorInto(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST of the whole dataset: 40 hex chars, all zeros when empty. */
export function datasetDigest(dbs: ReadonlyArray<Database>): string {
  const final = Buffer.alloc(20);
  for (const db of dbs) {
    if (db.size === 0) continue;
    mixInto(final, u32be(db.id));
    for (const [key, value] of db.dict) {
      const digest = Buffer.alloc(20);
      mixInto(digest, bytes(key));
      digestValue(digest, value, db.expires.has(key));
      xorInto(final, digest);
    }
  }
  return final.toString('hex');
}

/** DEBUG DIGEST-VALUE of one key (zeros when missing); logically expired keys count. */
export function keyDigest(db: Database, key: string): string {
  const digest = Buffer.alloc(20);
  const value = db.dict.get(key);
  if (value !== undefined) digestValue(digest, value, db.expires.has(key));
  return digest.toString('hex');
}
