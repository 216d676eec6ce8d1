/**
 * A string value held as bytes that a command edits in place, as Redis
 * edits a value's sds (hyperloglog.c writes a dense HLL's registers into
 * the sds it finds in the keyspace).
 *
 * Why: a JS string cannot be changed, so every PFADD that raised a
 * register of a dense HLL made a new 12 KB string: a native copy, and 12 KB
 * of young-generation garbage per request while an HLL fills.
 *
 * The rule that keeps one representation: where a key's string value lives
 * (its slot in value-slots.ts, or after an RDB load its KeyEntry in the
 * load's table) it is held either as a string or as HeldBytes, never both. Only the
 * commands that edit in place ask for the bytes (Keyspace.lookupRead /
 * lookupWrite with `held`); everything else reads the slot as a string (GET,
 * DUMP, RDB save and snapshots, DEBUG DIGEST, STRLEN, OBJECT, MEMORY USAGE,
 * TYPE), and reading it so turns the bytes back into a string, one copy,
 * which the slot keeps from then on. The next in-place edit copies the
 * string into new bytes. So every reader sees exactly the bytes the editor
 * wrote, and a workload of edits alone copies nothing.
 *
 * The PF commands store values as bytes (a dense HLL, an HllBuffer); the
 * counter commands store a counter as its integer (a HeldInteger,
 * held-integer.ts).
 */
export abstract class HeldBytes {
  /** The value as a string (a copy of the bytes). */
  abstract toValue(): string;

  /** The value's length in bytes (memory accounting), without a copy where the subclass knows it. */
  byteLength(): number {
    return this.toValue().length;
  }
}
