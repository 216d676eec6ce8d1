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
 * this keeps, per replica (per link for a wait), the readings between polls the rates and start
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

/** A link whose master lists the replica as wait_bgsave (SyncProgressTracker.awaitingSnapshot). */
interface SnapshotWait {
  readonly replicaId: string;
  /** When the wait was first shown. */
  readonly startedAt: number;
  /** The sampledAt of the master answer whose list the wait was last shown on. */
  readonly listedAt: number;
  /** Whether that answer was already taken again, in a later snapshot, by holdsWait. */
  readonly held: boolean;
}

export class SyncProgressTracker {
  private readonly syncBytes = new Map<string, Reading>();
  private readonly syncStarted = new Map<string, number>();
  /**
   * Links whose master lists the replica as wait_bgsave (awaitingSnapshot), by link id ("master->replica"):
   * a replica moved to another master while the old one's list still shows it waiting has one wait per
   * master, and forgetting the old link's does not end the new one's.
   */
  private readonly waits = new Map<string, SnapshotWait>();

  /**
   * The sync of a replica its master lists as wait_bgsave: waiting for the snapshot, since it was first seen
   * so on this link. `listedAt` is the time of the master answer whose list says so; `held` says that answer
   * is the one of an earlier snapshot (holdsWait allowed it), which uses up the one hold that answer gets.
   */
  awaitingSnapshot(linkId: string, replicaId: string, time: number, listedAt: number, held: boolean): SyncProgress {
    const wait = this.waits.get(linkId);
    const startedAt = wait?.startedAt ?? time;
    this.waits.set(linkId, { replicaId, startedAt, listedAt, held });
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
    const startedAt = this.syncStarted.get(sample.id) ?? this.waitStartedAt(sample.id) ?? sample.time;
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

  /**
   * Whether a wait the last snapshot showed on this link may go on by a list its master gave before that
   * snapshot (its answer of this poll not in yet): only by the very answer the wait was last shown on
   * (`answeredAt`, its sampledAt), and only once. A master whose answer stays out longer is marked stale
   * by the sampler; this bound holds even if it is not.
   */
  holdsWait(linkId: string, answeredAt: number): boolean {
    const wait = this.waits.get(linkId);
    return wait !== undefined && !wait.held && wait.listedAt === answeredAt;
  }

  /** A link whose master no longer lists its replica as waiting for a snapshot: the next wait starts anew. */
  forgetWaiting(linkId: string): void {
    this.waits.delete(linkId);
  }

  /** Forgets the waits of links no longer shown. */
  forgetWaitsExcept(linkIds: ReadonlySet<string>): void {
    for (const linkId of this.waits.keys()) if (!linkIds.has(linkId)) this.waits.delete(linkId);
  }

  /** When this replica's wait for a snapshot began, the latest one if two masters list it (it moved). */
  private waitStartedAt(replicaId: string): number | undefined {
    let startedAt: number | undefined;
    for (const wait of this.waits.values()) {
      if (wait.replicaId === replicaId && (startedAt === undefined || wait.startedAt > startedAt)) startedAt = wait.startedAt;
    }
    return startedAt;
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
