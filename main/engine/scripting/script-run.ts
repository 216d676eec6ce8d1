/**
 * One script invocation (script.c scriptRunCtx): the checks made before a
 * script starts (scriptPrepareForRun) and before each command it calls
 * (scriptCall), and the state they share.
 *
 * Invariants:
 *  - Every command of a run sees the same "now" (the run's start): keys do
 *    not expire in the middle of a script.
 *  - Once a run has called a write command (writeDirty) it is never
 *    refused a later write for a server-state reason (OOM, READONLY,
 *    MISCONF, NOREPLICAS): a half-applied script must be able to finish.
 *  - A run flagged killed stops at the next hook call; one that wrote can
 *    not be killed (SCRIPT KILL answers UNKILLABLE).
 */
import type { ResolvedCommand } from '../commands/command-spec';
import type { CommandNode } from '../commands/port/command-node';
import * as errors from '../resp/errors';
import { error, type ErrorReply } from '../resp/reply';
import type { Client } from '../server/client';
import type { ScriptResp } from './lua-convert';
import { PROPAGATE_AOF, PROPAGATE_REPL } from './redis-api';
import type { ScriptFlags } from './shebang';

export interface RunOptions {
  readonly caller: Client;
  readonly scriptClient: Client;
  /** SHA1 of an EVAL script or the name of a function (FUNCTION STATS, errors). */
  readonly name: string;
  readonly isEval: boolean;
  readonly flags: ScriptFlags;
  /** EVAL_RO / EVALSHA_RO / FCALL_RO. */
  readonly readOnlyCommand: boolean;
  readonly argv: ReadonlyArray<string>;
  readonly now: number;
}

export class ScriptRun {
  readonly caller: Client;
  readonly scriptClient: Client;
  readonly name: string;
  readonly isEval: boolean;
  readonly argv: ReadonlyArray<string>;
  /** Wall-clock time every command of the run uses. */
  readonly now: number;
  /**
   * The run's start on the performance.now() scale (set by
   * ScriptRunner.execute): the command's own start, from its wall-clock
   * `now`, so a run reads no clock of its own. `now` is floored to the
   * millisecond, so elapsed times read up to 1 ms long (Redis's busy
   * check has millisecond resolution too).
   */
  startedAt = 0;
  readonly readOnly: boolean;
  readonly allowOom: boolean;
  /** Used memory was over maxmemory when the run started (server.pre_command_oom_state). */
  oomAtStart = false;
  writeDirty = false;
  killed = false;
  /** Past busy-reply-threshold: the node answers BUSY to other clients. */
  timedOut = false;
  resp: ScriptResp = 2;
  replFlags = PROPAGATE_AOF | PROPAGATE_REPL;

  constructor(options: RunOptions) {
    this.caller = options.caller;
    this.scriptClient = options.scriptClient;
    this.name = options.name;
    this.isEval = options.isEval;
    this.argv = options.argv;
    this.now = options.now;
    const flags = options.flags;
    this.readOnly = options.readOnlyCommand || (!flags.compat && flags.noWrites);
    this.allowOom = !flags.compat && flags.allowOom;
  }

  get durationMs(): number {
    return Math.floor(performance.now() - this.startedAt);
  }
}

/** The caller must be obeyed whatever the server state: our master's stream. */
function mustObey(client: Client): boolean {
  return client.isMaster;
}

function runningStale(node: CommandNode): boolean {
  return node.replication.isReplica && !node.replication.linkUp && !node.hot.replicaServeStaleData;
}

/**
 * scriptPrepareForRun's refusals, in Redis's order; null when the script
 * may start. Scripts without a shebang (compat mode) are only refused on a
 * stale replica; the others by their declared flags.
 */
export function refuseToStart(node: CommandNode, caller: Client, flags: ScriptFlags, readOnlyCommand: boolean): ErrorReply | null {
  const stale = runningStale(node);
  if (flags.compat) return stale ? errors.MASTERDOWN : null;
  if (stale && !flags.allowStale) {
    return error("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.");
  }
  const obey = mustObey(caller);
  if (!flags.noWrites) {
    if (node.replication.isReplica && node.hot.replicaReadOnly && !obey) return error('READONLY Can not run script with write flag on readonly replica');
    if (node.persistence.writesDeniedByDiskError() && !obey) {
      return error("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
    }
    if (readOnlyCommand) return error('ERR Can not execute a script with write flag using *_ro command.');
    if (!node.replication.isReplica && !node.replication.enoughGoodReplicas()) return errors.NOREPLICAS;
  }
  if (node.hot.maxmemory > 0 && !flags.allowOom && !flags.noWrites && !obey && node.memory.usedMemory() > node.hot.maxmemory) {
    return error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
  }
  return null;
}

/**
 * scriptCall's checks for one command a script calls; the refusal text
 * (in luaPushError's format: a leading '-' carries its own code), or null.
 */
export function refuseCommand(node: CommandNode, run: ScriptRun, command: ResolvedCommand | null, argv: ReadonlyArray<string>, denyScriptsDisabled: boolean): string | null {
  const argc = argv.length;
  if (command === null) return 'Unknown Redis command called from script';
  if ((command.arity > 0 && command.arity !== argc) || argc < -command.arity) return 'Wrong number of args calling Redis command from script';
  const flags = command.is;
  if (!denyScriptsDisabled && flags.noscript) return 'This Redis command is not allowed from script';
  if (runningStale(node) && !flags.stale) return 'Can not execute the command on a stale replica';
  const aclRefusal = node.acl.refuseInScript(run.caller, command, argv);
  if (aclRefusal !== null) return aclRefusal;
  if (run.readOnly && (flags.write || flags.may_replicate)) return 'Write commands are not allowed from read-only scripts.';
  if (flags.write && !run.writeDirty) {
    if (node.replication.isReplica && node.hot.replicaReadOnly && !mustObey(run.caller)) return `-${errors.READONLY.message}`;
    if (node.persistence.writesDeniedByDiskError()) {
      return "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
    }
    if (!node.replication.isReplica && !node.replication.enoughGoodReplicas()) return `-${errors.NOREPLICAS.message}`;
  }
  if (!run.allowOom && node.hot.maxmemory > 0 && !mustObey(run.caller) && !run.writeDirty && run.oomAtStart && flags.denyoom) {
    return `-${errors.OOM.message}`;
  }
  return null;
}
