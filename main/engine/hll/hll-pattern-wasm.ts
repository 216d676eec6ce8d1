/**
 * hllPatLen (hyperloglog.c: MurmurHash64A of the element, seed 0xadc83b19,
 * then the register index and the run of zeros above it) as a tiny
 * WebAssembly function, which has the 64-bit multiply JS lacks: the
 * 32-bit-halves JS version (murmur-hash64a.ts) spends ~70-85 ns on a
 * 20-byte element (node 20, in process, the bench's "element:<12 digits>",
 * the shared 2-core machine under load), eight 64x64-bit products built
 * from float and Math.imul steps; here ~51-53 ns, of which the call and
 * the hash are ~21 and the rest is the byte-by-byte copy into the
 * module's memory.
 *
 * The element's bytes are copied to offset 0 of the module's own memory
 * (one 64 KiB page, never grown) and `pattern(0, length)` returns
 * `length * HLL_REGISTERS + index` like hll-layout.ts hllPattern, as an
 * int32 (a count is at most 51). Longer elements, and a runtime without
 * WebAssembly, use the JS version; both give the same value for the same
 * bytes (murmur-hash64a.test.ts checks them against a BigInt rendering of
 * Redis's C, and each other).
 *
 * The module is written out below as its instructions, assembled once at
 * load (a few hundred bytes), so it is reviewed here, not as a binary.
 */

const HLL_P = 14;
/** MurmurHash64A's multiplier and shift. */
const M = 0xc6a4a7935bd1e995n;
const R = 47n;
const SEED = 0xadc83b19n;
/** Elements up to this many bytes are hashed in WebAssembly (one page). */
export const WASM_PATTERN_MAX_BYTES = 65536;

// Opcodes (WebAssembly core spec, binary format).
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, VOID = 0x40;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21, LOCAL_TEE = 0x22;
const I64_LOAD = 0x29, I64_LOAD8_U = 0x31;
const I32_CONST = 0x41, I64_CONST = 0x42;
const I32_EQZ = 0x45, I32_EQ = 0x46, I32_ADD = 0x6a, I32_SUB = 0x6b, I32_AND = 0x71;
const I64_CTZ = 0x7a, I64_ADD = 0x7c, I64_MUL = 0x7e, I64_AND = 0x83, I64_OR = 0x84, I64_XOR = 0x85, I64_SHL = 0x86, I64_SHR_U = 0x88;
const I32_WRAP_I64 = 0xa7, I64_EXTEND_I32_U = 0xad;
const I32 = 0x7f, I64 = 0x7e;

/** Signed LEB128 (i32.const / i64.const immediates; a 64-bit constant is taken as its two's complement). */
function sleb(value: bigint): number[] {
  let rest = BigInt.asIntN(64, value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if ((rest === 0n && (byte & 0x40) === 0) || (rest === -1n && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const i64 = (value: bigint): number[] => [I64_CONST, ...sleb(value)];
const i32 = (value: number): number[] => [I32_CONST, ...sleb(BigInt(value))];
/** memarg: alignment hint 0 (any address), offset 0. */
const ANY_ALIGN = [0, 0];

// Locals: 0 data (i32, moves along the element), 1 length (i32), 2 h, 3 k, 4 tail value (i64), 5 block end, 6 tail index (i32).
const DATA = 0, LENGTH = 1, H = 2, K = 3, TAIL = 4, BLOCK_END = 5, J = 6;

/** `h *= m` style: the value on the stack times M. */
const TIMES_M = [...i64(M), I64_MUL];
/** x ^= x >> r on local `x`, leaving it on the stack. */
const xorShift = (x: number): number[] => [LOCAL_GET, x, LOCAL_GET, x, ...i64(R), I64_SHR_U, I64_XOR];

const BODY = [
  // h = seed ^ (len * m)
  ...i64(SEED), LOCAL_GET, LENGTH, I64_EXTEND_I32_U, ...TIMES_M, I64_XOR, LOCAL_SET, H,
  // blockEnd = data + (len & ~7)
  LOCAL_GET, DATA, LOCAL_GET, LENGTH, ...i32(-8), I32_AND, I32_ADD, LOCAL_SET, BLOCK_END,
  // Each 8-byte block, read little-endian: k *= m; k ^= k >> r; k *= m; h ^= k; h *= m.
  BLOCK, VOID, LOOP, VOID,
  LOCAL_GET, DATA, LOCAL_GET, BLOCK_END, I32_EQ, BR_IF, 1,
  LOCAL_GET, DATA, I64_LOAD, ...ANY_ALIGN, ...TIMES_M, LOCAL_SET, K,
  ...xorShift(K), ...TIMES_M, LOCAL_SET, K,
  LOCAL_GET, H, LOCAL_GET, K, I64_XOR, ...TIMES_M, LOCAL_SET, H,
  LOCAL_GET, DATA, ...i32(8), I32_ADD, LOCAL_SET, DATA,
  BR, 0, END, END,
  // The 1..7 tail bytes, little-endian (the C switch's fall-through): h ^= tail; h *= m.
  LOCAL_GET, LENGTH, ...i32(7), I32_AND, LOCAL_TEE, J,
  IF, VOID,
  ...i64(0n), LOCAL_SET, TAIL,
  BLOCK, VOID, LOOP, VOID,
  LOCAL_GET, J, I32_EQZ, BR_IF, 1,
  LOCAL_GET, J, ...i32(1), I32_SUB, LOCAL_SET, J,
  LOCAL_GET, TAIL, ...i64(8n), I64_SHL, LOCAL_GET, DATA, LOCAL_GET, J, I32_ADD, I64_LOAD8_U, ...ANY_ALIGN, I64_OR, LOCAL_SET, TAIL,
  BR, 0, END, END,
  LOCAL_GET, H, LOCAL_GET, TAIL, I64_XOR, ...TIMES_M, LOCAL_SET, H,
  END,
  // h ^= h >> r; h *= m; h ^= h >> r
  ...xorShift(H), ...TIMES_M, LOCAL_SET, H,
  ...xorShift(H), LOCAL_SET, H,
  // hllPatLen: count = ctz((h >> P) | 1 << Q) + 1 (Q = 50, the sentinel bit); result count << P | (h & (2^P - 1)).
  LOCAL_GET, H, ...i64(BigInt(HLL_P)), I64_SHR_U, ...i64(1n << 50n), I64_OR, I64_CTZ, ...i64(1n), I64_ADD, ...i64(BigInt(HLL_P)), I64_SHL,
  LOCAL_GET, H, ...i64(BigInt((1 << HLL_P) - 1)), I64_AND, I64_OR,
  I32_WRAP_I64,
  END,
];

/** Unsigned LEB128 of a section or body size. */
function uleb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (text: string): number[] => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];

function moduleBytes(): Uint8Array {
  // locals: 3 i64 (h, k, tail), 2 i32 (blockEnd, j), in that index order after the 2 params.
  const body = [2, 3, I64, 2, I32, ...BODY];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, I32, I32, 1, I32]), // type 0: (i32, i32) -> i32
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, 1]), // one memory, 1 page, no maximum
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('pattern'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

export interface WasmPattern {
  /** The module's memory from offset 0 (WASM_PATTERN_MAX_BYTES bytes): the element goes there. */
  readonly memory: Uint8Array;
  /** hllPattern of memory[0, length). */
  readonly pattern: (offset: number, length: number) => number;
}

/**
 * The part of the WebAssembly JS API used here: the engine compiles against
 * ES2023 and Node's types only (no DOM lib, where TypeScript declares it).
 */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: unknown };
}

function instantiate(): WasmPattern | null {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return null;
  const instance = new api.Instance(new api.Module(moduleBytes()));
  const exports = instance.exports as { memory: { buffer: ArrayBuffer }; pattern: (offset: number, length: number) => number };
  return { memory: new Uint8Array(exports.memory.buffer), pattern: exports.pattern };
}

/** The instantiated module, or null where WebAssembly is unavailable. */
export const wasmPattern: WasmPattern | null = instantiate();
