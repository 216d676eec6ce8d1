/**
 * The recent-reads cache of loaded fresh strings (LoadedKeys.freshRead): a
 * fresh string read is kept in slot `entry & (RECENT_READS - 1)` until
 * another entry's read takes the slot. A slot keeps a string only at the
 * second read of its entry in a row (the first marks the slot with the
 * entry, negated): reads at random over many keys then store one integer
 * and keep no string, which the young-generation GC would copy, while a
 * key read again soon is decoded twice, then kept.
 *
 * Strings longer than RECENT_READ_MAX chars are not kept, so the cache
 * holds at most RECENT_READS * RECENT_READ_MAX bytes (2 MB; about 1 MB for
 * ~100-byte values), plus its two 32 KB arrays. Direct-mapped: of 1,000
 * keys read over and over, about 11% share a slot with another and are
 * decoded by every read (22% with 4,096 slots).
 *
 * Invariant: only a fresh string no write replaced is read through here,
 * and its slab bytes never change, so a kept string cannot go stale; a
 * removed entry is forgotten (its number is never found again anyway).
 */
const RECENT_READS = 8192;
const RECENT_READ_MAX = 256;

export class RecentReads {
  /** Per slot: entry + 1 with its string kept, -(entry + 1) read once, 0 empty. */
  private readonly entries = new Int32Array(RECENT_READS);
  private readonly strings: string[] = new Array<string>(RECENT_READS).fill('');

  /** The string kept for this entry, or undefined. */
  kept(entry: number): string | undefined {
    const slot = entry & (RECENT_READS - 1);
    return this.entries[slot] === entry + 1 ? this.strings[slot] : undefined;
  }

  /** The entry was just read as `value` (not kept): marks its slot, or keeps it at the second read in a row. */
  noteRead(entry: number, value: string): void {
    const slot = entry & (RECENT_READS - 1);
    if (this.entries[slot] !== -(entry + 1)) this.entries[slot] = -(entry + 1);
    else if (value.length <= RECENT_READ_MAX) {
      this.entries[slot] = entry + 1;
      this.strings[slot] = value;
    }
  }

  /** The entry is removed: its slot no longer names it. */
  forget(entry: number): void {
    const slot = entry & (RECENT_READS - 1);
    if (this.entries[slot] === entry + 1 || this.entries[slot] === -(entry + 1)) {
      this.entries[slot] = 0;
      this.strings[slot] = '';
    }
  }
}
