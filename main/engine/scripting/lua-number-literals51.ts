/**
 * A script's numeric literals as Lua 5.1's doubles.
 *
 * Lua 5.1 (redis-server 7.0's) has one number type, a double, printed with
 * "%.14g". Lua 5.4, which the engine runs, reads a literal without a point
 * or an exponent as an integer (its subtype), and integer arithmetic stays
 * integer: `100000000000000 .. ''` prints in full where 5.1 prints
 * "1e+14" (so does `redis.call('INCRBY', k, 1000000000000000)`'s argument:
 * 5.1 sends "1e+15" and Redis refuses it), a counter doubled 64 times wraps
 * to 0 where 5.1 reaches 1.8446744073709552e19, and `3 % 0` raises
 * "attempt to perform 'n%%0'" where 5.1 gives nan.
 *
 * The compiler's number representation is fixed in the wasm build, and
 * rewriting the source would have to re-lex Lua. Instead the compiled
 * function is changed in place, before it ever runs: an integer literal
 * reaches the VM in exactly two ways (lcode.c), both rewritten here in
 * every prototype of the chunk:
 *  - a constant (Proto.k) tagged LUA_VNUMINT: retagged LUA_VNUMFLT with
 *    the value converted as C's (double) cast converts it (the TValue's
 *    size and layout are the same for both);
 *  - OP_LOADI A sBx, the small-integer load: made OP_LOADF A sBx, which
 *    loads the same sBx as a float (same instruction format).
 * Then every number a script writes is a float, arithmetic on floats stays
 * float (no wrap-around, `%` by zero is fmod's nan), `for` loops over
 * literals are float loops as in 5.1, and floats print with "%.14g"
 * (lua-float-text51.ts). Table keys are unaffected: 5.4 normalizes a float
 * key with an integral value to the integer key.
 *
 * Left as 5.4 does it (the README lists them): immediate operands other
 * than LOADI's (OP_ADDI's `x + 1`, the comparisons' `x < 1`) stay integers,
 * which changes nothing while `x` is a float; integers that do not come
 * from a literal (`#t`, string.len, tonumber('12'), an integer a C function
 * returns) are still integers; the compiler folds constant expressions
 * before this runs, so `9223372036854775807 + 1` and `0xffffffffffffffff`
 * are folded (or read) with 5.4's wrap-around first; chunks compiled by
 * loadstring inside a script keep 5.4's integers.
 *
 * The offsets below are lobject.h's for Lua 5.4 on wasm32; `check` proves
 * them on a probe chunk before the first use, and a build where they do not
 * hold throws rather than write to the wrong bytes.
 */
import { LuaStatus, type LuaRuntime, type LuaState } from './lua-runtime';

/** LClosure: CommonHeader (next 4, tt 1, marked 1), nupvalues 1, gclist at 8, Proto *p at 12. */
const CLOSURE_TT = 4;
const CLOSURE_PROTO = 12;
/** LUA_VLCL: a Lua closure's tag. */
const TAG_LUA_CLOSURE = 0x06;
/** Proto: tt at 4, sizek 16, sizecode 20, sizep 28, k 48, code 52, p 56. */
const PROTO_TT = 4;
const PROTO_SIZEK = 16;
const PROTO_SIZECODE = 20;
const PROTO_SIZEP = 28;
const PROTO_K = 48;
const PROTO_CODE = 52;
const PROTO_P = 56;
/** LUA_VPROTO. */
const TAG_PROTO = 0x0a;
/** TValue: the 8-byte value then its tag byte, 16 bytes in all. */
const TVALUE_SIZE = 16;
const TVALUE_TAG = 8;
const TAG_INTEGER = 0x03;
const TAG_FLOAT = 0x13;
/** lopcodes.h: the opcode is an instruction's low 7 bits; OP_LOADI is 1, OP_LOADF 2; sBx is bits 15-31 less 65535. */
const OPCODE_MASK = 0x7f;
const OP_LOADI = 1;
const OP_LOADF = 2;
const SBX_OFFSET = 65535;

/** The probe: one integer constant (too big for LOADI), one LOADI, and a nested prototype with a LOADI of its own. */
const PROBE = 'return 7, 100000000000000, function() return -9 end';

export class NumberLiterals51 {
  private checked = false;

  constructor(private readonly rt: LuaRuntime) {}

  /** Makes the integer literals of the Lua function on top of L's stack floats. */
  convert(L: LuaState): void {
    if (!this.checked) {
      this.check(L);
      this.checked = true;
    }
    this.convertClosure(this.rt.m._lua_topointer(L, -1));
  }

  private convertClosure(closure: number): void {
    const m = this.rt.m;
    const heap = m.HEAPU8;
    const heap32 = m.HEAP32;
    const heapF64 = m.HEAPF64;
    if (heap[closure + CLOSURE_TT] !== TAG_LUA_CLOSURE) throw new Error('not a Lua closure: its literals cannot be made Lua 5.1 numbers');
    const pending = [heap32[(closure + CLOSURE_PROTO) >> 2]!];
    while (pending.length > 0) {
      const proto = pending.pop()!;
      if (heap[proto + PROTO_TT] !== TAG_PROTO) throw new Error('not a Lua prototype: its literals cannot be made Lua 5.1 numbers');
      const k = heap32[(proto + PROTO_K) >> 2]!;
      for (let i = 0, n = heap32[(proto + PROTO_SIZEK) >> 2]!; i < n; i++) {
        const slot = k + i * TVALUE_SIZE;
        if (heap[slot + TVALUE_TAG] !== TAG_INTEGER) continue;
        // high * 2^32 is exact; adding the low word rounds once, to nearest, as C's (double) cast of the int64 does.
        const value = heap32[(slot >> 2) + 1]! * 4294967296 + (heap32[slot >> 2]! >>> 0);
        heapF64[slot >> 3] = value;
        heap[slot + TVALUE_TAG] = TAG_FLOAT;
      }
      const code = heap32[(proto + PROTO_CODE) >> 2]!;
      for (let i = 0, n = heap32[(proto + PROTO_SIZECODE) >> 2]!; i < n; i++) {
        const at = (code >> 2) + i;
        const instruction = heap32[at]!;
        if ((instruction & OPCODE_MASK) === OP_LOADI) heap32[at] = (instruction & ~OPCODE_MASK) | OP_LOADF;
      }
      const nested = heap32[(proto + PROTO_P) >> 2]!;
      for (let i = 0, n = heap32[(proto + PROTO_SIZEP) >> 2]!; i < n; i++) pending.push(heap32[(nested >> 2) + i]!);
    }
  }

  /**
   * Compiles the probe, checks that the bytes at the offsets above are what
   * it compiled to, converts it and runs it: its three results must be the
   * floats 7, 1e14 and (from the nested function) -9.
   */
  private check(L: LuaState): void {
    const rt = this.rt;
    const m = rt.m;
    const top = m._lua_gettop(L);
    try {
      const error = rt.load(L, PROBE, '=probe');
      if (error !== null) throw new Error(error);
      const heap = m.HEAPU8;
      const heap32 = m.HEAP32;
      const closure = m._lua_topointer(L, -1);
      const proto = heap32[(closure + CLOSURE_PROTO) >> 2]!;
      const k = heap32[(proto + PROTO_K) >> 2]!;
      const nested = heap32[(heap32[(proto + PROTO_P) >> 2]! >> 2)]!;
      const loadsI = (p: number, value: number): boolean => {
        const code = heap32[(p + PROTO_CODE) >> 2]!;
        for (let i = 0, n = heap32[(p + PROTO_SIZECODE) >> 2]!; i < n; i++) {
          const instruction = heap32[(code >> 2) + i]!;
          if ((instruction & OPCODE_MASK) === OP_LOADI && (instruction >>> 15) - SBX_OFFSET === value) return true;
        }
        return false;
      };
      const layoutHolds = heap[closure + CLOSURE_TT] === TAG_LUA_CLOSURE && heap[proto + PROTO_TT] === TAG_PROTO
        && heap32[(proto + PROTO_SIZEK) >> 2] === 1 && heap[k + TVALUE_TAG] === TAG_INTEGER
        && heap32[k >> 2] === (100000000000000 % 4294967296 | 0) && heap32[(k >> 2) + 1] === Math.floor(100000000000000 / 4294967296)
        && heap32[(proto + PROTO_SIZEP) >> 2] === 1 && heap[nested + PROTO_TT] === TAG_PROTO && heap32[(nested + PROTO_SIZEK) >> 2] === 0
        && loadsI(proto, 7) && loadsI(nested, -9);
      if (!layoutHolds) throw new Error('its prototypes are not laid out as lobject.h for Lua 5.4 on wasm32 says');
      this.convertClosure(closure);
      if (m._lua_pcallk(L, 0, 3, 0, 0, 0) !== LuaStatus.OK) throw new Error(rt.toString(L, -1) ?? 'the probe failed');
      if (m._lua_pcallk(L, 0, 1, 0, 0, 0) !== LuaStatus.OK) throw new Error(rt.toString(L, -1) ?? 'the probe failed');
      const floats = [-3, -2, -1].map((index) => m._lua_isinteger(L, index) === 0 ? m._lua_tonumberx(L, index, 0) : null);
      if (floats.join() !== '7,100000000000000,-9') throw new Error(`the converted probe returned ${floats.join()}`);
    } catch (failure) {
      throw new Error(`Lua integer literals cannot be made Lua 5.1 numbers: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      m._lua_settop(L, top);
    }
  }
}
