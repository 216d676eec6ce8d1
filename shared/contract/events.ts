/**
 * Replication events: the timeline. Events for embedded nodes carry the
 * engine's own reason and numbers (`inferred: false`); events for external
 * nodes are inferred from counters and state changes (`inferred: true`).
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
  'action',
  'chaos',
]);
export type EventKind = z.infer<typeof EventKind>;

export const CauseCode = z.enum([
  'out-of-backlog',
  'replid-mismatch',
  'requested-full',
  'backlog-expired',
  'output-buffer-limit',
  'replica-restarted-without-cache',
  'master-restarted',
  'failover',
  'timeout',
  'manual',
  'network',
  'chaos',
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
