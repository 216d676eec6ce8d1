/**
 * The embedded engine's own replication events: exact reasons and numbers,
 * reported by the node that decided (not inferred). The console turns them
 * into ReplicationEvents with `inferred: false`. They also cross the worker
 * thread boundary, so they have schemas.
 */
import { z } from 'zod';

const base = {
  time: z.number(),
  /** "host:port" of the node emitting the event. */
  nodeId: z.string(),
};

export const PsyncDecisionReason = z.enum([
  'accepted',
  'requested-full',
  'replid-mismatch',
  'second-id-offset-too-high',
  'no-backlog',
  'offset-out-of-backlog',
]);
export type PsyncDecisionReason = z.infer<typeof PsyncDecisionReason>;

export const LinkDownReason = z.enum([
  'connection-closed',
  'timeout',
  'killed',
  'output-buffer-limit',
  'protocol-error',
  'replicaof-changed',
  'master-sync-failed',
  'shutdown',
  /** The node panicked (serverPanic) and stopped as a crashed server does; the detail is its Guru Meditation message. */
  'crashed',
]);
export type LinkDownReason = z.infer<typeof LinkDownReason>;

export const EngineEvent = z.discriminatedUnion('type', [
  /** Master side: a replica asked to sync, and what we decided. */
  z.object({
    ...base,
    type: z.literal('psync-decision'),
    replicaId: z.string(),
    requestedReplid: z.string(),
    requestedOffset: z.number(),
    decision: z.enum(['continue', 'full']),
    reason: PsyncDecisionReason,
    replid: z.string(),
    replid2: z.string(),
    secondReplOffset: z.number(),
    backlogFirstByte: z.number().nullable(),
    masterReplOffset: z.number(),
    /** Bytes sent from the backlog on +CONTINUE. */
    backlogBytesSent: z.number().nullable(),
  }),
  /** Replica side: the master's answer to our PSYNC. */
  z.object({
    ...base,
    type: z.literal('psync-reply'),
    masterId: z.string(),
    sentReplid: z.string(),
    sentOffset: z.number(),
    result: z.enum(['continue', 'fullresync', 'error', 'legacy-sync']),
    replid: z.string().nullable(),
    offset: z.number().nullable(),
    error: z.string().nullable(),
  }),
  /** Both sides: progress of a full synchronization. */
  z.object({
    ...base,
    type: z.literal('full-sync-progress'),
    side: z.enum(['master', 'replica']),
    peerId: z.string(),
    phase: z.enum(['waiting-for-snapshot', 'snapshot', 'transfer', 'loading', 'streaming']),
    bytesDone: z.number(),
    bytesTotal: z.number().nullable(),
  }),
  z.object({
    ...base,
    type: z.literal('full-sync-finished'),
    side: z.enum(['master', 'replica']),
    peerId: z.string(),
    ok: z.boolean(),
    bytes: z.number(),
    durationMs: z.number(),
    error: z.string().nullable(),
  }),
  z.object({
    ...base,
    type: z.literal('link-up'),
    side: z.enum(['master', 'replica']),
    peerId: z.string(),
    offset: z.number(),
    partial: z.boolean(),
  }),
  z.object({
    ...base,
    type: z.literal('link-down'),
    side: z.enum(['master', 'replica']),
    peerId: z.string(),
    reason: LinkDownReason,
    detail: z.string(),
    /** Replica side: the offset it applied. Master side: the replica's last ACK (REPLCONF ACK). */
    offset: z.number(),
    /** Master side: whether any ACK arrived on this connection (an ACK of offset 0 is one). */
    acknowledged: z.boolean().optional(),
  }),
  /**
   * The node panicked (serverPanic, e.g. propagation-error-behavior panic)
   * and stopped as a crashed redis-server does: `message` is its Guru
   * Meditation text. Its last event: its links were reported down (reason
   * `crashed`) just before.
   */
  z.object({
    ...base,
    type: z.literal('crashed'),
    message: z.string(),
  }),
  /** REPLICAOF NO ONE (or FAILOVER target): new id, old one kept as replid2. */
  z.object({
    ...base,
    type: z.literal('promotion'),
    replid: z.string(),
    replid2: z.string(),
    secondReplOffset: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('demotion'),
    masterId: z.string(),
  }),
  /** +CONTINUE <new id> shifted our ids. */
  z.object({
    ...base,
    type: z.literal('replid-shift'),
    replid: z.string(),
    replid2: z.string(),
    secondReplOffset: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('backlog-resized'),
    sizeBytes: z.number(),
  }),
  /** FAILOVER on this master: switching to the target, completed, or aborted (with why). */
  z.object({
    ...base,
    type: z.literal('failover'),
    phase: z.enum(['switching', 'completed', 'aborted']),
    targetId: z.string().nullable(),
    detail: z.string(),
  }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
