/**
 * A client's query buffer as Redis 7.0 sizes it (networking.c
 * readQueryFromClient / processMultibulkBuffer, server.c
 * clientsCronResizeQueryBuffer), kept as figures: CLIENT LIST's qbuf and
 * qbuf-free, tot-mem, client_recent_max_input_buffer.
 *
 * The engine holds no single buffer per client (the request decoder keeps
 * only the unparsed tail of a chunk, see request-decoder.ts), so this meter
 * replays the allocation decisions Redis makes for the same bytes:
 *
 *   read      before a read Redis makes room for PROTO_IOBUF_LEN (16 KB):
 *             non-greedy (exactly that much) while the buffer is smaller
 *             than 16 KB or a big argument (>= 32 KB) is being read, else
 *             greedy (twice the need below 1 MB, need + 1 MB above).
 *   big arg   the header of a bulk >= PROTO_MBULK_BIG_ARG reserves exactly
 *             the bulk; once it is complete Redis hands that buffer over as
 *             the argument and starts a new one of bulklen+2 bytes ("we'll
 *             likely see another one").
 *   consumed  after the requests of a read ran, the parsed bytes leave
 *             (sdsrange): the length drops to what is still unparsed, the
 *             allocation stays.
 *   cron      wasting more than 4 KB: idle more than 2 s -> trimmed to the
 *             length; else larger than 32 KB and more than twice the peak
 *             since the last cron -> trimmed to max(length, peak, bulk).
 *             The peak restarts from the length (or the bulk in progress).
 *
 * Allocations are sized as sds on jemalloc sizes them (sds.c: the header
 * for the length class, the allocator's size class, alloc = usable - header
 * - 1), so the figures match a real redis-server's byte for byte: a
 * client's first read makes 20474 bytes of room, not 16384.
 *
 * `length` includes the requests of the current read while they run, as
 * in Redis, where the buffer is trimmed only after the read's requests ran:
 * a client's own CLIENT LIST shows qbuf=26 (its own request).
 */

/** PROTO_IOBUF_LEN: the generic read size. */
export const PROTO_IOBUF_LEN = 16 * 1024;
/** PROTO_MBULK_BIG_ARG: a bulk this long is read straight into a buffer of its own size. */
export const PROTO_MBULK_BIG_ARG = 32 * 1024;
/** PROTO_RESIZE_THRESHOLD: a buffer larger than this may shrink toward its recent peak. */
export const PROTO_RESIZE_THRESHOLD = 32 * 1024;
/** SDS_MAX_PREALLOC: greedy growth doubles below this, adds this much above. */
const SDS_MAX_PREALLOC = 1024 * 1024;
/** The cron trims only a buffer wasting more than this. */
const WASTE_BEFORE_RESIZE = 4 * 1024;
/** Seconds without input after which the cron trims every unused byte. */
const IDLE_SECONDS_BEFORE_TRIM = 2;

export class QueryBufferMeter {
  /** sdslen: bytes received and not yet trimmed away. */
  length = 0;
  /** sdsalloc: bytes allocated (length + qbuf-free). A new client's buffer is sdsempty(). */
  allocated = sdsUsable(0);
  /** querybuf_peak: the largest length since the last cron. */
  peak = 0;
  /** The big bulk (>= 32 KB) being received when the last read came in, or -1. */
  private bigBulkAtRead = -1;

  get free(): number {
    return this.allocated - this.length;
  }

  /** sdsZmallocSize: what the buffer takes from the allocator, header included (tot-mem). */
  get footprint(): number {
    return jemallocSizeClass(sdsHeaderBytes(this.allocated) + this.allocated + 1);
  }

  /**
   * Bytes arrived. `bulkInProgress` is the length of the bulk argument being
   * received (-1 when none), `held` the unparsed bytes of it kept from before.
   */
  read(bytes: number, bulkInProgress: number, held: number): void {
    const bigArg = bulkInProgress >= PROTO_MBULK_BIG_ARG;
    this.bigBulkAtRead = bigArg ? bulkInProgress : -1;
    let readLength = PROTO_IOBUF_LEN;
    if (bigArg) {
      const remaining = bulkInProgress + 2 - held;
      if (remaining > 0) readLength = remaining;
    }
    this.makeRoomFor(readLength, !bigArg && this.allocated >= PROTO_IOBUF_LEN);
    // A socket chunk can hold more than one of Redis's reads: the next reads
    // of the same chunk make room the greedy way.
    if (this.length + bytes > this.allocated) this.makeRoomFor(bytes, !bigArg);
    this.length += bytes;
    if (this.length > this.peak) this.peak = this.length;
  }

  /**
   * The requests of the last read ran: what is left is the unparsed tail
   * (`held`). `bulkInProgress` as in read(), after decoding.
   */
  consumed(held: number, bulkInProgress: number): void {
    if (this.bigBulkAtRead >= 0 && bulkInProgress !== this.bigBulkAtRead) {
      // The argument took the buffer; a new one was made for the next big one.
      this.allocated = Math.max(sdsUsable(this.bigBulkAtRead + 2), held);
      this.bigBulkAtRead = -1;
    }
    this.length = held;
    // The header of a big argument reserves exactly the argument.
    if (bulkInProgress >= PROTO_MBULK_BIG_ARG) this.makeRoomFor(bulkInProgress + 2 - held, false);
    if (this.allocated < held) this.allocated = held;
  }

  /** clientsCronResizeQueryBuffer. `idleSeconds` in whole unix seconds, as Redis counts. */
  cron(idleSeconds: number, bulkInProgress: number): void {
    if (this.free > WASTE_BEFORE_RESIZE) {
      if (idleSeconds > IDLE_SECONDS_BEFORE_TRIM) {
        // sdsRemoveFreeSpace / sdsResize set the allocation to exactly the size asked.
        this.allocated = this.length;
      } else if (this.allocated > PROTO_RESIZE_THRESHOLD && this.allocated / 2 > this.peak) {
        let resize = Math.max(this.length, this.peak);
        if (bulkInProgress !== -1 && resize < bulkInProgress) resize = bulkInProgress;
        this.allocated = resize;
      }
    }
    this.peak = this.length;
    if (bulkInProgress !== -1 && bulkInProgress > this.peak) this.peak = bulkInProgress;
  }

  /** sdsMakeRoomFor (greedy) / sdsMakeRoomForNonGreedy. */
  private makeRoomFor(extra: number, greedy: boolean): void {
    if (this.free >= extra) return;
    let wanted = this.length + extra;
    if (greedy) wanted = wanted < SDS_MAX_PREALLOC ? wanted * 2 : wanted + SDS_MAX_PREALLOC;
    this.allocated = sdsUsable(wanted);
  }
}

/**
 * The alloc of an sds made for `size` bytes (sdsnewlen, sdsMakeRoomFor):
 * the smallest header that holds the size (never SDS_TYPE_5, which cannot
 * grow), the allocator's size class for header + size + NUL, minus header
 * and NUL, capped to what the header can express.
 */
export function sdsUsable(size: number): number {
  const header = sdsHeaderBytes(size);
  const max = size < 1 << 8 ? 255 : size < 1 << 16 ? 65535 : size < 2 ** 32 ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
  return Math.min(jemallocSizeClass(header + size + 1) - header - 1, max);
}

/** The header of an sds whose allocation is `size` (sdsReqType; type 5 is never used for a buffer). */
function sdsHeaderBytes(size: number): number {
  return size < 1 << 8 ? 3 : size < 1 << 16 ? 5 : size < 2 ** 32 ? 9 : 17;
}

/**
 * jemalloc's size class for an allocation (what zmalloc_usable_size
 * reports): 8, then steps of 16 up to 128, then four classes per doubling
 * (160, 192, 224, 256, 320, ...).
 */
export function jemallocSizeClass(bytes: number): number {
  if (bytes <= 8) return 8;
  if (bytes <= 128) return Math.ceil(bytes / 16) * 16;
  const group = 2 ** Math.floor(Math.log2(bytes - 1));
  const spacing = group / 4;
  return Math.ceil(bytes / spacing) * spacing;
}
