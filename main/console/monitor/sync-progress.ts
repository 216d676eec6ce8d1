/**
 * A replica's full sync as it goes (SyncProgress: phase, bytes or keys done
 * of the total, %, rate, ETA, since when), read from INFO of both ends:
 *
 *  - on the replica, master_sync_in_progress, master_sync_read_bytes and
 *    master_sync_total_bytes (waiting for the snapshot while nothing is
 *    read, then the transfer); while it loads the received RDB, its
 *    loading / async_loading and loading_* fields (the loading phase);
 *  - on its master, a slaveN line with state=wait_bgsave before the replica
 *    has +FULLRESYNC: waiting for the snapshot, since first seen so;
 *  - on a master that saves the RDB to disk first (rdb_bgsave_in_progress:1
 *    with the replica wait_bgsave, as SnapshotBuilder reads it),
 *    current_save_keys_processed of current_save_keys_total: the Snapshot
 *    phase, counted in keys.
 *
 * SnapshotBuilder decides from both ends which of these applies to a link;
 * this keeps, per replica, the readings between polls the rates and start
 * times need, and forgets them when the sync ends.
 */
import type { SyncProgress } from '../../../shared/contract/snapshots';
import { type InfoFields, infoNumber } from './info-fields';
import type { NodeSample } from './node-sampler';

/** A series' previous reading: a rate is Δvalue/Δt against it. */
interface Reading {
  readonly time: number;
  readonly value: number;
}

export class SyncProgressTracker {
  private readonly syncBytes = new Map<string, Reading>();
  private readonly syncStarted = new Map<string, number>();
  /** Replicas whose master lists them as wait_bgsave, since when (awaitingSnapshot). */
  private readonly waitingSince = new Map<string, number>();

  /** The sync of a replica its master lists as wait_bgsave: waiting for the snapshot, since it was first seen so. */
  awaitingSnapshot(replicaId: string, time: number): SyncProgress {
    const startedAt = this.waitingSince.get(replicaId) ?? time;
    this.waitingSince.set(replicaId, startedAt);
    return { phase: 'waiting-for-snapshot', bytesDone: 0, bytesTotal: null, percent: null, rateBytesPerSec: null, etaSeconds: null, startedAt, exact: false };
  }

  /**
   * The Snapshot phase of a sync whose master saves the RDB to disk first (repl-diskless-sync no): the
   * master's own count of keys written (INFO persistence current_save_keys_processed of
   * current_save_keys_total, redis-server 7.0; the child reports them as it goes), at the rate they grow.
   */
  snapshotOnDisk(replicaId: string, waiting: SyncProgress, masterInfo: InfoFields, time: number): SyncProgress {
    const processed = infoNumber(masterInfo, 'current_save_keys_processed');
    const totalRaw = infoNumber(masterInfo, 'current_save_keys_total');
    const total = totalRaw !== null && totalRaw > 0 ? totalRaw : null;
    const done = processed ?? 0;
    // The child reports its count in steps (about once a second, by thousands of keys), so the rate
    // between two polls is mostly 0 with spikes: it is taken over the whole phase, from its first point.
    const key = `${replicaId} save`;
    const first = this.syncBytes.get(key);
    if (first === undefined || done < first.value) this.syncBytes.set(key, { time, value: done });
    const from = this.syncBytes.get(key)!;
    const rate = processed !== null && time > from.time ? ((done - from.value) * 1000) / (time - from.time) : null;
    return {
      phase: 'snapshot',
      bytesDone: done,
      bytesTotal: total,
      percent: total === null ? null : Math.min(100, (done * 100) / total),
      rateBytesPerSec: rate,
      etaSeconds: total !== null && rate !== null && rate > 0 ? Math.max(0, (total - done) / rate) : null,
      startedAt: waiting.startedAt,
      exact: false,
      unit: 'keys',
    };
  }

  /** The replica's sync by its own INFO; null while master_sync_in_progress is not 1, which also forgets what was kept of it. */
  syncProgress(sample: NodeSample): SyncProgress | null {
    const info = sample.info;
    if (!info || infoNumber(info, 'master_sync_in_progress') !== 1) {
      this.syncStarted.delete(sample.id);
      this.syncBytes.delete(sample.id);
      this.syncBytes.delete(`${sample.id} load`);
      this.syncBytes.delete(`${sample.id} save`);
      return null;
    }
    const done = infoNumber(info, 'master_sync_read_bytes') ?? 0;
    const totalRaw = infoNumber(info, 'master_sync_total_bytes');
    const total = totalRaw !== null && totalRaw > 0 ? totalRaw : null;
    const rate = this.rate(this.syncBytes, sample.id, sample.time, done);
    // A sync its master made wait for the snapshot started then (awaitingSnapshot).
    const startedAt = this.syncStarted.get(sample.id) ?? this.waitingSince.get(sample.id) ?? sample.time;
    this.syncStarted.set(sample.id, startedAt);
    const loading = infoNumber(info, 'loading') === 1 || infoNumber(info, 'async_loading') === 1;
    // Loading the RDB once it has arrived: the figures are the load's
    // (INFO persistence loading_*), with Redis's own ETA. The transfer's
    // would read 100% at 0 B/s for as long as the load takes.
    const loadedBytes = loading ? infoNumber(info, 'loading_loaded_bytes') : null;
    if (loadedBytes !== null) {
      const loadTotalRaw = infoNumber(info, 'loading_total_bytes');
      const loadTotal = loadTotalRaw !== null && loadTotalRaw > 0 ? loadTotalRaw : null;
      const loadRate = this.rate(this.syncBytes, `${sample.id} load`, sample.time, loadedBytes);
      // A diskless load (repl-diskless-load on-empty-db/swapdb from a diskless master) reads an EOF-marked
      // stream of unknown size: loading_total_bytes is 0, and Redis 7.0 then prints loading_loaded_perc and
      // loading_eta_seconds against the master's used memory at the save (the RDB's used-mem aux field,
      // "a (bad) estimation of the rdb file size", capped at 99.99%), not the stream. No percentage or ETA then.
      const sizeKnown = loadTotal !== null;
      const percent = sizeKnown ? (infoNumber(info, 'loading_loaded_perc') ?? (loadedBytes * 100) / loadTotal) : null;
      const eta = sizeKnown ? infoNumber(info, 'loading_eta_seconds') : null;
      return {
        phase: 'loading',
        bytesDone: loadedBytes,
        bytesTotal: loadTotal,
        percent: percent === null ? null : Math.min(100, percent),
        rateBytesPerSec: loadRate,
        etaSeconds: eta !== null && eta >= 0 ? eta : loadTotal && loadRate && loadRate > 0 ? Math.max(0, (loadTotal - loadedBytes) / loadRate) : null,
        startedAt,
        exact: false,
      };
    }
    return {
      phase: loading ? 'loading' : done === 0 ? 'waiting-for-snapshot' : 'transfer',
      bytesDone: done,
      bytesTotal: total,
      percent: total ? Math.min(100, (done * 100) / total) : null,
      rateBytesPerSec: rate,
      etaSeconds: total && rate && rate > 0 ? Math.max(0, (total - done) / rate) : null,
      startedAt,
      exact: false,
    };
  }

  /** Whether the last snapshot showed this replica waiting for its master's snapshot (awaitingSnapshot, not forgotten since). */
  isWaiting(replicaId: string): boolean {
    return this.waitingSince.has(replicaId);
  }

  /** A replica its master no longer lists as waiting for a snapshot: the next wait starts anew. */
  forgetWaiting(replicaId: string): void {
    this.waitingSince.delete(replicaId);
  }

  /** Δvalue/Δt against the previous sample of the same series (null on the first one or a reset). */
  private rate(memory: Map<string, Reading>, key: string, time: number, value: number | null): number | null {
    if (value === null) return null;
    const previous = memory.get(key);
    memory.set(key, { time, value });
    if (!previous || time <= previous.time || value < previous.value) return null;
    return ((value - previous.value) * 1000) / (time - previous.time);
  }
}
