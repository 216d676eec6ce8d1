/**
 * The node facts people otherwise open redis-cli for (nodes.facts): the slow
 * log, LATENCY LATEST, the replicas' client connections and, for embedded
 * nodes, the node's own log. Read-only. Each part stands alone: a part the
 * ACL user may not read (or the server does not have) carries `problem` in
 * plain words and no data, and never fails the others.
 */
import { z } from 'zod';

export const FactProblem = z.object({
  /** denied: ACL NOPERM; unsupported: the server has no such command; failed: anything else (timeout, connection). */
  kind: z.enum(['denied', 'unsupported', 'failed']),
  message: z.string(),
});
export type FactProblem = z.infer<typeof FactProblem>;

export const SlowlogEntry = z.object({
  id: z.number(),
  /** Unix time of the command, in ms. */
  time: z.number(),
  durationMicros: z.number(),
  /** The arguments as Redis kept them (it truncates long ones), joined, cut at 200 characters. */
  command: z.string(),
  client: z.string().nullable(),
  clientName: z.string().nullable(),
});
export type SlowlogEntry = z.infer<typeof SlowlogEntry>;

export const LatencyEvent = z.object({
  event: z.string(),
  /** Unix time of the latest spike, in ms. */
  time: z.number(),
  latestMs: z.number(),
  maxMs: z.number(),
});
export type LatencyEvent = z.infer<typeof LatencyEvent>;

/** One line of CLIENT LIST TYPE replica, the fields an operator looks at. */
export const ReplicaClient = z.object({
  id: z.string(),
  addr: z.string(),
  user: z.string().nullable(),
  ageSeconds: z.number().nullable(),
  idleSeconds: z.number().nullable(),
  flags: z.string().nullable(),
  /** Output buffer bytes (omem): what counts against client-output-buffer-limit replica. */
  outputBufferBytes: z.number().nullable(),
  totalMemoryBytes: z.number().nullable(),
  lastCommand: z.string().nullable(),
});
export type ReplicaClient = z.infer<typeof ReplicaClient>;

export const NodeFacts = z.object({
  nodeId: z.string(),
  readAt: z.number(),
  slowlog: z.object({ length: z.number().nullable(), entries: z.array(SlowlogEntry), problem: FactProblem.nullable() }),
  latency: z.object({ events: z.array(LatencyEvent), problem: FactProblem.nullable() }),
  replicaClients: z.object({ clients: z.array(ReplicaClient), problem: FactProblem.nullable() }),
  /** The node's recent log lines, oldest first; null for nodes the console did not start (their log is on their host). */
  log: z.array(z.string()).nullable(),
});
export type NodeFacts = z.infer<typeof NodeFacts>;

export const NodeFactsRequest = z.object({
  sessionId: z.string().min(1).max(64),
  nodeId: z.string().min(1).max(300),
  /** How many slow log entries to read (SLOWLOG GET n). */
  slowlogCount: z.number().int().min(1).max(128).optional(),
}).strict();
export type NodeFactsRequest = z.infer<typeof NodeFactsRequest>;
