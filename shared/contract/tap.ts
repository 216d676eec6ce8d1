/**
 * The replication-stream tap: a lightweight replica the console attaches to
 * a master (PSYNC <replid> <offset+1>, answered +CONTINUE, no RDB) to see
 * what the master writes, decoded live into rates by command, database and
 * key prefix. Opt-in per profile (`streamTap`), preflighted, and stopped
 * with a reason in words.
 */
import { z } from 'zod';

const sessionId = z.string().min(1).max(64);
const nodeId = z.string().min(1).max(300);

/** How keys are grouped into prefixes and how many rows each breakdown shows. */
export const TapOptions = z.object({
  /**
   * The prefix of a key is everything up to and including its `depth`-th
   * separator (up to the last one when it has fewer, the whole key when it
   * has none). Printable ASCII, so it is the same bytes whatever the keys'
   * encoding.
   */
  separator: z.string().regex(/^[\x21-\x7e]{1,8}$/, 'the separator is 1 to 8 printable ASCII characters (no space)').default(':'),
  /** How many segments a prefix keeps: 1 groups "user:1:name" as "user:", 2 as "user:1:". */
  depth: z.number().int().min(1).max(5).default(1),
  /** Rows per breakdown before the rest is summed into "other". */
  topN: z.number().int().min(1).max(50).default(10),
});
export type TapOptions = z.infer<typeof TapOptions>;

export const DEFAULT_TAP_OPTIONS: TapOptions = { separator: ':', depth: 1, topN: 10 };

export const TapCheck = z.object({
  name: z.string(),
  /** ok: nothing to say; warn: worth knowing; confirm: needs the user's consent; refuse: the tap cannot start. */
  status: z.enum(['ok', 'warn', 'confirm', 'refuse']),
  detail: z.string(),
});
export type TapCheck = z.infer<typeof TapCheck>;

export const TapPreflight = z.object({
  sessionId: z.string(),
  nodeId: z.string(),
  /** True when nothing refuses (a `confirm` check still needs `confirmMinReplicas`). */
  allowed: z.boolean(),
  needsConfirmation: z.boolean(),
  /** What the tap does to the master, exactly, in plain words. */
  statements: z.array(z.string()),
  checks: z.array(TapCheck),
  /** The commands the tap sends (what the ACL user must be allowed). */
  commands: z.array(z.string()),
  /** Key names in breakdowns and samples: shown (ops, demo) or hashed (monitor-only). */
  keyNames: z.enum(['shown', 'hashed']),
});
export type TapPreflight = z.infer<typeof TapPreflight>;

/** One row of a breakdown, over the report's window. */
export const TapRow = z.object({
  label: z.string(),
  /** The "other" row: everything past the top N. */
  other: z.boolean(),
  bytes: z.number(),
  commands: z.number(),
  bytesPerSec: z.number(),
  commandsPerSec: z.number(),
});
export type TapRow = z.infer<typeof TapRow>;

export const TapSample = z.object({
  time: z.number(),
  /** The database the stream had selected; null before the first SELECT since the tap attached. */
  db: z.number().nullable(),
  command: z.string(),
  /** Arguments after the command name: keys as the safety mode allows, values truncated. */
  args: z.array(z.string()),
  bytes: z.number(),
});
export type TapSample = z.infer<typeof TapSample>;

export const TapState = z.enum(['starting', 'streaming', 'stopped', 'declined', 'failed']);
export type TapState = z.infer<typeof TapState>;

export const TapReport = z.object({
  sessionId: z.string(),
  nodeId: z.string(),
  state: TapState,
  /** Why it stopped, declined or failed (or a note while it runs); null when there is nothing to say. */
  message: z.string().nullable(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  /** The master's replication id and the first offset the tap asked for. */
  replid: z.string().nullable(),
  startOffset: z.number().nullable(),
  /** Offset of the last byte decoded (what the tap ACKs). */
  offset: z.number().nullable(),
  options: TapOptions,
  keyNames: z.enum(['shown', 'hashed']),
  /** Seconds the rates and breakdowns cover (the last N seconds, fewer just after start). */
  windowSeconds: z.number(),
  totalBytes: z.number(),
  totalCommands: z.number(),
  bytesPerSec: z.number(),
  commandsPerSec: z.number(),
  /** The busiest single second in the window. */
  peakBytesPerSec: z.number(),
  byCommand: z.array(TapRow),
  byDb: z.array(TapRow),
  byPrefix: z.array(TapRow),
  /** The master's repl-backlog-size, and how long the measured stream takes to fill it. */
  backlogSizeBytes: z.number().nullable(),
  backlogFillSeconds: z.number().nullable(),
  backlogFillSecondsAtPeak: z.number().nullable(),
  /** The most recent commands, newest last. */
  samples: z.array(TapSample),
  /** The master after a promotion stopped the tap (to offer tapping it instead). */
  newMasterId: z.string().nullable(),
});
export type TapReport = z.infer<typeof TapReport>;

export const TapTarget = z.object({ sessionId, nodeId }).strict();
export type TapTarget = z.infer<typeof TapTarget>;

export const TapStartRequest = z.object({
  sessionId,
  nodeId,
  /** Consent to attach although min-replicas-to-write is set (the tap counts as a good replica). */
  confirmMinReplicas: z.boolean().default(false),
  options: TapOptions.optional(),
}).strict();
export type TapStartRequest = z.infer<typeof TapStartRequest>;

export const TapConfigureRequest = z.object({ sessionId, nodeId, options: TapOptions }).strict();
export type TapConfigureRequest = z.infer<typeof TapConfigureRequest>;

/** The name the tap announces with REPLCONF ip-address: INFO and ROLE list it as `ip=replscope-tap,port=0`. */
export const TAP_ANNOUNCED_NAME = 'replscope-tap';

/** A master's replica entry that is a stream tap (this console's or another's): no node to watch or draw. */
export function isStreamTapEntry(ip: string, port: number): boolean {
  return ip === TAP_ANNOUNCED_NAME && port === 0;
}

/**
 * A replica named `host:port` as a master names it in its log and events
 * (replicationGetSlaveName: the announced ip, then the listening port, else
 * the connection's): a stream tap whatever the port, since no node announces
 * the tap's name.
 */
export function isStreamTapName(replicaName: string): boolean {
  const colon = replicaName.lastIndexOf(':');
  return (colon >= 0 ? replicaName.slice(0, colon) : replicaName) === TAP_ANNOUNCED_NAME;
}
