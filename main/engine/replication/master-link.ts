/**
 * Replica side: the link to our master (syncWithMaster, readSyncBulkPayload,
 * replicationCacheMaster, replicationResurrectCachedMaster in replication.c).
 *
 *   connect -> connecting -> handshake -> sync (payload) -> connected
 *                              |  PING; AUTH + REPLCONF listening-port
 *                              |  [+ ip-address] + REPLCONF capa eof capa psync2,
 *                              |  pipelined, replies read in order; PSYNC
 *                              +-- +CONTINUE [id] --------------------> connected
 *
 * Offsets: `readOffset` counts every stream byte read, `appliedOffset` only
 * bytes of commands fully applied (a MULTI block counts at its EXEC). The
 * applied bytes, exactly as received, go into our own backlog and to our
 * sub-replicas, so a chained replica serves its master's stream verbatim.
 *
 * On a lost link the master's state is cached (its replid, our applied
 * offset, its selected db) and we reconnect at once with
 * PSYNC <replid> <applied + 1>; unapplied bytes and a half-received MULTI are
 * dropped and re-requested. A protocol error discards the cache instead (the
 * stream can no longer be trusted).
 *
 * Once connected, the stream's bytes are run by the master client
 * (master-client-stream.ts: applied offsets, holding the stream while a
 * script is busy, a malformed stream).
 */
import net from 'node:net';
import { encodeCommand } from '../resp/reply-encoder';
import type { LinkDownReason } from '../../../shared/contract/engine-events';
import type { Client } from '../server/client';
import { LineReader } from './line-reader';
import { MasterClientStream } from './master-client-stream';
import type { Replication } from './replication';
import { SyncTransfer, type TransferResult } from './sync-transfer';
import type { LoadedDataset } from './snapshot-port';
import type { LinkPhase } from '../commands/port/replication-port';

export type { LinkPhase };

type HandshakeStep = 'ping' | 'batch' | 'psync' | 'payload';

export interface CachedMaster {
  readonly replid: string;
  /** Last applied offset (PSYNC asks for offset + 1). */
  readonly offset: number;
  /** The master client's selected db, -1 when unknown (the master will SELECT). */
  readonly dbIndex: number;
}

export class MasterLink {
  phase: LinkPhase = 'connect';
  private step: HandshakeStep | null = null;
  private socket: net.Socket | null = null;
  private lines = new LineReader();
  private expectedBatchReplies: Array<'auth' | 'port' | 'ip' | 'capa'> = [];
  private transfer: SyncTransfer | null = null;
  private psyncRequest: { replid: string; offset: number } | null = null;
  private fullSync: { replid: string; offset: number } | null = null;
  /** Legacy SYNC master: no +FULLRESYNC, no ACKs. */
  private preSyncMaster = false;
  /** The master client's stream while the link is connected, else null. */
  private stream: MasterClientStream | null = null;
  cached: CachedMaster | null = null;
  masterReplid = '';
  appliedOffset = 0;
  readOffset = 0;
  lastIo = Date.now();
  /** Unix ms the link went down, 0 when it has not been up since REPLICAOF. */
  downSince = 0;
  private lastNewline = 0;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repl: Replication,
    readonly host: string,
    readonly port: number,
  ) {}

  get masterId(): string {
    return `${this.host}:${this.port}`;
  }

  /** The master client (c->master) while the link is connected, else null. */
  get masterClient(): Client | null {
    return this.stream?.client ?? null;
  }

  get transferState(): SyncTransfer | null {
    return this.transfer;
  }

  /** connectWithMaster(): non-blocking connect; failures retry from the 1 Hz cron. */
  connect(): void {
    if (this.stopped || this.phase !== 'connect') return;
    const node = this.repl.node;
    // A replica runs its master's scripts and takes its libraries in a full
    // sync, both synchronously: the Lua runtime (made on first use) must
    // exist before the link does. Only the first connection waits for it.
    if (!node.scripting.runtimeSettled) {
      void node.scripting.init().then(() => this.connect());
      return;
    }
    this.phase = 'connecting';
    this.lastIo = Date.now();
    this.lines = new LineReader();
    const socket = net.createConnection({ host: this.host, port: this.port, noDelay: !node.config.bool('repl-disable-tcp-nodelay') });
    this.socket = socket;
    // connectWithMaster logs this once the non-blocking connect is under way, before it fires.
    node.log.notice('MASTER <-> REPLICA sync started');
    let socketError: NodeJS.ErrnoException | null = null;
    socket.on('connect', () => {
      if (socket !== this.socket) return;
      socket.setKeepAlive(true);
      node.log.notice('Non blocking connect for SYNC fired the event.');
      this.phase = 'handshake';
      this.step = 'ping';
      this.lastIo = Date.now();
      socket.write(encodeCommand(['PING']));
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.socket) return;
      this.lastIo = Date.now();
      try {
        this.onData(chunk);
      } catch (failure) {
        node.log.warning(`Replication link error: ${failure instanceof Error ? failure.message : String(failure)}`);
        this.drop('protocol-error', failure instanceof Error ? failure.message : String(failure), false);
      }
    });
    socket.on('error', (failure) => {
      if (socket !== this.socket) return;
      socketError = failure;
      if (this.phase === 'connecting') node.log.warning(`Error condition on socket for SYNC: ${socketErrorText(failure)}`);
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      if (this.phase === 'handshake') this.logHandshakeLost(socketError);
      const wasConnecting = this.phase === 'connecting';
      this.drop('connection-closed', wasConnecting ? 'connection refused or reset' : 'connection closed by master', true);
    });
  }

  /**
   * The master closed the connection before answering a handshake command:
   * receiveSynchronousResponse's read failed (errno 0 at a plain EOF, so
   * Redis prints strerror(0), "Success"), then the step's own line. A cut
   * link (the demo's chaos proxy accepts and closes) logs this per attempt.
   */
  private logHandshakeLost(socketError: NodeJS.ErrnoException | null): void {
    const log = this.repl.node.log;
    log.warning(`Failed to read response from the server: ${socketError === null ? 'Success' : socketErrorText(socketError)}`);
    log.warning(this.step === 'psync' ? 'Master did not reply to PSYNC, will try later' : 'Master did not respond to command during SYNC handshake');
  }

  private write(bytes: Buffer | string): void {
    const socket = this.socket;
    if (socket && !socket.destroyed) socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    if (this.phase === 'connected') {
      this.applyStream(chunk);
      return;
    }
    if (this.phase === 'sync' && this.transfer?.form) {
      this.repl.node.stats.netReplInputBytes += chunk.length;
      this.handleTransferResult(this.transfer.feed(chunk));
      return;
    }
    this.lines.push(chunk);
    this.processLines();
  }

  /** The handshake, read line by line; bytes after the last line go to the next stage untouched. */
  private processLines(): void {
    const node = this.repl.node;
    for (;;) {
      if (this.step === 'payload') {
        const line = this.lines.readLine();
        if (line === null) return;
        const verdict = this.transfer!.preamble(line);
        if (verdict === 'keepalive') continue;
        if (verdict !== null) {
          node.log.warning(verdict);
          this.drop('master-sync-failed', verdict, true);
          return;
        }
        node.log.notice(
          this.transfer!.form === 'eof'
            ? 'MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk'
            : `MASTER <-> REPLICA sync: receiving ${this.transfer!.total} bytes from master to disk`,
        );
        const rest = this.lines.takeRest();
        if (rest.length > 0) this.handleTransferResult(this.transfer!.feed(rest));
        return;
      }
      const line = this.lines.readLine();
      if (line === null) return;
      switch (this.step) {
        case 'ping':
          if (!this.onPingReply(line)) return;
          break;
        case 'batch':
          if (!this.onBatchReply(line)) return;
          break;
        case 'psync':
          if (line.length === 0) continue; // keepalive before the reply
          this.onPsyncReply(line);
          if (this.phase === 'connected') {
            const rest = this.lines.takeRest();
            if (rest.length > 0) this.applyStream(rest);
            return;
          }
          if (this.phase !== 'sync') return;
          break;
        default:
          return;
      }
    }
  }

  private onPingReply(line: string): boolean {
    const node = this.repl.node;
    if (line.startsWith('-') && !line.startsWith('-NOAUTH') && !line.startsWith('-NOPERM') && !line.startsWith('-ERR operation not permitted')) {
      // Redis logs the reply line as read, its '-' included (here and in the two lines below).
      node.log.warning(`Error reply to PING from master: '${line}'`);
      this.drop('master-sync-failed', `PING refused: ${line.slice(1)}`, true);
      return false;
    }
    node.log.notice('Master replied to PING, replication can continue...');
    this.sendHandshakeBatch();
    return true;
  }

  /** AUTH, REPLCONF listening-port, [ip-address], capa: written together, replies read in order. */
  private sendHandshakeBatch(): void {
    const config = this.repl.node.config;
    const parts: Buffer[] = [];
    this.expectedBatchReplies = [];
    const password = config.string('masterauth');
    if (password !== '') {
      const user = config.string('masteruser');
      parts.push(encodeCommand(user !== '' ? ['AUTH', user, password] : ['AUTH', password]));
      this.expectedBatchReplies.push('auth');
    }
    const announcedPort = config.int('replica-announce-port');
    parts.push(encodeCommand(['REPLCONF', 'listening-port', String(announcedPort > 0 ? announcedPort : this.repl.node.port)]));
    this.expectedBatchReplies.push('port');
    const announcedIp = config.string('replica-announce-ip');
    if (announcedIp !== '') {
      parts.push(encodeCommand(['REPLCONF', 'ip-address', announcedIp]));
      this.expectedBatchReplies.push('ip');
    }
    parts.push(encodeCommand(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']));
    this.expectedBatchReplies.push('capa');
    this.step = 'batch';
    this.write(Buffer.concat(parts));
  }

  private onBatchReply(line: string): boolean {
    const node = this.repl.node;
    const expected = this.expectedBatchReplies.shift();
    if (expected === 'auth' && line.startsWith('-')) {
      node.log.warning(`Unable to AUTH to MASTER: ${line}`);
      this.drop('master-sync-failed', `AUTH refused: ${line.slice(1)}`, true);
      return false;
    }
    if (line.startsWith('-') && expected !== 'auth') {
      const what = expected === 'port' ? 'listening-port' : expected === 'ip' ? 'ip-address' : 'capa';
      node.log.notice(`(Non critical) Master does not understand REPLCONF ${what}: ${line}`);
    }
    if (this.expectedBatchReplies.length === 0) this.sendPsync();
    return true;
  }

  /** PSYNC <cached replid> <cached offset + 1>, or PSYNC ? -1 without a cached master. */
  private sendPsync(): void {
    const node = this.repl.node;
    const cached = this.cached;
    if (cached) {
      this.psyncRequest = { replid: cached.replid, offset: cached.offset + 1 };
      node.log.notice(`Trying a partial resynchronization (request ${cached.replid}:${cached.offset + 1}).`);
    } else {
      this.psyncRequest = { replid: '?', offset: -1 };
      node.log.notice('Partial resynchronization not possible (no cached master)');
    }
    this.step = 'psync';
    const psync = ['PSYNC', this.psyncRequest.replid, String(this.psyncRequest.offset)];
    // A master handing over (FAILOVER) asks its target to promote itself first.
    if (this.repl.failover.state === 'failover-in-progress') psync.push('FAILOVER');
    this.write(encodeCommand(psync));
  }

  private onPsyncReply(line: string): void {
    const node = this.repl.node;
    const request = this.psyncRequest!;
    const emitReply = (result: 'continue' | 'fullresync' | 'error' | 'legacy-sync', replid: string | null, offset: number | null, errorText: string | null): void => {
      this.repl.events.emit({ type: 'psync-reply', masterId: this.masterId, sentReplid: request.replid, sentOffset: request.offset, result, replid, offset, error: errorText });
    };
    if (line.startsWith('+FULLRESYNC')) {
      const [, replid = '', offsetText = ''] = line.split(' ');
      const offset = Number(offsetText);
      if (replid.length !== 40 || !Number.isSafeInteger(offset)) {
        node.log.warning('Master replied with wrong +FULLRESYNC syntax.');
        this.fullSync = { replid: '', offset: -1 };
      } else {
        this.fullSync = { replid, offset };
        node.log.notice(`Full resync from master: ${replid}:${offset}`);
      }
      emitReply('fullresync', replid, offset, null);
      this.repl.failover.completed();
      this.beginTransfer();
      return;
    }
    if (line.startsWith('+CONTINUE')) {
      const newReplid = line.length > 10 ? line.slice(10).trim() : '';
      node.log.notice('Successful partial resynchronization with master.');
      emitReply('continue', newReplid || this.cached?.replid || null, this.cached ? this.cached.offset + 1 : null, null);
      this.resurrectCachedMaster(newReplid);
      this.repl.failover.completed();
      return;
    }
    if (this.repl.failover.state === 'failover-in-progress') {
      // Any other answer to PSYNC ... FAILOVER: go back to being a master.
      node.log.warning(`Failover target answered PSYNC FAILOVER with: ${line}`);
      emitReply('error', null, null, line.replace(/^-/, ''));
      this.repl.failover.abort('Failover target rejected psync request');
      return;
    }
    if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) {
      node.log.notice(`Master is currently unable to PSYNC but should be in the future: ${line}`);
      emitReply('error', null, null, line.slice(1));
      this.drop('master-sync-failed', line.slice(1), false, { retryLater: true });
      return;
    }
    if (line.startsWith('-')) {
      node.log.warning(`Unexpected reply to PSYNC from master: ${line}`);
      node.log.notice('Retrying with SYNC...');
      emitReply('legacy-sync', null, null, line.slice(1));
      this.preSyncMaster = true;
      this.fullSync = { replid: '', offset: -1 };
      this.write('SYNC\r\n');
      this.beginTransfer();
      return;
    }
    node.log.warning(`Unexpected reply to PSYNC from master: ${line}`);
    this.drop('protocol-error', `unexpected PSYNC reply ${line.slice(0, 60)}`, true);
  }

  private beginTransfer(): void {
    const repl = this.repl;
    if (!repl.createLoader) {
      repl.node.log.warning('MASTER <-> REPLICA sync: cannot load an RDB in this build');
      this.drop('master-sync-failed', 'RDB loading is not available', true);
      return;
    }
    this.transfer = new SyncTransfer(repl.createLoader({ keepExpired: true }));
    this.phase = 'sync';
    this.step = 'payload';
    repl.events.emit({ type: 'full-sync-progress', side: 'replica', peerId: this.masterId, phase: 'transfer', bytesDone: 0, bytesTotal: null });
  }

  private handleTransferResult(result: TransferResult): void {
    const node = this.repl.node;
    const transfer = this.transfer!;
    if (result.kind === 'pending') {
      this.maybeProgress(transfer);
      return;
    }
    if (result.kind === 'failed') {
      node.log.warning(`MASTER <-> REPLICA sync: failed loading the RDB: ${result.reason}`);
      this.repl.events.emit({ type: 'full-sync-finished', side: 'replica', peerId: this.masterId, ok: false, bytes: transfer.received, durationMs: Date.now() - transfer.startedAt, error: result.reason });
      this.drop('master-sync-failed', result.reason, true);
      return;
    }
    this.onFullSyncLoaded(result.dataset, result.rest);
  }

  private lastProgress = 0;
  private maybeProgress(transfer: SyncTransfer): void {
    const now = Date.now();
    if (now - this.lastProgress < 250) return;
    this.lastProgress = now;
    this.repl.events.emit({ type: 'full-sync-progress', side: 'replica', peerId: this.masterId, phase: 'transfer', bytesDone: transfer.received, bytesTotal: transfer.total });
  }

  /**
   * The payload is loaded: forget the old history (cached master, backlog,
   * sub-replicas: replicationAttachToNewMaster), swap the dataset in, and
   * continue on this socket as the master client from the +FULLRESYNC offset.
   */
  private onFullSyncLoaded(dataset: LoadedDataset, rest: Buffer): void {
    const repl = this.repl;
    const node = repl.node;
    const transfer = this.transfer!;
    const full = this.fullSync ?? { replid: '', offset: -1 };
    node.log.notice(`MASTER <-> REPLICA sync: Loading DB in memory (${dataset.stats.keysLoaded} keys)`);
    const failure = repl.replaceDataset(dataset);
    if (failure !== null) {
      node.log.warning(`Failed loading library, ${failure}`);
      this.handleTransferResult({ kind: 'failed', reason: `Failed loading library, ${failure}` });
      return;
    }
    this.cached = null;
    repl.disconnectAllReplicas('the dataset is being replaced by a full sync');
    repl.freeBacklog();
    const streamDb = Number(dataset.aux.get('repl-stream-db') ?? '0');
    const offset = Math.max(0, full.offset);
    this.createMasterClient(Number.isInteger(streamDb) && streamDb >= 0 && streamDb < node.keyspace.dbs.length ? streamDb : 0);
    this.appliedOffset = offset;
    this.readOffset = offset;
    this.masterReplid = full.replid;
    this.phase = 'connected';
    this.step = null;
    this.downSince = 0;
    repl.ids.replid = full.replid || repl.ids.replid;
    repl.ids.clearSecond();
    repl.createBacklog(offset);
    this.transfer = null;
    node.log.notice('MASTER <-> REPLICA sync: Finished with success');
    repl.events.emit({ type: 'full-sync-finished', side: 'replica', peerId: this.masterId, ok: true, bytes: transfer.received, durationMs: Date.now() - transfer.startedAt, error: null });
    repl.events.emit({ type: 'link-up', side: 'replica', peerId: this.masterId, offset, partial: false });
    if (transfer.form === 'eof') this.sendAck();
    if (rest.length > 0) this.applyStream(rest);
  }

  /** +CONTINUE: the cached master comes back on the new socket (replicationResurrectCachedMaster). */
  private resurrectCachedMaster(newReplid: string): void {
    const repl = this.repl;
    const node = repl.node;
    const cached = this.cached!;
    if (newReplid !== '' && newReplid !== cached.replid) {
      repl.ids.adoptFromMaster(newReplid, repl.masterReplOffset);
      node.log.notice(`Master replication ID changed to ${newReplid}`);
      repl.events.emit({ type: 'replid-shift', replid: repl.ids.replid, replid2: repl.ids.replid2, secondReplOffset: repl.ids.secondReplOffset });
      repl.disconnectAllReplicas('our master changed the replication ID');
    }
    this.masterReplid = newReplid !== '' ? newReplid : cached.replid;
    this.createMasterClient(cached.dbIndex >= 0 ? cached.dbIndex : 0);
    this.appliedOffset = cached.offset;
    this.readOffset = cached.offset;
    this.cached = null;
    this.phase = 'connected';
    this.step = null;
    this.downSince = 0;
    if (!repl.buffer) repl.createBacklog(cached.offset);
    node.log.notice('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
    repl.events.emit({ type: 'link-up', side: 'replica', peerId: this.masterId, offset: cached.offset, partial: true });
  }

  private createMasterClient(dbIndex: number): void {
    const node = this.repl.node;
    const socket = this.socket;
    const local = socket ? `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}` : '?:0';
    const client = node.clients.create(null, this.masterId, local);
    client.isMaster = true;
    client.authenticated = true;
    client.dbIndex = dbIndex;
    this.stream = new MasterClientStream(this.repl, this, client);
  }

  /** Applies stream bytes as the master client; offsets advance per applied command. */
  private applyStream(chunk: Buffer): void {
    this.readOffset += chunk.length;
    this.repl.node.stats.netReplInputBytes += chunk.length;
    this.stream!.feed(chunk);
  }

  /** A busy script ended: the stream held meanwhile runs (MasterClientStream.resumeHeld). */
  resumeHeldStream(): void {
    this.stream?.resumeHeld();
  }

  /** REPLCONF ACK <applied offset>: once a second, after an EOF-form load, and on GETACK. */
  sendAck(): void {
    if (this.phase !== 'connected' || this.preSyncMaster) return;
    this.write(encodeCommand(['REPLCONF', 'ACK', String(this.appliedOffset)]));
  }

  /** The 1 Hz part of replicationCron for the replica side. */
  cron(now: number): void {
    const node = this.repl.node;
    const timeoutMs = node.config.int('repl-timeout') * 1000;
    if (this.phase === 'connect') {
      node.log.notice(`Connecting to MASTER ${this.masterId}`);
      this.connect();
      return;
    }
    if ((this.phase === 'connecting' || this.phase === 'handshake') && now - this.lastIo > timeoutMs) {
      node.log.warning('Timeout connecting to the MASTER...');
      this.drop('timeout', 'handshake timed out', true);
      return;
    }
    if (this.phase === 'sync') {
      if (now - this.lastIo > timeoutMs) {
        node.log.warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.");
        this.drop('timeout', 'no payload bytes for repl-timeout', true);
        return;
      }
      // Loading while receiving: tell the master we are alive (at most once a second).
      if (now - this.lastNewline >= 1000) {
        this.lastNewline = now;
        this.write('\n');
      }
      return;
    }
    if (this.phase === 'connected') {
      if (now - this.lastIo > timeoutMs) {
        node.log.warning('MASTER timeout: no data nor PING received...');
        this.drop('timeout', 'no data nor PING received for repl-timeout', true);
        return;
      }
      // A malformed stream: the ACK's write closes the link instead (a legacy SYNC master gets no ACKs).
      const protocolError = this.stream?.protocolError ?? null;
      if (protocolError !== null && !this.preSyncMaster) {
        this.drop('protocol-error', protocolError, false);
        return;
      }
      this.sendAck();
    }
  }

  /**
   * The link is gone (or being torn down). A connected link caches the
   * master's state (unless the stream is corrupt) and reconnects at once; a
   * failed handshake or transfer retries from the cron (1 s), keeping any
   * cached master so the next attempt can still be partial.
   */
  drop(reason: LinkDownReason, detail: string, cacheMaster: boolean, options: { retryLater?: boolean } = {}): void {
    const repl = this.repl;
    const node = repl.node;
    const wasConnected = this.phase === 'connected';
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    // freeClient never caches a master client whose stream was malformed (CLIENT_PROTOCOL_ERROR).
    const stream = this.stream;
    const malformed = stream !== null && stream.protocolError !== null;
    if (wasConnected) {
      const client = this.masterClient!;
      // A script of the stream parked past busy-reply-threshold runs to its
      // end whatever happens to the link (Redis protects the master client
      // meanwhile): it is applied, so PSYNC must continue after it.
      if (client.blocked !== null && !client.inMulti) stream?.commitApplied();
      if (malformed) node.log.warning('Connection with master lost.');
      if (cacheMaster && !malformed) {
        this.cached = { replid: this.masterReplid, offset: this.appliedOffset, dbIndex: client.dbIndex };
        node.log.warning('Connection with master lost.');
        node.log.notice('Caching the disconnected master state.');
      } else {
        this.cached = null;
      }
      this.stream = null;
      client.inMulti = false;
      client.multiQueue = [];
      node.disconnectClient(client);
      this.downSince = Date.now();
      repl.events.emit({ type: 'link-down', side: 'replica', peerId: this.masterId, reason, detail, offset: this.appliedOffset });
    } else if (this.phase === 'sync') {
      repl.events.emit({ type: 'link-down', side: 'replica', peerId: this.masterId, reason, detail, offset: this.cached?.offset ?? 0 });
    }
    stream?.discard();
    this.stream = null;
    this.transfer = null;
    this.step = null;
    this.preSyncMaster = false;
    this.phase = 'connect';
    if (this.stopped) return;
    // 7.0 reconnects at once after losing an established link, so the backlog is less likely to be recycled.
    if (wasConnected && !options.retryLater) {
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        node.log.notice(`Reconnecting to MASTER ${this.masterId}`);
        this.connect();
      }, 0);
    }
  }

  /** Stops the link for good (REPLICAOF NO ONE, another REPLICAOF, shutdown, a crash: `detail` says why). */
  stop(reason: LinkDownReason, detail = 'replication link stopped'): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.phase !== 'connect' || this.socket) this.drop(reason, detail, true);
    this.socket?.destroy();
    this.socket = null;
  }

  /** The master client was killed (CLIENT KILL TYPE master): same as losing the link. */
  masterClientKilled(): void {
    if (this.phase === 'connected') this.drop('killed', 'master client killed', true);
  }
}

/** strerror() text of a failed dial, as Redis logs it ("Error condition on socket for SYNC: Connection refused"). */
function socketErrorText(failure: NodeJS.ErrnoException): string {
  switch (failure.code) {
    case 'ECONNREFUSED': return 'Connection refused';
    case 'ECONNRESET': return 'Connection reset by peer';
    case 'ETIMEDOUT': return 'Connection timed out';
    case 'EHOSTUNREACH': return 'No route to host';
    case 'ENETUNREACH': return 'Network is unreachable';
    default: return failure.message;
  }
}
