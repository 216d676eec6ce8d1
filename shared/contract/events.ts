/**
 * Replication events: the timeline. Events for embedded nodes carry the
 * engine's own reason and numbers (`inferred: false`); events for external
 * nodes are inferred from counters and state changes (`inferred: true`).
 *
 * Promotions and demotions say who did it in `cause` and in
 * `numbers.attribution` ('sentinel' | 'operator' | 'cluster' | 'unknown'), with the
 * evidence in `numbers.evidence`. Sentinel's own notices (+sdown, +odown,
 * +switch-master, ...) are `sentinel` events, reported by the Sentinel
 * (`inferred: false`), with `numbers.channel` and `numbers.sentinel`.
 */
import { z } from 'zod';

export const EventKind = z.enum([
  'link-down',
  'link-up',
  'full-resync',
  'partial-resync',
  'partial-resync-refused',
  'sync-started',
  'sync-finished',
  'sync-failed',
  'promotion',
  'demotion',
  'replid-change',
  'role-change',
  'config-change',
  'output-buffer-disconnect',
  'timeout-disconnect',
  'node-unreachable',
  'node-reachable',
  /** An embedded node panicked (its own report, with the Guru Meditation message) and stopped as a crashed server does. */
  'node-crashed',
  'action',
  'chaos',
  /** A notice a Sentinel published on its event channels. */
  'sentinel',
  /** Bytes an old master took after a replica of it was promoted: discarded when it follows the new master. */
  'writes-lost',
  /** Two writable masters of one group or one replication history. */
  'split-brain',
  'split-brain-ended',
  /** A master's min_slaves_good_slaves fell below min-replicas-to-write: it answers every write NOREPLICAS. */
  'writes-refused',
  'writes-accepted',
  /** A replica's INFO slave_read_only went to 0 (replica-read-only no): writes made on it are not replicated. */
  'replica-writable',
  'replica-read-only',
]);
export type EventKind = z.infer<typeof EventKind>;

export const CauseCode = z.enum([
  'out-of-backlog',
  'replid-mismatch',
  'requested-full',
  'backlog-expired',
  /** A lone master created its backlog for its first replica: a new replication id, replid2 cleared (redis 7.0 syncCommand). */
  'backlog-created',
  'output-buffer-limit',
  'replica-restarted-without-cache',
  /**
   * The replica's process restarted (a new INFO run_id): its link to its
   * master ended with the old process. On a link-down; the resync after it
   * has a cause of its own (replica-restarted-without-cache, ...).
   */
  'replica-restarted',
  'master-restarted',
  'failover',
  'timeout',
  'manual',
  'network',
  'chaos',
  /** Sentinel did it (a failover it ran, a replica it re-pointed or converted). */
  'sentinel-failover',
  /**
   * A Redis Cluster's own failover: a replica elected master (its master
   * flagged fail), or a master reconfigured as a replica of the node that
   * took over its slots. Not a CLUSTER FAILOVER an operator ran (that is
   * operator-command).
   */
  'cluster-failover',
  /** REPLICAOF / SLAVEOF / FAILOVER seen run on the node, not by this console. */
  'operator-command',
  /**
   * A replication link dropped and re-established between two polls, with
   * CLIENT KILL counted (INFO commandstats cmdstat_client|kill) on one of
   * its ends since before the drop and not run by this console: someone
   * killed the connection (CLIENT KILL TYPE master / TYPE replica / ADDR).
   */
  'client-kill',
  /** A full resync of a master that was just demoted (restarted, or wrote past the promotion point). */
  'demoted-master',
  /** The replica had bytes past the point where its new master was promoted (they are discarded). */
  'offset-past-promotion',
  /** The replica's own master had just full-synced or restarted, so its backlog started anew. */
  'upstream-resync',
  /** A replica's link went down with its master unreachable (connections refused: its process is gone). */
  'master-unreachable',
  /**
   * The node's port refuses connections (ECONNREFUSED): nothing listens
   * there (the process stopped, was killed or is not started yet). Only
   * what the refusal says: not why the process is gone.
   */
  'connection-refused',
  /**
   * The other end closed the link's connection (a FIN or a reset reached
   * the node): CLIENT KILL on the peer, the peer's process stopping, a proxy
   * in between closing it. Not "network": a link cut by the network sends
   * nothing and ends in a timeout. Why the peer closed it, the close does
   * not say.
   */
  'peer-closed',
  /**
   * The master shut down (SHUTDOWN, or its process stopping cleanly): it
   * closed its replicas' links on the way out. An embedded engine's own
   * reason (`shutdown`, master side); not an operator action of this console.
   */
  'master-shutdown',
  /** The replica shut down, closing its link to its master on the way out (the engine's `shutdown`, replica side). */
  'replica-shutdown',
  /**
   * The node crashed: an embedded engine's panic (serverPanic), the node's
   * own report with its Guru Meditation message. On a link-down, the node
   * that reported it (its side) crashed and its connections died with it;
   * the other end only sees the connection closed (peer-closed).
   */
  'crashed',
  /**
   * A master's writes-refused: INFO min_slaves_good_slaves fell below
   * min-replicas-to-write (CONFIG GET), so it answers every write
   * "NOREPLICAS Not enough good replicas to write.". A replica is good while
   * the master lists it online with an ACK no older than
   * min-replicas-max-lag (its slaveN lag); the event names those that are not.
   */
  'too-few-good-replicas',
  /** A master's writes-accepted: its min_slaves_good_slaves is back at min-replicas-to-write or above. */
  'enough-good-replicas',
  /**
   * A master's writes-accepted: min-replicas-to-write (or -max-lag) was set
   * to 0, so the rule is off and INFO no longer prints min_slaves_good_slaves.
   */
  'min-replicas-off',
  'unknown',
]);
export type CauseCode = z.infer<typeof CauseCode>;

export const ReplicationEvent = z.object({
  id: z.string(),
  time: z.number(),
  sessionId: z.string(),
  kind: EventKind,
  /** The node the event is about (for a link: the replica). */
  nodeId: z.string(),
  /** The other end, when there is one (for a link: the master). */
  peerId: z.string().nullable(),
  cause: CauseCode,
  /** True when deduced from counters/state rather than reported by the node itself. */
  inferred: z.boolean(),
  /** One line an operator can read, with the numbers. */
  message: z.string(),
  /** The figures behind the event (offsets, backlog window, ids, bytes). */
  numbers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export type ReplicationEvent = z.infer<typeof ReplicationEvent>;

export const EventFilter = z.object({
  sessionId: z.string().optional(),
  kinds: z.array(EventKind).optional(),
  nodeId: z.string().optional(),
  sinceMs: z.number().optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});
export type EventFilter = z.infer<typeof EventFilter>;
