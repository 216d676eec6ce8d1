/**
 * What EVAL and FCALL share: the per-invocation command flags taken from the script's declared flags
 * (script.c scriptFlagsToCmdFlags), the numkeys checks, and SCRIPT KILL /
 * FUNCTION KILL (scriptKill).
 */
import { commandFlagRecord, type CommandFlag } from './command-spec';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { error, OK, type Reply } from '../resp/reply';
import type { ScriptFlags } from '../scripting/shebang';
import { parseInt64 } from '../util/integers';

type FlagRecord = Readonly<Record<CommandFlag, boolean>>;

const flagCache = new Map<string, FlagRecord>();

/**
 * scriptFlagsToCmdFlags: a script that declared flags replaces the
 * command's write/denyoom/stale flags by what it declared (no-writes
 * implies allow-oom) and is no longer may-replicate. Compat-mode scripts
 * keep the command's own flags (null).
 */
export function declaredScriptFlags(commandName: string, base: FlagRecord, flags: ScriptFlags): FlagRecord | null {
  if (flags.compat) return null;
  const key = `${commandName}:${Number(flags.noWrites)}${Number(flags.allowOom)}${Number(flags.allowStale)}`;
  let record = flagCache.get(key);
  if (!record) {
    const copy = commandFlagRecord((flag) => base[flag]);
    copy.denyoom = !flags.allowOom && !flags.noWrites;
    copy.write = !flags.noWrites;
    copy.stale = flags.allowStale;
    copy.may_replicate = false;
    record = copy;
    flagCache.set(key, record);
  }
  return record;
}

/** numkeys of EVAL/FCALL, or the error reply. `badNumber` is the reply for a non-integer. */
export function parseNumKeys(ctx: CommandContext, badNumber: Reply): number | Reply {
  const parsed = parseInt64(ctx.arg(2));
  if (parsed === null) return badNumber;
  if (parsed > ctx.argc - 3) return error("ERR Number of keys can't be greater than number of args");
  if (parsed < 0) return error("ERR Number of keys can't be negative");
  return Number(parsed);
}

export const NOT_INTEGER = errors.NOT_INTEGER;

/** scriptKill: SCRIPT KILL (isEval) or FUNCTION KILL. */
export function killScript(ctx: CommandContext, isEval: boolean): Reply {
  const scripting = ctx.node.scripting;
  const run = scripting.currentRun;
  if (run === null) return error('NOTBUSY No scripts in execution right now.');
  if (run.caller.isMaster) return error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.');
  if (run.writeDirty) {
    return error('UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
  }
  if (isEval !== run.isEval) return scripting.busyError();
  run.killed = true;
  return OK;
}

/**
 * The time a script's commands see (scriptPrepareForRun's snapshot_time =
 * mstime(): the script's own start). At top level that is the EVAL's own
 * `now`. Inside EXEC the queued commands share the transaction's fixed time
 * (call()'s fixed_time_expire), but a script still reads the clock itself:
 * a key that a queued PEXPIRE k 1 gave one millisecond may have expired for
 * the script while the transaction's other commands still see it.
 */
export function scriptStartTime(ctx: CommandContext): number {
  const dispatcher = ctx.node.dispatcher;
  return dispatcher.executingTransaction ? dispatcher.clock.wallAt(performance.now()) : ctx.now;
}
