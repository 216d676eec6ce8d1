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
 * repl-backlog-size bytes remain after it (it keeps whole 16 KiB blocks, so
 * repl_backlog_histlen may pass the size by part of one). So o + 1 stays in
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
