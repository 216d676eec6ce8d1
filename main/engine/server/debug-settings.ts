/**
 * The knobs DEBUG turns (debug.c), kept per node. They exist for tests and
 * diagnosis, never set by configuration, and start at Redis's defaults.
 */
import { DEFAULT_PLAIN_NODE_THRESHOLD } from '../rdb/value-writer';

/** Redis's REPLY_BUFFER_DEFAULT_PEAK_RESET_TIME (ms). */
export const DEFAULT_REPLY_BUFFER_PEAK_RESET_MS = 5000;

export class DebugSettings {
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements this long get PLAIN quicklist nodes in RDB output. */
  quicklistPackedThreshold = DEFAULT_PLAIN_NODE_THRESHOLD;
  /** DEBUG REPLYBUFFER PEAK-RESET-TIME: ms between reply-buffer peak resets; -1 = never. */
  replyBufferPeakResetMs = DEFAULT_REPLY_BUFFER_PEAK_RESET_MS;
  /** DEBUG REPLYBUFFER RESIZING: whether the clients cron resizes reply buffers. */
  replyBufferResizing = true;
  /** DEBUG PAUSE-CRON: the periodic tasks (expiry, client cron, replication cron) do not run. */
  cronPaused = false;
}
