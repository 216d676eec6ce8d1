/**
 * The entries of loaded keys (layout in loaded-key-layout.ts): each key's
 * bytes and RDB-encoded value in slabs, its fields and RDB type in typed
 * arrays, appended while loading and never moved. LoadedKeys indexes them
 * and serves lookups and reads.
 *
 * Invariant: validation happened at load (the loader checks every value it
 * stores here as strictly as when it builds it), so decoding cannot fail.
 */
import type { RedisValue } from '../keyspace/values';
import { latin1String } from '../util/latin1';
import { RDB_TYPE_STRING } from './constants';
import { hashBytes } from './loaded-key-hash';
import { DELETED, ENTRY_MASK, KEY_LENGTH, KEY_START, SLAB, STRIDE, TYPE_MASK, VALUE_END } from './loaded-key-layout';
import type { EncodingLimits } from './value-builders';

/** Decodes one value from its RDB bytes, slab[start, end) (`type` is the RDB type byte). */
export type LoadedValueDecoder = (type: number, slab: Buffer, start: number, end: number, limits: EncodingLimits) => RedisValue;

const SLAB_SIZE = 1 << 20;
const MIN_CAPACITY = 1024;
/** RESIZEDB presizes up to this many keys (42 MB of arrays); beyond, the arrays double as keys arrive, so a corrupt count costs little. */
const MAX_PRESIZE = 1 << 21;
/**
 * A string whose RDB encoding takes at most this many bytes is decoded
 * afresh by every read until a write gives its key a value of its own
 * (LoadedEntries.freshString). LZF expands at most about 1:100, so the
 * string read stays within a few KB.
 */
const FRESH_STRING_MAX = 64;

export class LoadedEntries {
  protected slabs: Buffer[] = [];
  private slab: Buffer = Buffer.alloc(0);
  /** Index of `slab` in `slabs`. */
  private slabIndex = -1;
  private slabUsed = 0;
  /** The last input buffer adopted as a slab by appendInPlace, and its index in `slabs`. */
  private adopted: Buffer | null = null;
  private adoptedIndex = -1;
  private slabBytes = 0;
  protected capacity: number;
  protected count = 0;
  protected live = 0;
  /** Per entry, while loading: the key's hash (emptied once the index is built). */
  protected hashes: Int32Array;
  protected fields: Int32Array;
  protected types: Uint8Array;
  /** Set when the index is built: no entry may be appended after. */
  protected sealed = false;
  /** Where each entry began in the RDB, while loading (duplicate key errors name it); null after. */
  private loadOffsets: Float64Array | null;
  /**
   * The meta word of an entry not decoded yet: the access field every key
   * got when the load ended (createObject time), unless the RDB gave this
   * key its own (IDLE/FREQ opcodes), kept in `metas` then.
   */
  initialMeta = 0;
  protected metas: Int32Array | null = null;

  constructor(
    private readonly decode: LoadedValueDecoder,
    private readonly limits: EncodingLimits,
    expectedKeys: number,
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

  /** Bytes held by the slabs and per-entry arrays (see LoadedKeys.bytes). */
  protected get entryBytes(): number {
    return this.slabBytes + this.fields.byteLength + this.types.byteLength + this.hashes.byteLength + (this.loadOffsets?.byteLength ?? 0) + (this.metas?.byteLength ?? 0);
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
    if (this.sealed || this.loadOffsets === null) throw new Error('internal: loaded keys appended after their index was built');
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

  // ---- entries ----------------------------------------------------------

  isLive(entry: number): boolean {
    return this.types[entry] !== DELETED;
  }

  keyOf(entry: number): string {
    const f = entry * STRIDE;
    const at = this.fields[f + KEY_START]!;
    return latin1String(this.slabs[this.fields[f + SLAB]!]!, at, at + this.fields[f + KEY_LENGTH]!);
  }

  protected sameKey(a: number, b: number): boolean {
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

  /** The RDB bytes of a live entry's value. */
  protected valueBytes(entry: number): Buffer {
    const f = entry * STRIDE;
    const at = this.fields[f + KEY_START]! + this.fields[f + KEY_LENGTH]!;
    return this.slabs[this.fields[f + SLAB]!]!.subarray(at, this.fields[f + VALUE_END]!);
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
   * bounded recent-reads cache (recent-reads.ts): in cache, the decode was
   * most of the read (an LZF one ~180 ns of a ~250 ns lookup).
   */
  protected freshString(entry: number): boolean {
    if ((this.types[entry]! & TYPE_MASK) !== RDB_TYPE_STRING) return false;
    const f = entry * STRIDE;
    return this.fields[f + VALUE_END]! - this.fields[f + KEY_START]! - this.fields[f + KEY_LENGTH]! <= FRESH_STRING_MAX;
  }

  /** The entry's value decoded from its RDB bytes (a new object each call). */
  protected decodeEntry(entry: number): RedisValue {
    const f = entry * STRIDE;
    const slab = this.slabs[this.fields[f + SLAB]!]!;
    return this.decode(this.types[entry]! & TYPE_MASK, slab, this.fields[f + KEY_START]! + this.fields[f + KEY_LENGTH]!, this.fields[f + VALUE_END]!, this.limits);
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
}
