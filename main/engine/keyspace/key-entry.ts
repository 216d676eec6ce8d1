/**
 * What the keyspace keeps per key besides its value: the `meta` word Redis
 * keeps in every robj (object.c, evict.c), as one small integer so an
 * access costs one field write:
 *
 *    bits 0..23   LRU clock of the last access (seconds, wrapping at 2^24),
 *                 or, under an LFU policy, the last decrement time in
 *                 minutes (16 bits) << 8 | the logarithmic access counter
 *    bits 24..25  string encoding forced by how the value was made: RAW
 *                 (APPEND on an existing string, SETRANGE, SETBIT,
 *                 BITFIELD, BITOP write into a raw sds), EMBSTR (INCRBYFLOAT
 *                 creates one); 0 = as the content says (int/embstr/raw)
 *    bit 26       UNSHARED: made while an LRU/LFU policy with a memory limit
 *                 turned shared integers off (OBJECT REFCOUNT stays 1)
 *
 * The field is interpreted by the policy in force, as in Redis: switching
 * between LRU and LFU policies takes a while to adjust.
 */
import type { RedisValue } from './values';
import { HeldBytes } from './held-bytes';

/**
 * A value and its key's meta word, as the loaded-keys table keeps a decoded
 * value. A string value may be held as bytes (held-bytes.ts): `value` gives
 * it as a string, which the entry keeps from then on; `held` as stored.
 */
export class KeyEntry {
  constructor(
    private stored: RedisValue | HeldBytes,
    public meta: number,
  ) {}

  get value(): RedisValue {
    const stored = this.stored;
    if (!(stored instanceof HeldBytes)) return stored;
    const value = stored.toValue();
    this.stored = value;
    return value;
  }

  get held(): RedisValue | HeldBytes {
    return this.stored;
  }

  hold(value: RedisValue | HeldBytes): void {
    this.stored = value;
  }
}

export type CollectionValue = Exclude<RedisValue, string>;

/**
 * What holds a key's meta word: in a dict's Map, a collection itself (its
 * own `meta` field is the word) or, for a string (a primitive, with
 * nowhere to keep one) and a hash or sorted set in its packed form, its
 * slot number in the dict's ValueSlots (value-slots.ts); in the
 * loaded-keys table, a KeyEntry. A JS object costs at least 24 bytes
 * of header (40 with two fields), so a key that needed a KeyEntry beside
 * its value paid 40 bytes for two words. The dict reads and writes the
 * word and the value of any holder (Dict.valueOf, metaOfHolder).
 */
export type KeyHolder = KeyEntry | CollectionValue | number;

/**
 * lookupKey's access update, on a holder that is an object (a loaded
 * value's KeyEntry, or a collection); returns the value held. The two are
 * updated at separate sites, so each site's property accesses see one
 * object shape. A string's slot is updated by its dict (Dict.touch).
 */
export function touchHolder(held: KeyEntry | CollectionValue, access: AccessPolicy): RedisValue {
  if (held instanceof KeyEntry) {
    const meta = held.meta;
    const touched = access.touchedMeta(meta);
    if (touched !== meta) held.meta = touched;
    return held.value;
  }
  const meta = held.meta;
  const touched = access.touchedMeta(meta);
  if (touched !== meta) held.meta = touched;
  return held;
}

/** touchHolder on a KeyEntry, giving a string held as bytes as those bytes. */
export function touchEntryHeld(held: KeyEntry, access: AccessPolicy): RedisValue | HeldBytes {
  const meta = held.meta;
  const touched = access.touchedMeta(meta);
  if (touched !== meta) held.meta = touched;
  return held.held;
}

export const LRU_CLOCK_MAX = (1 << 24) - 1;
const LRU_MASK = LRU_CLOCK_MAX;
/** LRU_CLOCK_RESOLUTION: the clock ticks once a second. */
const LRU_RESOLUTION_MS = 1000;
/** LFU_INIT_VAL: a new key starts with this counter, so it is not evicted at once. */
export const LFU_INIT_VAL = 5;

export const ENCODING_DERIVED = 0;
export const ENCODING_RAW = 1 << 24;
export const ENCODING_EMBSTR = 2 << 24;
const ENCODING_MASK = 3 << 24;

export type EncodingOverride = typeof ENCODING_DERIVED | typeof ENCODING_RAW | typeof ENCODING_EMBSTR;
export const UNSHARED = 1 << 26;

export function encodingOverride(meta: number): EncodingOverride {
  return (meta & ENCODING_MASK) as EncodingOverride;
}

/** The access field (LRU clock or LFU data) of a meta word. */
export function accessField(meta: number): number {
  return meta & LRU_MASK;
}

export function withAccessField(meta: number, field: number): number {
  return (meta & ~LRU_MASK) | (field & LRU_MASK);
}

export function withEncoding(meta: number, encoding: EncodingOverride): number {
  return (meta & ~ENCODING_MASK) | encoding;
}

/** getLRUClock for a wall-clock time. */
export function lruClockAt(nowMs: number): number {
  return Math.floor(nowMs / LRU_RESOLUTION_MS) & LRU_CLOCK_MAX;
}

/** LFUGetTimeInMinutes: unix minutes, 16 bits. */
export function lfuMinutesAt(nowMs: number): number {
  return Math.floor(nowMs / 60_000) & 65535;
}

/** estimateObjectIdleTime: ms since the recorded access, across the clock's wrap. */
export function idleMs(lruField: number, clock: number): number {
  return clock >= lruField ? (clock - lruField) * LRU_RESOLUTION_MS : (clock + (LRU_CLOCK_MAX - lruField)) * LRU_RESOLUTION_MS;
}

/** The access policy the keyspace applies: LRU clock updates, or LFU counters with their tuning. */
export class AccessPolicy {
  lfu = false;
  /** lfu-log-factor and lfu-decay-time (minutes per counter decrement; 0 = never). */
  lfuLogFactor = 10;
  lfuDecayTime = 1;
  /** Cached clocks, refreshed by the server cron (Redis's server.lruclock / unixtime). */
  lruClock = lruClockAt(Date.now());
  lfuMinutes = lfuMinutesAt(Date.now());
  /** An LRU/LFU policy with maxmemory set: new values are not shared integers (MAXMEMORY_FLAG_NO_SHARED_INTEGERS). */
  sharedIntegersOff = false;

  refreshClock(nowMs: number): void {
    this.lruClock = lruClockAt(nowMs);
    this.lfuMinutes = lfuMinutesAt(nowMs);
  }

  /** The meta word (access field, UNSHARED flag) of a value created now (createObject). */
  freshField(): number {
    const field = this.lfu ? (this.lfuMinutes << 8) | LFU_INIT_VAL : this.lruClock;
    return this.sharedIntegersOff ? field | UNSHARED : field;
  }

  /**
   * lookupKey's access update of a meta word: the LRU clock (unchanged, so
   * no write, while the second has not changed), or under an LFU policy
   * the decayed and logarithmically incremented counter.
   */
  touchedMeta(meta: number): number {
    if (!this.lfu) return (meta & LRU_MASK) === this.lruClock ? meta : withAccessField(meta, this.lruClock);
    return withAccessField(meta, this.touchedField(accessField(meta)));
  }

  /** lookupKey's touch: the new access field after an access. */
  touchedField(field: number): number {
    if (!this.lfu) return this.lruClock;
    const counter = logIncrement(this.decayedCounter(field), this.lfuLogFactor);
    return (this.lfuMinutes << 8) | counter;
  }

  /**
   * objectSetLRUOrLFU: the access field a RESTORE ... IDLETIME/FREQ or an
   * RDB's IDLE/FREQ opcode gives a key, or null when the one given does not
   * apply to the policy in force (a FREQ under LRU, an IDLETIME under LFU;
   * -1 means not given). objectSetLRUOrLFU's arithmetic, overflow included:
   * the idle seconds are scaled by 1000/1000 in int64 (IDLETIME
   * 9223372036854775807 wraps to -1), one LRU_CLOCK_MAX is added to a
   * negative access time, and the result lands in the 24-bit lru field.
   */
  fieldFromUsage(freq: number, idleSeconds: number | bigint): number | null {
    if (this.lfu) return freq >= 0 ? (this.lfuMinutes << 8) | freq : null;
    if (idleSeconds < 0) return null;
    const scaled = typeof idleSeconds === 'number' && idleSeconds <= Number.MAX_SAFE_INTEGER / 1000
      ? idleSeconds
      : Number(BigInt.asIntN(64, BigInt(idleSeconds) * 1000n) / 1000n);
    let accessed = this.lruClock - scaled;
    if (accessed < 0) accessed += LRU_CLOCK_MAX;
    return ((accessed % 2 ** 24) + 2 ** 24) % 2 ** 24;
  }

  /** LFUDecrAndReturn: the counter after the decay periods elapsed since its last decrement. */
  decayedCounter(field: number): number {
    const lastDecrement = field >> 8;
    const counter = field & 255;
    if (this.lfuDecayTime === 0) return counter;
    const now = this.lfuMinutes;
    const elapsed = now >= lastDecrement ? now - lastDecrement : 65535 - lastDecrement + now;
    const periods = Math.floor(elapsed / this.lfuDecayTime);
    return periods > counter ? 0 : counter - periods;
  }
}

/** LFULogIncr: increments with probability 1 / ((counter - LFU_INIT_VAL) * factor + 1), saturating at 255. */
function logIncrement(counter: number, factor: number): number {
  if (counter === 255) return 255;
  const base = Math.max(0, counter - LFU_INIT_VAL);
  return Math.random() < 1 / (base * factor + 1) ? counter + 1 : counter;
}
