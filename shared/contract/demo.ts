/**
 * The local demo: an embedded topology (each engine in a worker thread, on
 * loopback ports real tools can reach), a write-load generator, and chaos
 * between the nodes through a loopback proxy.
 */
import { z } from 'zod';

export const DemoTopology = z.enum(['pair', 'two-replicas', 'chain']);
export type DemoTopology = z.infer<typeof DemoTopology>;

/**
 * The demo nodes' repl-backlog-size unless chosen. Not Redis's default
 * (1 MiB): the load the demo opens with (300 writes/s of 100-byte values,
 * the default mix) streams about 35 KB/s (the master's master_repl_offset,
 * demo-backlog-default.test.ts), so 1 MiB holds about 30 s of writes, less
 * than the 60 s outage of the default "Backlog too small" rule, which then
 * rightly fired on every fresh demo. 8 MiB holds about 4 minutes, and is
 * what the Backlog tab recommends (peak x 60 s x 2) up to about 70 KB/s,
 * twice the opening load. The walkthrough shrinks it to overflow it.
 */
export const DEMO_BACKLOG_BYTES = 8 * 1024 * 1024;

export const DemoSpec = z.object({
  topology: DemoTopology.default('pair'),
  /** repl-backlog-size of every node. */
  backlogBytes: z.number().int().min(16 * 1024).max(1024 * 1024 * 1024).default(DEMO_BACKLOG_BYTES),
  /** maxmemory of every node, so a runaway load cannot exhaust the laptop. */
  maxmemoryBytes: z.number().int().min(1024 * 1024).max(16 * 1024 * 1024 * 1024).default(256 * 1024 * 1024),
});
export type DemoSpec = z.infer<typeof DemoSpec>;

export const LoadMix = z.object({
  string: z.number().min(0).max(100),
  list: z.number().min(0).max(100),
  hash: z.number().min(0).max(100),
  set: z.number().min(0).max(100),
  zset: z.number().min(0).max(100),
  /** EVAL of a script writing two fields (replicated as its effects, in MULTI/EXEC); 0 when absent. */
  script: z.number().min(0).max(100).default(0),
  /** XADD with MAXLEN ~ to a few streams, and consumer-group reads (acknowledged, or NOACK); 0 when absent. */
  stream: z.number().min(0).max(100).default(0),
});
export type LoadMix = z.infer<typeof LoadMix>;

export const LoadSpec = z.object({
  running: z.boolean(),
  opsPerSec: z.number().int().min(1).max(200_000),
  valueBytes: z.number().int().min(1).max(1024 * 1024),
  keySpace: z.number().int().min(1).max(10_000_000),
  mix: LoadMix,
});
export type LoadSpec = z.infer<typeof LoadSpec>;

export const ChaosSpec = z.discriminatedUnion('kind', [
  /** Cut the replication link between a replica and its upstream for N seconds. */
  z.object({ kind: z.literal('cut-link'), replicaId: z.string(), seconds: z.number().min(0.1).max(3600) }),
  z.object({ kind: z.literal('latency'), replicaId: z.string(), ms: z.number().int().min(0).max(10_000) }),
  z.object({ kind: z.literal('bandwidth'), replicaId: z.string(), bytesPerSec: z.number().int().min(0).max(1024 * 1024 * 1024) }),
  /** Stop the replica applying the stream (its link stays up, its offset freezes). */
  z.object({ kind: z.literal('pause-replica'), replicaId: z.string(), seconds: z.number().min(0.1).max(3600) }),
  /** Restart the master; keepReplid=false restarts it without its persisted replid (forces full syncs). */
  z.object({ kind: z.literal('restart-master'), keepReplid: z.boolean() }),
  z.object({ kind: z.literal('shrink-backlog'), nodeId: z.string(), bytes: z.number().int().min(16 * 1024) }),
  /** Remove every active fault. */
  z.object({ kind: z.literal('heal') }),
]);
export type ChaosSpec = z.infer<typeof ChaosSpec>;

export const DemoNodeInfo = z.object({
  id: z.string(),
  name: z.string(),
  port: z.number(),
  /** What the node is now, by its own ROLE (asked at each status; its last answer while it gives none). */
  role: z.enum(['master', 'replica']),
  /** The node it replicates from now (null for a master): its master_host:master_port, a chaos proxy named as the node behind it. */
  upstreamId: z.string().nullable(),
  /** The proxy port the replica's link goes through (chaos), while it still follows its planned upstream. */
  proxyPort: z.number().nullable(),
  /** Its repl-backlog-size now (INFO), null before the first poll. */
  backlogBytes: z.number().nullable(),
  /** The Guru Meditation text of a node that panicked (it is down until the demo starts again); null while it runs. */
  crashed: z.string().nullable().default(null), // absent from recordings made before it existed
});
export type DemoNodeInfo = z.infer<typeof DemoNodeInfo>;

export const DemoStatus = z.object({
  running: z.boolean(),
  sessionId: z.string().nullable(),
  spec: DemoSpec.nullable(),
  nodes: z.array(DemoNodeInfo),
  load: LoadSpec,
  /** Commands the master answered without an error over the last second (errors are counted in loadErrors). */
  loadOpsPerSec: z.number().nonnegative(),
  /** Writes the master answered with an error over the last second (READONLY, NOREPLICAS, OOM ...): refused, not written. */
  loadRefusedPerSec: z.number().int().nonnegative(),
  /** Error replies since the load started. */
  loadErrors: z.number(),
  /** The last error reply (or socket error) the load generator got, word for word. */
  loadLastError: z.string().nullable(),
  /**
   * The node the load generator writes to: the one that answers ROLE as
   * master now, which after a promotion is not the plan's master. null while
   * the load is stopped or holds its writes (loadPausedReason).
   */
  loadTargetId: z.string().nullable().default(null), // absent from recordings made before it existed
  /** Why a running load holds its writes: no node, or more than one, answers ROLE as master. null while it writes. */
  loadPausedReason: z.string().nullable().default(null),
  activeFaults: z.array(z.string()),
  /**
   * The replication stream the master writes, measured: Δ master_repl_offset / Δt
   * between the demo session's last two polls of the node that is master now
   * (its writeRateBytesPerSec). null before two polls, or with no session. The
   * Load card's "≈ ops/s × (value + 40 B)" is an estimate from the settings:
   * the real commands' bytes (key names, RESP headers, the other types of the
   * mix) and the rate the generator reaches differ from it.
   */
  streamRateBytesPerSec: z.number().nullable().default(null), // absent from recordings made before it existed
  /** The master whose offsets streamRateBytesPerSec comes from. */
  streamRateNodeId: z.string().nullable().default(null),
});
export type DemoStatus = z.infer<typeof DemoStatus>;
