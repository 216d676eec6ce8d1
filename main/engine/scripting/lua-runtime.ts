/**
 * The Lua virtual machine: real C Lua 5.4 compiled to WebAssembly (the
 * `wasmoon` package), driven through its raw C API exports.
 *
 * Why this VM (measured, see the scripting README section and
 * bench/lua-vm-choice.ts): Redis embeds Lua 5.1, for which no maintained
 * JavaScript build exists. Of the two candidates, fengari (Lua 5.3 in pure
 * JS) has 32-bit integers (100000*100000 gives 1410065408, 2^31 wraps
 * negative), which silently corrupts counters and timestamps in real
 * scripts, and ran a one-call EVAL body 2.2x slower, a numeric loop 10x
 * slower and string building 10x slower than wasmoon on this machine.
 * wasmoon runs the reference C interpreter with 64-bit integers; the
 * differences from 5.1 that scripts hit are emulated in lua-compat51.ts.
 *
 * We bypass wasmoon's high-level wrapper (it converts strings as UTF-8 and
 * stops at NUL bytes): Redis values are binary, so every string crosses
 * the boundary as raw bytes in the WebAssembly heap (latin1 JS strings on
 * our side, one char per byte, like the rest of the engine).
 *
 * Errors: a Lua error is a C longjmp, which this Emscripten build throws as
 * the JS value `Infinity` through any JS frames in between. A JS function
 * registered as a Lua C function (cFunction) must let that value pass and
 * turn any other JS exception into a Lua error, or the VM is left with a
 * half-unwound C stack.
 */
import { createRequire } from 'node:module';
import { LuaWasm } from 'wasmoon';

export type LuaState = number;

export const LUA_REGISTRYINDEX = -1001000;
export const LUA_RIDX_GLOBALS = 2;
export const LUA_MULTRET = -1;

export const LuaType = { NONE: -1, NIL: 0, BOOLEAN: 1, LIGHTUSERDATA: 2, NUMBER: 3, STRING: 4, TABLE: 5, FUNCTION: 6, USERDATA: 7, THREAD: 8 } as const;
export const LuaStatus = { OK: 0, YIELD: 1, ERRRUN: 2, ERRSYNTAX: 3, ERRMEM: 4, ERRERR: 5 } as const;
export const LuaHook = { CALL: 1, RETURN: 2, LINE: 4, COUNT: 8 } as const;

/** The raw exports of the Emscripten module that we call (C signatures, wasm32: pointers are numbers, lua_Integer is a BigInt). */
interface LuaModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF64: Float64Array;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(pointer: number): void;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _luaL_newstate(): LuaState;
  _luaL_openlibs(L: LuaState): void;
  _lua_close(L: LuaState): void;
  _lua_newthread(L: LuaState): LuaState;
  _lua_resetthread(L: LuaState): number;
  _lua_status(L: LuaState): number;
  _lua_gettop(L: LuaState): number;
  _lua_settop(L: LuaState, index: number): void;
  _lua_pushvalue(L: LuaState, index: number): void;
  _lua_rotate(L: LuaState, index: number, n: number): void;
  _lua_checkstack(L: LuaState, n: number): number;
  _lua_xmove(from: LuaState, to: LuaState, n: number): void;
  _lua_type(L: LuaState, index: number): number;
  _lua_isinteger(L: LuaState, index: number): number;
  _lua_isstring(L: LuaState, index: number): number;
  _lua_tolstring(L: LuaState, index: number, lenPtr: number): number;
  _lua_tonumberx(L: LuaState, index: number, isnumPtr: number): number;
  _lua_tointegerx(L: LuaState, index: number, isnumPtr: number): bigint;
  _lua_toboolean(L: LuaState, index: number): number;
  _lua_topointer(L: LuaState, index: number): number;
  _lua_rawlen(L: LuaState, index: number): number;
  _lua_pushnil(L: LuaState): void;
  _lua_pushnumber(L: LuaState, value: number): void;
  _lua_pushinteger(L: LuaState, value: bigint): void;
  _lua_pushlstring(L: LuaState, ptr: number, len: number): number;
  _lua_pushboolean(L: LuaState, value: number): void;
  _lua_pushcclosure(L: LuaState, fn: number, upvalues: number): void;
  _lua_pushlightuserdata(L: LuaState, ptr: number): void;
  _lua_createtable(L: LuaState, narr: number, nrec: number): void;
  _lua_rawget(L: LuaState, index: number): number;
  _lua_rawgeti(L: LuaState, index: number, n: bigint): number;
  _lua_rawset(L: LuaState, index: number): void;
  _lua_rawseti(L: LuaState, index: number, n: bigint): void;
  _lua_next(L: LuaState, index: number): number;
  _lua_setmetatable(L: LuaState, index: number): number;
  _luaL_loadbufferx(L: LuaState, buffer: number, size: number, name: number, mode: number): number;
  _lua_pcallk(L: LuaState, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _lua_resume(L: LuaState, from: LuaState, nargs: number, nresultsPtr: number): number;
  _lua_yieldk(L: LuaState, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: LuaState): number;
  _lua_error(L: LuaState): number;
  _luaL_ref(L: LuaState, table: number): number;
  _luaL_unref(L: LuaState, table: number, ref: number): void;
  _lua_sethook(L: LuaState, fn: number, mask: number, count: number): void;
}

/** A JS implementation of a Lua C function: returns how many results it pushed. */
export type LuaCFunction = (L: LuaState) => number;
/** A Lua hook: `L` is the thread the hook fired in. */
export type LuaHookFunction = (L: LuaState) => void;

/** The JS value Emscripten throws for a C longjmp (a Lua error unwinding). */
function isLongjmp(failure: unknown): boolean {
  return failure === Infinity;
}

let wasmPath: string | null = null;
function glueWasmPath(): string {
  wasmPath ??= createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm');
  return wasmPath;
}

/**
 * One WebAssembly instance of the Lua library: its heap, its function table
 * and any number of independent lua_States created in it.
 */
export class LuaRuntime {
  private scratch = 0;
  private scratchSize = 0;
  /** 8 bytes for size_t / int out-parameters. */
  private readonly outPtr: number;
  private heapBuffer: Buffer;
  /** Interned NUL-terminated C strings (field names, chunk names). */
  private readonly cStrings = new Map<string, number>();

  private constructor(readonly m: LuaModule) {
    this.outPtr = m._malloc(8);
    this.heapBuffer = Buffer.from(m.HEAPU8.buffer);
    this.ensureScratch(4096);
  }

  /** Instantiates the WebAssembly module (asynchronous: compile and instantiate). */
  static async create(): Promise<LuaRuntime> {
    const wasm = await LuaWasm.initialize(glueWasmPath());
    return new LuaRuntime(wasm.module as unknown as LuaModule);
  }

  /** A Buffer view of the whole heap, refreshed when the memory grew. */
  private heap(): Buffer {
    if (this.heapBuffer.buffer !== this.m.HEAPU8.buffer) this.heapBuffer = Buffer.from(this.m.HEAPU8.buffer);
    return this.heapBuffer;
  }

  private ensureScratch(size: number): number {
    if (size > this.scratchSize) {
      if (this.scratch !== 0) this.m._free(this.scratch);
      const capacity = Math.max(size, this.scratchSize * 2, 4096);
      this.scratch = this.m._malloc(capacity);
      if (this.scratch === 0) throw new Error(`Lua heap exhausted allocating ${capacity} bytes`);
      this.scratchSize = capacity;
    }
    return this.scratch;
  }

  /** A NUL-terminated copy of an ASCII name, kept for the runtime's life. */
  cString(text: string): number {
    let ptr = this.cStrings.get(text);
    if (ptr === undefined) {
      ptr = this.m._malloc(text.length + 1);
      const heap = this.heap();
      heap.write(text, ptr, 'latin1');
      heap[ptr + text.length] = 0;
      this.cStrings.set(text, ptr);
    }
    return ptr;
  }

  /** Copies a latin1 string into the scratch area; returns its address. */
  private stage(text: string): number {
    const length = text.length;
    const ptr = this.ensureScratch(length + 1);
    const heap = this.heap();
    if (length < 32) {
      for (let i = 0; i < length; i++) heap[ptr + i] = text.charCodeAt(i);
    } else {
      heap.write(text, ptr, length, 'latin1');
    }
    return ptr;
  }

  newState(): LuaState {
    const L = this.m._luaL_newstate();
    if (L === 0) throw new Error('cannot create a Lua state');
    return L;
  }

  pushString(L: LuaState, text: string): void {
    const ptr = this.stage(text);
    this.m._lua_pushlstring(L, ptr, text.length);
  }

  /** The string (or number, converted in place as Lua does) at `index`; null for other types. */
  toString(L: LuaState, index: number): string | null {
    const m = this.m;
    const ptr = m._lua_tolstring(L, index, this.outPtr);
    if (ptr === 0) return null;
    const length = m.HEAP32[this.outPtr >> 2]!;
    const heap = this.heap();
    if (length < 24) {
      let out = '';
      for (let i = 0; i < length; i++) out += String.fromCharCode(heap[ptr + i]!);
      return out;
    }
    return heap.toString('latin1', ptr, ptr + length);
  }

  /** lua_tonumberx: the number at `index` (strings convertible to numbers too); null when not a number. */
  toNumber(L: LuaState, index: number): number | null {
    const value = this.m._lua_tonumberx(L, index, this.outPtr);
    return this.m.HEAP32[this.outPtr >> 2] === 0 ? null : value;
  }

  toInteger(L: LuaState, index: number): bigint {
    return this.m._lua_tointegerx(L, index, 0);
  }

  pushInteger(L: LuaState, value: number | bigint): void {
    this.m._lua_pushinteger(L, typeof value === 'bigint' ? value : BigInt(value));
  }

  /**
   * Compiles a chunk; on success the function is on the stack and null is
   * returned, otherwise the error message (and nothing is left on the stack).
   * Mode 't': text only, binary chunks are refused like Redis refuses them.
   */
  load(L: LuaState, source: string, chunkName: string): string | null {
    const ptr = this.stage(source);
    const status = this.m._luaL_loadbufferx(L, ptr, source.length, this.cString(chunkName), this.cString('t'));
    if (status === LuaStatus.OK) return null;
    const message = this.toString(L, -1) ?? 'unknown error';
    this.m._lua_settop(L, -2);
    return message;
  }

  /** Sets table[-1 field]: pops the value on top into the table at `index`. */
  setField(L: LuaState, index: number, name: string): void {
    const absolute = index < 0 && index > LUA_REGISTRYINDEX ? this.m._lua_gettop(L) + index + 1 : index;
    this.pushString(L, name);
    this.m._lua_rotate(L, -2, 1);
    this.m._lua_rawset(L, absolute);
  }

  /** Pushes table[name] (raw) from the table at `index`; returns its type. */
  getField(L: LuaState, index: number, name: string): number {
    const absolute = index < 0 && index > LUA_REGISTRYINDEX ? this.m._lua_gettop(L) + index + 1 : index;
    this.pushString(L, name);
    return this.m._lua_rawget(L, absolute);
  }

  /**
   * Registers a JS function as a Lua C function pointer. JS exceptions other
   * than a Lua error unwinding become Lua errors with their message.
   */
  cFunction(fn: LuaCFunction): number {
    const m = this.m;
    return m.addFunction((L: number): number => {
      try {
        return fn(L);
      } catch (failure) {
        if (isLongjmp(failure)) throw failure;
        const message = failure instanceof Error ? failure.message : String(failure);
        this.pushString(L, `internal error: ${message}`);
        return m._lua_error(L);
      }
    }, 'ii');
  }

  /** Registers a hook function pointer (lua_Hook: void (lua_State*, lua_Debug*)). */
  hookFunction(fn: LuaHookFunction): number {
    return this.m.addFunction((L: number): void => {
      try {
        fn(L);
      } catch (failure) {
        if (isLongjmp(failure)) throw failure;
        this.pushString(L, `internal error: ${failure instanceof Error ? failure.message : String(failure)}`);
        this.m._lua_error(L);
      }
    }, 'vii');
  }

  /** Frees a function pointer made by cFunction or hookFunction. */
  removeFunction(pointer: number): void {
    this.m.removeFunction(pointer);
  }

  /** A lua_Integer out of a bigint-returning export, as a JS number when exact. */
  static integerValue(value: bigint): number | bigint {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  get resultsOut(): number {
    return this.outPtr;
  }

  readInt32(ptr: number): number {
    return this.m.HEAP32[ptr >> 2]!;
  }
}
