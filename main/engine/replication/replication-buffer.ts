/**
 * The replication backlog as Redis 7.0 builds it: one shared buffer of
 * blocks holding the replication stream, encoded once. The backlog is the
 * window of the last `repl-backlog-size` bytes that PSYNC can be served
 * from; replicas read their not-yet-sent bytes from the same blocks (Buffer
 * views, never copies or re-encodings).
 *
 *   first byte                                   master offset (last byte)
 *       |<------------------- histlen ------------------->|
 *   [ block ][ block ][ block ] ... [ block (partly used) ]
 *
 * Offsets are 1-based byte positions of the stream: the first byte ever
 * produced is byte 1, `masterOffset` is the offset of the last byte produced,
 * and a replica asks for the next byte it needs (PSYNC <id> <last+1>).
 *
 * Invariants:
 *  - firstByte = masterOffset - histlen + 1 (so an empty backlog starts at
 *    masterOffset + 1, like createReplicationBacklog()).
 *  - Trimming drops head blocks only while the remaining history is still at
 *    least `size` bytes AND no replica still needs bytes in that block (its
 *    next byte to send is inside it), and a larger head block 16 KiB at a
 *    time by the same rule (7.0's blocks are 16 KiB). So histlen normally
 *    sits in [size, size + 16 KiB), and grows beyond that while a slow
 *    replica holds old blocks; those bytes remain usable for PSYNC, as in 7.0.
 *  - Bytes already written into a block never change, so views handed to
 *    sockets stay valid after later appends.
 */

const MIN_BLOCK_SIZE = 16 * 1024;

interface Block {
  /** Stream offset of the block's first byte. */
  readonly startOffset: number;
  readonly bytes: Buffer;
  used: number;
}

export class ReplicationBuffer {
  private blocks: Block[] = [];
  private histlenBytes = 0;
  private lastOffset: number;
  /** Offsets replicas still need (their next byte to send); they pin blocks. */
  private readonly pins = new Map<object, number>();

  /**
   * @param size repl-backlog-size in bytes
   * @param masterOffset the stream offset reached so far (the backlog starts at masterOffset + 1)
   */
  constructor(
    private size: number,
    masterOffset: number,
  ) {
    this.lastOffset = masterOffset;
  }

  get masterOffset(): number {
    return this.lastOffset;
  }

  get histlen(): number {
    return this.histlenBytes;
  }

  get firstByteOffset(): number {
    return this.lastOffset - this.histlenBytes + 1;
  }

  get configuredSize(): number {
    return this.size;
  }

  /** Bytes of memory held by blocks (INFO mem_replication_backlog / mem_total_replication_buffers). */
  get allocatedBytes(): number {
    let total = 0;
    for (const block of this.blocks) total += block.bytes.length;
    return total;
  }

  private blockSize(): number {
    return Math.max(MIN_BLOCK_SIZE, Math.floor(this.size / 16));
  }

  /** Appends stream bytes (copied once into blocks). */
  append(bytes: Buffer): void {
    let pos = 0;
    while (pos < bytes.length) {
      let tail = this.blocks[this.blocks.length - 1];
      if (!tail || tail.used === tail.bytes.length) {
        // Blocks are at most max(16 KB, size / 16), so a big command spans several and the
        // head can still be trimmed when only a small part of it is needed (as in 7.0).
        tail = { startOffset: this.lastOffset + 1, bytes: Buffer.allocUnsafe(this.blockSize()), used: 0 };
        this.blocks.push(tail);
      }
      const take = Math.min(tail.bytes.length - tail.used, bytes.length - pos);
      bytes.copy(tail.bytes, tail.used, pos, pos + take);
      tail.used += take;
      pos += take;
      this.lastOffset += take;
      this.histlenBytes += take;
    }
    this.trim();
  }

  /** Changes repl-backlog-size (CONFIG SET); shrinking trims at once where allowed. */
  resize(size: number): void {
    this.size = size;
    this.trim();
  }

  private trim(): void {
    const minPinned = this.minPinnedOffset();
    while (this.blocks.length > 1) {
      const head = this.blocks[0]!;
      if (this.histlenBytes - head.used <= this.size) break;
      // A replica whose next byte is inside (or before the end of) the head block still needs it.
      if (minPinned !== null && minPinned < head.startOffset + head.used) break;
      this.blocks.shift();
      this.histlenBytes -= head.used;
    }
    // Blocks are max(16 KiB, size / 16) here, redis-server's 16 KiB whatever the size: after a shrink
    // (8 MiB to 16 KiB) whole old blocks would keep up to half a MiB that redis-server has freed. The
    // head's leading 16 KiB steps go under the same rule as whole blocks, as a view of the same memory
    // (bytes written never move, so views already handed out stay valid, and appends to a head that is
    // also the tail land where they did).
    const head = this.blocks[0];
    if (head === undefined || head.used <= MIN_BLOCK_SIZE) return;
    let cut = 0;
    while (cut + MIN_BLOCK_SIZE < head.used && this.histlenBytes - (cut + MIN_BLOCK_SIZE) > this.size && (minPinned === null || minPinned >= head.startOffset + cut + MIN_BLOCK_SIZE)) cut += MIN_BLOCK_SIZE;
    if (cut === 0) return;
    this.blocks[0] = { startOffset: head.startOffset + cut, bytes: head.bytes.subarray(cut), used: head.used - cut };
    this.histlenBytes -= cut;
  }

  private minPinnedOffset(): number | null {
    let min: number | null = null;
    for (const offset of this.pins.values()) if (min === null || offset < min) min = offset;
    return min;
  }

  /**
   * Pins the buffer from `nextOffset` on for a reader (a replica waiting for
   * or receiving its stream). Update with `pin` again as it advances;
   * `unpin` when it goes away. Returns false if those bytes are already gone.
   */
  pin(reader: object, nextOffset: number): boolean {
    if (nextOffset < this.firstByteOffset) return false;
    this.pins.set(reader, nextOffset);
    return true;
  }

  unpin(reader: object): void {
    if (this.pins.delete(reader)) this.trim();
  }

  /** True when a PSYNC asking for `offset` (next byte needed) can be served. */
  canServeFrom(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.lastOffset + 1;
  }

  /**
   * Views of the stream from `offset` (inclusive) up to `endOffset`
   * (inclusive, default: everything produced). Callers check canServeFrom.
   */
  read(offset: number, endOffset: number = this.lastOffset): Buffer[] {
    const out: Buffer[] = [];
    if (offset > endOffset) return out;
    for (const block of this.blocks) {
      const blockEnd = block.startOffset + block.used - 1;
      if (blockEnd < offset) continue;
      if (block.startOffset > endOffset) break;
      const from = Math.max(offset, block.startOffset) - block.startOffset;
      const to = Math.min(endOffset, blockEnd) - block.startOffset + 1;
      out.push(block.bytes.subarray(from, to));
    }
    return out;
  }
}
