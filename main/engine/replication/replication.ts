/**
 * Replication state of one node and the operations on it: the facade the
 * rest of the engine uses (node.replication). It owns
 *  - the replication IDs and the shared replication buffer (the backlog),
 *  - master side: replica links, the stream (master-stream.ts), full syncs
 *    (full-sync.ts), SYNC/PSYNC decisions (psync.ts),
 *  - replica side: the link to our master (master-link.ts),
 *  - the 1 Hz replicationCron duties of both sides.
 *
 * Role changes follow replication.c:
 *  - REPLICAOF host port (replicationSetMaster): a master first synthesizes a
 *    cached master from its own replid/offset so its first PSYNC to the new
 *    master can be partial; sub-replicas are kept (dropped only if the new
 *    master changes the id or a full sync is loaded).
 *  - REPLICAOF NO ONE (replicationUnsetMaster): shift ids (replid2 = old id,
 *    valid up to offset + 1), drop sub-replicas so they learn the new id
 *    (they PSYNC back at once and continue via replid2), force a SELECT.
 */
import type { EngineNode } from '../node';
import type { Client } from '../server/client';
import type { LinkDownReason } from '../../../shared/contract/engine-events';
import { Failover } from './failover';
import { FullSyncCoordinator } from './full-sync';
import { MasterLink, type CachedMaster } from './master-link';
import { MasterStream } from './master-stream';
import { ReplicationBuffer } from './replication-buffer';
import { ReplicationEvents } from './replication-events';
import { ReplicationIds } from './replication-ids';
import type { ReplicaLink } from './replica-link';
import type { CreateLoader, LoadedDataset, StartSnapshot } from './snapshot-port';
import { replicationInfoFields } from './replication-info';

export class Replication {
  readonly ids = new ReplicationIds();
  buffer: ReplicationBuffer | null = null;
  /** master_repl_offset while there is no backlog (it only grows with one). */
  private offsetWithoutBacklog = 0;
  /** slaveseldb: the db last selected in the stream; -1 forces a SELECT. */
  streamDb = -1;
  readonly replicas = new Set<ReplicaLink>();
  noReplicasSince = Date.now();
  masterHost: string | null = null;
  masterPort = 0;
  link: MasterLink | null = null;
  readonly stream: MasterStream;
  readonly fullSync: FullSyncCoordinator;
  readonly events: ReplicationEvents;
  readonly failover: Failover;
  /** Plugged in by the node from the RDB module. */
  startSnapshot: StartSnapshot | null = null;
  createLoader: CreateLoader | null = null;
  private cronRuns = 0;
  private lastCron = 0;

  constructor(readonly node: EngineNode) {
    this.stream = new MasterStream(this);
    this.fullSync = new FullSyncCoordinator(this);
    this.failover = new Failover(this);
    this.events = new ReplicationEvents(() => `127.0.0.1:${node.port}`);
    node.config.onChange('repl-backlog-size', (value) => {
      this.buffer?.resize(value as number);
      this.events.emit({ type: 'backlog-resized', sizeBytes: value as number });
    });
  }

  // ---- state seen by the rest of the engine ----

  get isReplica(): boolean {
    return this.masterHost !== null;
  }

  get linkUp(): boolean {
    return this.link?.phase === 'connected';
  }

  get replid(): string {
    return this.ids.replid;
  }

  /**
   * Would a command propagated now enter the stream? Only on a master with a
   * backlog (replicationFeedSlaves' early return). The one rule for
   * MasterStream's feeds and the propagator's gate.
   */
  get streamsCommands(): boolean {
    return this.buffer !== null && !this.isReplica;
  }

  get masterReplOffset(): number {
    return this.buffer ? this.buffer.masterOffset : this.offsetWithoutBacklog;
  }

  /** createReplicationBacklog(): an empty window starting right after `offset`. */
  createBacklog(offset: number = this.masterReplOffset): void {
    this.buffer = new ReplicationBuffer(this.node.config.int('repl-backlog-size'), offset);
  }

  freeBacklog(): void {
    if (this.buffer) this.offsetWithoutBacklog = this.buffer.masterOffset;
    this.buffer = null;
  }

  /** A command leaves this node for the replication stream (from the propagator). */
  feed(dbIndex: number, argv: ReadonlyArray<string>): void {
    this.stream.feedCommand(dbIndex, argv);
  }

  requestAcks(): void {
    this.stream.requestAcks();
  }

  /** sendGetackToReplicas(): REPLCONF GETACK * into the stream now (SHUTDOWN, before it pauses writes). */
  sendGetAckNow(): void {
    if (this.replicas.size > 0 && !this.isReplica) this.stream.feedCommandWithoutSelect(['REPLCONF', 'GETACK', '*']);
  }

  // ---- master side ----

  /** min-replicas-to-write: enough replicas online with a recent ACK? (checkGoodReplicasStatus) */
  enoughGoodReplicas(): boolean {
    const needed = this.node.hot.minReplicasToWrite;
    const maxLag = this.node.hot.minReplicasMaxLag;
    if (needed === 0 || maxLag === 0 || this.isReplica) return true;
    return this.goodReplicaCount() >= needed;
  }

  goodReplicaCount(): number {
    // Whole seconds since the last ACK, as INFO's slaveN lag prints it: Redis
    // counts a replica good while that lag <= min-replicas-max-lag
    // (refreshGoodSlavesCount), so lag=3 under max-lag 3 is still good.
    const maxLag = this.node.config.int('min-replicas-max-lag');
    const now = Date.now();
    let good = 0;
    for (const link of this.replicas) if (link.state === 'online' && Math.floor((now - link.ackTime) / 1000) <= maxLag) good++;
    return good;
  }

  /**
   * INFO mem_total_replication_buffers: the backlog's blocks plus the stream
   * bytes a replica has not handed to the kernel and the backlog no longer
   * covers. redis-server keeps a replica's unsent bytes in its shared
   * replication buffer until written; ours writes them to the replica's
   * socket at once, where they wait in its write queue (writableLength).
   */
  totalBufferBytes(): number {
    const buffer = this.buffer;
    if (!buffer) return 0;
    let unsent = 0;
    for (const link of this.replicas) {
      const queued = link.client.socket?.writableLength ?? 0;
      // From the first byte not yet with the kernel to the stream's end.
      if (queued > 0 && link.state === 'online') unsent = Math.max(unsent, buffer.masterOffset + 1 - link.nextOffset + queued);
    }
    return buffer.allocatedBytes + Math.max(0, unsent - buffer.histlen);
  }

  feedWithoutSelect(argv: ReadonlyArray<string>): void {
    // replicationFeedSlaves returns at once on a replica: it forwards only its master's bytes.
    if (!this.isReplica) this.stream.feedCommandWithoutSelect(argv);
  }

  /** Online replicas whose acknowledged offset reached `offset` (WAIT). */
  countAcks(offset: number): number {
    let count = 0;
    for (const link of this.replicas) if (link.state === 'online' && link.ackOffset >= offset) count++;
    return count;
  }

  /** REPLCONF ACK <offset> from a replica. */
  acknowledge(link: ReplicaLink, offset: number): void {
    if (offset > link.ackOffset) link.ackOffset = offset;
    link.acknowledged = true;
    link.ackTime = Date.now();
    if (link.state === 'online' && link.startStreamOnAck) {
      link.startStreamOnAck = false;
      this.stream.flush(link);
      this.events.emit({ type: 'link-up', side: 'master', peerId: link.name, offset: this.masterReplOffset, partial: false });
    }
    this.node.blocking.replicationProgress();
    this.failover.check(Date.now());
  }

  /** A bare newline from a replica proves it is alive (it is loading our payload). */
  replicaKeepalive(client: Client): void {
    if (client.replicaLink) client.replicaLink.ackTime = Date.now();
  }

  /** Closes a replica connection and forgets it (freeClient on a replica). */
  dropReplica(link: ReplicaLink, reason: LinkDownReason, detail: string): void {
    const client = link.client;
    if (!client.closed) {
      client.flush();
      client.socket?.destroy();
    }
    // Forgotten with its reason before the client is disconnected: that reports the
    // replica gone too (clientGone, as a closed connection), and only the first report counts.
    this.forgetReplica(link, reason, detail);
    if (!client.closed) this.node.disconnectClient(client);
  }

  private forgetReplica(link: ReplicaLink, reason: LinkDownReason, detail: string): void {
    if (!this.replicas.delete(link)) return;
    this.buffer?.unpin(link);
    this.fullSync.replicaGone(link);
    if (this.replicas.size === 0) this.noReplicasSince = Date.now();
    // freeClient logs it as a warning, whatever closed the connection.
    this.node.log.warning(`Connection with replica ${link.name} lost.`);
    this.events.emit({ type: 'link-down', side: 'master', peerId: link.name, reason, detail, offset: link.ackOffset, acknowledged: link.acknowledged });
  }

  /** disconnectSlaves(): sub-replicas must resync (new id, new dataset). */
  disconnectAllReplicas(why: string): void {
    for (const link of [...this.replicas]) {
      this.node.log.notice(`Disconnecting replica ${link.name}: ${why}`);
      this.dropReplica(link, 'replicaof-changed', why);
    }
  }

  /** A client disconnected: a replica link or our master client. */
  clientGone(client: Client): void {
    if (client.replicaLink && this.replicas.has(client.replicaLink)) {
      this.forgetReplica(client.replicaLink, 'connection-closed', 'replica connection closed');
    }
    if (this.link && client === this.link.masterClient) this.link.masterClientKilled();
  }

  // ---- role changes ----

  /**
   * REPLICAOF host port. At start-up (`startup`) no cached master is
   * synthesized (a restart restores one from the RDB instead, as
   * loadDataFromDisk does) and the link connects once the node listens.
   */
  setMaster(host: string, port: number, options: { connect?: boolean; startup?: boolean } = {}): void {
    const node = this.node;
    const wasMaster = !this.isReplica && !options.startup;
    let cached: CachedMaster | null = null;
    if (this.link) {
      this.link.stop('replicaof-changed');
      cached = this.link.cached;
      this.link = null;
    }
    node.blocking.unblockAllForRoleChange();
    this.masterHost = host;
    this.masterPort = port;
    if (wasMaster) {
      node.log.notice('Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.');
      cached = { replid: this.ids.replid, offset: this.masterReplOffset, dbIndex: -1 };
      this.events.emit({ type: 'demotion', masterId: `${host}:${port}` });
    }
    this.link = new MasterLink(this, host, port);
    this.link.cached = cached;
    if (options.connect === false) return;
    node.log.notice(`Connecting to MASTER ${host}:${port}`);
    this.link.connect();
  }

  /** REPLICAOF NO ONE (also the FAILOVER target and PSYNC ... FAILOVER). */
  unsetMaster(why: string): void {
    if (!this.isReplica) return;
    const node = this.node;
    this.masterHost = null;
    this.masterPort = 0;
    if (this.link) {
      this.link.stop('replicaof-changed');
      this.link = null;
    }
    this.ids.shift(this.masterReplOffset);
    node.log.notice(`Setting secondary replication ID to ${this.ids.replid2}, valid up to offset: ${this.ids.secondReplOffset}. New replication ID is ${this.ids.replid}`);
    this.disconnectAllReplicas('we were promoted to master and our replication ID changed');
    this.streamDb = -1;
    this.noReplicasSince = Date.now();
    node.log.notice(`MASTER MODE enabled (${why})`);
    this.events.emit({ type: 'promotion', replid: this.ids.replid, replid2: this.ids.replid2, secondReplOffset: this.ids.secondReplOffset });
  }

  /**
   * Swaps a dataset loaded from our master in place of the current one: its
   * FUNCTION libraries replace ours (functionsLibCtxSwapWithCurrent), then
   * the databases. A library that does not compile fails the sync before
   * anything changed; the error text is returned (null on success).
   */
  replaceDataset(dataset: LoadedDataset): string | null {
    const failure = this.node.scripting.installLoadedLibraries(dataset.functions, 'flush');
    if (failure !== null) return failure;
    this.node.replaceAllDatabases(dataset.dbs);
    // emptyData(-1) / swapMainDbWithTempDb: the keys our own clients gave a TTL are forgotten.
    this.node.replicaKeyExpiry.clear();
    return null;
  }

  // ---- periodic duties ----

  /** Called from the node's cron; runs replicationCron once per second. */
  cron(now: number): void {
    this.failover.check(now);
    if (now - this.lastCron < 1000) return;
    this.lastCron = now;
    this.cronRuns++;
    this.link?.cron(now);
    this.masterCron(now);
  }

  private masterCron(now: number): void {
    const node = this.node;
    const period = node.config.int('repl-ping-replica-period');
    // No PING during a FAILOVER with a timeout: it would move the offset being waited for.
    const pingHeldForFailover = this.failover.endTime > 0 && node.pause.isPaused(now);
    if (this.cronRuns % period === 0 && this.replicas.size > 0 && !this.isReplica && !pingHeldForFailover) {
      this.stream.feedCommandWithoutSelect(['ping']);
    }
    this.fullSync.keepalives();
    const timeoutMs = node.config.int('repl-timeout') * 1000;
    for (const link of [...this.replicas]) {
      if (link.state === 'online' && !link.preSync && now - link.ackTime > timeoutMs) {
        node.log.warning(`Disconnecting timedout replica (streaming sync): ${link.name}`);
        this.dropReplica(link, 'timeout', 'no REPLCONF ACK for repl-timeout');
        continue;
      }
      this.stream.checkOutputLimits(link);
    }
    this.fullSync.checkTimeouts(now);
    this.fullSync.cron(now);
    const ttl = node.config.int('repl-backlog-ttl');
    if (!this.isReplica && this.buffer && this.replicas.size === 0 && ttl > 0 && now - this.noReplicasSince > ttl * 1000) {
      this.ids.change();
      this.ids.clearSecond();
      this.freeBacklog();
      node.log.notice(`Replication backlog freed after ${ttl} seconds without connected replicas.`);
    }
  }

  // ---- persistence hooks ----

  /** rdbPopulateSaveInfo: what an RDB written now records for a PSYNC2 restart. */
  rdbSaveInfo(): { replid: string; offset: number; streamDb: number } | null {
    if (!this.isReplica && this.buffer) {
      return { replid: this.ids.replid, offset: this.masterReplOffset, streamDb: this.streamDb === -1 ? 0 : this.streamDb };
    }
    const link = this.link;
    if (link?.masterClient) return { replid: this.ids.replid, offset: this.masterReplOffset, streamDb: link.masterClient.dbIndex };
    if (link?.cached) return { replid: link.cached.replid, offset: link.cached.offset, streamDb: Math.max(0, link.cached.dbIndex) };
    return null;
  }

  /**
   * After a startup load with repl-id/repl-offset aux fields (PSYNC2 restart):
   * a replica rebuilds a cached master from them so its first PSYNC can be
   * partial; a master keeps the old id as replid2 (valid up to offset + 1),
   * takes a new id and starts an empty backlog at that offset, so its
   * replicas PSYNC with the old id and get +CONTINUE <new id>.
   */
  restoreFromRdb(aux: ReadonlyMap<string, string>): void {
    if (this.node.options.ignoreRdbReplicationInfo) {
      this.node.log.notice('Ignoring the replication ID and offset saved in the RDB (as asked)');
      return;
    }
    const replid = aux.get('repl-id');
    const offsetText = aux.get('repl-offset');
    const streamDbText = aux.get('repl-stream-db');
    if (!replid || replid.length !== 40 || offsetText === undefined) return;
    const offset = Number(offsetText);
    const streamDb = streamDbText === undefined ? -1 : Number(streamDbText);
    if (!Number.isSafeInteger(offset) || offset < 0) return;
    if (this.isReplica && this.link) {
      if (streamDb === -1) return;
      this.ids.replid = replid;
      this.ids.clearSecond();
      this.offsetWithoutBacklog = offset;
      this.link.cached = { replid, offset, dbIndex: streamDb };
      this.node.log.notice(`Restored replication ID and offset from the RDB (${replid}:${offset}); the next PSYNC can be partial`);
      return;
    }
    this.ids.replid = replid;
    this.offsetWithoutBacklog = offset;
    this.ids.shift(offset);
    this.createBacklog(offset);
    this.node.log.notice(`Restored replication ID ${replid} as secondary (valid up to offset ${offset + 1}); new replication ID is ${this.ids.replid}`);
  }

  // ---- observability ----

  infoFields(): Array<[string, string | number]> {
    return replicationInfoFields(this);
  }

  /**
   * Stops the link and every replica: a node shutdown, or a crash (panic),
   * whose links are reported down with the reason `crashed` and the panic's
   * message, so nobody reads a crash as a shutdown.
   */
  close(crash: { message: string } | null = null): void {
    const reason = crash ? 'crashed' : 'shutdown';
    const detail = crash?.message ?? 'server shutdown';
    this.failover.abort(detail);
    this.link?.stop(reason, crash?.message);
    this.link = null;
    this.fullSync.abortAll(reason, detail);
    for (const link of [...this.replicas]) this.dropReplica(link, reason, detail);
  }
}
