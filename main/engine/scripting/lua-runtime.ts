/**
 * The Lua virtual machine: real C Lua 5.4 compiled to WebAssembly (the
 * `wasmoon` package), driven through its raw C API exports (lua-wasm.ts).
 *
 * Why this VM (measured when it was chosen; the figures are in the README's
 * Scripting section): Redis embeds Lua 5.1, for which no maintained
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
import { loadLuaModule, type LuaModule, type LuaState } from './lua-wasm';

export type { LuaState } from './lua-wasm';


export const LUA_REGISTRYINDEX = -1001000;
export const LUA_RIDX_GLOBALS = 2;
export const LUA_MULTRET = -1;

export const LuaType = { NONE: -1, NIL: 0, BOOLEAN: 1, LIGHTUSERDATA: 2, NUMBER: 3, STRING: 4, TABLE: 5, FUNCTION: 6, USERDATA: 7, THREAD: 8 } as const;
export const LuaStatus = { OK: 0, YIELD: 1, ERRRUN: 2, ERRSYNTAX: 3, ERRMEM: 4, ERRERR: 5 } as const;
export const LuaHook = { CALL: 1, RETURN: 2, LINE: 4, COUNT: 8 } as const;

/** A JS implementation of a Lua C function: returns how many results it pushed. */
export type LuaCFunction = (L: LuaState) => number;
/** A Lua hook: `L` is the thread the hook fired in. */
export type LuaHookFunction = (L: LuaState) => void;

/**
 * The lua_Integer (a BigInt at the wasm boundary) for a small non-negative
 * number: table indices and registry refs are passed on every run, and
 * BigInt(n) allocates a heap object each time (about 12 ns, a tenth of a
 * wasm call's cost over again).
 */
/** Slots of LuaRuntime's short-string cache (a power of two). */
const SHORT_STRING_SLOTS = 256;

/** lua_State's `top` (StkId) on wasm32, a stack slot's size, its type tag's offset, LUA_VNUMINT: see pushIntegerOnReservedStack. */
const STATE_TOP = 12;
const STACK_SLOT = 16;
const TVALUE_TAG = 8;
const TAG_INTEGER = 3;
/** LUA_VSHRSTR's tag, and a short string's TString: its length byte and its bytes (lobject.h). */
const TAG_SHORT_STRING = 0x44;
const TSTRING_SHRLEN = 7;
const TSTRING_CONTENTS = 16;

const SMALL_INTEGERS: bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));
export function luaInteger(n: number): bigint {
  return SMALL_INTEGERS[n] ?? BigInt(n);
}

/** The JS value Emscripten throws for a C longjmp (a Lua error unwinding). */
function isLongjmp(failure: unknown): boolean {
  return failure === Infinity;
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
  private heap32: Int32Array;
  /** Interned NUL-terminated C strings (field names, chunk names). */
  private readonly cStrings = new Map<string, number>();
  /**
   * The JS strings last read from short Lua strings, by address (direct
   * mapped). Lua interns its short strings, so a script's command name and
   * the KEYS it was given sit at the same address run after run; a hit
   * hands back the same JS string (no new string per argument per call,
   * and the command table's last-name check sees the same object). A slot
   * is only trusted after its bytes compare equal, so an address Lua
   * reused for other text is a miss, never a wrong string.
   */
  private readonly shortStrings: Array<string | null> = new Array<string | null>(SHORT_STRING_SLOTS).fill(null);
  private readonly shortStringAddresses = new Int32Array(SHORT_STRING_SLOTS);

  private constructor(readonly m: LuaModule) {
    this.outPtr = m._malloc(8);
    this.heapBuffer = Buffer.from(m.HEAPU8.buffer);
    this.heap32 = new Int32Array(m.HEAPU8.buffer);
    this.ensureScratch(4096);
  }

  /** Instantiates the WebAssembly module (asynchronous: compile and instantiate). */
  static async create(): Promise<LuaRuntime> {
    return new LuaRuntime(await loadLuaModule());
  }

  /** A Buffer view of the whole heap, refreshed when the memory grew. */
  private heap(): Buffer {
    // Growing the memory detaches its old buffer: views over it read as empty.
    if (this.heapBuffer.length === 0) this.refreshViews();
    return this.heapBuffer;
  }

  /** An int32 of the heap at a 4-aligned address. */
  private int32(ptr: number): number {
    if (this.heap32.length === 0) this.refreshViews();
    return this.heap32[ptr >> 2]!;
  }

  private refreshViews(): void {
    const buffer = this.m.HEAPU8.buffer;
    this.heapBuffer = Buffer.from(buffer);
    this.heap32 = new Int32Array(buffer);
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
    return this.stringAt(ptr, this.int32(this.outPtr));
  }

  /** The `length` bytes at `ptr` as a latin1 string; short ones through the by-address cache. */
  private stringAt(ptr: number, length: number): string {
    const heap = this.heap();
    if (length < 24) {
      const slot = (ptr >>> 3) & (SHORT_STRING_SLOTS - 1);
      const cached = this.shortStrings[slot]!;
      if (this.shortStringAddresses[slot] === ptr && cached !== null && cached.length === length) {
        let i = 0;
        while (i < length && cached.charCodeAt(i) === heap[ptr + i]) i++;
        if (i === length) return cached;
      }
      let out = '';
      for (let i = 0; i < length; i++) out += String.fromCharCode(heap[ptr + i]!);
      this.shortStrings[slot] = out;
      this.shortStringAddresses[slot] = ptr;
      return out;
    }
    return heap.toString('latin1', ptr, ptr + length);
  }

  /**
   * The short string in the stack slot `depth` slots below L's top (1: the
   * top), read from the heap, or null when that slot holds anything else
   * (the caller asks the API): redis.call's command name and keys are short
   * strings, and lua_type plus lua_tolstring were two wasm calls each.
   *
   *   slot: +0 TString* (LUA_VSHRSTR tag 0x44 at +8)
   *   TString: +7 lu_byte shrlen, +16 the bytes (what lua_tolstring returns)
   */
  shortStringBelowTop(L: LuaState, depth: number): string | null {
    if (this.stackLayout === null) this.stackLayout = this.stackLayoutHolds(L);
    if (!this.stackLayout) return null;
    if (this.heap32.length === 0) this.refreshViews();
    const slot = this.heap32[(L + STATE_TOP) >> 2]! - depth * STACK_SLOT;
    const heap = this.heapBuffer;
    if (heap[slot + TVALUE_TAG] !== TAG_SHORT_STRING) return null;
    const string = this.heap32[slot >> 2]!;
    return this.stringAt(string + TSTRING_CONTENTS, heap[string + TSTRING_SHRLEN]!);
  }

  /** lua_tonumberx: the number at `index` (strings convertible to numbers too); null when not a number. */
  toNumber(L: LuaState, index: number): number | null {
    const value = this.m._lua_tonumberx(L, index, this.outPtr);
    return this.int32(this.outPtr) === 0 ? null : value;
  }

  toInteger(L: LuaState, index: number): bigint {
    return this.m._lua_tointegerx(L, index, 0);
  }

  pushInteger(L: LuaState, value: number | bigint): void {
    this.m._lua_pushinteger(L, typeof value === 'bigint' ? value : luaInteger(value));
  }

  /**
   * lua_pushinteger without crossing into WebAssembly, for a stack the
   * caller made room on (lua_checkstack): the value is written into the
   * slot at L->top and top moves one slot, as lapi.c's setivalue and
   * api_incr_top do. A redis.call returning an integer (INCR, a counter
   * past the small-integer table) otherwise made a BigInt for the boundary
   * and a wasm call: about 40 ns of an EVALSHA's 1.4 us in-process.
   *
   * Lua 5.4's layout on wasm32 (lstate.h, lobject.h):
   *
   *   lua_State  +12  StkId top      the first free slot
   *   StackValue      16 bytes: +0 the value (an int64, little-endian),
   *                   +8 the type tag (LUA_VNUMINT = 3), not collectable
   *
   * Checked once against the runtime's own lua_pushinteger (stackLayoutHolds);
   * if it differs (another Lua build) every push goes through the API.
   */
  pushIntegerOnReservedStack(L: LuaState, value: number | bigint): void {
    if (this.stackLayout === null) this.stackLayout = this.stackLayoutHolds(L);
    if (!this.stackLayout || typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.pushInteger(L, value);
      return;
    }
    if (this.heap32.length === 0) this.refreshViews();
    const heap32 = this.heap32;
    const topAt = (L + STATE_TOP) >> 2;
    const slot = heap32[topAt]!;
    const high = Math.floor(value / 4294967296);
    heap32[slot >> 2] = value - high * 4294967296;
    heap32[(slot >> 2) + 1] = high;
    this.heapBuffer[slot + TVALUE_TAG] = TAG_INTEGER;
    heap32[topAt] = slot + STACK_SLOT;
  }

  /**
   * The integer on top of L's stack when it is one in the safe range,
   * read from its slot (the layout of pushIntegerOnReservedStack), else
   * null (the caller converts through the API): a script returning a
   * counter otherwise cost lua_type, lua_isinteger and lua_tointegerx with
   * a BigInt.
   */
  integerOnTop(L: LuaState): number | null {
    if (this.stackLayout === null) this.stackLayout = this.stackLayoutHolds(L);
    if (!this.stackLayout) return null;
    if (this.heap32.length === 0) this.refreshViews();
    const slot = this.heap32[(L + STATE_TOP) >> 2]! - STACK_SLOT;
    if (this.heapBuffer[slot + TVALUE_TAG] !== TAG_INTEGER) return null;
    const value = this.heap32[(slot >> 2) + 1]! * 4294967296 + (this.heap32[slot >> 2]! >>> 0);
    return Number.isSafeInteger(value) ? value : null;
  }

  /** null until checked: does this runtime's Lua keep L->top and integer slots where pushIntegerOnReservedStack writes them? */
  private stackLayout: boolean | null = null;

  private stackLayoutHolds(L: LuaState): boolean {
    const m = this.m;
    const top = m._lua_gettop(L);
    if (m._lua_checkstack(L, 4) === 0) return false;
    try {
      const probes = [0, 1, -1, 1234567, -98765432101, 2 ** 53 - 1, -(2 ** 53) + 1];
      for (const value of probes) {
        const slot = this.int32(L + STATE_TOP);
        m._lua_pushinteger(L, BigInt(value));
        if (this.int32(L + STATE_TOP) !== slot + STACK_SLOT) return false;
        const high = Math.floor(value / 4294967296);
        if (this.int32(slot) !== ((value - high * 4294967296) | 0) || this.int32(slot + 4) !== high || this.readUint8(slot + TVALUE_TAG) !== TAG_INTEGER) return false;
        m._lua_settop(L, top);
        // A float is not an integer on top, whatever its value.
        m._lua_pushnumber(L, value);
        if (this.readUint8(this.int32(L + STATE_TOP) - STACK_SLOT + TVALUE_TAG) === TAG_INTEGER) return false;
        m._lua_settop(L, top);
      }
      // And the other way: a written slot reads back through the API as that integer.
      for (const value of probes) {
        const slot = this.int32(L + STATE_TOP);
        const high = Math.floor(value / 4294967296);
        this.heap32[slot >> 2] = value - high * 4294967296;
        this.heap32[(slot >> 2) + 1] = high;
        this.heapBuffer[slot + TVALUE_TAG] = TAG_INTEGER;
        this.heap32[(L + STATE_TOP) >> 2] = slot + STACK_SLOT;
        if (m._lua_gettop(L) !== top + 1 || m._lua_isinteger(L, -1) === 0 || m._lua_tointegerx(L, -1, 0) !== BigInt(value)) return false;
        m._lua_settop(L, top);
      }
      // Short strings (up to LUAI_MAXSHORTLEN, 40 bytes) read as lua_tolstring reads them; a long one is not taken for one.
      for (const text of ['', 'a', 'incr', 'x'.repeat(23), 'y'.repeat(24), 'z'.repeat(40), 'w'.repeat(41)]) {
        this.pushString(L, text);
        const slot = this.int32(L + STATE_TOP) - STACK_SLOT;
        const isShort = this.readUint8(slot + TVALUE_TAG) === TAG_SHORT_STRING;
        if (isShort !== text.length <= 40) return false;
        if (isShort) {
          const string = this.int32(slot);
          const contents = m._lua_tolstring(L, -1, this.outPtr);
          if (contents !== string + TSTRING_CONTENTS || this.readUint8(string + TSTRING_SHRLEN) !== text.length || this.int32(this.outPtr) !== text.length) return false;
        }
        m._lua_settop(L, top);
      }
      return true;
    } finally {
      m._lua_settop(L, top);
    }
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

  /**
   * Sets table[name]: pops the value on top into the table at `index`
   * (lua_setfield with an interned C string: one call, no copy). Only for
   * tables without a __newindex (new tables, the real globals).
   */
  setField(L: LuaState, index: number, name: string): void {
    this.m._lua_setfield(L, index, this.cString(name));
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
    // Number() rounds past 2^53, and a rounded value is never a safe integer: exactness needs no BigInt compare.
    const number = Number(value);
    return Number.isSafeInteger(number) ? number : value;
  }

  get resultsOut(): number {
    return this.outPtr;
  }

  readInt32(ptr: number): number {
    return this.int32(ptr);
  }

  /** A byte of the heap. */
  readUint8(ptr: number): number {
    return this.heap()[ptr]!;
  }

  /**
   * The heap's current byte view, for a reader that takes many bytes in a
   * row (lua-table-shape.ts): one check that the memory did not grow,
   * then plain indexing, where readUint8 made a call and a check per byte.
   * Valid until the next call into WebAssembly (which may grow the memory).
   */
  heapBytes(): Buffer {
    if (this.heapBuffer.length === 0) this.refreshViews();
    return this.heapBuffer;
  }

  /** The heap's current int32 view (index: address >> 2), valid as heapBytes(). */
  heapWords(): Int32Array {
    if (this.heap32.length === 0) this.refreshViews();
    return this.heap32;
  }
}
