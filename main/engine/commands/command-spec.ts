/**
 * Commands are data: a CommandSpec says how many arguments a command takes,
 * what kind of command it is (flags, ACL categories), where its keys are, and
 * which function runs it. The dispatcher (server/dispatcher.ts) applies every
 * generic rule from the flags (auth, MULTI queuing, OOM, read-only replica,
 * stale data, loading, min-replicas), so a handler only does its own work.
 *
 * Arity follows Redis: a positive number is the exact argc (command name
 * included), a negative one is the minimum.
 *
 * Propagation: after a handler runs, if it marked the dataset dirty
 * (ctx.addDirty) the command's argv is propagated verbatim, unless the handler
 * rewrote it (ctx.rewriteArgv), replaced it (ctx.alsoPropagate +
 * ctx.preventPropagation) or the command is never propagated. This mirrors
 * call() in server.c.
 */
import type { CommandNode } from './port/command-node';
import type { Reply } from '../resp/reply';
import type { RedisType } from '../keyspace/values';
import type { Client } from '../server/client';
import type { CommandContext } from './command-context';
import type { CommandKeyInfo } from './meta/key-extraction';
import type { LatencyHistogram } from '../server/latency-histogram';

export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  /** Cluster: the command may run on an importing slot after ASKING (RESTORE-ASKING). */
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'protected'
  | 'no_async_loading'
  | 'no_multi'
  /** Derived from the key specs at registration; never declared by a command. */
  | 'movablekeys'
  | 'allow_busy'
  /** Not a Redis flag: lazy-expiry DELs of this command are propagated bare, never in MULTI (SCAN, RANDOMKEY, KEYS). */
  | 'touches_arbitrary_keys';

/**
 * A command's flags as one object of a single fixed shape (ResolvedCommand.is
 * and the per-call flags of EVAL/FCALL). Built as a literal: an object filled
 * by `record[flag] = ...` in a loop goes to V8's dictionary mode past a dozen
 * keys, and then every flag test on the command path is a hash lookup (the
 * dispatcher reads six to ten per command).
 */
export function commandFlagRecord(has: (flag: CommandFlag) => boolean): Record<CommandFlag, boolean> {
  return {
    write: has('write'), readonly: has('readonly'), denyoom: has('denyoom'), admin: has('admin'), pubsub: has('pubsub'),
    noscript: has('noscript'), blocking: has('blocking'), loading: has('loading'), stale: has('stale'),
    skip_monitor: has('skip_monitor'), skip_slowlog: has('skip_slowlog'), asking: has('asking'), fast: has('fast'), no_auth: has('no_auth'),
    may_replicate: has('may_replicate'), no_mandatory_keys: has('no_mandatory_keys'), protected: has('protected'),
    no_async_loading: has('no_async_loading'), no_multi: has('no_multi'), movablekeys: has('movablekeys'),
    allow_busy: has('allow_busy'), touches_arbitrary_keys: has('touches_arbitrary_keys'),
  };
}

export type AclCategory =
  | 'keyspace' | 'read' | 'write' | 'set' | 'sortedset' | 'list' | 'hash' | 'string' | 'bitmap'
  | 'hyperloglog' | 'geo' | 'stream' | 'pubsub' | 'admin' | 'fast' | 'slow' | 'blocking'
  | 'dangerous' | 'connection' | 'transaction' | 'scripting';

/** Legacy key positions (COMMAND INFO first/last/step). last -1 = last argument. */
export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

/** What a blocking handler returns when it cannot be served right now. */
export interface BlockRequest {
  readonly kind: 'block';
  /** Keys whose readiness may unblock the client (empty for WAIT-style blocking). */
  readonly keys: ReadonlyArray<string>;
  /** Absolute unix ms deadline, or 0 for "forever". */
  readonly deadline: number;
  /**
   * Tries to serve the client now (a key became ready, or replication ACKs
   * arrived). Returns the reply, or null to keep waiting. Runs as a full
   * command call (dirty/propagation apply), like Redis's serve-on-ready.
   * `readyKey` is the key that woke the client (null for other wake-ups):
   * Redis serves a client from the key that became ready, not from the
   * first of its keys that has elements.
   */
  readonly retry: (ctx: CommandContext, readyKey: string | null) => Reply | null;
  /**
   * The type of value the client waits for on its keys. A key that became
   * ready but holds another type when clients are served (LPUSH then SET in
   * one MULTI) does not wake it: it stays blocked, as Redis serves ready keys
   * by type (handleClientsBlockedOnKeys).
   */
  readonly keyType?: RedisType;
  /**
   * Also try the client when a key it waits on was deleted or now holds
   * another type (XREADGROUP: Redis answers it -UNBLOCKED then).
   */
  readonly alsoWhenGone?: boolean;
  /** Reply sent on timeout. */
  readonly onTimeout: (ctx: CommandContext) => Reply;
  /**
   * Reply where the client may not block (inside MULTI, a script, our
   * master's stream: Redis's CLIENT_DENY_BLOCKING), when it differs from the
   * timeout reply (BLMOVE/BRPOPLPUSH: a null bulk, where a timeout is a null array).
   */
  readonly onDenied?: (ctx: CommandContext) => Reply;
  /**
   * What unblocks it: key readiness (lists, zsets), replication ACKs (WAIT),
   * or the end of a client pause (a postponed command, processed again).
   */
  readonly wakeOn: 'keys' | 'replication' | 'postpone' | 'external';
  /**
   * Called once the client is blocked ('external': the handler's own async
   * work starts here and resumes the client with
   * dispatcher.resumeBlocked(client, 'retry') when done).
   */
  readonly onBlocked?: (client: Client) => void;
  /**
   * Block our master's client too (a script past busy-reply-threshold: the
   * master link holds the rest of the stream until it ends). Other block
   * requests from the master are answered at once, as on timeout.
   */
  readonly parksMaster?: boolean;
  /**
   * A script past busy-reply-threshold inside EXEC: the transaction parks
   * with it (the dispatcher hands the request to EXEC, which blocks its
   * caller and runs the rest of its queue when the script ends) instead of
   * answering at once as other blocking commands do inside EXEC.
   */
  readonly parksTransaction?: boolean;
  /**
   * The caller is not blocked in Redis: the command simply lasts until it
   * ends (a script past busy-reply-threshold, whose scriptInterrupt serves
   * other clients from inside call(); an EXEC waiting for such a script).
   * Its duration is the whole span from the call to its reply, counted
   * once as call() counts a command that did not block: commandstats usec,
   * the latency histogram, the slowlog and a "command" latency event, not
   * a blocked command's call plus unblocking (updateStatsOnUnblock).
   */
  readonly lastsAsCall?: boolean;
}

export type CommandResult = Reply | BlockRequest;

export type CommandHandler = (ctx: CommandContext) => CommandResult;

export interface CommandDoc {
  readonly summary: string;
  readonly since: string;
  readonly group: string;
  readonly complexity?: string;
}

export interface CommandSpec {
  /** Lowercase name; for a subcommand only the subcommand part ("get" of "config|get"). */
  readonly name: string;
  readonly arity: number;
  readonly flags: ReadonlyArray<CommandFlag>;
  readonly acl: ReadonlyArray<AclCategory>;
  /**
   * Legacy key positions, or null when the command has no keys. The key
   * specs in meta/key-spec-table.ts take precedence for commands listed
   * there (every Redis command with keys); these are the fallback.
   */
  readonly keys: KeyPositions | null;
  readonly doc: CommandDoc;
  /** Absent for container commands (CONFIG, CLIENT, ...), which dispatch to subcommands. */
  readonly handler?: CommandHandler;
  readonly subcommands?: ReadonlyArray<CommandSpec>;
  /**
   * Flags that depend on the arguments (getCommandFlags: EVAL/FCALL take
   * the flags their script declares). Null keeps the static flags. The
   * dispatcher's generic checks use the result.
   */
  readonly dynamicFlags?: (argv: ReadonlyArray<string>, node: CommandNode) => Readonly<Record<CommandFlag, boolean>> | null;
}

/** A spec as stored in the table, with its resolved full name ("config|get"). */
export interface ResolvedCommand {
  readonly spec: CommandSpec;
  /**
   * Copies of the spec fields the dispatcher reads on every request. Specs
   * differ in which optional fields they carry (so in object shape), while
   * every ResolvedCommand has the same shape: reads from here stay
   * monomorphic.
   */
  readonly name: string;
  readonly arity: number;
  /** null for containers (CONFIG, CLIENT, ...), which are never run themselves. */
  readonly handler: CommandHandler | null;
  readonly fullName: string;
  readonly parent: CommandSpec | null;
  readonly flagSet: ReadonlySet<CommandFlag>;
  /**
   * The same flags as booleans: one object shape for every command, so the
   * dispatcher's dozen checks per request are plain property reads, not
   * Set lookups.
   */
  readonly is: Readonly<Record<CommandFlag, boolean>>;
  /**
   * A pipelined call may be timed with the run of commands around it
   * (Dispatcher.closeRun) instead of reading the clock itself: the fast
   * commands, and the few others whose cost is as bounded here (see
   * RUN_TIMED_SLOW_COMMANDS in command-table.ts).
   */
  readonly timedInRun: boolean;
  /**
   * Key specs, legacy range and movablekeys, resolved once at registration
   * (meta/key-extraction.ts answers which arguments are keys).
   */
  readonly keyInfo: CommandKeyInfo;
  /** spec.dynamicFlags, or null (copied so every ResolvedCommand has one shape). */
  readonly dynamicFlags: ((argv: ReadonlyArray<string>, node: CommandNode) => Readonly<Record<CommandFlag, boolean>> | null) | null;
  /** Per-command statistics (INFO commandstats, LATENCY HISTOGRAM, INFO latencystats). */
  readonly stats: CommandStats;
}

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** Made at the first call after a reset (Redis allocates it lazily too). */
  histogram: LatencyHistogram | null;
}

export function isBlockRequest(result: CommandResult): result is BlockRequest {
  return (result as BlockRequest).kind === 'block';
}
