/**
 * The `redis` table scripts see (script_lua.c luaRegisterRedisAPI, eval.c,
 * function_lua.c), as Lua C functions written in JS.
 *
 * Both states get: call, pcall, log and LOG_*, setresp, sha1hex,
 * error_reply, status_reply, set_repl and REPL_*, acl_check_cmd,
 * REDIS_VERSION, REDIS_VERSION_NUM; the EVAL state also breakpoint, debug
 * (no-ops: the Lua debugger is not implemented) and replicate_commands
 * (always true since 7.0). math.random/randomseed are replaced by Redis's
 * rand48 generator (the same sequence as redis-server for the same seed).
 * The functions state additionally gets, for library loading only, a
 * table with register_function, log, LOG_* and the version fields
 * (`__load_api__`, moved into the sandbox by script-vm.ts).
 *
 * Error conventions (luaPushError): an API error is a table {err="ERR
 * ..."} raised with lua_error; redis.pcall returns that table instead.
 */
import { createHash } from 'node:crypto';
import { formatDouble17g } from '../resp/format-double';
import type { Reply } from '../resp/reply';
import { ENGINE_REDIS_VERSION } from '../version';
import { pushErrorTable, pushReply, type ScriptResp } from './lua-convert';
import type { LuaRuntime} from './lua-runtime';
import { LuaType, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS, type LuaState } from './lua-runtime';
import type { VmMode } from './script-vm';

/** What a command run from a script produced: a reply, or a refusal before it ran. */
export type CommandOutcome = { readonly reply: Reply; readonly resp: ScriptResp } | { readonly rejected: string };

/** A function a library registers (redis.register_function). */
export interface RegisteredFunction {
  readonly name: string;
  readonly ref: number;
  readonly description: string | null;
  readonly flags: ReadonlyArray<string>;
}

/** The engine side of the API; `null` results mean "no script invocation in progress". */
export interface RedisApiHost {
  command(argv: string[]): CommandOutcome | null;
  setResp(resp: ScriptResp): boolean;
  setRepl(flags: number): boolean;
  aclCheck(argv: string[]): boolean | 'unknown-command' | null;
  log(level: number, message: string): void;
  /** redisLrand48 (31 bits), or null outside a script invocation. */
  random(): number | null;
  randomSeed(seed: number): boolean;
  /** True while FUNCTION LOAD runs a library's code. */
  isLoadingLibrary(): boolean;
  /** register_function during FUNCTION LOAD: an error text, or '' when registered. */
  registerFunction(fn: RegisteredFunction): string;
  readonly flagNames: ReadonlyArray<string>;
}

export const LOG_LEVELS = { LOG_DEBUG: 0, LOG_VERBOSE: 1, LOG_NOTICE: 2, LOG_WARNING: 3 } as const;
export const PROPAGATE_AOF = 1;
export const PROPAGATE_REPL = 2;
const REDIS_VERSION_NUM = ENGINE_REDIS_VERSION.split('.').reduce((num, part) => (num << 8) | Number(part), 0);
const RAND48_MAX = 2147483647;

export function sha1hex(text: string): string {
  return createHash('sha1').update(text, 'latin1').digest('hex');
}

/** Raises the error table {err=...} (luaPushError + luaError). */
function raise(rt: LuaRuntime, L: LuaState, text: string): number {
  pushErrorTable(rt, L, text, false);
  return rt.m._lua_error(L);
}

/** luaArgsToRedisArgv: numbers become their "%.17g" text; null when an argument is neither string nor number. `count` is the whole stack (lua_gettop). */
function readArgv(rt: LuaRuntime, L: LuaState, count: number): string[] | null {
  const m = rt.m;
  const argv: string[] = new Array<string>(count);
  for (let i = 1; i <= count; i++) {
    // The arguments are the whole stack: argument i is count - i + 1 slots below the top.
    const short = rt.shortStringBelowTop(L, count - i + 1);
    if (short !== null) {
      argv[i - 1] = short;
      continue;
    }
    if (m._lua_type(L, i) === LuaType.NUMBER) {
      argv[i - 1] = formatDouble17g(rt.toNumber(L, i) ?? 0);
      continue;
    }
    const text = rt.toString(L, i);
    if (text === null) return null;
    argv[i - 1] = text;
  }
  return argv;
}

function setNumber(rt: LuaRuntime, L: LuaState, name: string, value: number): void {
  rt.pushInteger(L, value);
  rt.setField(L, -2, name);
}

function setFunction(rt: LuaRuntime, L: LuaState, name: string, fn: (L: LuaState) => number): void {
  rt.m._lua_pushcclosure(L, rt.cFunction(fn), 0);
  rt.setField(L, -2, name);
}

function setVersionAndLog(rt: LuaRuntime, L: LuaState, host: RedisApiHost): void {
  setFunction(rt, L, 'log', (Ls) => {
    const argc = rt.m._lua_gettop(Ls);
    if (argc < 2) return raise(rt, Ls, 'redis.log() requires two arguments or more.');
    const level = rt.toNumber(Ls, 1);
    if (level === null) return raise(rt, Ls, 'First argument must be a number (log level).');
    const truncated = Math.trunc(level);
    if (truncated < 0 || truncated > 3) return raise(rt, Ls, 'Invalid debug level.');
    const parts: string[] = [];
    for (let i = 2; i <= argc; i++) {
      const text = rt.toString(Ls, i);
      if (text !== null) parts.push(text);
    }
    host.log(truncated, parts.join(' '));
    return 0;
  });
  for (const [name, level] of Object.entries(LOG_LEVELS)) setNumber(rt, L, name, level);
  setNumber(rt, L, 'REDIS_VERSION_NUM', REDIS_VERSION_NUM);
  rt.pushString(L, ENGINE_REDIS_VERSION);
  rt.setField(L, -2, 'REDIS_VERSION');
}

function commandFunction(rt: LuaRuntime, host: RedisApiHost, raiseOnError: boolean): (L: LuaState) => number {
  const m = rt.m;
  return (L) => {
    const argc = m._lua_gettop(L);
    if (argc === 0) {
      pushErrorTable(rt, L, 'Please specify at least one argument for this redis lib call', false);
      return raiseOnError ? m._lua_error(L) : 1;
    }
    const argv = readArgv(rt, L, argc);
    m._lua_settop(L, 0);
    if (argv === null) {
      pushErrorTable(rt, L, 'Lua redis lib command arguments must be strings or integers', false);
      return raiseOnError ? m._lua_error(L) : 1;
    }
    const outcome = host.command(argv);
    if (outcome === null) return raise(rt, L, 'redis.call/pcall can only be called inside a script invocation');
    if ('rejected' in outcome) {
      pushErrorTable(rt, L, outcome.rejected, true);
      return raiseOnError ? m._lua_error(L) : 1;
    }
    const reply = outcome.reply;
    if (reply.kind === 'integer') {
      // The stack was emptied above, and a C function is called with LUA_MINSTACK (20) free
      // slots above its arguments: one integer needs no lua_checkstack (pushReply's first call).
      rt.pushIntegerOnReservedStack(L, reply.value);
      return 1;
    }
    pushReply(rt, L, reply, outcome.resp);
    if (raiseOnError && reply.kind === 'error') return m._lua_error(L);
    return 1;
  };
}

function singleFieldFunction(rt: LuaRuntime, field: 'ok' | 'err'): (L: LuaState) => number {
  const m = rt.m;
  return (L) => {
    if (m._lua_gettop(L) !== 1 || m._lua_type(L, -1) !== LuaType.STRING) {
      pushErrorTable(rt, L, 'wrong number or type of arguments', false);
      return 1;
    }
    const text = rt.toString(L, 1) ?? '';
    if (field === 'err') {
      pushErrorTable(rt, L, text.startsWith('-') ? text : `-${text}`, false);
      return 1;
    }
    m._lua_createtable(L, 0, 1);
    rt.pushString(L, text);
    rt.setField(L, -2, 'ok');
    return 1;
  };
}

/** Installs `redis` (and, for the functions state, `__load_api__`) as globals, and the Redis math.random. */
export function installRedisApi(rt: LuaRuntime, L: LuaState, mode: VmMode, host: RedisApiHost): void {
  const m = rt.m;
  m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(LUA_RIDX_GLOBALS));
  const globals = m._lua_gettop(L);
  m._lua_createtable(L, 0, 32);
  setFunction(rt, L, 'call', commandFunction(rt, host, true));
  setFunction(rt, L, 'pcall', commandFunction(rt, host, false));
  setVersionAndLog(rt, L, host);
  setFunction(rt, L, 'setresp', (Ls) => {
    if (m._lua_gettop(Ls) !== 1) return raise(rt, Ls, 'redis.setresp() requires one argument.');
    const resp = Math.trunc(rt.toNumber(Ls, 1) ?? 0);
    if (resp !== 2 && resp !== 3) return raise(rt, Ls, 'RESP version must be 2 or 3.');
    if (!host.setResp(resp)) return raise(rt, Ls, 'redis.setresp can only be called inside a script invocation');
    return 0;
  });
  setFunction(rt, L, 'sha1hex', (Ls) => {
    if (m._lua_gettop(Ls) !== 1) return raise(rt, Ls, 'wrong number of arguments');
    rt.pushString(Ls, sha1hex(rt.toString(Ls, 1) ?? ''));
    return 1;
  });
  setFunction(rt, L, 'error_reply', singleFieldFunction(rt, 'err'));
  setFunction(rt, L, 'status_reply', singleFieldFunction(rt, 'ok'));
  setFunction(rt, L, 'set_repl', (Ls) => {
    if (m._lua_gettop(Ls) !== 1) return raise(rt, Ls, 'redis.set_repl() requires two arguments.');
    const flags = Math.trunc(rt.toNumber(Ls, 1) ?? 0);
    if ((flags & ~(PROPAGATE_AOF | PROPAGATE_REPL)) !== 0) return raise(rt, Ls, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.');
    if (!host.setRepl(flags)) return raise(rt, Ls, 'redis.set_repl can only be called inside a script invocation');
    return 0;
  });
  setNumber(rt, L, 'REPL_NONE', 0);
  setNumber(rt, L, 'REPL_AOF', PROPAGATE_AOF);
  setNumber(rt, L, 'REPL_SLAVE', PROPAGATE_REPL);
  setNumber(rt, L, 'REPL_REPLICA', PROPAGATE_REPL);
  setNumber(rt, L, 'REPL_ALL', PROPAGATE_AOF | PROPAGATE_REPL);
  setFunction(rt, L, 'acl_check_cmd', (Ls) => {
    const argc = m._lua_gettop(Ls);
    if (argc === 0) return raise(rt, Ls, 'Please specify at least one argument for this redis lib call');
    const argv = readArgv(rt, Ls, argc);
    if (argv === null) return raise(rt, Ls, 'Lua redis lib command arguments must be strings or integers');
    const allowed = host.aclCheck(argv);
    if (allowed === null) return raise(rt, Ls, 'redis.acl_check_cmd can only be called inside a script invocation');
    if (allowed === 'unknown-command') return raise(rt, Ls, 'Invalid command passed to redis.acl_check_cmd()');
    m._lua_pushboolean(Ls, allowed ? 1 : 0);
    return 1;
  });
  if (mode === 'eval') {
    setFunction(rt, L, 'breakpoint', (Ls) => {
      m._lua_pushboolean(Ls, 0);
      return 1;
    });
    setFunction(rt, L, 'debug', () => 0);
    setFunction(rt, L, 'replicate_commands', (Ls) => {
      m._lua_pushboolean(Ls, 1);
      return 1;
    });
  }
  rt.setField(L, globals, 'redis');
  installRandom(rt, L, globals, host);
  if (mode === 'functions') {
    m._lua_createtable(L, 0, 8);
    setFunction(rt, L, 'register_function', registerFunction(rt, host));
    setVersionAndLog(rt, L, host);
    rt.setField(L, globals, '__load_api__');
  }
  m._lua_settop(L, globals - 1);
}

function installRandom(rt: LuaRuntime, L: LuaState, globals: number, host: RedisApiHost): void {
  const m = rt.m;
  rt.getField(L, globals, 'math');
  const checkInt = (Ls: LuaState, index: number, name: string): number => {
    const value = rt.toNumber(Ls, index);
    if (value === null) {
      const got = m._lua_type(Ls, index) === LuaType.NONE ? 'no value' : typeName(m._lua_type(Ls, index));
      throw new LuaArgError(`bad argument #${index} to '${name}' (number expected, got ${got})`);
    }
    return Math.trunc(value) | 0;
  };
  setFunction(rt, L, 'random', (Ls) => {
    const argc = m._lua_gettop(Ls);
    let draw: number | null;
    try {
      const lower = argc === 2 ? checkInt(Ls, 1, 'random') : 1;
      const upper = argc === 1 ? checkInt(Ls, 1, 'random') : argc === 2 ? checkInt(Ls, 2, 'random') : 0;
      if (argc === 1 && upper < 1) throw new LuaArgError("bad argument #1 to 'random' (interval is empty)");
      if (argc === 2 && lower > upper) throw new LuaArgError("bad argument #2 to 'random' (interval is empty)");
      if (argc > 2) throw new LuaArgError('wrong number of arguments');
      draw = host.random();
      if (draw === null) throw new LuaArgError('math.random can only be called inside a script invocation');
      const r = (draw % RAND48_MAX) / RAND48_MAX;
      if (argc === 0) m._lua_pushnumber(Ls, r);
      else if (argc === 1) rt.pushInteger(Ls, Math.floor(r * upper) + 1);
      else rt.pushInteger(Ls, Math.floor(r * (upper - lower + 1)) + lower);
      return 1;
    } catch (failure) {
      if (!(failure instanceof LuaArgError)) throw failure;
      // luaL_error: prefixed with the calling line (luaL_where(L, 1): "user_script:1: "; nothing when called from C, as by pcall).
      m._luaL_where(Ls, 1);
      const where = rt.toString(Ls, -1) ?? '';
      m._lua_settop(Ls, -2);
      rt.pushString(Ls, where + failure.message);
      return m._lua_error(Ls);
    }
  });
  setFunction(rt, L, 'randomseed', (Ls) => {
    const value = rt.toNumber(Ls, 1);
    if (value === null) {
      rt.pushString(Ls, "bad argument #1 to 'randomseed' (number expected, got no value)");
      return m._lua_error(Ls);
    }
    if (!host.randomSeed(Math.trunc(value) | 0)) {
      rt.pushString(Ls, 'math.randomseed can only be called inside a script invocation');
      return m._lua_error(Ls);
    }
    return 0;
  });
  m._lua_settop(L, -2);
}

class LuaArgError extends Error {}

function typeName(type: number): string {
  return ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'][type] ?? 'no value';
}

/** redis.register_function(name, callback) or redis.register_function{function_name=, callback=, description=, flags=}. */
function registerFunction(rt: LuaRuntime, host: RedisApiHost): (L: LuaState) => number {
  const m = rt.m;
  return (L) => {
    const argc = m._lua_gettop(L);
    const fail = (text: string): number => raise(rt, L, text);
    if (!host.isLoadingLibrary()) {
      return fail('redis.register_function can only be called on FUNCTION LOAD command');
    }
    if (argc < 1 || argc > 2) return fail('wrong number of arguments to redis.register_function');
    let name: string | null = null;
    let description: string | null = null;
    let flags: string[] = [];
    let callbackIndex = -1;
    if (argc === 2) {
      name = m._lua_isstring(L, 1) !== 0 ? rt.toString(L, 1) : null;
      if (name === null) return fail('first argument to redis.register_function must be a string');
      if (m._lua_type(L, 2) !== LuaType.FUNCTION) return fail('second argument to redis.register_function must be a function');
      callbackIndex = 2;
    } else {
      if (m._lua_type(L, 1) !== LuaType.TABLE) {
        return fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
      }
      m._lua_pushnil(L);
      while (m._lua_next(L, 1) !== 0) {
        if (m._lua_type(L, -2) !== LuaType.STRING && m._lua_type(L, -2) !== LuaType.NUMBER) {
          return fail('named argument key given to redis.register_function is not a string');
        }
        m._lua_pushvalue(L, -2);
        const key = (rt.toString(L, -1) ?? '').toLowerCase();
        m._lua_settop(L, -2);
        if (key === 'function_name') {
          name = m._lua_isstring(L, -1) !== 0 ? rt.toString(L, -1) : null;
          if (name === null) return fail('function_name argument given to redis.register_function must be a string');
        } else if (key === 'description') {
          description = m._lua_isstring(L, -1) !== 0 ? rt.toString(L, -1) : null;
          if (description === null) return fail('description argument given to redis.register_function must be a string');
        } else if (key === 'callback') {
          if (m._lua_type(L, -1) !== LuaType.FUNCTION) return fail('callback argument given to redis.register_function must be a function');
          callbackIndex = m._lua_gettop(L);
          m._lua_pushvalue(L, -2);
          continue;
        } else if (key === 'flags') {
          if (m._lua_type(L, -1) !== LuaType.TABLE) return fail('flags argument to redis.register_function must be a table representing function flags');
          const parsed = readFlags(rt, L, host.flagNames);
          if (parsed === null) return fail('unknown flag given');
          flags = parsed;
        } else {
          return fail('unknown argument given to redis.register_function');
        }
        m._lua_settop(L, -2);
      }
      if (name === null) return fail('redis.register_function must get a function name argument');
      if (callbackIndex < 0) return fail('redis.register_function must get a callback argument');
    }
    m._lua_pushvalue(L, callbackIndex);
    const ref = m._luaL_ref(L, LUA_REGISTRYINDEX);
    const error = host.registerFunction({ name, ref, description, flags });
    if (error) {
      m._luaL_unref(L, LUA_REGISTRYINDEX, ref);
      return fail(error);
    }
    return 0;
  };
}

/** The flags array of register_function: strings matched case-insensitively; null on an unknown one. */
function readFlags(rt: LuaRuntime, L: LuaState, known: ReadonlyArray<string>): string[] | null {
  const m = rt.m;
  const table = m._lua_gettop(L);
  const flags: string[] = [];
  for (let j = 1; ; j++) {
    const type = m._lua_rawgeti(L, table, BigInt(j));
    if (type === LuaType.NIL) {
      m._lua_settop(L, table);
      return flags;
    }
    const text = m._lua_isstring(L, -1) !== 0 ? rt.toString(L, -1) : null;
    m._lua_settop(L, table);
    const flag = text === null ? undefined : known.find((name) => name === text.toLowerCase());
    if (flag === undefined) return null;
    if (!flags.includes(flag)) flags.push(flag);
  }
}
