/**
 * Where each entry of a stream node starts (the byte offset of its flags
 * element), in entry order, tombstones included. A listpack can only be
 * walked element by element, so a range read starting mid-node (or going
 * backwards, which Redis does through lp-count and backlens) would decode
 * half a node per request; with the offsets it binary-searches the IDs and
 * steps from entry to entry directly.
 *
 * A node builds them at its first read (one walk of the node), made by
 * XADD or loaded from RDB alike; appends then extend them. A stream that is
 * only appended to never builds any (they were ~6.5 MB of a 1M-entry
 * stream's 39 MB). Anything that moves bytes (a count element growing a
 * byte) drops them, to be rebuilt at the next read. 2 bytes per entry
 * while the node is under 64 KB (stream-node-max-bytes is 4 KB by
 * default), 4 beyond.
 */
export class EntryOffsets {
  private offsets: Uint16Array | Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.offsets = new Uint16Array(Math.max(4, capacity));
  }

  push(offset: number): void {
    if (this.length === this.offsets.length || (offset > 0xffff && this.offsets instanceof Uint16Array)) {
      const wide = this.offsets instanceof Int32Array || offset > 0xffff;
      const grown = wide ? new Int32Array(this.offsets.length * 2) : new Uint16Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.length++] = offset;
  }

  at(index: number): number {
    return this.offsets[index]!;
  }
}
