/**
 * The heap reader of table shapes against the Lua the engine ships: its
 * layout check passes (a wasmoon whose Lua changed the layout would fall
 * back to the slower API walk: this test says so instead), and it tells
 * tables that hold only keys 1..n from tables a script changed, whatever
 * part of the table (array or hash) the keys ended up in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { luaInteger, LuaRuntime, type LuaState } from './lua-runtime';
import { TableShapeReader } from './lua-table-shape';

let rt: LuaRuntime;
let L: LuaState;
let reader: TableShapeReader;

beforeAll(async () => {
  rt = await LuaRuntime.create();
  L = rt.newState();
  rt.m._luaL_openlibs(L);
  const made = TableShapeReader.create(rt, L);
  expect(made, 'the layout check failed: this Lua build is read through the C API').not.toBeNull();
  reader = made!;
});

afterAll(() => {
  rt.m._lua_close(L);
});

/** Runs `source` (a chunk returning one table) and returns the table's address; the table stays on the stack. */
function tableOf(source: string): number {
  expect(rt.load(L, source, '@test')).toBeNull();
  expect(rt.m._lua_pcallk(L, 0, 1, 0, 0, 0)).toBe(0);
  return rt.m._lua_topointer(L, -1);
}

describe('TableShapeReader.holdsOnlyIndices', () => {
  it('accepts tables holding integer keys 1..n only, nil entries included', () => {
    expect(reader.holdsOnlyIndices(tableOf('return {}'), 0)).toBe(true);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', 'b', 'c'}"), 3)).toBe(true);
    expect(reader.holdsOnlyIndices(tableOf("local t = {'a', 'b', 'c'} t[2] = nil return t"), 3)).toBe(true);
    // Keys added one by one from the top land in the hash part first.
    expect(reader.holdsOnlyIndices(tableOf('local t = {} for i = 300, 1, -1 do t[i] = i end return t'), 300)).toBe(true);
    expect(reader.holdsOnlyIndices(tableOf("local t = {x = 1} t.x = nil t[1] = 'a' return t"), 1)).toBe(true);
    rt.m._lua_settop(L, 0);
  });

  it('refuses a key past n, a key of another type, a metatable', () => {
    expect(reader.holdsOnlyIndices(tableOf("return {'a', 'b', 'c'}"), 2)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("local t = {'a'} table.insert(t, 'b') return t"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', extra = 1}"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', [1.5] = 1}"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', ['1'] = 1}"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', [0] = 1}"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', [-1] = 1}"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return {'a', [2^40] = 1}"), 1)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf('local t = {} t[1000] = 1 return t'), 999)).toBe(false);
    expect(reader.holdsOnlyIndices(tableOf("return setmetatable({'a'}, {})"), 1)).toBe(false);
    rt.m._lua_settop(L, 0);
  });

  it('sees a table change in place, as a script changes KEYS between two checks', () => {
    rt.m._lua_createtable(L, 0, 0);
    const table = rt.m._lua_topointer(L, -1);
    for (let i = 1; i <= 20; i++) {
      rt.pushString(L, `v${i}`);
      rt.m._lua_rawseti(L, -2, luaInteger(i));
      expect(reader.holdsOnlyIndices(table, i)).toBe(true);
      expect(reader.holdsOnlyIndices(table, i - 1)).toBe(false);
    }
    rt.pushString(L, 'x');
    rt.setField(L, -2, 'name');
    expect(reader.holdsOnlyIndices(table, 20)).toBe(false);
    rt.m._lua_pushnil(L);
    rt.setField(L, -2, 'name');
    expect(reader.holdsOnlyIndices(table, 20)).toBe(true);
    rt.m._lua_settop(L, 0);
  });
});

describe('TableShapeReader.holdsShortString', () => {
  it('tells the exact short string at an index of the array part, and nothing else', () => {
    const table = tableOf("local t = {'counter', 'x', 42, 'k\\0z', ''} t[6] = string.rep('a', 40) t[7] = string.rep('a', 41) return t");
    expect(reader.holdsShortString(table, 1, 'counter')).toBe(true);
    expect(reader.holdsShortString(table, 1, 'counteR')).toBe(false);
    expect(reader.holdsShortString(table, 1, 'counte')).toBe(false);
    expect(reader.holdsShortString(table, 1, 'counters')).toBe(false);
    expect(reader.holdsShortString(table, 2, 'counter')).toBe(false);
    expect(reader.holdsShortString(table, 3, '42')).toBe(false);
    expect(reader.holdsShortString(table, 4, 'k\0z')).toBe(true);
    expect(reader.holdsShortString(table, 5, '')).toBe(true);
    expect(reader.holdsShortString(table, 6, 'a'.repeat(40))).toBe(true);
    // Past 40 bytes a string is not interned: the reader does not answer for it.
    expect(reader.holdsShortString(table, 7, 'a'.repeat(41))).toBe(false);
    expect(reader.holdsShortString(table, 8, '')).toBe(false);
    expect(reader.holdsShortString(table, 1000, 'counter')).toBe(false);
    rt.m._lua_settop(L, 0);
  });

  it('follows a value changed in place, and says no for a key held in the hash part', () => {
    rt.m._lua_createtable(L, 0, 0);
    const table = rt.m._lua_topointer(L, -1);
    rt.pushString(L, 'same');
    rt.m._lua_rawseti(L, -2, luaInteger(1));
    expect(reader.holdsShortString(table, 1, 'same')).toBe(true);
    rt.pushString(L, 'samf');
    rt.m._lua_rawseti(L, -2, luaInteger(1));
    expect(reader.holdsShortString(table, 1, 'same')).toBe(false);
    expect(reader.holdsShortString(table, 1, 'samf')).toBe(true);
    rt.m._lua_settop(L, 0);
    const sparse = tableOf("local t = {} t[3] = 'c' return t");
    expect(reader.holdsShortString(sparse, 3, 'c')).toBe(false);
    rt.m._lua_settop(L, 0);
  });
});
