/**
 * Which keys a Lua table holds, read straight from the WebAssembly heap
 * instead of walked with lua_next (eval-arg-tables.ts asks after every
 * EVAL whether KEYS and ARGV still hold only the keys 1..n they were given:
 * with the C API that was about fourteen calls across the boundary per
 * run, a few percent of a pipelined EVAL; read from the heap it is none).
 *
 * The layout read is Lua 5.4's (lobject.h), on wasm32:
 *
 *   Table (Lua's GC never moves it; its address is lua_topointer's)
 *     +6  lu_byte flags       bit 7 (BITRAS) set: alimit is not the array's
 *                             real size, which is then the next power of 2
 *     +7  lu_byte lsizenode   the hash part has 2^lsizenode nodes
 *     +8  unsigned alimit
 *     +12 TValue *array       16 bytes a slot: the value, its type tag at +8
 *     +16 Node *node          24 bytes a node: the value's tag at +8, the
 *                             key's tag at +9, the key's value at +16
 *     +20 Node *lastfree      NULL: the hash part is the shared dummy node
 *     +24 Table *metatable
 *
 *   A type tag's low 4 bits are the basic type: 0 is nil (and the empty
 *   and dead-key variants), so a slot whose tag has low bits 0 holds
 *   nothing a script can see. An integer key's tag is 3 (LUA_VNUMINT).
 *   A short string's (LUA_VSHRSTR, collectable) is 0x44, its value the
 *   TString's address:
 *
 *   TString (short: at most 40 bytes, interned, so equal bytes are the
 *   same string)
 *     +7  lu_byte shrlen      its length
 *     +16 char contents[]     its bytes
 *
 * Nothing here trusts the layout blindly: create() builds tables through
 * the C API, changes them the ways a script could (a key past n, a string
 * key, a metatable, an entry set to nil) and checks that the reader sees
 * exactly that; if it does not (another Lua build), it returns null and
 * the caller walks the table through the API. The reader errs one way
 * only: anything it does not recognise reads as "holds other keys".
 */
import { luaInteger, type LuaRuntime, type LuaState } from './lua-runtime';

const TABLE_FLAGS = 6;
const TABLE_LSIZENODE = 7;
const TABLE_ALIMIT = 8;
const TABLE_ARRAY = 12;
const TABLE_NODE = 16;
const TABLE_LASTFREE = 20;
const TABLE_METATABLE = 24;
const BITRAS = 0x80;
const TVALUE_SIZE = 16;
const TVALUE_TAG = 8;
const NODE_SIZE = 24;
const NODE_KEY_TAG = 9;
const NODE_KEY_VALUE = 16;
const TAG_INTEGER = 3;
const TAG_SHORT_STRING = 0x44;
const TSTRING_SHRLEN = 7;
const TSTRING_CONTENTS = 16;
/** LUAI_MAXSHORTLEN: longer strings are not interned and have another layout. */
const MAX_SHORT_STRING = 40;

export class TableShapeReader {
  private constructor(private readonly rt: LuaRuntime) {}

  /** A reader whose layout was checked against this runtime's Lua, or null. */
  static create(rt: LuaRuntime, L: LuaState): TableShapeReader | null {
    const reader = new TableShapeReader(rt);
    const m = rt.m;
    const top = m._lua_gettop(L);
    try {
      m._lua_createtable(L, 0, 0);
      const table = m._lua_topointer(L, -1);
      const set = (index: number, value: string | null): void => {
        if (value === null) m._lua_pushnil(L);
        else rt.pushString(L, value);
        m._lua_rawseti(L, -2, luaInteger(index));
      };
      if (!reader.holdsOnlyIndices(table, 0)) return null;
      for (let i = 1; i <= 3; i++) set(i, `v${i}`);
      if (!reader.holdsOnlyIndices(table, 3) || reader.holdsOnlyIndices(table, 2)) return null;
      if (!reader.holdsShortString(table, 2, 'v2') || reader.holdsShortString(table, 2, 'v1') || reader.holdsShortString(table, 2, 'v')) return null;
      set(2, 'v22');
      if (!reader.holdsShortString(table, 2, 'v22') || reader.holdsShortString(table, 2, 'v2') || reader.holdsShortString(table, 4, 'v22')) return null;
      set(2, null);
      if (!reader.holdsOnlyIndices(table, 3) || reader.holdsShortString(table, 2, '')) return null;
      // Keys 1..5 spread over the array and the hash part, then one past them.
      set(5, 'v5');
      set(4, 'v4');
      if (!reader.holdsOnlyIndices(table, 5) || reader.holdsOnlyIndices(table, 4)) return null;
      set(40, 'v40');
      if (reader.holdsOnlyIndices(table, 5) || !reader.holdsOnlyIndices(table, 40)) return null;
      set(40, null);
      if (!reader.holdsOnlyIndices(table, 5)) return null;
      rt.pushString(L, 'x');
      rt.setField(L, -2, 'name');
      if (reader.holdsOnlyIndices(table, 5)) return null;
      m._lua_pushnil(L);
      rt.setField(L, -2, 'name');
      if (!reader.holdsOnlyIndices(table, 5)) return null;
      m._lua_createtable(L, 0, 0);
      m._lua_setmetatable(L, -2);
      if (reader.holdsOnlyIndices(table, 5)) return null;
      return reader;
    } finally {
      m._lua_settop(L, top);
    }
  }

  /**
   * Does the table at `table` (a lua_topointer address) have no metatable
   * and no non-nil entry other than at integer keys 1..count?
   */
  holdsOnlyIndices(table: number, count: number): boolean {
    // No call into WebAssembly below: the views stay valid throughout.
    const bytes = this.rt.heapBytes();
    const words = this.rt.heapWords();
    if (words[(table + TABLE_METATABLE) >> 2] !== 0) return false;
    const alimit = words[(table + TABLE_ALIMIT) >> 2]! >>> 0;
    const arraySize = (bytes[table + TABLE_FLAGS]! & BITRAS) === 0 ? alimit : nextPowerOfTwo(alimit);
    const array = words[(table + TABLE_ARRAY) >> 2]!;
    for (let i = count; i < arraySize; i++) {
      if ((bytes[array + i * TVALUE_SIZE + TVALUE_TAG]! & 0x0f) !== 0) return false;
    }
    if (words[(table + TABLE_LASTFREE) >> 2] === 0) return true;
    const nodes = 1 << bytes[table + TABLE_LSIZENODE]!;
    const node = words[(table + TABLE_NODE) >> 2]!;
    for (let i = 0; i < nodes; i++) {
      const at = node + i * NODE_SIZE;
      if ((bytes[at + TVALUE_TAG]! & 0x0f) === 0) continue;
      if (bytes[at + NODE_KEY_TAG] !== TAG_INTEGER) return false;
      const low = words[(at + NODE_KEY_VALUE) >> 2]!;
      const high = words[(at + NODE_KEY_VALUE + 4) >> 2]!;
      if (high !== 0 || low < 1 || low > count) return false;
    }
    return true;
  }

  /**
   * Does the table's array part hold, at integer key `index` (1-based), a
   * short string of exactly the bytes of `text` (a latin1 string)? False
   * whenever it cannot tell: the key in the hash part, a longer string,
   * another type.
   */
  holdsShortString(table: number, index: number, text: string): boolean {
    const length = text.length;
    if (length > MAX_SHORT_STRING) return false;
    const bytes = this.rt.heapBytes();
    const words = this.rt.heapWords();
    const alimit = words[(table + TABLE_ALIMIT) >> 2]! >>> 0;
    // alimit is at most the array's real size: a slot below it is in the array.
    if (index > alimit) return false;
    const slot = words[(table + TABLE_ARRAY) >> 2]! + (index - 1) * TVALUE_SIZE;
    if (bytes[slot + TVALUE_TAG] !== TAG_SHORT_STRING) return false;
    const string = words[slot >> 2]!;
    if (bytes[string + TSTRING_SHRLEN] !== length) return false;
    const contents = string + TSTRING_CONTENTS;
    for (let i = 0; i < length; i++) {
      if (bytes[contents + i] !== text.charCodeAt(i)) return false;
    }
    return true;
  }
}

function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}
