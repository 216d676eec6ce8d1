/**
 * LuaRuntime.pushIntegerOnReservedStack against the Lua the engine ships:
 * its layout check passes (a wasmoon whose Lua moved lua_State's top or
 * the integer tag would fall back to lua_pushinteger: this test says so
 * instead), what it writes is, through the C API, the integer it was
 * given, on top of what was already on the stack, also after the stack
 * was reallocated to grow; integerOnTop reads back only integers and
 * shortStringBelowTop only short strings.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LuaRuntime, LuaType, type LuaState } from './lua-runtime';

let rt: LuaRuntime;
let L: LuaState;

beforeAll(async () => {
  rt = await LuaRuntime.create();
  L = rt.newState();
});

afterAll(() => {
  rt.m._lua_close(L);
});

const VALUES = [0, 1, -1, 1023, 1024, 65_535, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 123_456_789_012, 2 ** 53 - 1, -(2 ** 53 - 1)];

it('writes each integer where lua_tointegerx reads it, one slot above the last', () => {
  const m = rt.m;
  rt.pushString(L, 'below');
  for (const value of VALUES) {
    expect(m._lua_checkstack(L, 4)).not.toBe(0);
    rt.pushIntegerOnReservedStack(L, value);
  }
  expect((rt as unknown as { stackLayout: boolean | null }).stackLayout, 'the layout check failed: integers go through lua_pushinteger').toBe(true);
  expect(m._lua_gettop(L)).toBe(VALUES.length + 1);
  VALUES.forEach((value, i) => {
    const index = i + 2;
    expect(m._lua_type(L, index)).toBe(LuaType.NUMBER);
    expect(m._lua_isinteger(L, index)).not.toBe(0);
    expect(m._lua_tointegerx(L, index, 0)).toBe(BigInt(value));
  });
  expect(rt.toString(L, 1)).toBe('below');
  m._lua_settop(L, 0);
});

it('keeps writing at the top after the stack grew (a reallocated stack)', () => {
  const m = rt.m;
  const count = 5000;
  for (let i = 0; i < count; i++) {
    expect(m._lua_checkstack(L, 4)).not.toBe(0);
    rt.pushIntegerOnReservedStack(L, 1_000_000 + i);
  }
  expect(m._lua_gettop(L)).toBe(count);
  for (const i of [0, 1, 2499, count - 1]) expect(m._lua_tointegerx(L, i + 1, 0)).toBe(BigInt(1_000_000 + i));
  m._lua_settop(L, 0);
});

it('passes a bigint or an unsafe number through lua_pushinteger', () => {
  const m = rt.m;
  expect(m._lua_checkstack(L, 4)).not.toBe(0);
  rt.pushIntegerOnReservedStack(L, -(2n ** 63n));
  rt.pushIntegerOnReservedStack(L, 2n ** 63n - 1n);
  expect(m._lua_tointegerx(L, 1, 0)).toBe(-(2n ** 63n));
  expect(m._lua_tointegerx(L, 2, 0)).toBe(2n ** 63n - 1n);
  m._lua_settop(L, 0);
});

it('reads the integer on top of the stack, and nothing else as one', () => {
  const m = rt.m;
  for (const value of VALUES) {
    m._lua_pushinteger(L, BigInt(value));
    expect(rt.integerOnTop(L)).toBe(value);
    m._lua_settop(L, 0);
  }
  m._lua_pushinteger(L, 7n);
  m._lua_pushnumber(L, 7);
  expect(rt.integerOnTop(L), 'a float of an integral value').toBeNull();
  rt.pushString(L, '7');
  expect(rt.integerOnTop(L), 'a string').toBeNull();
  m._lua_pushinteger(L, 2n ** 53n);
  expect(rt.integerOnTop(L), 'past 2^53: the API gives the BigInt').toBeNull();
  m._lua_pushinteger(L, -(2n ** 63n));
  expect(rt.integerOnTop(L)).toBeNull();
  m._lua_settop(L, 1);
  expect(rt.integerOnTop(L)).toBe(7);
  m._lua_settop(L, 0);
});

it('reads the short strings below the top as lua_tolstring does, and nothing else as one', () => {
  const m = rt.m;
  const texts = ['', 'incr', 'counter', 'é\u00ff\u0001', 'x'.repeat(23), 'y'.repeat(24), 'z'.repeat(40)];
  for (const text of texts) rt.pushString(L, text);
  texts.forEach((text, i) => expect(rt.shortStringBelowTop(L, texts.length - i)).toBe(text));
  // The same bytes again are the same JS string (the by-address cache), a different string at that address is not.
  expect(rt.shortStringBelowTop(L, texts.length - 1)).toBe('incr');
  m._lua_settop(L, 0);
  rt.pushString(L, 'w'.repeat(41));
  m._lua_pushinteger(L, 5n);
  m._lua_pushnumber(L, 2.5);
  m._lua_pushnil(L);
  m._lua_createtable(L, 0, 0);
  for (let depth = 1; depth <= 5; depth++) expect(rt.shortStringBelowTop(L, depth), `slot ${depth} below the top`).toBeNull();
  m._lua_settop(L, 0);
});
