/**
 * The repl-backlog-size the console recommends, computed in one place: the
 * Backlog tab (for the outage chosen there), the snapshot's
 * `recommendedBacklogBytes` (for the outage in Settings), the "Backlog too
 * small" alert (for the rule's outage) and the Prometheus gauge
 * `replscope_node_recommended_backlog_bytes` all give the same size for the
 * same peak rate and outage. Plain arithmetic, no zod: the renderer
 * imports it as it imports the series helpers.
 */

/** The margin over peak rate x outage: write bursts and a reconnect that takes longer than the outage. */
export const BACKLOG_SAFETY_FACTOR = 2;

/** Redis's smallest backlog (CONFIG_REPL_BACKLOG_MIN_SIZE): a smaller repl-backlog-size is raised to it. */
const MIN_BACKLOG_BYTES = 16 * 1024;

/**
 * Peak write rate x the outage to survive x the safety factor, rounded up
 * (to 64 KiB below 1 MiB, to 1 MiB above) and never below Redis's 16 KiB
 * minimum.
 */
export function recommendBacklogBytes(peakWriteRateBytesPerSec: number, outageSeconds: number, safetyFactor = BACKLOG_SAFETY_FACTOR): number {
  const raw = Math.max(0, peakWriteRateBytesPerSec) * Math.max(0, outageSeconds) * safetyFactor;
  const step = raw > 1024 * 1024 ? 1024 * 1024 : 64 * 1024;
  return Math.max(MIN_BACKLOG_BYTES, Math.ceil(raw / step) * step);
}

/**
 * The write rate a recommendation is made for: the peak seen on the node, or
 * its current rate before a peak is known. The Backlog tab and the "Backlog
 * too small" alert both take it from here, so they quote the same size.
 */
export function recommendationRate(node: { readonly peakWriteRateBytesPerSec: number | null; readonly writeRateBytesPerSec: number | null }): number | null {
  return node.peakWriteRateBytesPerSec ?? node.writeRateBytesPerSec;
}
