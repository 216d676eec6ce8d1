/**
 * What commands may use of scripting (EVAL family, SCRIPT, FUNCTION, FCALL,
 * the script-client checks of SORT and XREAD BLOCK, DEBUG
 * SET-DISABLE-DENY-SCRIPTS). Implemented by scripting/scripting.ts.
 */
import type { FunctionInfo, FunctionLibraries } from '../../scripting/function-libraries';
import type { LuaState } from '../../scripting/lua-runtime';
import type { ScriptRun } from '../../scripting/script-run';
import type { ScriptVm } from '../../scripting/script-vm';
import type { ScriptFlags } from '../../scripting/shebang';
import type { ErrorReply } from '../../resp/reply';
import type { Client } from '../../server/client';
import type { CommandContext } from '../command-context';
import type { CommandResult } from '../command-spec';

export interface CachedScript {
  readonly sha: string;
  readonly body: string;
  readonly flags: ScriptFlags;
  readonly ref: number;
}

/** Runs a compiled script or function to its end, or parks it (scripting/script-runner.ts). */
export interface ScriptRunnerPort {
  execute(ctx: CommandContext, vm: ScriptVm, ref: number, run: ScriptRun, pushArgs: (T: LuaState) => number): CommandResult;
}

export interface ScriptingPort {
  /** SHA1 (lowercase hex) -> cached EVAL script. */
  readonly scripts: ReadonlyMap<string, CachedScript>;
  /** The cached script of a SHA1, in any letter case (EVALSHA). */
  scriptBySha(sha: string): CachedScript | undefined;
  /** The client commands of scripts run as (Redis's lua_client). */
  readonly scriptClient: Client;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS: let scripts call commands flagged noscript. */
  denyScriptsDisabled: boolean;
  readonly libraries: FunctionLibraries;
  /** The Lua states of EVAL scripts and of FUNCTION libraries. */
  readonly evalVm: ScriptVm;
  readonly functionsVm: ScriptVm;
  readonly runner: ScriptRunnerPort;
  /** The script running now (SCRIPT KILL, FUNCTION STATS), or null. */
  readonly currentRun: ScriptRun | null;
  /** A script runs past busy-reply-threshold: other clients get BUSY. */
  readonly busy: boolean;
  /** BUSY with the text for the kind of script that runs. */
  busyError(): ErrorReply;
  createScript(body: string): CachedScript | ErrorReply;
  flushScripts(): void;
  findFunction(name: string): FunctionInfo | undefined;
}
