/**
 * A client's static reply buffer as Redis 7.0 sizes it (networking.c
 * _addReplyToBuffer, server.c clientsCronResizeOutputBuffer), kept as
 * figures: CLIENT LIST's rbs (its size), rbp (its recent peak), obl / oll /
 * omem (what sits in it and in the reply list behind it), INFO's
 * reply_buffer_shrinks / reply_buffer_expands.
 *
 * Replies are encoded into one growing OutputBuffer here (resp/); Redis
 * fills a fixed buffer first and chains 16 KB blocks after it. The meter
 * splits the pending bytes the same way: the first `size` bytes are the
 * buffer (bufpos), the rest the list.
 *
 * The cron, every tick (DEBUG REPLYBUFFER RESIZING 0 stops it):
 *   shrink  the peak stayed under half the size (and half is >= 1 KB) ->
 *           max(1 KB, peak + 1)
 *   expand  the peak filled the buffer and doubling stays under 32 KB ->
 *           min(16 KB, size * 2)
 *   reset   every peak-reset-time ms (DEBUG REPLYBUFFER PEAK-RESET-TIME, 5 s;
 *           -1 = never) the peak restarts from what the buffer holds now.
 */

/** PROTO_REPLY_CHUNK_BYTES: a new client's buffer, and a reply-list block. */
export const PROTO_REPLY_CHUNK_BYTES = 16 * 1024;
/** PROTO_REPLY_MIN_BYTES: the buffer never shrinks below this. */
export const PROTO_REPLY_MIN_BYTES = 1024;

export interface ReplyBufferStats {
  replyBufferShrinks: number;
  replyBufferExpands: number;
}

export class ReplyBufferMeter {
  /** buf_usable_size. */
  size = PROTO_REPLY_CHUNK_BYTES;
  /** buf_peak: the most the buffer held since the last reset (a new client starts full, as in Redis). */
  peak = PROTO_REPLY_CHUNK_BYTES;
  /** When the peak was last reset (ms); 0: at the first cron. */
  private peakResetAt = 0;

  /** Replies were queued: `pending` bytes wait to be written. */
  noteQueued(pending: number): void {
    const inBuffer = pending < this.size ? pending : this.size;
    if (inBuffer > this.peak) this.peak = inBuffer;
  }

  /** bufpos: the bytes of `pending` that sit in the buffer. */
  inBuffer(pending: number): number {
    return Math.min(pending, this.size);
  }

  /** The bytes of `pending` in the reply list behind the buffer (omem) and its block count (oll). */
  inList(pending: number): { bytes: number; blocks: number } {
    const bytes = Math.max(0, pending - this.size);
    return { bytes, blocks: Math.ceil(bytes / PROTO_REPLY_CHUNK_BYTES) };
  }

  /** clientsCronResizeOutputBuffer. `pending`: bytes not yet written; `peakResetMs` -1 = never. */
  cron(now: number, pending: number, peakResetMs: number, stats: ReplyBufferStats): void {
    const shrinkTo = this.size / 2;
    const expandTo = this.size * 2;
    let newSize = 0;
    if (shrinkTo >= PROTO_REPLY_MIN_BYTES && this.peak < shrinkTo) {
      newSize = Math.max(PROTO_REPLY_MIN_BYTES, this.peak + 1);
      stats.replyBufferShrinks++;
    } else if (expandTo < PROTO_REPLY_CHUNK_BYTES * 2 && this.peak === this.size) {
      newSize = Math.min(PROTO_REPLY_CHUNK_BYTES, expandTo);
      stats.replyBufferExpands++;
    }
    if (peakResetMs >= 0 && now - this.peakResetAt >= peakResetMs) {
      this.peak = this.inBuffer(pending);
      this.peakResetAt = now;
    }
    if (newSize !== 0) this.size = newSize;
  }
}
