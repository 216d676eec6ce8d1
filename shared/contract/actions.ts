/**
 * Operator actions on a replication topology. Every action is preflighted
 * (what will happen, predicted partial or full resync and why, what
 * permission it needs) and then run with the preflight's token; the result is
 * the observed outcome, not "command sent".
 */
import { z } from 'zod';

const target = { sessionId: z.string().min(1).max(64) };
const nodeId = z.string().min(1).max(300);

export const ActionRequest = z.discriminatedUnion('kind', [
  /** Drop a replication link: from the master side (CLIENT KILL TYPE replica / ADDR) or the replica side (TYPE master). */
  z.object({ ...target, kind: z.literal('disconnect-link'), replicaId: nodeId, side: z.enum(['master', 'replica']) }),
  /** Make a replica full-sync (the cleanest way available). */
  z.object({ ...target, kind: z.literal('force-full-resync'), replicaId: nodeId }),
  /** Promote a replica to master. */
  z.object({
    ...target,
    kind: z.literal('promote'),
    nodeId,
    method: z.enum(['auto', 'replicaof-no-one', 'failover', 'sentinel-failover', 'cluster-failover']).default('auto'),
  }),
  /** Point a replica at another master. */
  z.object({ ...target, kind: z.literal('repoint'), replicaId: nodeId, masterId: nodeId }),
  /** CONFIG SET repl-backlog-size. */
  z.object({ ...target, kind: z.literal('set-backlog-size'), nodeId, bytes: z.number().int().min(16 * 1024).max(64 * 1024 * 1024 * 1024) }),
]);
export type ActionRequest = z.infer<typeof ActionRequest>;
export type ActionKind = ActionRequest['kind'];

export const ResyncPrediction = z.enum(['partial', 'full', 'none', 'unknown']);
export type ResyncPrediction = z.infer<typeof ResyncPrediction>;

export const Preflight = z.object({
  /** Pass back to actions.run; expires, and is refused if the topology changed. */
  token: z.string(),
  action: ActionRequest,
  allowed: z.boolean(),
  /** Why not allowed (safety mode, ACL, role changed...). */
  deniedReason: z.string().nullable(),
  /** What will happen, step by step, in plain words. */
  steps: z.array(z.string()),
  prediction: ResyncPrediction,
  predictionReason: z.string(),
  /** Commands the action runs (which the ACL user must be allowed). */
  commands: z.array(z.string()),
  /** prod profiles: the user must type this (the node name) to confirm. */
  confirmationText: z.string().nullable(),
  expiresAt: z.number(),
});
export type Preflight = z.infer<typeof Preflight>;

export const RunActionRequest = z.object({
  token: z.string().min(1).max(200),
  confirmation: z.string().max(300).optional(),
});
export type RunActionRequest = z.infer<typeof RunActionRequest>;

export const ActionOutcome = z.enum(['partial-resync', 'full-resync', 'promoted', 'repointed', 'config-changed', 'disconnected', 'no-change', 'failed', 'timed-out']);
export type ActionOutcome = z.infer<typeof ActionOutcome>;

export const ActionResult = z.object({
  action: ActionRequest,
  /**
   * The action's name as its control said it when chosen (action-words.ts actionTitle, from the
   * target's role just before the command): "Make replica of" for a re-point of a master.
   */
  title: z.string(),
  startedAt: z.number(),
  finishedAt: z.number(),
  outcome: ActionOutcome,
  /**
   * The resynchronization the action caused, from the serving master's
   * counters: for a promotion by FAILOVER, the old master's resync with the
   * new one. null when none could be observed.
   */
  resync: z.enum(['partial', 'full', 'none']).nullable(),
  /** Did `resync` match the preflight's prediction? null when nothing was predicted or observed. */
  predictionHeld: z.boolean().nullable(),
  message: z.string(),
  /** Observed figures (counters before/after, new roles, offsets). */
  observed: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export type ActionResult = z.infer<typeof ActionResult>;
