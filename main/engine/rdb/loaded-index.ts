/**
 * The bucket table of loaded keys (layout in loaded-key-layout.ts), built
 * once when the load ends: inserting a million keys one by one into a
 * 32 MB table costs a cache and TLB miss each, while partitioning them by
 * home bucket first fills the table front to back.
 */
import { BUCKET, BUCKET_CHECK, BUCKET_ENTRY, BUCKET_KEY_START, BUCKET_SLAB, ENTRY_MASK, KEY_LENGTH, KEY_START, SLAB, STRIDE, checkWord } from './loaded-key-layout';

/** The partitions: 2048 counters stay in L1, and a partition's buckets in L1/L2. */
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/** What the build reads of the entries. */
export interface IndexedEntries {
  /** Entries 0..count-1 are indexed. */
  readonly count: number;
  /** Per entry: the key's hash (hashLatin1 of its bytes). */
  readonly hashes: Int32Array;
  /** Per entry: its STRIDE fields. */
  readonly fields: Int32Array;
  /** The flag bits of an entry's entry word (TIMED_BUCKET, FRESH_BUCKET). */
  bucketFlags(entry: number): number;
  /** The two entries have the same key bytes. */
  sameKey(a: number, b: number): boolean;
}

/**
 * The buckets of every entry, or (a number) an entry whose key an earlier
 * entry already has (a duplicate key in the RDB: the load must fail).
 *
 * One counting pass splits the entries into RADIX partitions by the top
 * bits of their home bucket (the hash travels with its entry, so no pass
 * reads at random), then the partitions are inserted in order with
 * ordinary linear probing. Each partition's homes span 1/RADIX of the
 * table (8 KB at a million keys), so its probes stay in the CPU caches
 * and the table fills front to back; probing also meets every earlier
 * entry with the same hash, which is where duplicates are found. Entries
 * that run past the last bucket wrap around as probing does anyway. The
 * table has two buckets per key at least.
 */
export function buildBuckets(entries: IndexedEntries): Int32Array | number {
  const n = entries.count;
  let slots = 2;
  while (slots < n * 2) slots *= 2;
  const mask = slots - 1;
  const slotBits = 31 - Math.clz32(slots);
  const shift = Math.max(0, slotBits - RADIX_BITS);
  const hashes = entries.hashes;
  const counts = new Int32Array(RADIX + 1);
  for (let entry = 0; entry < n; entry++) {
    const digit = ((hashes[entry]! & mask) >>> shift) + 1;
    counts[digit] = counts[digit]! + 1;
  }
  for (let digit = 1; digit <= RADIX; digit++) counts[digit] = counts[digit]! + counts[digit - 1]!;
  // Each entry's bucket contents, partitioned: the fields are read here in entry order, so
  // the inserts below read nothing at random but the buckets of their partition.
  const fields = entries.fields;
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
      if (buckets[slot + BUCKET_CHECK] === check && entries.sameKey(other, entry)) return Math.max(other, entry);
      slot = (slot + BUCKET) & wrap;
    }
    buckets[slot + BUCKET_CHECK] = check;
    buckets[slot + BUCKET_ENTRY] = (entry + 1) | entries.bucketFlags(entry);
    buckets[slot + BUCKET_SLAB] = sorted[i + BUCKET_SLAB]!;
    buckets[slot + BUCKET_KEY_START] = sorted[i + BUCKET_KEY_START]!;
  }
  return buckets;
}
