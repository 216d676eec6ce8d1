/**
 * What the poller measures, as the renderer receives it at each tick.
 *
 * Naming is honest about what Redis reports:
 *  - a replica's position has two sources: its own offset (INFO
 *    `slave_repl_offset` on the replica, read in the same poll as the
 *    master's `master_repl_offset`), and the offset it last acknowledged
 *    (the master's `slaveN offset`, from REPLCONF ACK, which a replica sends
 *    once a second: up to a second of writes old). Figures and predictions
 *    use the freshest: the replica's own offset wherever the replica is
 *    readable, the ACK offset otherwise; `offsetSource` says which;
 *  - `lagBytes` = master_repl_offset - that position; `ackLagBytes` =
 *    master_repl_offset - the ACK offset, shown beside it;
 *  - `ackAgeSeconds` = INFO `lag`: seconds since the replica's last REPLCONF
 *    ACK, NOT how far behind the replica is in time;
 *  - `catchUpSeconds` = seconds for lagBytes to close: lagBytes / (the
 *    replica's apply rate - the master's write rate, both over the last
 *    poll); `fallingBehind` = the lag is not closing (apply <= write) and is
 *    more than is in flight (one poll interval of writes, 16 KiB at least),
 *    and then catchUpSeconds is null. A lag within what is in flight is a
 *    healthy link: lagBytes / apply rate, never falling behind
 *    (shared/contract/catch-up.ts).
 * `stale` marks figures that are not this poll's: the node did not answer in
 * time (it keeps its last answer and role), or it replicates through one
 * that did not, so whether it still receives the stream is unknown.
 * Offsets are byte counts of the replication stream (can exceed 2^53 only in
 * theory; numbers are fine for any real deployment).
 */
import { z } from 'zod';
import { MinReplicasState } from './min-replicas';
import { DeploymentKind } from './profiles';

export const NodeRole = z.enum(['master', 'replica', 'sentinel', 'unknown']);
export type NodeRole = z.infer<typeof NodeRole>;

/** Reachability of a node as last polled. */
export const NodeHealth = z.enum(['up', 'loading', 'unreachable', 'auth-failed', 'denied', 'hung', 'unknown']);
export type NodeHealth = z.infer<typeof NodeHealth>;

export const SyncPhase = z.enum(['waiting-for-snapshot', 'snapshot', 'transfer', 'loading', 'streaming']);
export type SyncPhase = z.infer<typeof SyncPhase>;

export const SyncProgress = z.object({
  phase: SyncPhase,
  bytesDone: z.number(),
  /** null when unknown (EOF-marked diskless transfer). */
  bytesTotal: z.number().nullable(),
  percent: z.number().nullable(),
  rateBytesPerSec: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  startedAt: z.number(),
  /** true when read from the embedded engine, false when inferred from INFO fields. */
  exact: z.boolean(),
  /**
   * What bytesDone, bytesTotal and the rate count: bytes when absent; 'keys' in the Snapshot phase of a
   * redis-server master saving to disk, whose INFO gives current_save_keys_processed of current_save_keys_total.
   */
  unit: z.enum(['bytes', 'keys']).optional(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const OffsetSource = z.enum(['replica', 'ack']);
export type OffsetSource = z.infer<typeof OffsetSource>;

export const BacklogMarker = z.object({
  replicaId: z.string(),
  /** The replica's position: its own offset where readable, else its acknowledged one (see offsetSource). */
  offset: z.number(),
  /** The offset it last acknowledged (REPLCONF ACK, up to a second old). */
  ackOffset: z.number().nullable(),
  offsetSource: OffsetSource,
  /** The link's backlogHeadroomBytes (shared/contract/backlog-window.ts): repl-backlog-size - byte lag inside the window, 0 outside. */
  headroomBytes: z.number(),
  /** Would a PSYNC from this offset be accepted right now? */
  insideWindow: z.boolean(),
  /**
   * A replica its master dropped (no longer listed) and that does not answer: `offset` is the last ACK
   * offset its master listed (offsetSource 'ack'), from the master's answer at `lastListedAt`. It is where
   * the replica was at least; `mostOffset` is the master's master_repl_offset at the first answer that no
   * longer listed it, the most it can have received. Absent for every other marker. `processLost`: why
   * the process that ACKed may be gone (its connection to the console broke, or its address resets or
   * refuses connections, since it last answered): a new process resyncs from its RDB's offset, if any, so
   * the last ACK bounds nothing from below (the most it can have received still bounds it from above).
   */
  dropped: z.object({ lastListedAt: z.number(), mostOffset: z.number(), processLost: z.string().optional() }).optional(),
});
export type BacklogMarker = z.infer<typeof BacklogMarker>;

export const BacklogSnapshot = z.object({
  active: z.boolean(),
  /** repl-backlog-size: the configured window width. */
  sizeBytes: z.number(),
  /** repl_backlog_histlen: bytes currently held. */
  histlenBytes: z.number(),
  /** repl_backlog_first_byte_offset. */
  firstByteOffset: z.number(),
  /** master_repl_offset: the last byte produced. */
  masterOffset: z.number(),
  replicas: z.array(BacklogMarker),
});
export type BacklogSnapshot = z.infer<typeof BacklogSnapshot>;

export const ResyncCounters = z.object({
  syncFull: z.number(),
  syncPartialOk: z.number(),
  syncPartialErr: z.number(),
});
export type ResyncCounters = z.infer<typeof ResyncCounters>;

export const NodeSnapshot = z.object({
  /** Stable id "host:port" (as announced; tunnels are mapped back). */
  id: z.string(),
  host: z.string(),
  port: z.number(),
  health: NodeHealth,
  /** Why the node is not `up`, in plain words (the Redis error when there is one). */
  healthDetail: z.string().nullable(),
  /**
   * The kind of failure behind that detail (main/console/monitor/connection-failure.ts:
   * refused, connect-timeout, no-route, no-reply, wrong-password...); null when up.
   */
  healthProblem: z.string().nullable(),
  role: NodeRole,
  embedded: z.boolean(),
  version: z.string().nullable(),
  runId: z.string().nullable(),
  replid: z.string().nullable(),
  replid2: z.string().nullable(),
  masterReplOffset: z.number().nullable(),
  secondReplOffset: z.number().nullable(),
  backlog: BacklogSnapshot.nullable(),
  /** Replica side (null on masters). */
  masterHost: z.string().nullable(),
  masterPort: z.number().nullable(),
  masterLinkStatus: z.enum(['up', 'down']).nullable(),
  /** ROLE state: connect, connecting, handshake, sync, connected. */
  replicaState: z.string().nullable(),
  masterLastIoSecondsAgo: z.number().nullable(),
  masterLinkDownSinceSeconds: z.number().nullable(),
  slaveReplOffset: z.number().nullable(),
  slaveReadReplOffset: z.number().nullable(),
  sync: SyncProgress.nullable(),
  counters: ResyncCounters.nullable(),
  /** INFO connected_slaves, as the master counts them: a stream tap's connection included. */
  connectedReplicas: z.number().nullable(),
  /** How many of connectedReplicas are a stream tap (`slaveN:ip=replscope-tap,port=0`): a connection of Replscope's, no node. */
  streamTapReplicas: z.number().nullable(),
  /** Bytes/s of replication stream produced (Δ master_repl_offset / Δt). */
  writeRateBytesPerSec: z.number().nullable(),
  /** Commands/s: Δ total_commands_processed / Δt between two answers (null on the first, and across a restart or CONFIG RESETSTAT). */
  opsPerSec: z.number().nullable(),
  usedMemoryBytes: z.number().nullable(),
  /** INFO connected_clients (the console's own connection included, as Redis counts it). */
  connectedClients: z.number().nullable(),
  /** Keys of every database (INFO keyspace). */
  keys: z.number().nullable(),
  /**
   * INFO rdb_changes_since_last_save: Redis's count of changes to the dataset
   * (server.dirty) since its last save. PUBLISH, PING and SELECT change none,
   * though they take bytes of the replication stream.
   */
  datasetChangesSinceSave: z.number().nullable().default(null),
  /** INFO rdb_last_save_time (unix seconds): a save resets datasetChangesSinceSave, so two readings compare only under one. */
  lastSaveTime: z.number().nullable().default(null),
  /**
   * INFO rdb_last_load_keys_loaded (redis-server 7.0): keys the node's last RDB
   * load brought in, at its start or a replica's full sync; 0 when it loaded none.
   */
  lastLoadKeysLoaded: z.number().nullable().default(null),
  /** Keys evicted per second: Δ evicted_keys / Δt (null as opsPerSec is). */
  evictionsPerSec: z.number().nullable(),
  maxmemoryBytes: z.number().nullable(),
  /** Recommended repl-backlog-size for the session's chosen outage length. */
  recommendedBacklogBytes: z.number().nullable(),
  /** Peak write rate observed in the history window (used for the recommendation). */
  peakWriteRateBytesPerSec: z.number().nullable(),
  /** A master's min-replicas-to-write in force (INFO min_slaves_good_slaves, see min-replicas.ts); null when not in force. */
  minReplicas: MinReplicasState.nullable().default(null),
  /** A replica's INFO slave_read_only: false when it accepts writes (replica-read-only no); null on masters. */
  replicaReadOnly: z.boolean().nullable().default(null),
  /** Replication settings polled with CONFIG GET (name -> value); null when not allowed or not current. */
  config: z.record(z.string(), z.string()).nullable(),
  /** Commands the connected user may not run here (ACL), which degrades some views. */
  deniedCommands: z.array(z.string()),
  /** Redis's own replies refusing them ("NOPERM this user has no permissions to run the 'config|get' command"), in the same order. */
  deniedReplies: z.array(z.string()).default([]),
  /** When the figures shown were read (older than the snapshot when stale). */
  sampledAt: z.number(),
  /** The figures are not this poll's (see the file comment); `staleReason` says why. */
  stale: z.boolean(),
  staleReason: z.string().nullable(),
});
export type NodeSnapshot = z.infer<typeof NodeSnapshot>;

export const LinkState = z.enum(['online', 'syncing', 'handshake', 'connecting', 'down']);
export type LinkState = z.infer<typeof LinkState>;

export const LinkSnapshot = z.object({
  /** "<masterId>-><replicaId>". */
  id: z.string(),
  masterId: z.string(),
  replicaId: z.string(),
  state: LinkState,
  /** The master's view (slaveN state=...) when known: wait_bgsave, send_bulk, online. */
  masterSideState: z.string().nullable(),
  /** The position the figures below use (see offsetSource). */
  replicaOffset: z.number().nullable(),
  /** The replica's own offset (slave_repl_offset), read in the same poll as the master; null when not readable. */
  replicaOwnOffset: z.number().nullable(),
  /** The offset the replica last acknowledged, as the master reports it (slaveN offset). */
  ackOffset: z.number().nullable(),
  /** Which of the two `replicaOffset` is: 'replica' (its own) or 'ack'; null when neither is known. */
  offsetSource: OffsetSource.nullable(),
  /** master_repl_offset - replicaOffset. */
  lagBytes: z.number().nullable(),
  /** master_repl_offset - ackOffset: up to a second of writes more than lagBytes while the link is healthy. */
  ackLagBytes: z.number().nullable(),
  ackAgeSeconds: z.number().nullable(),
  /** Replica apply rate (Δ replica offset / Δt). */
  applyRateBytesPerSec: z.number().nullable(),
  /** Seconds until lagBytes closes at apply rate - write rate; null when unknown or falling behind. */
  catchUpSeconds: z.number().nullable(),
  /** The lag exceeds what is in flight and the replica applies no faster than the master writes: it never catches up at these rates. */
  fallingBehind: z.boolean().default(false), // absent from recordings made before it existed
  /**
   * Bytes the master may still write before the replica's position can leave
   * the backlog: repl-backlog-size - byte lag inside the window, 0 outside
   * (shared/contract/backlog-window.ts).
   */
  backlogHeadroomBytes: z.number().nullable(),
  /**
   * While the replica keeps applying at these rates: seconds until its
   * position leaves the backlog, headroom ÷ (write rate - apply rate) when
   * it falls behind; null when it keeps up (staysInBacklog) or a rate is
   * unknown (shared/contract/catch-up.ts, outOfBacklog).
   */
  secondsUntilOutOfBacklog: z.number().nullable(),
  /** The replica keeps up with the master (not falling behind): at these rates it never leaves the backlog. */
  staysInBacklog: z.boolean().default(false), // absent from recordings made before it existed
  /** If the link dropped now: seconds until the frozen replica position leaves the backlog, headroom ÷ write rate. */
  outageCoveredSeconds: z.number().nullable().default(null), // absent from recordings made before it existed
  /** Link down: seconds left before a partial resync becomes impossible (null when up or unknown). */
  partialResyncCountdownSeconds: z.number().nullable(),
  /** Would a reconnect now be a partial resync? null when unknown. */
  partialResyncPossible: z.boolean().nullable(),
  /** Why, where the position is inferred rather than read (a replica its master dropped, silent). */
  partialResyncWhy: z.string().optional(),
  downSinceSeconds: z.number().nullable(),
  /**
   * A link down while its master refuses logins: which refusal its INFO errorstats counted (WRONGPASS,
   * NOAUTH) since the link was last seen not down, from any client, so possibly the replica's
   * (main/console/monitor/refused-logins.ts). Absent otherwise.
   */
  loginRefused: z.string().optional(),
  /**
   * While the master cannot be polled (hung, unreachable): seconds since the replica last heard from it,
   * the replica's own INFO master_last_io_seconds_ago (main/console/monitor/master-silence.ts); null otherwise.
   */
  masterSilentSeconds: z.number().nullable().default(null), // absent from recordings made before it existed
  /** An end of the link (or a node above it in a chain) did not answer this poll: state and figures are not current. */
  stale: z.boolean(),
  staleReason: z.string().nullable(),
});
export type LinkSnapshot = z.infer<typeof LinkSnapshot>;

/** One Sentinel of a group as the console sees it (the per-Sentinel table). */
export const SentinelView = z.object({
  /** Its address, "host:port". */
  id: z.string(),
  /** Whether it answers the console. */
  health: NodeHealth,
  /** Whether the console is subscribed to its event channels right now. */
  subscribed: z.boolean(),
  /** The master address it reports for the group (SENTINEL MASTER), null when it did not answer. */
  masterView: z.string().nullable(),
  /** Its flags for that master (master, s_down, o_down, failover_in_progress...). */
  masterFlags: z.string().nullable(),
  /** The group's config epoch as this Sentinel knows it. */
  configEpoch: z.number().nullable(),
  /**
   * The quorum this Sentinel uses for the group (SENTINEL MASTER's quorum):
   * each Sentinel has its own, as SENTINEL SET changes only the Sentinel it
   * runs on. Null when it did not answer (and in bundles recorded before).
   */
  quorum: z.number().nullable().default(null),
  /**
   * Its own SENTINEL CKQUORUM answer as it said it ("OK 3 usable Sentinels.
   * Quorum and failover authorization can be reached", "NOQUORUM 2 usable
   * Sentinels. ..."), and whether it was OK (null: it did not answer).
   */
  quorumCheck: z.string().nullable().default(null),
  quorumOk: z.boolean().nullable().default(null),
  /** The last +sdown it published (about any instance of the group), while the console listened. */
  lastSdown: z.object({ time: z.number(), instance: z.string() }).nullable(),
});
export type SentinelView = z.infer<typeof SentinelView>;

/**
 * One replica as the answering Sentinel lists it (SENTINEL REPLICAS): what
 * sentinelSelectSlave looks at when it picks the replica to promote.
 */
export const SentinelReplicaView = z.object({
  /** ip:port as Sentinel names it. */
  id: z.string(),
  /** Sentinel's flags for it ("slave", "s_down", "o_down", "disconnected", ...). */
  flags: z.array(z.string()),
  /** slave-priority: the replica-priority Sentinel last read from the replica's INFO (every 10 s); null when not given. */
  priority: z.number().nullable(),
  /** master-link-down-time: how long the replica has reported its master link down, ms (0 when up). */
  masterLinkDownMs: z.number().nullable(),
  /** info-refresh: ms since Sentinel last read the replica's INFO. */
  infoRefreshMs: z.number().nullable(),
  /** last-ok-ping-reply: ms since the replica last answered Sentinel's PING. */
  lastOkPingMs: z.number().nullable(),
});
export type SentinelReplicaView = z.infer<typeof SentinelReplicaView>;

export const SentinelGroup = z.object({
  kind: z.literal('sentinel'),
  name: z.string(),
  masterId: z.string().nullable(),
  quorum: z.number(),
  sentinels: z.array(SentinelView),
  /**
   * SENTINEL CKQUORUM of every Sentinel that answered: true when each said
   * OK, false when one said NOQUORUM (quorumDetail names it, with its words).
   */
  quorumOk: z.boolean().nullable(),
  quorumDetail: z.string().nullable(),
  downAfterMs: z.number().nullable(),
  /** s-down-time: ms since Sentinel flagged the master s_down (listed only while it is); null otherwise. */
  sDownMs: z.number().nullable().optional(),
  failoverTimeoutMs: z.number().nullable(),
  flags: z.string().nullable(),
  /** The replicas as the answering Sentinel lists them (SENTINEL REPLICAS); empty when it did not answer. */
  replicas: z.array(SentinelReplicaView).default([]),
});
export type SentinelGroup = z.infer<typeof SentinelGroup>;

export const ClusterShard = z.object({
  kind: z.literal('shard'),
  name: z.string(),
  slots: z.string(),
  masterId: z.string().nullable(),
  nodeIds: z.array(z.string()),
  health: z.string().nullable(),
});
export type ClusterShard = z.infer<typeof ClusterShard>;

export const TopologyGroup = z.discriminatedUnion('kind', [SentinelGroup, ClusterShard]);
export type TopologyGroup = z.infer<typeof TopologyGroup>;

/** Two or more writable masters that belong together (one Sentinel group, or one replication history). */
export const SplitBrain = z.object({
  masterIds: z.array(z.string()),
  /** The Sentinel group they belong to, when that is why they belong together. */
  group: z.string().nullable(),
  /** Why they belong together, in plain words (shared replication id, one Sentinel group). */
  reason: z.string(),
  /** When the console first saw it. */
  since: z.number(),
  /** When it is a Sentinel failover's reconfiguration window (the old master not yet converted): which failover, what Sentinel does next. */
  failover: z.string().nullable(),
});
export type SplitBrain = z.infer<typeof SplitBrain>;

export const TopologySnapshot = z.object({
  sessionId: z.string(),
  kind: z.union([DeploymentKind, z.literal('demo')]),
  time: z.number(),
  pollIntervalMs: z.number(),
  nodes: z.array(NodeSnapshot),
  links: z.array(LinkSnapshot),
  groups: z.array(TopologyGroup),
  /** The outage length the backlog recommendation is computed for. */
  outageSeconds: z.number(),
  /** Split-brains seen in this poll (empty when healthy). */
  splitBrains: z.array(SplitBrain),
});
export type TopologySnapshot = z.infer<typeof TopologySnapshot>;

/** Columnar time series for charts: times in ms, one value array per series. */
export const SeriesId = z.string();
export const HistoryBlock = z.object({
  sessionId: z.string(),
  times: z.array(z.number()),
  series: z.record(SeriesId, z.array(z.number().nullable())),
});
export type HistoryBlock = z.infer<typeof HistoryBlock>;
