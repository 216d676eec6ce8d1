/**
 * The order in which Lua 5.1 (what Redis embeds) walks a table's keys with
 * lua_next, for everything whose output shows it: pairs() and next() in a
 * script, cjson.encode's object members, cmsgpack.pack's map entries, and
 * the fields of a RESP3 map or set a script returns. Lua 5.4 hashes
 * strings with another (seeded) function and lays tables out differently,
 * so its own order is unrelated to 5.1's.
 *
 * 5.1's layout depends on the keys, the table's sizes and the order the
 * keys came in (collisions, rehash re-insertions; lua-table-history51.ts
 * replays them). Two cases:
 *  - The insertion history is known: tables Redis's C code fills (a RESP3
 *    map or set from redis.call, cjson.decode's objects, cmsgpack.unpack's
 *    maps) record it in a weak registry table while they are filled. The
 *    history is replayed, then the keys the script added since are
 *    inserted in the fixed order below: exact, collisions included, when
 *    the script added at most one key (or its additions did not collide).
 *  - Unknown (a table the script built): the keys are placed into a table
 *    sized for them (the array part as computesizes makes it, the smallest
 *    power-of-two node part holding the rest, as a constructor presizes
 *    one) in a fixed order (numbers, booleans, strings, each ascending).
 *    That is 5.1's order exactly when no two keys share a main position,
 *    and the same near miss on every run otherwise.
 * Keys 5.1 hashes by address (tables, functions, userdata) have no
 * reproducible position: they come last, in 5.4's order.
 *
 * keyOrder51Function is a Lua C function (t) -> {keys of t in that order}
 * that the sandbox's pairs/next and the encoders call.
 */
import { computeArraySize, type Key51, keyId, placementOrder, Table51 } from './lua-table-history51';
import { luaInteger, type LuaRuntime, type LuaState, LuaType, LUA_REGISTRYINDEX } from './lua-runtime';

/** Registry field of the weak-keyed table: table -> its insertion history {key1, live1, key2, live2, ...}. */
const HISTORY_FIELD = 'replscope.insertions51';

/** Pushes the registry's weak-keyed history table, creating it the first time. */
export function pushHistories(rt: LuaRuntime, L: LuaState): void {
  const m = rt.m;
  if (rt.getField(L, LUA_REGISTRYINDEX, HISTORY_FIELD) === LuaType.TABLE) return;
  m._lua_settop(L, -2);
  m._lua_createtable(L, 0, 0);
  m._lua_createtable(L, 0, 1);
  rt.pushString(L, 'k');
  rt.setField(L, -2, '__mode');
  m._lua_setmetatable(L, -2);
  m._lua_pushvalue(L, -1);
  rt.setField(L, LUA_REGISTRYINDEX, HISTORY_FIELD);
}

/** The key at `index` as Lua 5.1 would hash it; null for keys hashed by address. Never converts the value in place. */
export function readKey51(rt: LuaRuntime, L: LuaState, index: number): Key51 | null {
  const m = rt.m;
  switch (m._lua_type(L, index)) {
    case LuaType.STRING: return { kind: 'string', value: rt.toString(L, index) ?? '' };
    case LuaType.NUMBER:
      return { kind: 'number', value: m._lua_isinteger(L, index) !== 0 ? Number(rt.toInteger(L, index)) : rt.toNumber(L, index) ?? 0 };
    case LuaType.BOOLEAN: return { kind: 'boolean', value: m._lua_toboolean(L, index) !== 0 };
    default: return null;
  }
}

interface Insertion { readonly key: Key51; readonly live: boolean }

/** The recorded insertions of the table at `table` (absolute index); null when none were recorded. */
function readHistory(rt: LuaRuntime, L: LuaState, table: number): Insertion[] | null {
  const m = rt.m;
  const top = m._lua_gettop(L);
  try {
    pushHistories(rt, L);
    m._lua_pushvalue(L, table);
    if (m._lua_rawget(L, -2) !== LuaType.TABLE) return null;
    const history = m._lua_gettop(L);
    const insertions: Insertion[] = [];
    for (let i = 1; ; i += 2) {
      if (m._lua_rawgeti(L, history, luaInteger(i)) === LuaType.NIL) break;
      const key = readKey51(rt, L, -1);
      if (key === null) return null;
      m._lua_rawgeti(L, history, luaInteger(i + 1));
      insertions.push({ key, live: m._lua_toboolean(L, -1) !== 0 });
      m._lua_settop(L, history);
    }
    return insertions;
  } finally {
    m._lua_settop(L, top);
  }
}

/** Whether the keys are exactly the integers 1..n (a sequence: 5.1 walks it 1..n from its array part). */
function isSequence(keys: readonly (Key51 | null)[]): boolean {
  const n = keys.length;
  for (const key of keys) {
    if (key === null || key.kind !== 'number' || !Number.isInteger(key.value) || key.value < 1 || key.value > n) return false;
  }
  return true; // n distinct keys within 1..n
}

/**
 * The positions in `keys` (a table's current keys, null for keys hashed by
 * address) in Lua 5.1's walk order, given the table's recorded insertions
 * or null when they are unknown.
 */
export function order51(keys: readonly (Key51 | null)[], history: readonly Insertion[] | null): number[] {
  const hashed: Key51[] = [];
  const byAddress: number[] = [];
  // Table51 keeps the key objects it is given: the walk's keys map back to positions by identity.
  const positionOf = new Map<Key51, number>();
  for (let position = 0; position < keys.length; position++) {
    const key = keys[position]!;
    if (key === null) byAddress.push(position);
    else {
      hashed.push(key);
      positionOf.set(key, position);
    }
  }
  hashed.sort(placementOrder);
  let simulated: Table51;
  if (history !== null) {
    const current = new Map<string, Key51>();
    for (const key of hashed) current.set(keyId(key), key);
    simulated = new Table51();
    for (const insertion of history) simulated.set(insertion.key, insertion.live);
    const replayed = new Set<string>();
    for (const insertion of history) {
      const id = keyId(insertion.key);
      if (replayed.has(id)) continue;
      replayed.add(id);
      const now = current.get(id);
      simulated.assign(insertion.key, now !== undefined);
      if (now !== undefined) positionOf.set(insertion.key, positionOf.get(now)!);
    }
    for (const key of hashed) if (!replayed.has(keyId(key))) simulated.set(key, true);
  } else {
    const integers: number[] = [];
    for (const key of hashed) if (key.kind === 'number' && Number.isInteger(key.value) && key.value >= 1) integers.push(key.value);
    const arraySize = computeArraySize(integers);
    let inArray = 0;
    for (const value of integers) if (value <= arraySize) inArray++;
    simulated = Table51.presized(arraySize, hashed.length - inArray + byAddress.length);
    for (const key of hashed) simulated.set(key, true);
  }
  // The array part's keys come out of the walk as new objects: they map back by value.
  const integerPosition = new Map<number, number>();
  for (const [key, position] of positionOf) if (key.kind === 'number') integerPosition.set(key.value, position);
  const order: number[] = [];
  for (const key of simulated.walk()) {
    const position = positionOf.get(key) ?? (key.kind === 'number' ? integerPosition.get(key.value) : undefined);
    if (position !== undefined) order.push(position);
  }
  return order.concat(byAddress);
}

/**
 * With the table at `table` (absolute index): pushes a new array of its
 * keys in Lua 5.1's walk order. A sequence 1..n (most tables scripts walk)
 * skips the simulation.
 */
export function pushKeysInOrder51(rt: LuaRuntime, L: LuaState, table: number): void {
  const m = rt.m;
  if (m._lua_checkstack(L, 6) === 0) throw new Error('lua stack limit reached');
  m._lua_createtable(L, 0, 0);
  const found = m._lua_gettop(L);
  const keys: (Key51 | null)[] = [];
  m._lua_pushnil(L);
  while (m._lua_next(L, table) !== 0) {
    m._lua_settop(L, -2);
    keys.push(readKey51(rt, L, -1));
    m._lua_pushvalue(L, -1);
    m._lua_rawseti(L, found, luaInteger(keys.length));
  }
  if (keys.length <= 1) return;
  m._lua_createtable(L, keys.length, 0);
  if (isSequence(keys)) {
    for (let i = 1; i <= keys.length; i++) {
      m._lua_pushinteger(L, luaInteger(i));
      m._lua_rawseti(L, -2, luaInteger(i));
    }
  } else {
    const order = order51(keys, readHistory(rt, L, table));
    order.forEach((position, i) => {
      m._lua_rawgeti(L, found, luaInteger(position + 1));
      m._lua_rawseti(L, -2, luaInteger(i + 1));
    });
  }
  m._lua_rotate(L, found, 1);
  m._lua_settop(L, found);
}

/** The Lua C function keysInOrder51(t): the keys of table t in Lua 5.1's walk order, as a new array. */
export function keyOrder51Function(rt: LuaRuntime): number {
  return rt.cFunction((L) => {
    if (rt.m._lua_type(L, 1) !== LuaType.TABLE) throw new Error('keysInOrder51: table expected');
    pushKeysInOrder51(rt, L, 1);
    return 1;
  });
}
