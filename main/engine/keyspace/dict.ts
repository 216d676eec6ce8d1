/**
 * A database's main dictionary: a Map of keys to values, plus, after an RDB
 * load, the LoadedKeys table of keys whose values are decoded on first
 * access. Callers see one dictionary with Map's surface.
 *
 * Each key has a meta word (access clock or LFU counter, encoding
 * override; see key-entry.ts), kept by its KeyHolder: for a string value
 * or a small hash or sorted set in its packed form, its slot number in the
 * dict's ValueSlots (value-slots.ts); for any other collection, the value
 * itself (the loaded table keeps KeyEntries for every type). `get` and the walks give values; `entry` gives the holder,
 * whose meta the keyspace reads and updates through the dict.
 *
 * Rules:
 *  - A key lives in exactly one of the two. New keys go to the Map; a key
 *    of the loaded table stays there when overwritten (its new value
 *    replaces the decoded slot), and leaves it only when deleted.
 *  - Iteration is the Map's entries (insertion ordered) then the loaded
 *    table's (load order). Reads never move or reorder keys, so a walk's
 *    position stays meaningful between writes (snapshots and SCAN rely on
 *    that, as they did on the Map's insertion order).
 */
import type { LoadedKeys } from '../rdb/loaded-keys';
import type { RawRdbValue } from '../rdb/raw-rdb-value';
import type { RedisValue } from './values';
import { KeyEntry, touchEntryHeld, touchHolder, type AccessPolicy, type CollectionValue, type KeyHolder } from './key-entry';
import { ValueSlots } from './value-slots';
import type { HeldBytes } from './held-bytes';

/** What the Map part holds per key: a slot (a string or packed collection), or the collection itself. */
type MapHolder = number | CollectionValue;

/** The expiry rules a read applies to a key it found (Keyspace.expireIfNeeded for that read): true when the key is to read as missing. */
export interface ExpiryGate {
  expired(key: string): boolean;
}

export class Dict {
  private readonly map = new Map<string, MapHolder>();
  /** The Map part's strings and packed collections, and their keys' meta words. */
  readonly slots = new ValueSlots();
  /**
   * sampleKeys' walk over the Map part, made on first use: a Map iterator
   * that is not advanced keeps every table the Map outgrew since it was
   * made (V8 links an outgrown table to its successor for live iterators),
   * which doubled the Map's memory when it was made with the dict.
   */
  private sampler: IterableIterator<string> | null = null;
  private loaded: LoadedKeys | null = null;
  /**
   * The key whose slot entry() found last, and that slot: a write command
   * looks its key up and then sets it (INCR, APPEND, SETRANGE), and set()
   * then reuses the slot without a second Map lookup. Invariant: while
   * lastKey is not null, the Map part holds lastSlot for it; every path
   * that frees a slot or changes a key's holder forgets it.
   */
  private lastKey: string | null = null;
  private lastSlot = -1;

  /**
   * Installs the table an RDB load fills, on a dict only that load fills
   * (the loader keeps the two parts' keys distinct).
   */
  attachLoaded(loaded: LoadedKeys): void {
    if (this.loaded !== null) throw new Error('internal: a dict has one loaded-keys table');
    this.loaded = loaded;
    this.lastKey = null;
  }

  /** Memory held outside the V8 heap by the loaded-keys table (0 without one). */
  get loadedBytes(): number {
    return this.loaded === null ? 0 : this.loaded.bytes;
  }

  get size(): number {
    return this.loaded === null ? this.map.size : this.map.size + this.loaded.size;
  }

  /** Keys whose values live in the V8 heap (the Map part; entries() yields them first). */
  get heapKeyCount(): number {
    return this.map.size;
  }

  /**
   * The value for a read that does not count as an access (TYPE, EXISTS,
   * walks): no meta update; a loaded value as LoadedKeys.readValue gives it.
   *
   * get, read and entry look in the bigger part first: after a large load
   * most lookups are of loaded keys, and a miss in the other part costs
   * cache misses of its own.
   */
  get(key: string): RedisValue | undefined {
    const loaded = this.loaded;
    if (loaded !== null && loaded.size > this.map.size) {
      const entry = loaded.find(key);
      if (entry >= 0) return loaded.readValue(entry);
    }
    const held = this.map.get(key);
    if (held !== undefined) return this.valueOf(held);
    if (loaded === null || loaded.size > this.map.size) return undefined;
    const entry = loaded.find(key);
    return entry < 0 ? undefined : loaded.readValue(entry);
  }

  /**
   * A read's lookup (lookupKeyRead): the value, or undefined, with its
   * key's meta word updated as `access` updates it on an access. A loaded
   * value goes through LoadedKeys.read, which hands small strings no write
   * has touched out of their RDB bytes without keeping them.
   *
   * `expiry` (null when the database has no TTLs) is asked about the key
   * once it is found and before it is touched, as expireIfNeeded comes
   * before lookupKey's update in Redis; an expired key reads as missing. A
   * loaded key that never had a TTL skips it (LoadedKeys.mayExpire): the
   * expires dictionary is a hash lookup of its own.
   *
   * `held`: a string held as bytes is given as those bytes (HeldBytes), for
   * a command that edits it in place; otherwise it is read as a string.
   */
  read(key: string, access: AccessPolicy, expiry: ExpiryGate | null): RedisValue | undefined;
  read(key: string, access: AccessPolicy, expiry: ExpiryGate | null, held: true): RedisValue | HeldBytes | undefined;
  read(key: string, access: AccessPolicy, expiry: ExpiryGate | null, held = false): RedisValue | HeldBytes | undefined {
    const loaded = this.loaded;
    if (loaded !== null && loaded.size > this.map.size) {
      const entry = loaded.find(key);
      if (entry >= 0) {
        if (expiry !== null && loaded.mayExpire(entry) && expiry.expired(key)) return undefined;
        return held ? loaded.readHeld(entry, access) : loaded.read(entry, access);
      }
    }
    const holder = this.map.get(key);
    if (holder !== undefined) {
      // A slot's key without TIMED has no TTL (value-slots.ts): no expires lookup, as for a loaded key.
      if (expiry !== null && (typeof holder !== 'number' || this.slots.mayExpire(holder)) && expiry.expired(key)) return undefined;
      return held ? this.touchHeld(holder, access) : this.touch(holder, access);
    }
    if (loaded === null || loaded.size > this.map.size) return undefined;
    const entry = loaded.find(key);
    if (entry < 0) return undefined;
    if (expiry !== null && loaded.mayExpire(entry) && expiry.expired(key)) return undefined;
    return held ? loaded.readHeld(entry, access) : loaded.read(entry, access);
  }

  /** The key (which exists) was given a TTL: a loaded key's reads must look it up from now on (LoadedKeys.markTimed). */
  noteTimed(key: string): void {
    const held = this.map.get(key);
    if (held !== undefined) {
      // A collection held as itself is always checked: only a slot carries TIMED.
      if (typeof held === 'number') this.slots.markTimed(held);
      return;
    }
    const loaded = this.loaded;
    if (loaded === null) return;
    const entry = loaded.find(key);
    if (entry >= 0) loaded.markTimed(entry);
  }

  /**
   * lookupKey's access update on a holder (see touchHolder); a slot is
   * updated here, at a site of its own. Returns the value held.
   */
  touch(held: KeyHolder, access: AccessPolicy): RedisValue {
    if (typeof held !== 'number') return touchHolder(held, access);
    this.touchSlot(held, access);
    return this.slots.value(held);
  }

  /** touch, giving a string held as bytes as those bytes. */
  touchHeld(held: KeyHolder, access: AccessPolicy): RedisValue | HeldBytes {
    if (held instanceof KeyEntry) return touchEntryHeld(held, access);
    if (typeof held !== 'number') return touchHolder(held, access);
    this.touchSlot(held, access);
    return this.slots.held(held);
  }

  private touchSlot(slot: number, access: AccessPolicy): void {
    const slots = this.slots;
    const meta = slots.meta(slot);
    const touched = access.touchedMeta(meta);
    if (touched !== meta) slots.setMeta(slot, touched);
  }

  /** The value a holder stands for. */
  valueOf(held: KeyHolder): RedisValue {
    if (typeof held === 'number') return this.slots.value(held);
    return held instanceof KeyEntry ? held.value : held;
  }

  /** valueOf, giving a string held as bytes as those bytes. */
  heldValueOf(held: KeyHolder): RedisValue | HeldBytes {
    if (typeof held === 'number') return this.slots.held(held);
    return held instanceof KeyEntry ? held.held : held;
  }

  /** The meta word a holder keeps. */
  metaOfHolder(held: KeyHolder): number {
    return typeof held === 'number' ? this.slots.meta(held) : held.meta;
  }

  setHolderMeta(held: KeyHolder, meta: number): void {
    if (typeof held === 'number') this.slots.setMeta(held, meta);
    else held.meta = meta;
  }

  /** The Map part's holder of a new value: a new slot (ValueSlots.holds), or the collection (its meta set). */
  private hold(value: RedisValue | HeldBytes, meta: number): MapHolder {
    if (ValueSlots.holds(value)) return this.slots.add(value, meta);
    value.meta = meta;
    return value;
  }

  /** A holder leaving the Map part gives back its slot. */
  private release(held: MapHolder): void {
    if (typeof held === 'number') {
      this.slots.free(held);
      this.lastKey = null;
    }
  }

  /** The holder of the key's value and meta (a loaded value is decoded and kept), or undefined. */
  entry(key: string): KeyHolder | undefined {
    const loaded = this.loaded;
    if (loaded === null) {
      const held = this.map.get(key);
      if (typeof held === 'number') {
        this.lastKey = key;
        this.lastSlot = held;
      }
      return held;
    }
    if (loaded.size > this.map.size) {
      const entry = loaded.find(key);
      return entry >= 0 ? loaded.keyEntry(entry) : this.map.get(key);
    }
    const held = this.map.get(key);
    if (held !== undefined) return held;
    const entry = loaded.find(key);
    return entry < 0 ? undefined : loaded.keyEntry(entry);
  }

  has(key: string): boolean {
    return this.map.has(key) || (this.loaded !== null && this.loaded.find(key) >= 0);
  }

  /**
   * The loader's insert of a value it built: into the Map part; false (a
   * duplicate key) when the Map part already had the key. The loader checks
   * built keys against the loaded table once its index exists.
   */
  addBuilt(key: string, value: RedisValue, meta: number): boolean {
    const old = this.map.get(key);
    if (old !== undefined) this.release(old);
    this.map.set(key, this.hold(value, meta));
    return old === undefined;
  }

  /** The key's meta word without decoding a loaded value, or undefined when absent. */
  metaOf(key: string): number | undefined {
    const held = this.map.get(key);
    if (held !== undefined) return this.metaOfHolder(held);
    const loaded = this.loaded;
    const entry = loaded === null ? -1 : loaded.find(key);
    return entry < 0 ? undefined : loaded!.metaOf(entry);
  }

  /**
   * Up to `count` keys for eviction sampling (dictGetSomeKeys): from the
   * Map part, the next ones of a walk that resumes where the last sample
   * stopped and wraps (so, over successive samples, every key is looked at
   * equally often; Map iterators survive inserts and deletes); from the
   * loaded table, random entries, in proportion to its share of the keys.
   */
  sampleKeys(count: number, into: string[]): void {
    const loaded = this.loaded;
    for (let i = 0; i < count && this.size > 0; i++) {
      if (loaded !== null && Math.random() * this.size < loaded.size) {
        into.push(loaded.keyOf(loaded.randomEntry()));
        continue;
      }
      this.sampler ??= this.map.keys();
      let step = this.sampler.next();
      if (step.done) {
        this.sampler = this.map.keys();
        step = this.sampler.next();
        if (step.done) continue;
      }
      into.push(step.value);
    }
  }

  /** Gives a key its own meta word (the RDB's IDLE/FREQ), wherever it lives. */
  setMeta(key: string, meta: number): void {
    const held = this.map.get(key);
    if (held !== undefined) {
      this.setHolderMeta(held, meta);
      return;
    }
    const loaded = this.loaded;
    const entry = loaded === null ? -1 : loaded.find(key);
    if (entry >= 0) loaded!.setMeta(entry, meta);
  }

  /** Keys of the Map part. */
  builtKeys(): IterableIterator<string> {
    return this.map.keys();
  }

  /**
   * Creates or overwrites the key with this value and meta. Returns true
   * when the key is new. A value a slot holds over one reuses the slot; any
   * other overwrite replaces the holder (the key keeps its place in the
   * Map's order). A string may be held as bytes (held-bytes.ts).
   *
   * An overwrite keeps the key's TIMED bit (value-slots.ts): the caller
   * may keep its TTL (SET KEEPTTL, an in-place edit). A slot that replaces
   * a collection held as itself (which carries no such bit) gets TIMED,
   * as the key may have a TTL; a new key has none.
   */
  set(key: string, value: RedisValue | HeldBytes, meta: number): boolean {
    const holdsValue = ValueSlots.holds(value);
    if (key === this.lastKey && holdsValue) {
      this.putKeepingTimed(this.lastSlot, value, meta);
      return false;
    }
    const held = this.map.get(key);
    if (held !== undefined) {
      if (typeof held === 'number') {
        if (holdsValue) {
          this.putKeepingTimed(held, value, meta);
          return false;
        }
        this.release(held);
        this.map.set(key, this.hold(value, meta));
        return false;
      }
      const holder = this.hold(value, meta);
      if (typeof holder === 'number') this.slots.markTimed(holder);
      this.map.set(key, holder);
      return false;
    }
    if (this.loaded !== null) {
      const entry = this.loaded.find(key);
      if (entry >= 0) {
        this.loaded.replace(entry, value, meta);
        return false;
      }
    }
    this.map.set(key, this.hold(value, meta));
    return true;
  }

  /** slots.put over a live slot, keeping its TIMED bit. */
  private putKeepingTimed(slot: number, value: Parameters<ValueSlots['put']>[1], meta: number): void {
    const timed = this.slots.mayExpire(slot);
    this.slots.put(slot, value, meta);
    if (timed) this.slots.markTimed(slot);
  }

  /** heapValue, with a string held as bytes given as those bytes (nothing converted). */
  heapHeld(key: string): RedisValue | HeldBytes | undefined {
    const held = this.map.get(key);
    return held === undefined ? undefined : this.heldValueOf(held);
  }

  /** The key's value when it lives in the V8 heap (not a loaded value still undecoded), without decoding anything. */
  heapValue(key: string): RedisValue | undefined {
    const held = this.map.get(key);
    return held === undefined ? undefined : this.valueOf(held);
  }

  delete(key: string): boolean {
    const held = this.map.get(key);
    if (held !== undefined) {
      this.map.delete(key);
      this.release(held);
      return true;
    }
    if (this.loaded === null) return false;
    const entry = this.loaded.find(key);
    if (entry < 0) return false;
    this.loaded.remove(entry);
    if (this.loaded.size === 0) this.loaded = null;
    return true;
  }

  *keys(): IterableIterator<string> {
    yield* this.map.keys();
    const loaded = this.loaded;
    if (loaded === null) return;
    for (let entry = 0; entry < loaded.entryCount; entry++) if (loaded.isLive(entry)) yield loaded.keyOf(entry);
  }

  /** Key/value pairs for read-only walks: loaded values not yet decoded are decoded without being kept. */
  *entries(): IterableIterator<[string, RedisValue]> {
    for (const [key, held] of this.map) yield [key, this.valueOf(held)];
    const loaded = this.loaded;
    if (loaded === null) return;
    for (let entry = 0; entry < loaded.entryCount; entry++) if (loaded.isLive(entry)) yield [loaded.keyOf(entry), loaded.peek(entry)];
  }

  /** A snapshot's walk over this dict (see DictWalk). */
  walkForSave(compress: boolean): DictWalk {
    return new DictWalk(this.map, this.slots, this.loaded, compress);
  }

  [Symbol.iterator](): IterableIterator<[string, RedisValue]> {
    return this.entries();
  }

  /**
   * A uniformly random key, or undefined when empty: O(1) in the loaded
   * table, an O(n) walk to a random index in the Map (no random access).
   */
  randomKey(): string | undefined {
    const size = this.size;
    if (size === 0) return undefined;
    let index = Math.floor(Math.random() * size);
    if (index >= this.map.size && this.loaded !== null) return this.loaded.keyOf(this.loaded.randomEntry());
    for (const key of this.map.keys()) if (index-- === 0) return key;
    return undefined;
  }
}

/**
 * A snapshot's walk: the dict's entries in iteration order (a loaded value
 * never decoded comes as its RDB bytes, written through without building
 * it), and whether the walk already passed a given key, which the
 * snapshot's copy-on-write asks before a write.
 *
 * Passed keys: in the Map part, the keys before the cursor; they are
 * remembered in a Set only from the first question on (at that moment no
 * write has happened since the walk began, so the first `passedInMap` keys
 * of a fresh iterator are exactly those passed). In the loaded part, an
 * entry number below the cursor; every Map key was passed by then. Keys
 * created after the snapshot instant are the snapshot's own business.
 */
export class DictWalk {
  private readonly mapEntries: IterableIterator<[string, MapHolder]>;
  private inMap = true;
  private passedInMap = 0;
  private passedMapKeys: Set<string> | null = null;
  private nextEntry = 0;

  constructor(
    private readonly map: Map<string, MapHolder>,
    private readonly slots: ValueSlots,
    private readonly loaded: LoadedKeys | null,
    private readonly compress: boolean,
  ) {
    this.mapEntries = map.entries();
  }

  /** The next entry, or null at the end. */
  next(): [string, RedisValue | RawRdbValue] | null {
    if (this.inMap) {
      const step = this.mapEntries.next();
      if (!step.done) {
        this.passedInMap++;
        this.passedMapKeys?.add(step.value[0]);
        const held = step.value[1];
        return [step.value[0], typeof held === 'number' ? this.slots.value(held) : held];
      }
      this.inMap = false;
      this.passedMapKeys = null;
    }
    const loaded = this.loaded;
    if (loaded === null) return null;
    while (this.nextEntry < loaded.entryCount) {
      const entry = this.nextEntry++;
      if (loaded.isLive(entry)) return [loaded.keyOf(entry), loaded.copyThrough(entry, this.compress) ?? loaded.peek(entry)];
    }
    return null;
  }

  /** True when next() already returned `key` (which exists in the dict). */
  passed(key: string): boolean {
    if (this.inMap) {
      if (this.passedMapKeys === null) {
        this.passedMapKeys = new Set();
        let remaining = this.passedInMap;
        for (const mapKey of this.map.keys()) {
          if (remaining-- <= 0) break;
          this.passedMapKeys.add(mapKey);
        }
      }
      return this.passedMapKeys.has(key);
    }
    if (this.map.has(key)) return true;
    const entry = this.loaded === null ? -1 : this.loaded.find(key);
    return entry >= 0 && entry < this.nextEntry;
  }
}
