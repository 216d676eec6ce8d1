/**
 * How much replication history a master's backlog holds, in words.
 *
 * Redis 7 keeps the backlog as a list of shared replication-buffer blocks
 * (16 KiB or the size of one large write) and trims it a whole block at a
 * time, only while what remains still covers repl-backlog-size; a block that
 * a replica is still sending from is not trimmed at all. So
 * repl_backlog_histlen legitimately exceeds repl-backlog-size (29 KiB held
 * by a 16 KiB backlog is normal): that is not "100% full" nor an overflow,
 * and the words say so instead of printing a percentage over 100.
 */
import { formatBytes, formatPercent } from './format';

export interface BacklogHeldWording {
  readonly text: string;
  /** The longer explanation (tooltip), when the held history exceeds the configured size. */
  readonly title: string | null;
}

export function backlogHeldWording(sizeBytes: number, histlenBytes: number): BacklogHeldWording {
  if (histlenBytes <= sizeBytes || sizeBytes <= 0) {
    return { text: `holds ${formatBytes(histlenBytes)} (${formatPercent(sizeBytes > 0 ? histlenBytes / sizeBytes : 0)})`, title: null };
  }
  return {
    text: `${formatBytes(histlenBytes)} held (configured ${formatBytes(sizeBytes)}; Redis keeps whole blocks)`,
    title:
      `repl_backlog_histlen is ${formatBytes(histlenBytes)}, more than repl-backlog-size ${formatBytes(sizeBytes)}: ` +
      'Redis trims the backlog by whole replication-buffer blocks, and never trims a block a replica is still reading, ' +
      'so a partial resync can reach a little further back than the configured size. The backlog counts as full ' +
      '(fill ratio 1, as replscope_node_backlog_fill_ratio reads), and headroom counts from the configured size, which Redis guarantees.',
  };
}
