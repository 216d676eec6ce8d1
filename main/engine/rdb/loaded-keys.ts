/**
 * Keys loaded from an RDB whose values stay in their RDB encoding until a
 * command first touches them (decode on first access).
 *
 * Why: building a million JS values and inserting a million keys into a V8
 * Map is what a start-up load or a replica's full sync spends its time on
 * (Map inserts and the young-generation GC copying everything that
 * survives). Here a loaded key costs a few typed-array slots and its RDB
 * bytes copied into a slab; no JS object is created per key.
 *
 * The entries (slabs, fields, types) are LoadedEntries' (loaded-entries.ts),
 * laid out as loaded-key-layout.ts says; this class adds the bucket index
 * built when the load ends (loaded-index.ts), lookups and reads, and
 * `decoded`: the value once decoded (or replaced by a command), in an
 * array by entry made at the first decode; later accesses return that
 * same object, so commands may mutate it in place.
 */
import type { RedisValue } from '../keyspace/values';
import { KeyEntry, touchEntryHeld, touchHolder, type AccessPolicy } from '../keyspace/key-entry';
import type { HeldBytes } from '../keyspace/held-bytes';
import { directString } from './loaded-value-decoder';
import { LoadedEntries, type LoadedValueDecoder } from './loaded-entries';
import { buildBuckets } from './loaded-index';
import { hashBytes, hashLatin1 } from './loaded-key-hash';
import { BUCKET, BUCKET_CHECK, BUCKET_ENTRY, BUCKET_KEY_START, BUCKET_SLAB, ENTRY_MASK, DELETED, FRESH_BUCKET, KEY_LENGTH, KEY_START, LENGTH_TAG, LONG_KEY, SLAB, STRIDE, TIMED, TIMED_BUCKET, TYPE_MASK, checkWord } from './loaded-key-layout';
import { RawRdbValue, copiesThrough, isLzfString } from './raw-rdb-value';
import { RecentReads } from './recent-reads';
import type { EncodingLimits } from './value-builders';

export class LoadedKeys extends LoadedEntries {
  /** Empty until buildIndex(), when the load ends. */
  private buckets: Int32Array = new Int32Array(0);
  /** Entry -> its key entry (value and meta) once decoded or replaced; null until the first decode. */
  private decoded: Array<KeyEntry | undefined> | null = null;
  private readonly recent = new RecentReads();
  /**
   * The bucket find() last matched (its first Int32). read() and mayExpire()
   * use its flags when it is the bucket of the entry they are given (the
   * usual case: called right after find); otherwise they read the entry's
   * own arrays.
   */
  private foundSlot = 0;

  constructor(decode: LoadedValueDecoder, limits: EncodingLimits, expectedKeys = 0) {
    super(decode, limits, expectedKeys);
  }

  /**
   * Bytes held: slabs, per-entry arrays and buckets. Slab space of removed
   * keys is only given back when the whole table goes (its last key
   * removed, or a FLUSHDB): at most the size of the RDB that was loaded.
   */
  get bytes(): number {
    return this.entryBytes + this.buckets.byteLength;
  }

  /**
   * Builds the buckets once every entry is appended. Returns -1, or an
   * entry whose key an earlier entry already has (a duplicate key in the
   * RDB: the load must fail).
   */
  buildIndex(): number {
    const built = buildBuckets({
      count: this.count,
      hashes: this.hashes,
      fields: this.fields,
      bucketFlags: (entry) => this.bucketFlags(entry),
      sameKey: (a, b) => this.sameKey(a, b),
    });
    if (typeof built === 'number') return built;
    this.buckets = built;
    this.sealed = true;
    // From here on the buckets hold every hash that is needed.
    this.hashes = new Int32Array(0);
    return -1;
  }

  /** The flags of an entry's bucket, from its own arrays (no decoded value yet: the index is built at the load's end). */
  private bucketFlags(entry: number): number {
    let flags = (this.types[entry]! & TIMED) !== 0 ? TIMED_BUCKET : 0;
    if (this.freshString(entry) && this.fields[entry * STRIDE + KEY_LENGTH]! < LONG_KEY && this.decoded?.[entry] === undefined) flags |= FRESH_BUCKET;
    return flags;
  }

  /**
   * The bucket (its first Int32) of a live entry: the one find() matched
   * last if it is this entry's, else found by the entry's key bytes.
   */
  private slotOf(entry: number): number {
    const buckets = this.buckets;
    if ((buckets[this.foundSlot + BUCKET_ENTRY]! & ENTRY_MASK) === entry + 1) return this.foundSlot;
    const f = entry * STRIDE;
    const at = this.fields[f + KEY_START]!;
    const hash = hashBytes(this.slabs[this.fields[f + SLAB]!]!, at, at + this.fields[f + KEY_LENGTH]!);
    const wrap = buckets.length - 1;
    const mask = buckets.length / BUCKET - 1;
    for (let slot = (hash & mask) * BUCKET; ; slot = (slot + BUCKET) & wrap) {
      const held = buckets[slot + BUCKET_ENTRY]!;
      if (held === 0) throw new Error('internal: a loaded entry without its bucket');
      if ((held & ENTRY_MASK) === entry + 1) return slot;
    }
  }

  /** The entry's value is no longer read from its bytes (decoded, replaced or removed): its bucket stops saying FRESH. */
  private clearFresh(entry: number): void {
    if (this.buckets.length === 0) return;
    const slot = this.slotOf(entry);
    this.buckets[slot + BUCKET_ENTRY] = this.buckets[slot + BUCKET_ENTRY]! & ~FRESH_BUCKET;
  }

  // ---- access -----------------------------------------------------------

  /** The entry holding `key`, or -1. */
  find(key: string): number {
    if (this.buckets.length === 0) return this.count === 0 ? -1 : this.unindexed();
    const hash = hashLatin1(key);
    const buckets = this.buckets;
    const wrap = buckets.length - 1;
    const mask = buckets.length / BUCKET - 1;
    const length = key.length;
    const check = checkWord(hash, length);
    for (let slot = (hash & mask) * BUCKET; ; slot = (slot + BUCKET) & wrap) {
      const held = buckets[slot + BUCKET_ENTRY]!;
      if (held === 0) return -1;
      if (buckets[slot + BUCKET_CHECK] !== check) continue;
      // The key's bytes are found from the bucket alone.
      const slab = this.slabs[buckets[slot + BUCKET_SLAB]!]!;
      const at = buckets[slot + BUCKET_KEY_START]!;
      const entry = (held & ENTRY_MASK) - 1;
      // Below LONG_KEY the check word holds the exact length; a longer key's is in its fields
      // (a removed entry's is -1 there and its tag LONG_KEY: it never matches).
      if (length >= LONG_KEY && this.fields[entry * STRIDE + KEY_LENGTH] !== length) continue;
      let same = true;
      for (let i = 0; i < length; i++) {
        if (slab[at + i] !== key.charCodeAt(i)) {
          same = false;
          break;
        }
      }
      if (same) {
        this.foundSlot = slot;
        return entry;
      }
    }
  }

  private unindexed(): never {
    throw new Error('internal: loaded keys looked up before their index was built');
  }

  /** The key of this live entry has been given a TTL (see TIMED). */
  markTimed(entry: number): void {
    this.types[entry] = this.types[entry]! | TIMED;
    if (this.buckets.length === 0) return;
    const slot = this.slotOf(entry);
    this.buckets[slot + BUCKET_ENTRY] = this.buckets[slot + BUCKET_ENTRY]! | TIMED_BUCKET;
  }

  /** False when the key of this live entry never had a TTL: a read need not look in the expires dictionary. */
  mayExpire(entry: number): boolean {
    const word = this.buckets[this.foundSlot + BUCKET_ENTRY]!;
    if ((word & ENTRY_MASK) === entry + 1) return (word & TIMED_BUCKET) !== 0;
    return (this.types[entry]! & TIMED) !== 0;
  }

  /** The entry's value, decoded on first access and the same object afterwards. */
  value(entry: number): RedisValue {
    return this.keyEntry(entry).value;
  }

  /**
   * lookupKeyRead on a loaded entry: its value, and its meta word updated
   * as `access` updates it on an access. A small string no write replaced
   * is decoded for this read only (freshString); anything else is decoded
   * once and kept (keyEntry), so commands may mutate collections in place.
   */
  read(entry: number, access: AccessPolicy): RedisValue {
    const slot = this.foundSlot;
    const fresh = (this.buckets[slot + BUCKET_ENTRY]! & (ENTRY_MASK | FRESH_BUCKET)) === ((entry + 1) | FRESH_BUCKET);
    if (!fresh) {
      const held = this.decoded?.[entry];
      if (held !== undefined) return touchHolder(held, access);
      if (!this.freshString(entry)) return touchHolder(this.keyEntry(entry), access);
    }
    const metas = this.metas;
    const meta = metas === null ? this.initialMeta : metas[entry]!;
    const touched = access.touchedMeta(meta);
    if (touched !== meta) this.setMeta(entry, touched);
    return this.freshRead(entry, fresh ? slot : -1);
  }

  /**
   * A fresh string's value: from the recent-reads cache when it keeps this
   * entry's string, else decoded (and noted there). Only a fresh string no
   * write replaced is read through here (callers look at `decoded` first,
   * and a removed entry is never found).
   */
  private freshRead(entry: number, bucket = -1): RedisValue {
    const kept = this.recent.kept(entry);
    if (kept !== undefined) return kept;
    const value = (bucket >= 0 ? this.decodeFresh(entry, bucket) : this.decodeEntry(entry)) as string;
    this.recent.noteRead(entry, value);
    return value;
  }

  /**
   * A FRESH entry's string, located from its bucket alone: the value's
   * encoding follows the key's bytes, and the check word holds the key's
   * length. The string forms directString reads need no end; the others
   * (long length forms) go through decodeEntry.
   */
  private decodeFresh(entry: number, bucket: number): RedisValue {
    const buckets = this.buckets;
    const slab = this.slabs[buckets[bucket + BUCKET_SLAB]!]!;
    const value = directString(slab, buckets[bucket + BUCKET_KEY_START]! + (buckets[bucket + BUCKET_CHECK]! & LENGTH_TAG));
    return value ?? this.decodeEntry(entry);
  }

  /** read(), giving a string held as bytes (held-bytes.ts) as those bytes. */
  readHeld(entry: number, access: AccessPolicy): RedisValue | HeldBytes {
    const held = this.decoded?.[entry];
    return held === undefined ? this.read(entry, access) : touchEntryHeld(held, access);
  }

  /** The entry's value for a read that is not an access (no meta update): a small string as read() decodes it, else the kept value. */
  readValue(entry: number): RedisValue {
    const held = this.decoded?.[entry];
    if (held !== undefined) return held.value;
    return this.freshString(entry) ? this.freshRead(entry) : this.keyEntry(entry).value;
  }

  /** The entry's value and meta, decoded on first access and the same object afterwards. */
  keyEntry(entry: number): KeyEntry {
    const held = this.decoded?.[entry];
    if (held !== undefined) return held;
    const created = new KeyEntry(this.decodeEntry(entry), this.metas === null ? this.initialMeta : this.metas[entry]!);
    this.decodedSlots()[entry] = created;
    this.clearFresh(entry);
    return created;
  }

  /** The entry's meta word without decoding its value (eviction sampling). */
  metaOf(entry: number): number {
    const held = this.decoded?.[entry];
    if (held !== undefined) return held.meta;
    return this.metas === null ? this.initialMeta : this.metas[entry]!;
  }

  /** Gives one entry its own meta (the RDB's IDLE/FREQ for it). */
  setMeta(entry: number, meta: number): void {
    const held = this.decoded?.[entry];
    if (held !== undefined) {
      held.meta = meta;
      return;
    }
    if (this.metas === null) this.metas = new Int32Array(this.capacity).fill(this.initialMeta);
    this.metas[entry] = meta;
  }

  /**
   * The value for a read-only walk (snapshot, digest): the decoded object if
   * there is one, else a fresh decode that is not kept, so walking a large
   * loaded dataset does not turn all of it into JS objects.
   */
  peek(entry: number): RedisValue {
    return this.decoded?.[entry]?.value ?? this.decodeEntry(entry);
  }

  /**
   * The entry's RDB encoding when a snapshot may write it as is: never
   * decoded (a decoded value may have changed since), a type 7.0 writes,
   * and no LZF string when the snapshot must not compress (rdbcompression
   * no). Null otherwise.
   */
  copyThrough(entry: number, compress: boolean): RawRdbValue | null {
    if (this.decoded?.[entry] !== undefined) return null;
    const type = this.types[entry]! & TYPE_MASK;
    if (!copiesThrough(type)) return null;
    const bytes = this.valueBytes(entry);
    if (!compress && isLzfString(type, bytes)) return null;
    return new RawRdbValue(type, bytes);
  }

  replace(entry: number, value: RedisValue | HeldBytes, meta: number): void {
    const held = this.decoded?.[entry];
    if (held !== undefined) {
      held.hold(value);
      held.meta = meta;
    } else {
      this.decodedSlots()[entry] = new KeyEntry(value, meta);
      this.clearFresh(entry);
    }
  }

  /** Made at the first decode, one slot per entry (a packed array: pushes, not `new Array(n)`, which V8 may keep sparse). */
  private decodedSlots(): Array<KeyEntry | undefined> {
    if (this.decoded === null) {
      this.decoded = [];
      for (let entry = 0; entry < this.count; entry++) this.decoded.push(undefined);
    }
    return this.decoded;
  }

  remove(entry: number): void {
    if (this.buckets.length > 0) {
      // The bucket stays (a tombstone) but never matches again: tag LONG_KEY, and key length -1 below.
      const slot = this.slotOf(entry);
      this.buckets[slot + BUCKET_CHECK] = this.buckets[slot + BUCKET_CHECK]! | LONG_KEY;
      this.buckets[slot + BUCKET_ENTRY] = this.buckets[slot + BUCKET_ENTRY]! & ENTRY_MASK;
    }
    this.types[entry] = DELETED;
    this.fields[entry * STRIDE + KEY_LENGTH] = -1;
    if (this.decoded !== null) this.decoded[entry] = undefined;
    this.recent.forget(entry);
    this.live--;
  }
}
