/**
 * How loaded keys are laid out in typed arrays (loaded-entries.ts holds
 * them, loaded-keys.ts indexes them):
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
 *    from its bytes, see LoadedEntries.freshString, with no decoded value
 *    and a key shorter than 255 bytes). A read of a fresh string thus needs
 *    the bucket and the slab's bytes (key, then value) and nothing else: the
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
 *    once, when the load ends (loaded-index.ts). Removed entries keep their
 *    bucket as a tombstone, so the table is never rehashed (and a bucket's
 *    slab and key start never go stale: an entry's key bytes never move).
 */

/** An entry's `types` byte once it is removed. */
export const DELETED = 0xff;
/**
 * Bit of an entry's `types` byte: the key was given a TTL (at load, or by a
 * command since), so a read must look it up in the expires dictionary.
 * Never cleared while the entry lives: a key that lost its TTL is only
 * looked up for nothing. RDB types fit in the bits below it.
 */
export const TIMED = 0x40;
export const TYPE_MASK = 0x3f;
/** Int32 fields per entry in `fields`, and their offsets. */
export const STRIDE = 4;
export const SLAB = 0;
export const KEY_START = 1;
export const KEY_LENGTH = 2;
export const VALUE_END = 3;
/** Int32s per bucket, and their offsets. */
export const BUCKET = 4;
export const BUCKET_CHECK = 0;
export const BUCKET_ENTRY = 1;
export const BUCKET_SLAB = 2;
export const BUCKET_KEY_START = 3;
/** The check word's length tag: a key length below LONG_KEY, or LONG_KEY (length in the fields; removed entries too). */
export const LENGTH_TAG = 0xff;
export const LONG_KEY = 0xff;
/** The entry word: entry number + 1 in the low bits, and the bucket's flags. */
export const ENTRY_MASK = (1 << 29) - 1;
export const TIMED_BUCKET = 1 << 30;
export const FRESH_BUCKET = 1 << 29;

/** A bucket's check word for a key of this hash and length. */
export function checkWord(hash: number, keyLength: number): number {
  return (hash & ~LENGTH_TAG) | (keyLength < LONG_KEY ? keyLength : LONG_KEY);
}
