/**
 * The backlog window, as geometry.
 *
 * The bar is `repl-backlog-size` wide and its right edge is master_repl_offset.
 * The filled part is the history actually held: from
 * repl_backlog_first_byte_offset to master_repl_offset (histlen bytes).
 * A replica whose acknowledged offset is `o` would PSYNC with `o + 1`, which the
 * master accepts while `first_byte <= o + 1 <= master_offset + 1` (and the
 * replication id matches). So a marker sits at the boundary after byte `o`:
 *
 *   x(o) = (o - (master_offset - size)) / size        (0 = left edge, 1 = now)
 *
 * Headroom: how many more bytes the master can write before `o + 1` falls
 * behind the first byte. While the backlog is filling, the first byte does not
 * move until histlen reaches size; once full it advances one byte per byte
 * written. Both cases reduce to
 *
 *   headroom = size - (master_offset - o) = size - lag
 *
 * for a replica inside the window (0 outside): backlogHeadroomBytes, the one
 * definition the link figures and the Prometheus gauge use too (Redis never
 * trims the backlog below its size, so this much is guaranteed). Seconds of
 * headroom = headroom
 * / the master's write rate. For a disconnected replica that is the countdown
 * until a partial resync becomes impossible.
 */
import { backlogFillRatio, backlogHeadroomBytes, type BacklogSnapshot, type LinkSnapshot } from '../api/contract';

export interface BacklogMarkerGeometry {
  readonly replicaId: string;
  readonly offset: number;
  /** 0..1 along the bar, clamped; `outside` says which way it was clamped. */
  readonly position: number;
  readonly outside: 'before-window' | 'ahead-of-master' | null;
  readonly insideWindow: boolean;
  readonly lagBytes: number;
  readonly headroomBytes: number;
  /** Headroom at the current write rate; null when nothing is being written. */
  readonly headroomSeconds: number | null;
  readonly linkState: LinkSnapshot['state'] | null;
  /** Disconnected replicas: seconds left before a partial resync becomes impossible, counted down to now. */
  readonly countdownSeconds: number | null;
  /**
   * A silent replica its master still streams to, marked at an ACK that left the backlog: the console's
   * answer is "not known" (link.partialResyncPossible null), as it applies what it was sent before it reconnects.
   */
  readonly reconnectPositionUnknown: boolean;
  /**
   * A replica its master dropped that does not answer: marked at the last ACK its master listed (at
   * `lastListedAt`), a lower bound; `mostOffset` is the most it can have received, and `mostInWindow`
   * whether a PSYNC from there would be accepted now; `processLost` why the process that ACKed may be gone
   * (then its last ACK bounds nothing from below). Null for every other marker.
   */
  readonly dropped: { readonly lastListedAt: number; readonly mostOffset: number; readonly mostInWindow: boolean; readonly processLost: string | null } | null;
}

export interface BacklogGeometry {
  readonly active: boolean;
  readonly sizeBytes: number;
  readonly histlenBytes: number;
  readonly firstByteOffset: number;
  readonly masterOffset: number;
  /** Oldest offset the bar's left edge stands for (master_offset - size). */
  readonly barStartOffset: number;
  /** Share of the bar filled with history (0..1; backlogFillRatio, the Prometheus gauge's figure). */
  readonly filledFraction: number;
  readonly writeRateBytesPerSec: number | null;
  /** How long the whole window lasts at the current write rate. */
  readonly windowSeconds: number | null;
  readonly markers: readonly BacklogMarkerGeometry[];
}

export interface BacklogGeometryInput {
  readonly backlog: BacklogSnapshot;
  readonly writeRateBytesPerSec: number | null;
  /** The master's links (to read states and server-side countdowns). */
  readonly links: readonly LinkSnapshot[];
  /** When the snapshot was sampled and the time now, to count down between polls. */
  readonly sampledAt: number;
  readonly now: number;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

export function backlogGeometry(input: BacklogGeometryInput): BacklogGeometry {
  const { backlog } = input;
  const size = Math.max(1, backlog.sizeBytes);
  const barStartOffset = backlog.masterOffset - size;
  const rate = input.writeRateBytesPerSec !== null && input.writeRateBytesPerSec > 0 ? input.writeRateBytesPerSec : null;
  const elapsedSeconds = Math.max(0, (input.now - input.sampledAt) / 1000);
  const linkByReplica = new Map(input.links.map((link) => [link.replicaId, link]));

  const markers = backlog.replicas.map((marker): BacklogMarkerGeometry => {
    const link = linkByReplica.get(marker.replicaId) ?? null;
    const lagBytes = Math.max(0, backlog.masterOffset - marker.offset);
    const inWindow = backlog.active && marker.offset + 1 >= backlog.firstByteOffset && marker.offset <= backlog.masterOffset;
    const rawPosition = (marker.offset - barStartOffset) / size;
    const outside = marker.offset > backlog.masterOffset ? 'ahead-of-master' : marker.offset + 1 < backlog.firstByteOffset ? 'before-window' : null;
    const headroomBytes = backlogHeadroomBytes(size, backlog.masterOffset, marker.offset, inWindow);
    const headroomSeconds = rate === null ? null : headroomBytes / rate;
    let countdownSeconds: number | null = null;
    if (link !== null && link.state === 'down') {
      const fromServer = link.partialResyncCountdownSeconds;
      const base = fromServer ?? headroomSeconds;
      countdownSeconds = base === null ? null : Math.max(0, base - elapsedSeconds);
      if (!inWindow) countdownSeconds = 0;
    }
    return {
      replicaId: marker.replicaId,
      offset: marker.offset,
      position: clamp01(rawPosition),
      outside,
      insideWindow: inWindow,
      lagBytes,
      headroomBytes,
      headroomSeconds,
      linkState: link?.state ?? null,
      countdownSeconds,
      reconnectPositionUnknown: outside === 'before-window' && link !== null && link.state === 'online' && link.partialResyncPossible === null,
      dropped: marker.dropped === undefined ? null : {
        lastListedAt: marker.dropped.lastListedAt,
        mostOffset: marker.dropped.mostOffset,
        mostInWindow: backlog.active && marker.dropped.mostOffset + 1 >= backlog.firstByteOffset && marker.dropped.mostOffset <= backlog.masterOffset,
        processLost: marker.dropped.processLost ?? null,
      },
    };
  });

  return {
    active: backlog.active,
    sizeBytes: backlog.sizeBytes,
    histlenBytes: backlog.histlenBytes,
    firstByteOffset: backlog.firstByteOffset,
    masterOffset: backlog.masterOffset,
    barStartOffset,
    filledFraction: backlogFillRatio(backlog.histlenBytes, size) ?? 0,
    writeRateBytesPerSec: rate,
    windowSeconds: rate === null ? null : backlog.sizeBytes / rate,
    markers,
  };
}

/** How long an outage the given backlog survives at a write rate (null: no writes, any outage). */
export function survivableOutageSeconds(backlogBytes: number, writeRateBytesPerSec: number | null): number | null {
  if (writeRateBytesPerSec === null || writeRateBytesPerSec <= 0) return null;
  return backlogBytes / writeRateBytesPerSec;
}
