/**
 * One sandboxed Lua state (Redis has two: one for EVAL scripts, one for
 * FUNCTION libraries) and the primitives to compile into it and run in it.
 *
 * Building a state: the standard libraries, the `redis` table (C functions
 * from redis-api.ts), the 5.1 emulation, then the sandbox, which locks the
 * globals (lua-sandbox.ts) and compiles bit/struct/cjson/cmsgpack the first
 * time a script names them. User chunks are
 * compiled with the sandbox's globals proxy as their _ENV.
 *
 * Running: every script runs in a coroutine of the state (the "run
 * thread"). A coroutine is what lets a script that passed
 * busy-reply-threshold be suspended by the count hook and resumed on a
 * later event-loop turn (script-runner.ts); a script that never gets there
 * runs to the end inside one lua_resume, like Redis's lua_pcall. The
 * function runs directly in the coroutine, not under xpcall: lua_resume is
 * itself a protected call, and a failed coroutine keeps the stack it failed
 * in, so the sandbox's runError reads where the error was raised after
 * lua_resume returns (what Redis's message handler reads while the error
 * unwinds); a thread that failed is then replaced by a new one.
 */
import { BIT_SOURCE } from './lua-lib-bit';
import { CJSON_SOURCE } from './lua-lib-cjson';
import { CMSGPACK_SOURCE } from './lua-lib-cmsgpack';
import { STRUCT_SOURCE } from './lua-lib-struct';
import { COMPAT51_SOURCE } from './lua-compat51';
import { COMPAT51_ABSENT_SOURCE } from './lua-compat51-absent';
import { COMPAT51_STRING_SOURCE } from './lua-compat51-string';
import { COMPAT51_TABLE_SOURCE } from './lua-compat51-table';
import { SANDBOX_SOURCE } from './lua-sandbox';
import { poison53Syntax, unpoisonMessage } from './lua-syntax51';
import { keyOrder51Function, pushHistories } from './lua-key-order51';
import type { LuaRuntime} from './lua-runtime';
import { luaInteger, LuaStatus, LuaType, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS, type LuaState } from './lua-runtime';
import { installRedisApi, type RedisApiHost } from './redis-api';
import { EvalArgTables } from './eval-arg-tables';
import { NumberLiterals51 } from './lua-number-literals51';

export type VmMode = 'eval' | 'functions';

/** The outcome of resuming the run thread. */
export type ResumeOutcome =
  /** On the stack of `state`: the function's `count` results from `first` (the run thread), or (not `ok`) its error at `first` (the state's main thread). */
  | { readonly kind: 'done'; readonly ok: boolean; readonly state: LuaState; readonly first: number; readonly count: number }
  | { readonly kind: 'suspended' }
  | { readonly kind: 'failed'; readonly message: string };

/** Lua runs between two hook calls (Redis uses the same count). */
export const HOOK_INSTRUCTIONS = 100_000;

/**
 * The libraries a state compiles the first time a script names them: their
 * chunks (55 KB of Lua heap together) are most of a fresh state's memory,
 * and most scripts use none of them.
 */
/** The 5.1 emulation's chunks run after lua-compat51.ts, in order. */
const COMPAT51_PARTS: ReadonlyArray<readonly [string, string]> = [
  [COMPAT51_ABSENT_SOURCE, '@absent51'],
  [COMPAT51_STRING_SOURCE, '@string51'],
  [COMPAT51_TABLE_SOURCE, '@table51'],
];

const LAZY_LIBRARIES: Readonly<Record<string, { readonly source: string; readonly arguments: 'none' | 'order51' | 'null-and-order51' }>> = {
  bit: { source: BIT_SOURCE, arguments: 'none' },
  struct: { source: STRUCT_SOURCE, arguments: 'none' },
  cmsgpack: { source: CMSGPACK_SOURCE, arguments: 'order51' },
  cjson: { source: CJSON_SOURCE, arguments: 'null-and-order51' },
};

export class ScriptVm {
  readonly L: LuaState;
  private readonly refs: { runError: number; realGlobals: number; gcCount: number; libraryEnv: number; useLoad: number; useRun: number };
  private runThread: LuaState = 0;
  private runThreadRef = -1;
  /** KEYS and ARGV, reused from run to run (EVAL state only). */
  private readonly argTables: EvalArgTables | null;
  /**
   * ScriptRunner's count hook is installed on the run thread. It stays
   * installed from run to run (two C API calls less per run); a new thread
   * starts without it.
   */
  runThreadHooked = false;
  /** Set by the hook right before it yields, to tell a hook yield from a script's own coroutine.yield. */
  hookYielded = false;
  /** The C function the sandbox calls to compile a library on first use. */
  private readonly libraryLoader: number;
  /** Registry ref of lua-compat51.ts's syntax51(message). */
  private readonly syntax51: number;
  /** The C function keysInOrder51(t) (lua-key-order51.ts) the sandbox's pairs/next and the encoders call. */
  private readonly keyOrder51: number;
  /** Makes a compiled user chunk's integer literals 5.1's doubles (lua-number-literals51.ts). */
  private readonly literals51: NumberLiterals51;

  constructor(readonly rt: LuaRuntime, readonly mode: VmMode, host: RedisApiHost) {
    this.literals51 = new NumberLiterals51(rt);
    const m = rt.m;
    const L = rt.newState();
    this.L = L;
    m._luaL_openlibs(L);
    installRedisApi(rt, L, mode, host);
    this.runPrelude(COMPAT51_SOURCE, '@compat51');
    // The further 5.1 chunks take the helpers table and return it.
    for (const [source, name] of COMPAT51_PARTS) {
      this.runPrelude(source, name, L, () => { m._lua_pushvalue(L, -2); return 1; });
      m._lua_settop(L, -2);
    }
    const compatRef = m._luaL_ref(L, LUA_REGISTRYINDEX);
    this.libraryLoader = rt.cFunction((Ls) => this.loadLibrary(Ls));
    this.keyOrder51 = keyOrder51Function(rt);
    // The sandbox: arguments are the compat helpers, the mode, the load-time
    // redis table, and the loader of the libraries compiled on first use.
    const error = rt.load(L, SANDBOX_SOURCE, '@sandbox');
    if (error !== null) throw new Error(`scripting sandbox failed to compile: ${error}`);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(compatRef));
    rt.pushString(L, mode);
    if (mode === 'functions') this.pushLoadApi();
    else m._lua_pushnil(L);
    m._lua_pushcclosure(L, this.libraryLoader, 0);
    this.pushStringArray(L, Object.keys(LAZY_LIBRARIES));
    m._lua_pushcclosure(L, this.keyOrder51, 0);
    if (m._lua_pcallk(L, 6, 1, 0, 0, 0) !== LuaStatus.OK) throw new Error(`scripting sandbox failed: ${rt.toString(L, -1) ?? '?'}`);
    const result = m._lua_gettop(L);
    const ref = (field: string): number => {
      rt.getField(L, result, field);
      return m._luaL_ref(L, LUA_REGISTRYINDEX);
    };
    this.refs = {
      runError: ref('runError'), realGlobals: ref('realGlobals'), gcCount: ref('gcCount'), libraryEnv: ref('libraryEnv'),
      useLoad: ref('useLoadGlobals'), useRun: ref('useRunGlobals'),
    };
    this.argTables = mode === 'eval' ? new EvalArgTables(rt, L, luaInteger(this.refs.realGlobals)) : null;
    rt.getField(L, result, 'globals');
    m._lua_rawseti(L, LUA_REGISTRYINDEX, luaInteger(LUA_RIDX_GLOBALS));
    m._lua_settop(L, 0);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(compatRef));
    rt.getField(L, -1, 'syntax');
    this.syntax51 = m._luaL_ref(L, LUA_REGISTRYINDEX);
    m._lua_settop(L, 0);
    m._luaL_unref(L, LUA_REGISTRYINDEX, compatRef);
  }

  /** Runs a trusted chunk in thread `L` (with the arguments `pushArguments` pushes and counts), leaving its one result on the stack; raises on failure. */
  private runPrelude(source: string, name: string, L: LuaState = this.L, pushArguments?: () => number): void {
    const m = this.rt.m;
    const error = this.rt.load(L, source, name);
    if (error !== null) throw new Error(`scripting prelude ${name} failed to compile: ${error}`);
    const nargs = pushArguments ? pushArguments() : 0;
    if (m._lua_pcallk(L, nargs, 1, 0, 0, 0) !== LuaStatus.OK) throw new Error(`scripting prelude ${name} failed: ${this.rt.toString(L, -1) ?? '?'}`);
  }

  /**
   * The sandbox's loadLibrary(name): compiles and runs a library's chunk in
   * the calling thread and returns its table. The chunks' _ENV is the
   * sandbox's libraryEnv: the globals proxy (they only read it) with the
   * 5.4 functions scripts do not see. The encoders get the
   * Lua 5.1 key-order function, compiled once per state.
   */
  private loadLibrary(L: LuaState): number {
    const m = this.rt.m;
    const name = this.rt.toString(L, 1) ?? '';
    const library = LAZY_LIBRARIES[name];
    if (library === undefined) throw new Error(`no library ${name}`);
    // The key-order function, the weak table where decoders file the
    // insertions of the tables they fill, and Lua 5.4's own next (the
    // sandbox's walks in 5.1's order; the encoders only count keys).
    const pushOrder51 = (): number => {
      m._lua_pushcclosure(L, this.keyOrder51, 0);
      pushHistories(this.rt, L);
      m._lua_pushvalue(L, 2);
      return 3;
    };
    this.runPrelude(library.source, `@${name}`, L, () => {
      // _ENV: the sandbox's environment for our libraries (the globals plus the 5.4 functions 5.1 lacks).
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.refs.libraryEnv));
      m._lua_setupvalue(L, -2, 1);
      if (library.arguments === 'none') return 0;
      // cjson.null is a NULL light userdata, as in lua-cjson.
      if (library.arguments === 'null-and-order51') m._lua_pushlightuserdata(L, 0);
      return (library.arguments === 'null-and-order51' ? 1 : 0) + pushOrder51();
    });
    return 1;
  }

  /** The functions state's load-time `redis` table: register_function, log, LOG_*, REDIS_VERSION*. */
  private pushLoadApi(): void {
    const m = this.rt.m;
    const L = this.L;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(LUA_RIDX_GLOBALS));
    this.rt.getField(L, -1, '__load_api__');
    m._lua_rotate(L, -2, -1);
    m._lua_settop(L, -2);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(LUA_RIDX_GLOBALS));
    m._lua_pushnil(L);
    this.rt.setField(L, -2, '__load_api__');
    m._lua_settop(L, -2);
  }

  /**
   * Compiles a user chunk (text only) into a registry ref; on a syntax error
   * returns the message.
   */
  compile(source: string, chunkName: string): { ref: number } | { error: string } {
    const error = this.load51(this.L, source, chunkName);
    if (error !== null) return { error };
    return { ref: this.rt.m._luaL_ref(this.L, LUA_REGISTRYINDEX) };
  }

  /**
   * Compiles user code as a 5.1 compiler would (rt.load otherwise): 5.3+
   * syntax is refused as 5.1 refuses it (lua-syntax51.ts), and an error is
   * worded as 5.1 words it. On success the function is on the stack.
   */
  load51(L: LuaState, source: string, chunkName: string): string | null {
    const poisoned = poison53Syntax(source);
    if (poisoned !== null) {
      const error = this.rt.load(L, poisoned, chunkName);
      if (error !== null) return this.inWordsOf51(unpoisonMessage(error));
      // Compiled after all (a character the scan misplaced): the script as it is.
      this.rt.m._lua_settop(L, -2);
    }
    const error = this.rt.load(L, source, chunkName);
    if (error !== null) return this.inWordsOf51(error);
    this.literals51.convert(L);
    return null;
  }

  /** A compile error in Lua 5.1's words (lua-compat51.ts syntax51). */
  private inWordsOf51(message: string): string {
    const m = this.rt.m;
    const L = this.L;
    const top = m._lua_gettop(L);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.syntax51));
    this.rt.pushString(L, message);
    const ok = m._lua_pcallk(L, 1, 1, 0, 0, 0) === LuaStatus.OK;
    const words = ok ? this.rt.toString(L, -1) : null;
    m._lua_settop(L, top);
    return words ?? message;
  }

  release(ref: number): void {
    this.rt.m._luaL_unref(this.L, LUA_REGISTRYINDEX, ref);
  }

  /** EVAL's globals KEYS = argv[3 .. 3+numkeys) and ARGV = argv[3+numkeys ..) (eval-arg-tables.ts). */
  setKeysAndArgv(argv: ReadonlyArray<string>, numkeys: number): void {
    if (this.argTables === null) throw new Error('KEYS and ARGV are globals of the EVAL state only');
    this.argTables.fill(argv, numkeys);
  }

  /** Pushes a new array of values[from .. to). */
  pushStringArray(L: LuaState, values: ReadonlyArray<string>, from = 0, to = values.length): void {
    const m = this.rt.m;
    m._lua_createtable(L, to - from, 0);
    for (let i = from; i < to; i++) {
      this.rt.pushString(L, values[i]!);
      m._lua_rawseti(L, -2, luaInteger(i - from + 1));
    }
  }

  /**
   * Prepares the run thread: pushes the function of `ref`; the caller then
   * pushes its arguments and calls resume(). Returns the thread.
   */
  beginRun(ref: number): LuaState {
    const m = this.rt.m;
    // A run thread that is kept is clean: every run either ends in endRun (status OK, stack emptied) or abandons it.
    if (this.runThread === 0) this.newRunThread();
    const T = this.runThread;
    m._lua_rawgeti(T, LUA_REGISTRYINDEX, luaInteger(ref));
    this.hookYielded = false;
    return T;
  }

  private newRunThread(): void {
    const m = this.rt.m;
    if (this.runThreadRef >= 0) m._luaL_unref(this.L, LUA_REGISTRYINDEX, this.runThreadRef);
    this.runThread = m._lua_newthread(this.L);
    this.runThreadHooked = false;
    this.runThreadRef = m._luaL_ref(this.L, LUA_REGISTRYINDEX);
  }

  /** The thread the current run executes in. */
  get thread(): LuaState {
    return this.runThread;
  }

  /**
   * Resumes the run thread: `nargs` is the number of arguments pushed after
   * beginRun for a first resume, null to continue a suspended run.
   */
  resume(nargs: number | null): ResumeOutcome {
    const m = this.rt.m;
    const T = this.runThread;
    const status = m._lua_resume(T, this.L, nargs ?? 0, this.rt.resultsOut);
    if (status === LuaStatus.OK) {
      const count = this.rt.readInt32(this.rt.resultsOut);
      return { kind: 'done', ok: true, state: T, first: m._lua_gettop(T) - count + 1, count };
    }
    if (status === LuaStatus.YIELD) {
      if (this.hookYielded) {
        this.hookYielded = false;
        return { kind: 'suspended' };
      }
      this.abandonRunThread();
      return { kind: 'failed', message: 'attempt to yield from outside a coroutine' };
    }
    return this.runFailed(T, status);
  }

  /**
   * The run thread died of an error (its error object on top): a runtime
   * error becomes the sandbox's error table, read from the dead thread's
   * stack (runError); other failures (out of memory) keep their message,
   * as a message handler never sees them. The error is left on top of the
   * main thread's stack (finish() pops it). The dead thread is not reused:
   * an error raised inside a hook (SCRIPT KILL's) unwinds past the point
   * where Lua turns hooks back on, which only a protected call inside the
   * thread would have restored.
   */
  private runFailed(T: LuaState, status: number): ResumeOutcome {
    const m = this.rt.m;
    const L = this.L;
    if (status === LuaStatus.ERRRUN) {
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.refs.runError));
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.runThreadRef));
      m._lua_xmove(T, L, 1);
      // On failure the message takes the result's place: the reply reads whichever is there.
      m._lua_pcallk(L, 2, 1, 0, 0, 0);
    } else {
      m._lua_xmove(T, L, 1);
    }
    this.abandonRunThread();
    return { kind: 'done', ok: false, state: L, first: m._lua_gettop(L), count: 1 };
  }

  /** Forgets a thread that failed or yielded by itself (its stack is unusable). */
  abandonRunThread(): void {
    this.runThread = 0;
    this.runThreadHooked = false;
  }

  /** Clears the run thread after its results were read, and checks what the script left in KEYS and ARGV. */
  endRun(): void {
    if (this.runThread !== 0) this.rt.m._lua_settop(this.runThread, 0);
    this.argTables?.checkAfterRun();
  }

  /** Bytes the Lua heap of this state uses (collectgarbage('count') * 1024). */
  usedMemory(): number {
    const m = this.rt.m;
    const L = this.L;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.refs.gcCount));
    if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== LuaStatus.OK) {
      m._lua_settop(L, -2);
      return 0;
    }
    const kilobytes = this.rt.toNumber(L, -1) ?? 0;
    m._lua_settop(L, -2);
    return Math.floor(kilobytes * 1024);
  }

  /** Switches the functions state's globals between the load-time and the run-time API. */
  useLoadGlobals(load: boolean): void {
    this.callRef(load ? this.refs.useLoad : this.refs.useRun);
  }

  private callRef(ref: number): void {
    const m = this.rt.m;
    const L = this.L;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(ref));
    if (m._lua_type(L, -1) !== LuaType.FUNCTION) {
      m._lua_settop(L, -2);
      return;
    }
    if (m._lua_pcallk(L, 0, 0, 0, 0, 0) !== LuaStatus.OK) m._lua_settop(L, -2);
  }

  close(): void {
    this.rt.m._lua_close(this.L);
    this.rt.removeFunction(this.libraryLoader);
    this.rt.removeFunction(this.keyOrder51);
  }
}
