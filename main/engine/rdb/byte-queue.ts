/**
 * The loader's input: chunks as they arrived, read through a cursor that can
 * be rolled back. Parsing one item (an opcode, a key, one collection
 * element) either completes and is committed, or runs out of bytes, throws
 * NEED_MORE and is rewound to retry when more bytes arrive. Chunks wholly
 * committed are fed to the running CRC and released, so memory holds at
 * most one incomplete item plus one chunk.
 */
import { Crc64 } from './crc64';
import { latin1String } from '../util/latin1';

/** Thrown (never as an error to callers) when the current item needs more bytes. */
export const NEED_MORE = Symbol('need more bytes');

const EMPTY = Buffer.alloc(0);

export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Read position: chunk index and offset in it. */
  private chunkIndex = 0;
  private offset = 0;
  /** Position of the last commit. */
  private markChunk = 0;
  private markOffset = 0;
  private buffered = 0;
  /** Total bytes committed since the start (for error offsets). */
  committed = 0;
  /** Bytes read since the last commit. */
  private pendingRead = 0;
  /**
   * CRC of the committed bytes before (crcChunk, crcOffset). It is brought
   * up to date a whole chunk at a time, when the chunk is released (per
   * item, a million short updates cost twice as much), and up to the
   * commit mark by stopCrc().
   */
  private readonly crcState = new Crc64();
  private crcEnabled = true;
  private crcChunk = 0;
  private crcOffset = 0;
  /** How many bytes the last failed item wanted to be available before retrying. */
  wanted = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  /** Bytes buffered from the last commit on. */
  get available(): number {
    return this.buffered;
  }

  /** Absolute position of the read cursor (committed + read since). */
  get position(): number {
    return this.committed + this.pendingRead;
  }

  private remainingAfterCursor(): number {
    return this.buffered - this.pendingRead;
  }

  private need(count: number): void {
    if (this.remainingAfterCursor() < count) {
      this.wanted = this.pendingRead + count;
      throw NEED_MORE;
    }
  }

  readByte(): number {
    this.need(1);
    let chunk = this.chunks[this.chunkIndex]!;
    if (this.offset >= chunk.length) {
      this.chunkIndex++;
      this.offset = 0;
      chunk = this.chunks[this.chunkIndex]!;
    }
    this.pendingRead++;
    return chunk[this.offset++]!;
  }

  /** The next `count` bytes: a view when they sit in one chunk, a copy otherwise. */
  readBytes(count: number): Buffer {
    this.need(count);
    if (count === 0) return Buffer.alloc(0);
    let chunk = this.chunks[this.chunkIndex]!;
    if (this.offset >= chunk.length) {
      this.chunkIndex++;
      this.offset = 0;
      chunk = this.chunks[this.chunkIndex]!;
    }
    this.pendingRead += count;
    if (this.offset + count <= chunk.length) {
      const view = chunk.subarray(this.offset, this.offset + count);
      this.offset += count;
      return view;
    }
    const out = Buffer.allocUnsafe(count);
    let filled = 0;
    while (filled < count) {
      chunk = this.chunks[this.chunkIndex]!;
      if (this.offset >= chunk.length) {
        this.chunkIndex++;
        this.offset = 0;
        continue;
      }
      const take = Math.min(count - filled, chunk.length - this.offset);
      chunk.copy(out, filled, this.offset, this.offset + take);
      filled += take;
      this.offset += take;
    }
    return out;
  }

  /**
   * Reads the next `count` bytes without making a view of them: returns
   * their offset in `spanBytes`, which is the chunk itself when they sit in
   * one (the usual case), a copy otherwise (then the offset is 0). A view
   * per value (readBytes) was a Buffer object per key of a load: half a
   * million allocations and the young-generation GCs they caused.
   */
  readSpan(count: number): number {
    this.need(count);
    if (count === 0) {
      this.spanBytes = EMPTY;
      return 0;
    }
    let chunk = this.chunks[this.chunkIndex]!;
    if (this.offset >= chunk.length) {
      this.chunkIndex++;
      this.offset = 0;
      chunk = this.chunks[this.chunkIndex]!;
    }
    if (this.offset + count <= chunk.length) {
      const at = this.offset;
      this.offset += count;
      this.pendingRead += count;
      this.spanBytes = chunk;
      return at;
    }
    this.spanBytes = this.readBytes(count);
    return 0;
  }

  /** The buffer of the last readSpan(): a chunk (never written into) or a copy. */
  spanBytes: Buffer = EMPTY;

  /**
   * The next `count` bytes as a latin1 string: decoded straight from the
   * chunk when they sit in one (no Buffer view allocated per key and value,
   * a tenth of a million-key load), through readBytes otherwise.
   */
  readLatin1(count: number): string {
    this.need(count);
    if (count === 0) return '';
    let chunk = this.chunks[this.chunkIndex]!;
    if (this.offset >= chunk.length) {
      this.chunkIndex++;
      this.offset = 0;
      chunk = this.chunks[this.chunkIndex]!;
    }
    if (this.offset + count > chunk.length) return this.readBytes(count).toString('latin1');
    const text = latin1String(chunk, this.offset, this.offset + count);
    this.offset += count;
    this.pendingRead += count;
    return text;
  }

  /** Bytes read since the last commit: positions within the current item. */
  get itemOffset(): number {
    return this.pendingRead;
  }

  /** Advances the cursor past `count` bytes without reading them. */
  skip(count: number): void {
    this.need(count);
    this.pendingRead += count;
    let left = count;
    while (left > 0) {
      const room = this.chunks[this.chunkIndex]!.length - this.offset;
      if (room <= 0) {
        this.chunkIndex++;
        this.offset = 0;
        continue;
      }
      const take = Math.min(room, left);
      this.offset += take;
      left -= take;
    }
  }

  /** Moves the cursor back to `itemOffset` bytes after the last commit (re-reading part of the item). */
  seek(itemOffset: number): void {
    this.rewind();
    this.skip(itemOffset);
  }

  /** Copies `count` bytes of the current item, from `itemOffset` on, into `dest` at `destAt` (the cursor does not move). */
  copyOut(itemOffset: number, count: number, dest: Buffer, destAt: number): void {
    let chunkIndex = this.markChunk;
    let offset = this.markOffset + itemOffset;
    while (offset >= this.chunks[chunkIndex]!.length && count > 0) {
      offset -= this.chunks[chunkIndex]!.length;
      chunkIndex++;
    }
    while (count > 0) {
      const chunk = this.chunks[chunkIndex]!;
      const take = Math.min(count, chunk.length - offset);
      if (take < 32) {
        for (let i = 0; i < take; i++) dest[destAt + i] = chunk[offset + i]!;
      } else {
        chunk.copy(dest, destAt, offset, offset + take);
      }
      destAt += take;
      count -= take;
      chunkIndex++;
      offset = 0;
    }
  }

  /**
   * Where `count` bytes of the current item, from `itemOffset` on, sit when
   * they lie in one chunk: returns their offset in that chunk and leaves
   * the chunk in `locatedChunk`; -1 when they span chunks. Chunks are the
   * caller's buffers as pushed (never reused here), so the bytes may be
   * kept by reference.
   */
  locate(itemOffset: number, count: number): number {
    let chunkIndex = this.markChunk;
    let offset = this.markOffset + itemOffset;
    while (chunkIndex < this.chunks.length && offset >= this.chunks[chunkIndex]!.length) {
      offset -= this.chunks[chunkIndex]!.length;
      chunkIndex++;
    }
    const chunk = this.chunks[chunkIndex];
    if (chunk === undefined || offset + count > chunk.length) return -1;
    this.locatedChunk = chunk;
    return offset;
  }

  /** The chunk of the last successful locate(). */
  locatedChunk: Buffer = Buffer.alloc(0);

  /** Accepts everything read since the last commit. */
  commit(): void {
    if (this.pendingRead === 0) return;
    this.committed += this.pendingRead;
    this.buffered -= this.pendingRead;
    this.pendingRead = 0;
    // Release chunks entirely before the cursor, feeding the CRC what it has not seen of them.
    let drop = this.chunkIndex;
    if (this.chunks[drop] && this.offset >= this.chunks[drop]!.length) {
      drop++;
      this.offset = 0;
    }
    if (drop > 0) {
      if (this.crcEnabled) {
        for (let index = this.crcChunk; index < drop; index++) {
          const chunk = this.chunks[index]!;
          this.crcState.update(chunk, index === this.crcChunk ? this.crcOffset : 0, chunk.length);
        }
        this.crcChunk = 0;
        this.crcOffset = 0;
      }
      this.chunks = this.chunks.slice(drop);
      this.chunkIndex -= drop;
      if (this.chunkIndex < 0) this.chunkIndex = 0;
    }
    this.markChunk = this.chunkIndex;
    this.markOffset = this.offset;
  }

  /** Brings the CRC up to the last commit and stops it (the stored checksum that follows is not covered). */
  stopCrc(): void {
    if (!this.crcEnabled) return;
    for (let index = this.crcChunk; index <= this.markChunk && index < this.chunks.length; index++) {
      const chunk = this.chunks[index]!;
      const from = index === this.crcChunk ? this.crcOffset : 0;
      const to = index === this.markChunk ? this.markOffset : chunk.length;
      if (to > from) this.crcState.update(chunk, from, to);
    }
    this.crcEnabled = false;
  }

  /** The CRC of everything committed up to stopCrc(). */
  get crc(): Crc64 {
    if (this.crcEnabled) throw new Error('internal: the CRC is read before stopCrc()');
    return this.crcState;
  }

  /** Forgets what was read since the last commit. */
  rewind(): void {
    this.chunkIndex = this.markChunk;
    this.offset = this.markOffset;
    this.pendingRead = 0;
  }

  /** Uncommitted bytes still buffered (after the RDB ended: what follows it). */
  takeRest(): number {
    return this.buffered;
  }
}
