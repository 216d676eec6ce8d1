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
 * Layout:
 *  - slabs: Buffers holding, per entry, the key's bytes followed by the
 *    value exactly as the RDB encoded it (after the type byte): the
 *    loader's input chunks themselves for entries that arrived whole in
 *    one chunk (no copy), 1 MB slabs for the others.
 *  - per entry: slab, key start, key length (-1 once removed) and value end
 *    side by side in one Int32Array (a lookup touches one cache line for
 *    them), plus the RDB type (DELETED once removed) and, while loading,
 *    the key's hash in arrays of their own.
 *  - buckets: open addressing with linear probing; each bucket is four
 *    Int32s (check word, entry word, the entry's slab and key start),
 *    16 bytes aligned, so a probe touches one cache line. The check word is
 *    the key's hash with its low 8 bits replaced by the key's length (255:
 *    255 bytes or more, or a removed entry; the length is then in the
 *    entry's fields). The entry word is the entry number + 1 with two flag
 *    bits: TIMED (as in `types`) and FRESH (a small string read straight
 *    from its bytes, see freshString, with no decoded value and a key
 *    shorter than 255 bytes). A read of a fresh string thus needs the
 *    bucket and the slab's bytes (key, then value) and nothing else: the
 *    entry's fields and type were two more cache and TLB misses per read
 *    (in process, base and branch alternating, 10 pairs: a first GET at
 *    random a median 13% cheaper, per-pair 0.73-1.09x; later GETs at random
 *    and a 1,000-key working set within the noise). The slab and key
 *    start are copies of the entry's fields, there so that a lookup reads
 *    the key's bytes straight from the bucket: the entry's fields (key
 *    length) and the key's bytes are then two cache misses fetched at once
 *    instead of one after the other (bucket -> fields -> slab was three in
 *    a row; a first GET of a loaded key at random over a million keys is
 *    mostly these misses). The table has two buckets per key at least, so
 *    this costs 16 bytes more per loaded key (32 MB of buckets, was 16, at
 *    a million keys).
 *    Entries are only appended while loading, and the buckets are built
 *    once, when the load ends (buildIndex): inserting a million keys one by
 *    one into a 32 MB table costs a cache and TLB miss each, while
 *    partitioning them by home bucket first fills the table front to back.
 *    Removed entries keep their bucket as a tombstone, so the table is
 *    never rehashed (and a bucket's slab and key start never go stale:
 *    an entry's key bytes never move).
 *  - decoded: the value once decoded (or replaced by a command), in an
 *    array by entry made at the first decode; later accesses return that
 *    same object, so commands may mutate it in place.
 *
 * Invariant: validation happened at load (the loader checks every value it
 * stores here as strictly as when it builds it), so decoding cannot fail.
 */
import type { RedisValue } from '../keyspace/values';
import { KeyEntry, touchEntryHeld, touchHolder, type AccessPolicy } from '../keyspace/key-entry';
import type { HeldBytes } from '../keyspace/held-bytes';
import { latin1String } from '../util/latin1';
import { RDB_TYPE_HASH_LISTPACK, RDB_TYPE_LIST_QUICKLIST_2, RDB_TYPE_SET_INTSET, RDB_TYPE_STRING, RDB_TYPE_ZSET_LISTPACK } from './constants';
import type { EncodingLimits } from './value-builders';
import { directString } from './loaded-value-decoder';

/** Decodes one value from its RDB bytes, slab[start, end) (`type` is the RDB type byte). */
export type LoadedValueDecoder = (type: number, slab: Buffer, start: number, end: number, limits: EncodingLimits) => RedisValue;

/** A value still in its RDB encoding: what a snapshot can copy through unchanged. */
export class RawRdbValue {
  constructor(
    readonly type: number,
    readonly bytes: Buffer,
  ) {}
}

/**
 * Types a snapshot copies through as loaded: exactly those Redis 7.0 itself
 * writes for compact values (so a 7.0 replica accepts them). Others (7.2's
 * listpack sets, the pre-7.0 ziplist forms) are decoded and re-encoded.
 */
const COPY_THROUGH = new Set([RDB_TYPE_STRING, RDB_TYPE_SET_INTSET, RDB_TYPE_HASH_LISTPACK, RDB_TYPE_ZSET_LISTPACK, RDB_TYPE_LIST_QUICKLIST_2]);
/** First byte of an LZF-compressed RDB string: 11|000011. */
const LZF_STRING_MARK = 0xc3;

const DELETED = 0xff;
/**
 * Bit of an entry's `types` byte: the key was given a TTL (at load, or by a
 * command since), so a read must look it up in the expires dictionary.
 * Never cleared while the entry lives: a key that lost its TTL is only
 * looked up for nothing. RDB types fit in the bits below it.
 */
const TIMED = 0x40;
const TYPE_MASK = 0x3f;
/** Int32 fields per entry in `fields`, and their offsets. */
const STRIDE = 4;
const SLAB = 0;
const KEY_START = 1;
const KEY_LENGTH = 2;
const VALUE_END = 3;
const SLAB_SIZE = 1 << 20;
const MIN_CAPACITY = 1024;
/** Int32s per bucket, and their offsets. */
const BUCKET = 4;
const BUCKET_CHECK = 0;
const BUCKET_ENTRY = 1;
const BUCKET_SLAB = 2;
const BUCKET_KEY_START = 3;
/** The check word's length tag: a key length below LONG_KEY, or LONG_KEY (length in the fields; removed entries too). */
const LENGTH_TAG = 0xff;
const LONG_KEY = 0xff;
/** The entry word: entry number + 1 in the low bits, and the bucket's flags. */
const ENTRY_MASK = (1 << 29) - 1;
const TIMED_BUCKET = 1 << 30;
const FRESH_BUCKET = 1 << 29;
/** buildIndex's partitions: 2048 counters stay in L1, and a partition's buckets in L1/L2. */
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
/** RESIZEDB presizes up to this many keys (42 MB of arrays); beyond, the arrays double as keys arrive, so a corrupt count costs little. */
const MAX_PRESIZE = 1 << 21;
/**
 * A string whose RDB encoding takes at most this many bytes is decoded
 * afresh by every read until a write gives its key a value of its own
 * (LoadedKeys.freshString). LZF expands at most about 1:100, so the string
 * read stays within a few KB.
 */
const FRESH_STRING_MAX = 64;
/**
 * Slots of the recent-reads cache (LoadedKeys.freshRead): a fresh string
 * read is kept in slot `entry & (RECENT_READS - 1)` until another entry's
 * read takes the slot. Strings longer than RECENT_READ_MAX chars are not
 * kept, so the cache holds at most RECENT_READS * RECENT_READ_MAX bytes
 * (2 MB; about 1 MB for ~100-byte values), plus its two 32 KB arrays.
 * Direct-mapped: of 1,000 keys read over and over, about 11% share a slot
 * with another and are decoded by every read (22% with 4,096 slots).
 */
const RECENT_READS = 8192;
const RECENT_READ_MAX = 256;

/** FNV-1a over one byte at a time; strings are latin1 (one char per byte) so both forms agree. */
const FNV_OFFSET = 0x811c9dc5 | 0; // as int32, like every Math.imul result: the hash of "" must equal its stored form
const FNV_PRIME = 0x01000193;

export function hashLatin1(key: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), FNV_PRIME);
  return hash;
}

function hashBytes(bytes: Buffer, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME);
  return hash;
}

/** A bucket's check word for a key of this hash and length. */
function checkWord(hash: number, keyLength: number): number {
  return (hash & ~LENGTH_TAG) | (keyLength < LONG_KEY ? keyLength : LONG_KEY);
}

export class LoadedKeys {
  private slabs: Buffer[] = [];
  private slab: Buffer = Buffer.alloc(0);
  /** Index of `slab` in `slabs`. */
  private slabIndex = -1;
  private slabUsed = 0;
  /** The last input buffer adopted as a slab by appendInPlace, and its index in `slabs`. */
  private adopted: Buffer | null = null;
  private adoptedIndex = -1;
  private slabBytes = 0;
  private capacity: number;
  private count = 0;
  private live = 0;
  private hashes: Int32Array;
  private fields: Int32Array;
  private types: Uint8Array;
  /** Empty until buildIndex(), when the load ends. */
  private buckets = new Int32Array(0);
  /** Where each entry began in the RDB, while loading (duplicate key errors name it); null after. */
  private loadOffsets: Float64Array | null;
  /** Entry -> its key entry (value and meta) once decoded or replaced; null until the first decode. */
  private decoded: Array<KeyEntry | undefined> | null = null;
  /**
   * The meta word of an entry not decoded yet: the access field every key
   * got when the load ended (createObject time), unless the RDB gave this
   * key its own (IDLE/FREQ opcodes), kept in `metas` then.
   */
  initialMeta = 0;
  private metas: Int32Array | null = null;
  /** The recent-reads cache (freshRead): per slot entry + 1 with its string kept, -(entry + 1) read once, 0 empty; and the kept strings. */
  private readonly recentEntries = new Int32Array(RECENT_READS);
  private readonly recentStrings: string[] = new Array<string>(RECENT_READS).fill('');
  /**
   * The bucket find() last matched (its first Int32). read() and mayExpire()
   * use its flags when it is the bucket of the entry they are given (the
   * usual case: called right after find); otherwise they read the entry's
   * own arrays.
   */
  private foundSlot = 0;

  constructor(
    private readonly decode: LoadedValueDecoder,
    private readonly limits: EncodingLimits,
    expectedKeys = 0,
  ) {
    this.capacity = Math.max(MIN_CAPACITY, Math.min(expectedKeys, MAX_PRESIZE));
    this.hashes = new Int32Array(this.capacity);
    this.fields = new Int32Array(this.capacity * STRIDE);
    this.types = new Uint8Array(this.capacity);
    this.loadOffsets = new Float64Array(this.capacity);
  }

  /** Keys present (loaded and not removed since). */
  get size(): number {
    return this.live;
  }

  /**
   * Bytes held: slabs and per-entry arrays. Slab space of removed keys is
   * only given back when the whole table goes (its last key removed, or a
   * FLUSHDB): at most the size of the RDB that was loaded.
   */
  get bytes(): number {
    return this.slabBytes + this.fields.byteLength + this.types.byteLength + this.hashes.byteLength + this.buckets.byteLength + (this.loadOffsets?.byteLength ?? 0) + (this.metas?.byteLength ?? 0);
  }

  /** Entry numbers run from 0 to this (exclusive); removed ones are skipped by isLive. */
  get entryCount(): number {
    return this.count;
  }

  // ---- loading ----------------------------------------------------------

  /**
   * Room for one entry of `length` bytes (key then value); returns the slab
   * to write them into at `reservedAt`. Call append() once they are written.
   */
  reserve(length: number): Buffer {
    if (this.slabUsed + length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_SIZE, length));
      this.slabIndex = this.slabs.push(this.slab) - 1;
      this.slabBytes += this.slab.length;
      this.slabUsed = 0;
    }
    return this.slab;
  }

  get reservedAt(): number {
    return this.slabUsed;
  }

  /** hashLatin1 of the key just written at reservedAt. */
  reservedHash(keyLength: number): number {
    return hashBytes(this.slab, this.slabUsed, this.slabUsed + keyLength);
  }

  /**
   * Adds the entry whose key (`keyLength` bytes, hash `hash`) and value
   * (`valueLength` bytes) were just written at reservedAt; the entry began
   * at byte `loadOffset` of the RDB. Duplicates are found by buildIndex().
   */
  append(type: number, keyLength: number, valueLength: number, hash: number, loadOffset: number): void {
    const start = this.slabUsed;
    this.addEntry(type, this.slabIndex, start, keyLength, valueLength, hash, loadOffset);
    this.slabUsed = start + keyLength + valueLength;
  }

  /**
   * Adds an entry whose key and value bytes stay where they are: `keyLength`
   * bytes of key at `start` in `buffer`, then `valueLength` bytes of value.
   * The buffer becomes one of the slabs (kept whole, by reference): the
   * loader passes the chunks it was fed, which nobody writes into again,
   * so a load copies no key or value that arrived in one chunk.
   */
  appendInPlace(type: number, buffer: Buffer, start: number, keyLength: number, valueLength: number, loadOffset: number): void {
    if (buffer !== this.adopted) {
      this.adopted = buffer;
      this.adoptedIndex = this.slabs.push(buffer) - 1;
      this.slabBytes += buffer.length;
    }
    this.addEntry(type, this.adoptedIndex, start, keyLength, valueLength, hashBytes(buffer, start, start + keyLength), loadOffset);
  }

  private addEntry(type: number, slabIndex: number, start: number, keyLength: number, valueLength: number, hash: number, loadOffset: number): void {
    if (this.buckets.length > 0 || this.loadOffsets === null) throw new Error('internal: loaded keys appended after their index was built');
    if (this.count === this.capacity) this.grow();
    const entry = this.count++;
    this.hashes[entry] = hash;
    const at = entry * STRIDE;
    this.fields[at + SLAB] = slabIndex;
    this.fields[at + KEY_START] = start;
    this.fields[at + KEY_LENGTH] = keyLength;
    this.fields[at + VALUE_END] = start + keyLength + valueLength;
    this.types[entry] = type;
    this.loadOffsets[entry] = loadOffset;
    this.live++;
  }

  /** Where an entry began in the RDB (until dropLoadOffsets()). */
  loadOffsetOf(entry: number): number {
    return this.loadOffsets?.[entry] ?? -1;
  }

  /** The load is over: its offsets are no longer needed. */
  dropLoadOffsets(): void {
    this.loadOffsets = null;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    if (capacity > ENTRY_MASK) throw new RangeError('internal: too many loaded keys for one table');
    const widen = <T extends Int32Array | Uint8Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.hashes = widen(this.hashes, new Int32Array(capacity));
    this.fields = widen(this.fields, new Int32Array(capacity * STRIDE));
    this.types = widen(this.types, new Uint8Array(capacity));
    if (this.loadOffsets !== null) this.loadOffsets = widen(this.loadOffsets, new Float64Array(capacity));
    if (this.metas !== null) this.metas = widen(this.metas, new Int32Array(capacity).fill(this.initialMeta));
    this.capacity = capacity;
  }

  /**
   * Builds the buckets once every entry is appended. Returns -1, or an
   * entry whose key an earlier entry already has (a duplicate key in the
   * RDB: the load must fail).
   *
   * One counting pass splits the entries into RADIX partitions by the top
   * bits of their home bucket (the hash travels with its entry, so no pass
   * reads at random), then the partitions are inserted in order with
   * ordinary linear probing. Each partition's homes span 1/RADIX of the
   * table (8 KB at a million keys), so its probes stay in the CPU caches
   * and the table fills front to back; probing also meets every earlier
   * entry with the same hash, which is where duplicates are found. Entries
   * that run past the last bucket wrap around as probing does anyway.
   */
  buildIndex(): number {
    const n = this.count;
    let slots = 2;
    while (slots < n * 2) slots *= 2;
    const mask = slots - 1;
    const slotBits = 31 - Math.clz32(slots);
    const shift = Math.max(0, slotBits - RADIX_BITS);
    const hashes = this.hashes;
    const counts = new Int32Array(RADIX + 1);
    for (let entry = 0; entry < n; entry++) {
      const digit = ((hashes[entry]! & mask) >>> shift) + 1;
      counts[digit] = counts[digit]! + 1;
    }
    for (let digit = 1; digit <= RADIX; digit++) counts[digit] = counts[digit]! + counts[digit - 1]!;
    // Each entry's bucket contents, partitioned: the fields are read here in entry order, so
    // the inserts below read nothing at random but the buckets of their partition.
    const fields = this.fields;
    const sorted = new Int32Array(n * BUCKET);
    for (let entry = 0; entry < n; entry++) {
      const hash = hashes[entry]!;
      const digit = (hash & mask) >>> shift;
      const at = counts[digit]! * BUCKET;
      counts[digit] = counts[digit]! + 1;
      sorted[at + BUCKET_CHECK] = hash;
      sorted[at + BUCKET_ENTRY] = entry + 1;
      sorted[at + BUCKET_SLAB] = fields[entry * STRIDE + SLAB]!;
      sorted[at + BUCKET_KEY_START] = fields[entry * STRIDE + KEY_START]!;
    }
    const buckets = new Int32Array(slots * BUCKET);
    const wrap = slots * BUCKET - 1;
    for (let i = 0; i < n * BUCKET; i += BUCKET) {
      const hash = sorted[i + BUCKET_CHECK]!;
      const entry = sorted[i + BUCKET_ENTRY]! - 1;
      const check = checkWord(hash, fields[entry * STRIDE + KEY_LENGTH]!);
      let slot = (hash & mask) * BUCKET;
      for (;;) {
        const held = buckets[slot + BUCKET_ENTRY]!;
        if (held === 0) break;
        const other = (held & ENTRY_MASK) - 1;
        if (buckets[slot + BUCKET_CHECK] === check && this.sameKey(other, entry)) return Math.max(other, entry);
        slot = (slot + BUCKET) & wrap;
      }
      buckets[slot + BUCKET_CHECK] = check;
      buckets[slot + BUCKET_ENTRY] = (entry + 1) | this.bucketFlags(entry);
      buckets[slot + BUCKET_SLAB] = sorted[i + BUCKET_SLAB]!;
      buckets[slot + BUCKET_KEY_START] = sorted[i + BUCKET_KEY_START]!;
    }
    this.buckets = buckets;
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

  private sameKey(a: number, b: number): boolean {
    const f = this.fields;
    const length = f[a * STRIDE + KEY_LENGTH]!;
    if (f[b * STRIDE + KEY_LENGTH] !== length) return false;
    const slabA = this.slabs[f[a * STRIDE + SLAB]!]!;
    const slabB = this.slabs[f[b * STRIDE + SLAB]!]!;
    const atA = f[a * STRIDE + KEY_START]!;
    const atB = f[b * STRIDE + KEY_START]!;
    for (let i = 0; i < length; i++) if (slabA[atA + i] !== slabB[atB + i]) return false;
    return true;
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

  isLive(entry: number): boolean {
    return this.types[entry] !== DELETED;
  }

  keyOf(entry: number): string {
    const f = entry * STRIDE;
    const at = this.fields[f + KEY_START]!;
    return latin1String(this.slabs[this.fields[f + SLAB]!]!, at, at + this.fields[f + KEY_LENGTH]!);
  }

  /** The RDB bytes of a live entry's value. */
  private valueBytes(entry: number): Buffer {
    const f = entry * STRIDE;
    const at = this.fields[f + KEY_START]! + this.fields[f + KEY_LENGTH]!;
    return this.slabs[this.fields[f + SLAB]!]!.subarray(at, this.fields[f + VALUE_END]!);
  }

  /** The entry's value, decoded on first access and the same object afterwards. */
  value(entry: number): RedisValue {
    return this.keyEntry(entry).value;
  }

  /**
   * A small string that has no kept value: a read decodes it from its RDB
   * bytes and keeps it per key nowhere, as Redis's GET writes the sds it
   * has. Keeping it (a KeyEntry and a string per key, in the young
   * generation first) made a first GET cost as much again as a later one,
   * about half of that the young-generation GC copying what was kept, and
   * grew the heap by every key read; decoding such a string is one short
   * copy (or a short LZF decompression into a scratch buffer), about what
   * keeping it saved a later read in cache misses (the kept slot, the
   * KeyEntry, the string). Only keys read again soon keep theirs, in the
   * bounded recent-reads cache (freshRead): in cache, the decode was most
   * of the read (an LZF one ~180 ns of a ~250 ns lookup).
   */
  private freshString(entry: number): boolean {
    if ((this.types[entry]! & TYPE_MASK) !== RDB_TYPE_STRING) return false;
    const f = entry * STRIDE;
    return this.fields[f + VALUE_END]! - this.fields[f + KEY_START]! - this.fields[f + KEY_LENGTH]! <= FRESH_STRING_MAX;
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
   * A fresh string's value: from the recent-reads cache when this entry's
   * string is the one its slot holds, else decoded. A slot keeps a string
   * only at the second read of its entry in a row (the first marks the
   * slot with the entry, negated): reads at random over many keys then
   * store one integer and keep no string, which the young-generation GC
   * would copy, while a key read again soon is decoded twice, then kept.
   * Only a fresh string no write replaced is read through here (callers
   * look at `decoded` first, and a removed entry is never found), and its
   * slab bytes never change, so a kept string cannot go stale.
   */
  private freshRead(entry: number, bucket = -1): RedisValue {
    const slot = entry & (RECENT_READS - 1);
    const held = this.recentEntries[slot]!;
    if (held === entry + 1) return this.recentStrings[slot]!;
    const value = (bucket >= 0 ? this.decodeFresh(entry, bucket) : this.decodeEntry(entry)) as string;
    if (held !== -(entry + 1)) this.recentEntries[slot] = -(entry + 1);
    else if (value.length <= RECENT_READ_MAX) {
      this.recentEntries[slot] = entry + 1;
      this.recentStrings[slot] = value;
    }
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
    if (!COPY_THROUGH.has(type)) return null;
    const bytes = this.valueBytes(entry);
    if (!compress && type === RDB_TYPE_STRING && bytes[0] === LZF_STRING_MARK) return null;
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
    const slot = entry & (RECENT_READS - 1);
    if (this.recentEntries[slot] === entry + 1 || this.recentEntries[slot] === -(entry + 1)) {
      this.recentEntries[slot] = 0;
      this.recentStrings[slot] = '';
    }
    this.live--;
  }

  /** A uniformly random live entry (-1 when none): random probes, then a walk. */
  randomEntry(): number {
    if (this.live === 0) return -1;
    for (let attempt = 0; attempt < 64; attempt++) {
      const entry = Math.floor(Math.random() * this.count);
      if (this.types[entry] !== DELETED) return entry;
    }
    const start = Math.floor(Math.random() * this.count);
    for (let i = 0; i < this.count; i++) {
      const entry = (start + i) % this.count;
      if (this.types[entry] !== DELETED) return entry;
    }
    return -1;
  }

  private decodeEntry(entry: number): RedisValue {
    const f = entry * STRIDE;
    const slab = this.slabs[this.fields[f + SLAB]!]!;
    return this.decode(this.types[entry]! & TYPE_MASK, slab, this.fields[f + KEY_START]! + this.fields[f + KEY_LENGTH]!, this.fields[f + VALUE_END]!, this.limits);
  }
}
