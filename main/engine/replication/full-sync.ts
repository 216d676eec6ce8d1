/**
 * Master side of full synchronizations: when a snapshot starts, which
 * waiting replicas share it, and how its bytes reach them.
 *
 * Two payload forms (reference §2.2):
 *  - EOF-marked ("diskless"), for replicas that said `REPLCONF capa eof`
 *    when repl-diskless-sync is yes: `$EOF:<40 hex>\r\n`, the RDB streamed
 *    while it is produced, the same 40 chars, then NOTHING until the replica's
 *    first REPLCONF ACK (extra bytes would break a 7.0 replica's tail check).
 *    The start is delayed repl-diskless-sync-delay seconds after the first
 *    waiting replica so others can share the snapshot, unless
 *    repl-diskless-sync-max-replicas are already waiting.
 *  - Length-prefixed, for everything else (legacy SYNC, no capa eof,
 *    repl-diskless-sync no): `$<len>\r\n<len bytes>` and the stream right
 *    after. The length must be known first, so the snapshot is collected in
 *    memory before it is sent (Redis writes it to disk; we have no fork, and
 *    keeping it off the user's disk avoids surprise dump files). A replica
 *    arriving while such a snapshot is still being produced joins it, with
 *    the same +FULLRESYNC offset (Redis's "attach to a running BGSAVE").
 *
 * A replica that asked for a filtered RDB (REPLCONF rdb-filter-only:
 * functions only, or nothing) always gets the EOF form, in a snapshot made
 * for its filter alone; replicas share a snapshot only with the same filter
 * (Redis's slave_req).
 *
 * Either way +FULLRESYNC <replid> <offset> carries the offset read at the
 * instant the snapshot starts; stream bytes after it are pinned in the
 * shared buffer for the replica until they are sent. Before +FULLRESYNC (and
 * before the `$` preamble of a length-form payload) replicas get a bare
 * newline every second so their read timeouts do not fire.
 */
import { randomBytes } from 'node:crypto';
import type { ReplicaLink } from './replica-link';
import type { Replication } from './replication';
import type { RdbFilter, SnapshotHandle } from './snapshot-port';

const EOF_MARK_SIZE = 40;

interface ActiveSync {
  readonly eofForm: boolean;
  readonly filter: RdbFilter;
  readonly links: Set<ReplicaLink>;
  readonly offset: number;
  readonly replid: string;
  readonly startedAt: number;
  handle: SnapshotHandle | null;
  /** Length form: the RDB collected until it is complete. */
  readonly chunks: Buffer[];
  collectedBytes: number;
  /** True once the payload started going out (no more joiners). */
  sending: boolean;
  readonly mark: string;
  drainWaiters: number;
}

export class FullSyncCoordinator {
  private readonly active = new Set<ActiveSync>();
  private lastProgressEvent = 0;

  constructor(private readonly repl: Replication) {}

  /** A replica needs a full sync (state wait_bgsave_start). */
  enqueue(link: ReplicaLink): void {
    const config = this.repl.node.config;
    if (this.useEofForm(link)) {
      if (config.int('repl-diskless-sync-delay') === 0) this.startEofSync(link.rdbFilter);
      else this.repl.node.log.notice('Delay next BGSAVE for diskless SYNC');
      return;
    }
    // Join a length-form snapshot still being produced (same offset, same payload).
    for (const sync of this.active) {
      if (!sync.eofForm && !sync.sending) {
        this.attach(sync, link);
        this.repl.node.log.notice(`Waiting for end of BGSAVE for SYNC`);
        return;
      }
    }
    this.startLengthSync();
  }

  private useEofForm(link: ReplicaLink): boolean {
    return link.capaEof && (this.repl.node.config.bool('repl-diskless-sync') || link.rdbFilter !== 'all');
  }

  /** Once per second: start a delayed diskless sync when it is time. */
  cron(now: number): void {
    const waiting = [...this.repl.replicas].filter((l) => l.state === 'wait_bgsave_start' && this.useEofForm(l));
    if (waiting.length === 0) return;
    const config = this.repl.node.config;
    const maxReplicas = config.int('repl-diskless-sync-max-replicas');
    // One snapshot per filter; the first waiting replica's filter goes first (replicationCron).
    const filter = waiting[0]!.rdbFilter;
    const group = waiting.filter((l) => l.rdbFilter === filter);
    const oldest = Math.min(...group.map((l) => l.syncStartedAt));
    if (now - oldest >= config.int('repl-diskless-sync-delay') * 1000 || (maxReplicas > 0 && group.length >= maxReplicas)) {
      this.startEofSync(filter);
    }
  }

  /** Snapshot bytes per second etc. for INFO / events. */
  get inProgress(): boolean {
    return this.active.size > 0;
  }

  private newSync(eofForm: boolean, filter: RdbFilter): ActiveSync | null {
    const repl = this.repl;
    if (!repl.startSnapshot) {
      repl.node.log.warning('Full resynchronization impossible: snapshots are not available in this build');
      return null;
    }
    const sync: ActiveSync = {
      eofForm,
      filter,
      links: new Set(),
      offset: repl.masterReplOffset,
      replid: repl.ids.replid,
      startedAt: Date.now(),
      handle: null,
      chunks: [],
      collectedBytes: 0,
      sending: false,
      mark: randomBytes(EOF_MARK_SIZE / 2).toString('hex'),
      drainWaiters: 0,
    };
    this.active.add(sync);
    return sync;
  }

  /** replicationSetupSlaveForFullResync: +FULLRESYNC and the stream pinned from the snapshot offset. */
  private attach(sync: ActiveSync, link: ReplicaLink): void {
    sync.links.add(link);
    link.state = 'wait_bgsave_end';
    link.nextOffset = sync.offset + 1;
    link.transferBytes = 0;
    link.transferTotal = null;
    link.lastTransferProgress = Date.now();
    this.repl.buffer?.pin(link, link.nextOffset);
    if (!link.preSync) link.client.writeRaw(Buffer.from(`+FULLRESYNC ${sync.replid} ${sync.offset}\r\n`, 'latin1'));
    this.repl.events.emit({ type: 'full-sync-progress', side: 'master', peerId: link.name, phase: 'snapshot', bytesDone: 0, bytesTotal: null });
  }

  private startEofSync(filter: RdbFilter): void {
    const repl = this.repl;
    const waiting = [...repl.replicas].filter((l) => l.state === 'wait_bgsave_start' && this.useEofForm(l) && l.rdbFilter === filter);
    if (waiting.length === 0) return;
    const sync = this.newSync(true, filter);
    if (!sync) return this.failWaiting(waiting);
    const streamDb = repl.streamDb === -1 ? 0 : repl.streamDb;
    for (const link of waiting) this.attach(sync, link);
    repl.streamDb = -1;
    const preamble = Buffer.from(`$EOF:${sync.mark}\r\n`, 'latin1');
    for (const link of sync.links) {
      link.client.writeRaw(preamble);
      link.state = 'wait_bgsave_end';
    }
    sync.sending = true;
    repl.node.log.notice(`Starting BGSAVE for SYNC with target: replicas sockets`);
    const handle = repl.startSnapshot!(
      { write: (chunk) => this.writeEofChunk(sync, chunk) },
      { replication: { replid: sync.replid, offset: sync.offset, streamDb }, filter },
    );
    sync.handle = handle;
    handle.done.then(
      (result) => this.finishEofSync(sync, result.bytes),
      (failure: unknown) => this.failSync(sync, failure),
    );
  }

  private writeEofChunk(sync: ActiveSync, chunk: Buffer): boolean {
    let allDrained = true;
    for (const link of sync.links) {
      const socket = link.client.socket;
      if (!socket || socket.destroyed) continue;
      link.transferBytes += chunk.length;
      link.lastTransferProgress = Date.now();
      this.repl.node.stats.netReplOutputBytes += chunk.length;
      if (!socket.write(chunk)) {
        allDrained = false;
        sync.drainWaiters++;
        socket.once('drain', () => {
          sync.drainWaiters--;
          if (sync.drainWaiters === 0) sync.handle?.resume();
        });
      }
    }
    this.progress(sync, 'transfer');
    return allDrained;
  }

  private finishEofSync(sync: ActiveSync, bytes: number): void {
    this.active.delete(sync);
    const mark = Buffer.from(sync.mark, 'latin1');
    for (const link of sync.links) {
      if (link.client.closed) continue;
      link.client.writeRaw(mark);
      link.state = 'online';
      link.startStreamOnAck = true;
      link.ackTime = Date.now();
      this.repl.node.log.notice(`Streamed RDB transfer with replica ${link.name} succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming`);
      this.finished(link, sync, bytes, true, null);
      if (link.rdbOnly) this.repl.dropReplica(link, 'connection-closed', 'rdb-only transfer done');
    }
  }

  private startLengthSync(): void {
    const repl = this.repl;
    const waiting = [...repl.replicas].filter((l) => l.state === 'wait_bgsave_start' && !this.useEofForm(l));
    if (waiting.length === 0) return;
    const sync = this.newSync(false, 'all');
    if (!sync) return this.failWaiting(waiting);
    const streamDb = repl.streamDb === -1 ? 0 : repl.streamDb;
    for (const link of waiting) this.attach(sync, link);
    repl.streamDb = -1;
    repl.node.log.notice(`Starting BGSAVE for SYNC with target: replica buffer (length-prefixed payload)`);
    const handle = repl.startSnapshot!(
      {
        write: (chunk) => {
          sync.chunks.push(Buffer.from(chunk));
          sync.collectedBytes += chunk.length;
          this.progress(sync, 'snapshot');
          return true;
        },
      },
      { replication: { replid: sync.replid, offset: sync.offset, streamDb }, filter: 'all' },
    );
    sync.handle = handle;
    handle.done.then(
      () => this.sendLengthPayload(sync),
      (failure: unknown) => this.failSync(sync, failure),
    );
  }

  private sendLengthPayload(sync: ActiveSync): void {
    sync.sending = true;
    this.active.delete(sync);
    const preamble = Buffer.from(`$${sync.collectedBytes}\r\n`, 'latin1');
    for (const link of sync.links) {
      const socket = link.client.socket;
      if (link.client.closed || !socket) continue;
      link.state = 'send_bulk';
      link.transferTotal = sync.collectedBytes;
      link.client.writeRaw(preamble);
      for (const chunk of sync.chunks) socket.write(chunk);
      this.repl.node.stats.netReplOutputBytes += sync.collectedBytes;
      socket.write(Buffer.alloc(0), () => {
        if (link.client.closed) return;
        link.transferBytes = sync.collectedBytes;
        link.state = 'online';
        link.ackTime = Date.now();
        this.repl.node.log.notice(`Synchronization with replica ${link.name} succeeded`);
        this.finished(link, sync, sync.collectedBytes, true, null);
        if (link.rdbOnly) {
          this.repl.dropReplica(link, 'connection-closed', 'rdb-only transfer done');
          return;
        }
        this.repl.stream.flush(link);
        this.repl.events.emit({ type: 'link-up', side: 'master', peerId: link.name, offset: this.repl.masterReplOffset, partial: false });
      });
    }
  }

  private finished(link: ReplicaLink, sync: ActiveSync, bytes: number, ok: boolean, errorText: string | null): void {
    this.repl.events.emit({
      type: 'full-sync-finished',
      side: 'master',
      peerId: link.name,
      ok,
      bytes,
      durationMs: Date.now() - sync.startedAt,
      error: errorText,
    });
  }

  private failSync(sync: ActiveSync, failure: unknown): void {
    this.active.delete(sync);
    const reason = failure instanceof Error ? failure.message : String(failure);
    this.repl.node.log.warning(`Background RDB transfer failed: ${reason}`);
    for (const link of sync.links) {
      this.finished(link, sync, link.transferBytes, false, reason);
      this.repl.dropReplica(link, 'master-sync-failed', reason);
    }
  }

  private failWaiting(links: ReplicaLink[]): void {
    for (const link of links) {
      link.client.writeRaw(Buffer.from("-ERR BGSAVE failed, replication can't continue\r\n", 'latin1'));
      this.repl.dropReplica(link, 'master-sync-failed', 'BGSAVE failed');
    }
  }

  /** A replica went away: it leaves its sync; a snapshot nobody waits for is abandoned. */
  replicaGone(link: ReplicaLink): void {
    for (const sync of this.active) {
      if (!sync.links.delete(link)) continue;
      if (sync.links.size === 0) {
        this.active.delete(sync);
        sync.handle?.abort('no replica is waiting for this snapshot any more');
        this.repl.node.log.notice('Background RDB transfer abandoned: its last replica disconnected');
      }
    }
  }

  /** Newline keepalives for replicas waiting for their payload (replicationCron). */
  keepalives(): void {
    const newline = Buffer.from('\n');
    for (const link of this.repl.replicas) {
      const waitingForStart = link.state === 'wait_bgsave_start';
      const waitingForLengthPayload = link.state === 'wait_bgsave_end' && ![...this.active].some((s) => s.eofForm && s.links.has(link));
      if (waitingForStart || waitingForLengthPayload) link.client.socket?.write(newline);
    }
  }

  /** Diskless transfers stuck on a replica for repl-timeout are dropped (full sync timeout). */
  checkTimeouts(now: number): void {
    const timeoutMs = this.repl.node.config.int('repl-timeout') * 1000;
    for (const sync of this.active) {
      if (!sync.eofForm) continue;
      for (const link of [...sync.links]) {
        if (now - link.lastTransferProgress > timeoutMs && (link.client.socket?.writableLength ?? 0) > 0) {
          this.repl.node.log.warning(`Disconnecting timedout replica (full sync): ${link.name}`);
          this.repl.dropReplica(link, 'timeout', 'no transfer progress for repl-timeout');
        }
      }
    }
  }

  /**
   * The node's close (replication.close) aborts running snapshots: their
   * replicas go down with the close's own reason and detail (`shutdown`, or
   * `crashed` with the Guru Meditation), as the node's other replicas do, not
   * as a failed sync.
   */
  abortAll(reason: 'shutdown' | 'crashed', detail: string): void {
    for (const sync of [...this.active]) {
      this.active.delete(sync);
      sync.handle?.abort(reason);
      for (const link of sync.links) this.repl.dropReplica(link, reason, detail);
    }
  }

  private progress(sync: ActiveSync, phase: 'snapshot' | 'transfer'): void {
    const now = Date.now();
    if (now - this.lastProgressEvent < 250) return;
    this.lastProgressEvent = now;
    for (const link of sync.links) {
      this.repl.events.emit({
        type: 'full-sync-progress',
        side: 'master',
        peerId: link.name,
        phase,
        bytesDone: phase === 'snapshot' ? sync.collectedBytes : link.transferBytes,
        bytesTotal: null,
      });
    }
  }
}
