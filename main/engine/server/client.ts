/**
 * One client of the server: its connection, protocol state, selected DB and
 * every per-client feature (MULTI queue, WATCHed keys, subscriptions,
 * blocking, replica role). A client with no socket is internal: the master
 * link on a replica applies the replication stream through one, and its
 * replies are discarded (a replica never answers its master).
 */
import type { Socket } from 'node:net';
import { OutputBuffer } from '../resp/output-buffer';
import { PendingInput } from './pending-input';
import { QueryBufferMeter } from './query-buffer';
import { ReplyBufferMeter } from './reply-buffer';
import { encodeReplyOfKind, type Protocol } from '../resp/reply-encoder';
import type { Reply } from '../resp/reply';
import type { ResolvedCommand, BlockRequest, CommandFlag } from '../commands/command-spec';
import type { ReplicaLink } from '../replication/replica-link';
import type { WatchedKey } from './transactions';
import type { AclUser } from '../acl/acl-user';
import type { ClientTrackingState } from './tracking';
import type { ArgumentBytes } from '../resp/whole-request';
import { DirectSocketWriter, WRITE_QUEUED, WRITE_UNAVAILABLE } from './direct-socket-write';

/** What a connection's request decoder tells about the request still arriving. */
export interface RequestProgress {
  /** The length of the bulk argument being received, or -1. */
  readonly bulkInProgress: number;
  /** The arguments of the incomplete request parsed so far. */
  pendingArguments(): { count: number; bytes: number };
  /** The bytes of the leading arguments of the request decoded last. */
  readonly argumentBytes: ArgumentBytes;
}

export type ClientKind = 'normal' | 'replica' | 'master' | 'pubsub';

export interface QueuedCommand {
  readonly command: ResolvedCommand;
  readonly argv: string[];
  /**
   * The flags the command was queued with: for EVAL/FCALL those its script
   * declares (getCommandFlags at queue time, Redis's mstate.cmd_flags), which
   * EXEC's checks use.
   */
  readonly flags: Readonly<Record<CommandFlag, boolean>>;
}

export interface BlockedState {
  readonly request: BlockRequest;
  readonly command: ResolvedCommand;
  readonly argv: string[];
  readonly dbIndex: number;
  timer: NodeJS.Timeout | null;
  /** How long the call that blocked took (µs): its stats are completed when it is served. */
  callMicros: number;
  /** performance.now() when that call returned (a request that lastsAsCall is timed to its end from there). */
  blockedAt: number;
}

export class Client {
  name = '';
  protocol: Protocol = 2;
  dbIndex = 0;
  authenticated = false;
  /**
   * The ACL user the client runs as; null only for internal clients (the
   * master link applying the replication stream), which no ACL restricts.
   * TCP clients start with the default user (tcp-server.ts).
   */
  user: AclUser | null = null;
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  lastCommand = 'NULL';

  // Connection-level flags (CLIENT LIST "flags" letters in parentheses).
  /** Internal master-link client (M). */
  isMaster = false;
  /** Became a replica link via SYNC/PSYNC (S). */
  isReplica = false;
  isMonitor = false;
  closeAfterReply = false;
  closed = false;
  noEvict = false;
  /**
   * CLIENT REPLY: 'off' drops every reply; 'skip-next' (set by SKIP) turns
   * into 'skip' for the next command, whose replies are dropped.
   */
  replyMode: 'on' | 'off' | 'skip-next' | 'skip' = 'on';

  // MULTI/EXEC state.
  inMulti = false;
  /** A queued command failed to queue: EXEC must abort (EXECABORT). */
  multiDirty = false;
  /** A WATCHed key was touched: EXEC must fail with a null reply. */
  watchTouched = false;
  multiQueue: QueuedCommand[] = [];
  /** WATCHed keys; `expired` records that the key was already logically expired at WATCH time. */
  readonly watchedKeys: WatchedKey[] = [];

  // Pub/Sub state.
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();

  /** CLIENT TRACKING state; null while tracking is off (see server/tracking.ts). */
  tracking: ClientTrackingState | null = null;

  blocked: BlockedState | null = null;
  /** Input that arrived while the client was blocked; run when it is served. */
  readonly pendingInput = new PendingInput();
  /** Set by the connection: processes pendingInput once the client is unblocked. */
  resumeInput: (() => void) | null = null;
  /** master_repl_offset right after this client's last command (WAIT target). */
  replicationOffsetAfterLastCommand = 0;

  /** Network counters for CLIENT LIST / INFO. */
  bytesIn = 0;
  bytesOut = 0;
  /** The query buffer's size as Redis would hold it (CLIENT LIST qbuf, qbuf-free). */
  readonly queryBuffer = new QueryBufferMeter();
  /** The static reply buffer's size as Redis would hold it (CLIENT LIST rbs, rbp). */
  readonly replyBuffer = new ReplyBufferMeter();
  /**
   * Set by the connection: its request decoder, for the request still
   * arriving (CLIENT LIST argv-mem counts its arguments, as Redis counts
   * c->argv; the query-buffer cron needs the bulk in progress).
   */
  requestProgress: RequestProgress | null = null;
  /** The arguments of the command running now, while it runs (argv-mem). */
  currentArgv: ReadonlyArray<string> | null = null;

  private readonly output = new OutputBuffer();
  /** Byte accounting hook (INFO net output, writes processed). */
  onWrite: ((bytes: number) => void) | null = null;
  /** Called after each write (output-buffer limits, see output-limits.ts). */
  afterWrite: ((client: Client) => void) | null = null;
  /** When the client first went over its soft output-buffer limit, or null. */
  outputSoftLimitSince: number | null = null;
  private flushScheduled = false;
  /** Replies go straight to the socket's handle where the runtime allows (direct-socket-write.ts). */
  private readonly directWriter: DirectSocketWriter | null;

  constructor(
    readonly id: number,
    readonly socket: Socket | null,
    readonly address: string,
    readonly localAddress: string,
    private readonly scheduleFlush: (client: Client) => void,
  ) {
    this.directWriter = socket !== null && DirectSocketWriter.available ? new DirectSocketWriter(socket) : null;
  }

  get kind(): ClientKind {
    if (this.isMaster) return 'master';
    if (this.isReplica) return 'replica';
    if (this.subscriptionCount > 0) return 'pubsub';
    return 'normal';
  }

  /**
   * Channels, patterns and shard channels together: non-zero is Redis's
   * CLIENT_PUBSUB (the RESP2 pub/sub context, the pubsub output-buffer
   * class). The SUBSCRIBE family reports channels + patterns, the SSUBSCRIBE
   * family shard channels alone. Kept by PubSub, which alone changes the
   * three sets, so the dispatcher's check per request reads one field.
   */
  subscriptionCount = 0;

  /** Master side: the replication state of a client that became a replica (SYNC/PSYNC). */
  replicaLink: ReplicaLink | null = null;
  /** While EXEC runs its queue, the replies of the queued commands are collected here. */
  replyCapture: Reply[] | null = null;
  /**
   * Set by the scripting engine while a script's redis.set_repl() excludes
   * replicas: the commands this client runs do not propagate their own argv
   * (effects they add themselves, like lazy-expiry DELs, still do).
   */
  suppressPropagation = false;
  /** A replica link produced a reply to something it sent: Redis disconnects it. */
  replicaGeneratedReply = false;
  /** That reply was logged ("Replica generated a reply ...", error-replies.ts): once per connection. */
  replicaReplyLogged = false;

  /** True while replies are queued but not yet handed to the socket. */
  hasPendingReplies(): boolean {
    return this.output.size > 0;
  }

  /**
   * Queues a reply. Replies to the internal master client are dropped; a
   * replica link never gets replies (only the replication stream), so a
   * reply there is recorded as misbehaviour instead. `pushing` marks the
   * pub/sub confirmations (Redis's CLIENT_PUSHING): CLIENT REPLY OFF/SKIP
   * does not silence them.
   */
  reply(reply: Reply, pushing = false): void {
    this.replyOfKind(reply, reply.kind, pushing);
  }

  /** reply() with `kind` (reply.kind) read already (see encodeReplyOfKind). */
  replyOfKind(reply: Reply, kind: Reply['kind'], pushing = false): void {
    if (kind === 'none') return;
    if (this.replyCapture !== null) {
      this.replyCapture.push(reply);
      return;
    }
    if (this.isReplica) {
      this.replicaGeneratedReply = true;
      return;
    }
    if (this.socket === null || this.closed) return;
    if (!pushing && (this.replyMode === 'off' || this.replyMode === 'skip')) return;
    this.queue(reply, kind);
  }

  /**
   * Queues an out-of-band message: a pub/sub message or a tracking
   * invalidation. CLIENT REPLY OFF/SKIP does not silence it, and it never
   * joins the replies an EXEC is collecting (in RESP3 it is a push the
   * client takes apart from replies; a RESP2 client in a transaction cannot
   * be subscribed).
   */
  pushMessage(message: Reply): void {
    if (this.isReplica || this.socket === null || this.closed) return;
    this.queue(message, message.kind);
  }

  private queue(reply: Reply, kind: Reply['kind']): void {
    encodeReplyOfKind(this.output, reply, kind, this.protocol);
    this.replyBuffer.noteQueued(this.output.size);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.scheduleFlush(this);
    }
  }

  /**
   * The read path is about to run the commands of one chunk: replies queued
   * meanwhile schedule nothing. Whoever calls this must call endInputBatch()
   * (or flush()) when the chunk is done.
   */
  beginInputBatch(): void {
    this.flushScheduled = true;
  }

  /**
   * Ends an input batch: the replies it queued go out with every other
   * client's at the end of this event-loop turn (the registry's one
   * setImmediate), not in a write right after the chunk.
   */
  endInputBatch(): void {
    this.flushScheduled = false;
    if (this.output.size === 0) return;
    this.flushScheduled = true;
    this.scheduleFlush(this);
  }

  /** Queues raw protocol bytes (replication stream, RDB payload preambles). */
  writeRaw(bytes: Buffer): void {
    if (this.socket === null || this.closed) return;
    this.flush();
    this.writeToSocket(bytes);
  }

  /** Bytes queued but not yet handed to the socket (Redis's reply buffer and list). */
  get queuedReplyBytes(): number {
    return this.output.size;
  }

  /** Bytes queued but not yet handed to the socket, plus the socket's own backlog. */
  get outputBacklogBytes(): number {
    return this.output.size + this.socketBacklogBytes;
  }

  /** Bytes handed to the socket and not written yet: its Writable's, and what a direct write left queued. */
  get socketBacklogBytes(): number {
    const socket = this.socket;
    if (socket === null) return 0;
    return socket.writableLength + (this.directWriter === null ? 0 : this.directWriter.pendingBytes);
  }

  /**
   * Hands queued replies to the socket: a view of the output buffer, not a
   * copy, written straight to the socket's handle where it can be
   * (direct-socket-write.ts), else through socket.write. A write the kernel
   * takes whole within the call leaves no reference to the bytes (Node's
   * stream keeps a chunk only while its write is pending, and counts it in
   * writableLength until then; a direct write counts it in its
   * pendingBytes), so the buffer is reused; otherwise the socket keeps it
   * and the client starts a new one.
   */
  flush(): void {
    this.flushScheduled = false;
    const socket = this.socket;
    if (this.output.size === 0 || socket === null || this.closed) return;
    const bytes = this.output.pending();
    // A replica's link writes through the socket (its stream paces itself on 'drain').
    const direct = this.directWriter === null || this.isReplica || socket.destroyed ? WRITE_UNAVAILABLE : this.writeDirect(this.directWriter, bytes);
    if (direct === WRITE_UNAVAILABLE) {
      this.writeToSocket(bytes);
      this.output.handedOver(socket.writableLength === 0);
      return;
    }
    this.output.handedOver(direct !== WRITE_QUEUED);
    this.afterWrite?.(this);
  }

  private writeDirect(writer: DirectSocketWriter, bytes: Buffer): number {
    const result = writer.write(bytes);
    if (result === WRITE_UNAVAILABLE) return result;
    this.bytesOut += bytes.length;
    this.onWrite?.(bytes.length);
    return result;
  }

  private writeToSocket(bytes: Buffer): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) return;
    this.bytesOut += bytes.length;
    this.onWrite?.(bytes.length);
    try {
      socket.write(bytes);
    } catch {
      // write() can throw synchronously (EPIPE) on a half-closed socket; the
      // 'error'/'close' handlers tear the client down.
    }
    this.afterWrite?.(this);
  }
}
