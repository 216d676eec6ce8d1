/**
 * Runs scripts so that a long one never holds the event loop past
 * busy-reply-threshold while the node stays atomic (script.c
 * scriptInterrupt, processEventsWhileBlocked).
 *
 * How: a script runs in a Lua coroutine with a count hook every 100,000
 * instructions. Before busy-reply-threshold the hook does nothing: a
 * script that ends in time runs inside one call, like Redis's lua_pcall.
 * Past it the run is "timed out": the hook yields the coroutine every few
 * milliseconds, the EVAL/FCALL caller is parked like a blocked client (its
 * pipeline waits), and the rest of the script runs in setImmediate slices.
 * Between slices the event loop serves other clients, and the dispatcher
 * answers BUSY to every command not flagged allow-busy (SCRIPT KILL,
 * FUNCTION KILL, FUNCTION STATS, SHUTDOWN, AUTH, HELLO, MULTI, ...), so no
 * other command ever sees the keyspace half-way through a script. The
 * propagation of the script's effects is held back between slices and
 * flushed once, as one MULTI/EXEC, when the script ends.
 *
 * A script from our master's stream is parked the same way: the master
 * link holds the rest of the stream until it ends (master-link.ts), as
 * Redis stops reading its master's input while a script is timed out.
 * Inside EXEC the whole transaction parks with the script (transactions.ts):
 * the rest of its queue runs when the script ends, and its effects reach
 * replicas as one MULTI/EXEC. Where the caller can not be parked (an
 * internal client, an EXEC from our master) the script runs to its end in
 * one call; and the hook can not
 * yield inside a C call boundary (a table.sort comparator, a string.gsub
 * callback): it yields at the next hook call outside one.
 *
 * SCRIPT KILL / FUNCTION KILL set the run's `killed` flag; the hook then
 * raises "Script killed by user with SCRIPT KILL..." on every line, so a
 * pcall in the script can not swallow it.
 */
import type { BlockRequest, CommandResult } from '../commands/command-spec';
import type { CommandContext } from '../commands/command-context';
import type { EngineNode } from '../node';
import { error, integer as integerReply, NULL, type Reply } from '../resp/reply';
import { luaToReply, pushErrorTable, scriptError } from './lua-convert';
import { LuaHook, LuaType, type LuaRuntime, type LuaState } from './lua-runtime';
import type { ScriptRun } from './script-run';
import { CallDepthLimit } from './lua-call-depth';
import { HOOK_INSTRUCTIONS, type ResumeOutcome, type ScriptVm } from './script-vm';
import { countNestedErrorReplies, type ScriptCommand } from './nested-error-replies';
import { cString } from '../util/c-string';

/** Once timed out, a slice runs at least this long before yielding to the event loop. */
const SLICE_MS = 2;

interface Suspended {
  readonly vm: ScriptVm;
  readonly run: ScriptRun;
  /** The effects collected in earlier slices (held out of the propagator). */
  readonly effects: Array<{ dbIndex: number; argv: ReadonlyArray<string> }>;
  /** The EVAL/FCALL command (errors nested in the reply count in its statistics). */
  readonly command: ScriptCommand;
  finalReply: Reply | null;
}

export class ScriptRunner {
  /** The run in progress (a suspended one included). */
  current: ScriptRun | null = null;
  private currentVm: ScriptVm | null = null;
  private canSuspend = false;
  private sliceStart = 0;
  private readonly hookPointer: number;
  private readonly callDepth: CallDepthLimit;

  constructor(private readonly node: EngineNode, rt: LuaRuntime) {
    this.hookPointer = rt.hookFunction((L) => this.hook(L));
    this.callDepth = new CallDepthLimit(rt);
  }

  /**
   * Runs `ref` of `vm` for `ctx`; `pushArgs` pushes the function's
   * arguments on the run thread and returns their count. Returns the
   * script's reply, or a block request when the script went on past
   * busy-reply-threshold (the reply then comes when it ends).
   */
  execute(ctx: CommandContext, vm: ScriptVm, ref: number, run: ScriptRun, pushArgs: (T: LuaState) => number): CommandResult {
    const node = this.node;
    const caller = ctx.client;
    const scriptClient = run.scriptClient;
    scriptClient.dbIndex = caller.dbIndex;
    scriptClient.protocol = 2;
    scriptClient.user = caller.user;
    scriptClient.inMulti = false;
    run.oomAtStart = node.hot.maxmemory > 0 && node.memory.usedMemory() > node.hot.maxmemory;
    run.startedAt = node.dispatcher.clock.monotonicAt(run.now);
    this.current = run;
    // Scripting.busy is `current !== null && current.timedOut`, kept here where either changes.
    node.scripting.busy = run.timedOut;
    this.currentVm = vm;
    // Inside EXEC a timed-out script parks the whole transaction (transactions.ts) when a connected
    // client sent it; an EXEC from our master's stream runs its scripts to their end in one call.
    this.canSuspend = !caller.inMulti && (node.dispatcher.executingTransaction
      ? caller.socket !== null && !caller.isMaster
      : caller.isMaster || caller.socket !== null);
    // The first hook call past the threshold yields at once.
    this.sliceStart = 0;
    const T = vm.beginRun(ref);
    const nargs = pushArgs(T);
    const threshold = node.scripting.busyReplyThreshold;
    // The hook stays on the thread between runs (it does nothing while no run is current); only a kill or a
    // threshold of 0 takes it off. Its instruction count carries over, so a run's first call may come early.
    if (threshold > 0) {
      if (!vm.runThreadHooked) {
        vm.rt.m._lua_sethook(T, this.hookPointer, LuaHook.COUNT, HOOK_INSTRUCTIONS);
        vm.runThreadHooked = true;
      }
    } else if (vm.runThreadHooked) {
      vm.rt.m._lua_sethook(T, 0, 0, 0);
      vm.runThreadHooked = false;
    }
    const outcome = vm.resume(nargs);
    if (outcome.kind !== 'suspended') return this.finish(vm, run, outcome, ctx.command);
    return this.suspend(vm, run, ctx.command);
  }

  /** The count hook: kill, Lua 5.1's call depth limit (lua-call-depth.ts), time-out detection, and yielding once timed out. */
  private hook(L: LuaState): void {
    const run = this.current;
    const vm = this.currentVm;
    if (run === null || vm === null) return;
    const m = vm.rt.m;
    if (run.killed) {
      this.node.log.warning('Lua script killed by user with SCRIPT KILL.');
      m._lua_sethook(L, this.hookPointer, LuaHook.LINE, 0);
      pushErrorTable(vm.rt, L, 'Script killed by user with SCRIPT KILL...', false);
      m._lua_error(L);
      return;
    }
    if (this.callDepth.exceeded(L)) {
      this.callDepth.raise(L);
      return;
    }
    const now = performance.now();
    if (!run.timedOut) {
      const elapsed = now - run.startedAt;
      if (elapsed < this.node.scripting.busyReplyThreshold) return;
      run.timedOut = true;
      this.node.scripting.busy = true;
      this.node.log.warning(
        `Slow script detected: still in execution after ${Math.floor(elapsed)} milliseconds. You can try killing the script using the ${run.isEval ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.name}.`,
      );
    }
    if (this.canSuspend && L === vm.thread && now - this.sliceStart >= SLICE_MS && m._lua_isyieldable(L) !== 0) {
      vm.hookYielded = true;
      m._lua_yieldk(L, 0, 0, 0);
    }
  }

  /** Parks the caller; the script continues in later event-loop turns. */
  private suspend(vm: ScriptVm, run: ScriptRun, command: ScriptCommand): BlockRequest {
    const state: Suspended = { vm, run, effects: this.node.propagation.detach(), command, finalReply: null };
    setImmediate(() => this.continueSlice(state));
    const reply = (): Reply | null => state.finalReply;
    return {
      kind: 'block',
      keys: [],
      deadline: 0,
      retry: () => reply(),
      onTimeout: () => reply() ?? error('ERR the script is still running'),
      wakeOn: 'keys',
      parksMaster: true,
      parksTransaction: true,
      lastsAsCall: true,
    };
  }

  private continueSlice(state: Suspended): void {
    this.sliceStart = performance.now();
    const outcome = state.vm.resume(null);
    if (outcome.kind === 'suspended') {
      state.effects.push(...this.node.propagation.detach());
      setImmediate(() => this.continueSlice(state));
      return;
    }
    const node = this.node;
    const caller = state.run.caller;
    this.node.propagation.attach(state.effects.concat(this.node.propagation.detach()));
    state.finalReply = this.finish(state.vm, state.run, outcome, state.command);
    // A caller that left meanwhile is still blocked (disconnectClient): served all the same.
    const served = caller.blocked !== null && node.dispatcher.resumeBlocked(caller, 'retry');
    if (!served) node.propagation.flush();
    caller.flush();
    // The rest of an EXEC may have left another script running past the threshold: still busy.
    if (this.current !== null) return;
    node.blocking.handleReadyKeys();
    node.scripting.afterBusy();
  }

  /** Reads the run's result (or error) and ends it. */
  private finish(vm: ScriptVm, run: ScriptRun, outcome: Exclude<ResumeOutcome, { kind: 'suspended' }>, command: ScriptCommand): Reply {
    const rt = vm.rt;
    let reply: Reply;
    if (outcome.kind === 'failed') {
      reply = error(`ERR Error running script ${run.name}, ${cString(outcome.message).slice(0, 100).replace(/[\r\n]/g, ' ')}`);
    } else if (outcome.ok) {
      // A single integer result (a counter script's) is read from its stack slot (LuaRuntime.integerOnTop).
      const integer = outcome.count === 1 ? rt.integerOnTop(outcome.state) : null;
      if (integer !== null) reply = integerReply(integer);
      else reply = outcome.count >= 1 ? luaToReply(rt, outcome.state, outcome.first, run.resp) : NULL;
      countNestedErrorReplies(reply, this.node, run.caller, command);
    } else {
      reply = this.errorReply(vm, outcome.state, run, outcome.first);
      rt.m._lua_settop(outcome.state, outcome.first - 1);
    }
    const T = vm.thread;
    // A kill left a line hook on the thread: back to no hook (the next run installs the count hook).
    if (T !== 0 && run.killed && vm.runThreadHooked) {
      rt.m._lua_sethook(T, 0, 0, 0);
      vm.runThreadHooked = false;
    }
    vm.endRun();
    this.current = null;
    this.node.scripting.busy = false;
    this.currentVm = null;
    return reply;
  }

  /** The reply for the handler's error table: "-<err> script: <name>, on <source>:<line>." */
  private errorReply(vm: ScriptVm, T: LuaState, run: ScriptRun, index: number): Reply {
    const rt = vm.rt;
    const m = rt.m;
    if (m._lua_type(T, index) !== LuaType.TABLE) {
      return error(`ERR Error running script ${run.name}, ${cString(rt.toString(T, index) ?? 'execution failure').slice(0, 100).replace(/[\r\n]/g, ' ')}`);
    }
    const field = (name: string): string | null => {
      rt.getField(T, index, name);
      // luaExtractErrorInformation copies each with sdsnew: a C string, ending at a NUL.
      const value = m._lua_type(T, -1) === LuaType.STRING || m._lua_type(T, -1) === LuaType.NUMBER ? cString(rt.toString(T, -1) ?? '') : null;
      m._lua_settop(T, -2);
      return value;
    };
    rt.getField(T, index, 'ignore_error_stats_update');
    const ignore = m._lua_toboolean(T, -1) !== 0;
    m._lua_settop(T, -2);
    let message = field('err') ?? '';
    const source = field('source');
    const line = field('line');
    if (source !== null && line !== null) message += ` script: ${run.name}, on ${source}:${line}.`;
    return scriptError(message.replace(/[\r\n]/g, ' '), ignore);
  }
}
