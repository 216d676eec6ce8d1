/**
 * The backlog window's figures, each defined once for the console's views
 * and its Prometheus gauges.
 */

/**
 * A replica's backlog headroom, defined once: the Backlog tab's *Headroom*
 * column and marker, the link's `backlogHeadroomBytes` (Overview, charts),
 * the seconds of outage covered and the Prometheus gauge
 * `replscope_link_backlog_headroom_bytes` all use this.
 *
 * Headroom is how many more bytes the master may write before the
 * replica's position `o` (it would PSYNC from o + 1) can leave the backlog:
 * how much further it may fall behind and still continue with a partial
 * resync. Redis 7.0 does not move the first byte while the backlog fills,
 * and once full it frees its oldest block only while more than
 * repl-backlog-size bytes remain after it (it keeps whole blocks, so
 * repl_backlog_histlen may pass the size by about one). So o + 1 stays in
 * the window at least while master_repl_offset - o <= repl-backlog-size:
 *
 *   headroom = repl-backlog-size - (master_repl_offset - o) = size - byte lag
 *
 * for a replica inside the window, 0 outside. It is the figure Redis
 * guarantees; the master may keep the byte up to one block longer. (The
 * history already behind the replica, o + 1 - first byte, is not it: while
 * the backlog fills that leaves out the free space, and once full it counts
 * the part of a block the next trim frees at once.) Plain arithmetic, no
 * zod: the renderer imports it as it imports the series helpers.
 */
export function backlogHeadroomBytes(sizeBytes: number, masterOffset: number, replicaOffset: number, insideWindow: boolean): number {
  return insideWindow ? Math.max(0, sizeBytes - Math.max(0, masterOffset - replicaOffset)) : 0;
}

/**
 * How full the backlog is, defined once: the Backlog tab's bar and
 * `replscope_node_backlog_fill_ratio`. The share of repl-backlog-size that
 * holds history, 0..1, where 1 means full: from then on the master keeps
 * at least repl-backlog-size bytes. Redis 7.0 frees whole blocks only
 * (16 KiB asked of the allocator, about 20 KiB usable, or one larger
 * write) and never one a replica still reads, so repl_backlog_histlen
 * passes the size by a block or so (85,403 bytes held by a 64 KiB backlog
 * in prometheus-exposition.test.ts; 1.016 of a 1 MiB one): that slack is
 * not window to rely on (headroom counts from the size), and the ratio
 * stays 1. Null when there is no size to divide by.
 */
export function backlogFillRatio(histlenBytes: number, sizeBytes: number): number | null {
  return sizeBytes > 0 ? Math.min(1, Math.max(0, histlenBytes / sizeBytes)) : null;
}
