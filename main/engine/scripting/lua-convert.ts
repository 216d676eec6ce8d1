/**
 * Redis's type conversion rules between command replies and Lua values
 * (script_lua.c redisProtocolToLuaType_* and luaReplyToRedisReply), both
 * ways, in RESP2 and RESP3.
 *
 * Reply -> Lua (what redis.call returns), by the protocol the script chose
 * with redis.setresp (2 by default):
 *   integer -> number; bulk -> string; status -> {ok=s}; error -> {err=s};
 *   array -> table (a nil element leaves a hole);
 *   RESP2: nil bulk / nil array -> false; map -> flat array; set -> array;
 *          double -> its "%.17g" text; bool -> 1/0; verbatim and big
 *          number -> their text.
 *   RESP3: null -> nil; map -> {map={k=v}}; set -> {set={m=true}};
 *          double -> {double=n} (n read back from the reply's text, as
 *          strtod does); bool -> boolean; big number ->
 *          {big_number=s}; verbatim -> {verbatim_string={format=,string=}}.
 *
 * Lua -> reply (what a script returns): string -> bulk; number -> integer
 * (truncated toward zero, as the C cast does); boolean -> 1 or null in
 * RESP2 scripts, true/false in RESP3 ones; a table with a string 'err' ->
 * error, 'ok' -> status, numeric 'double' -> double, string 'big_number'
 * -> big number, 'verbatim_string' -> verbatim, table 'map' -> map, table
 * 'set' -> set (its keys), otherwise the array of t[1], t[2], ... up to
 * the first nil; anything else -> null. Tables are read raw (metatables
 * are never consulted), so a reply can never run Lua code.
 */
import { formatId } from '../keyspace/values/stream-id';
import { formatDouble17g } from '../resp/format-double';
import * as R from '../resp/reply';
import type { Reply } from '../resp/reply';
import { pushHistories, pushKeysInOrder51 } from './lua-key-order51';
import { luaInteger, type LuaRuntime, LuaType, LUA_REGISTRYINDEX, type LuaState } from './lua-runtime';
import { cString } from '../util/c-string';

/** Nesting at which a returned table is replaced by an error (Redis: its Lua C stack limit). */
const MAX_REPLY_DEPTH = 1000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export type ScriptResp = 2 | 3;

/** strtod of a double reply's RESP3 text: a decimal, or inf/-inf/nan as Redis prints them. */
function parseDoubleText(text: string): number {
  if (text === 'inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number.parseFloat(text);
}

/**
 * With [table, history, key, value] on top: appends key and whether value
 * is non-nil to history at slots position+1 and position+2.
 */
function recordInsertion(rt: LuaRuntime, L: LuaState, position: number, live: boolean): void {
  const m = rt.m;
  m._lua_pushvalue(L, -2);
  m._lua_rawseti(L, -4, luaInteger(position + 1));
  m._lua_pushboolean(L, live ? 1 : 0);
  m._lua_rawseti(L, -4, luaInteger(position + 2));
}

/** With [table, history] on top: files history under table (lua-key-order51.ts) and pops it. */
function keepHistory(rt: LuaRuntime, L: LuaState): void {
  const m = rt.m;
  pushHistories(rt, L);
  m._lua_pushvalue(L, -3);
  m._lua_pushvalue(L, -3);
  m._lua_rawset(L, -3);
  m._lua_settop(L, -3);
}

/**
 * Walks the table at `table`, converting each entry, in the order Redis's
 * Lua 5.1 walk gives them (lua-key-order51.ts: exact for the maps and sets
 * redis.call made, whose insertions were recorded).
 */
function walkEntries(rt: LuaRuntime, L: LuaState, table: number, scriptResp: ScriptResp, depth: number, withValues: boolean): Reply[] {
  const m = rt.m;
  const out: Reply[] = [];
  pushKeysInOrder51(rt, L, table);
  const keys = m._lua_gettop(L);
  for (let i = 1; m._lua_rawgeti(L, keys, luaInteger(i)) !== LuaType.NIL; i++) {
    out.push(luaToReply(rt, L, -1, scriptResp, depth + 1));
    if (withValues) {
      m._lua_pushvalue(L, -1);
      m._lua_rawget(L, table);
      out.push(luaToReply(rt, L, -1, scriptResp, depth + 1));
    }
    m._lua_settop(L, keys);
  }
  m._lua_settop(L, keys - 1);
  return out;
}

/** Pushes a table {field=value} where value is the string `text`. */
function pushSingleField(rt: LuaRuntime, L: LuaState, field: string, text: string): void {
  rt.m._lua_createtable(L, 0, 1);
  rt.pushString(L, text);
  rt.setField(L, -2, field);
}

/**
 * luaPushErrorBuff: an error table {err="CODE message"}. A leading '-'
 * means the text carries its own code; otherwise the code is ERR. Trailing
 * CR/LF are trimmed.
 */
export function pushErrorTable(rt: LuaRuntime, L: LuaState, text: string, ignoreStats: boolean): void {
  let code = 'ERR';
  let message = text;
  if (text.startsWith('-')) {
    const space = text.indexOf(' ');
    if (space < 0) message = text.slice(1);
    else {
      code = text.slice(1, space);
      message = text.slice(space + 1);
    }
  }
  message = message.replace(/^[\r\n]+|[\r\n]+$/g, '');
  rt.m._lua_createtable(L, 0, 2);
  rt.pushString(L, `${code} ${message}`);
  rt.setField(L, -2, 'err');
  if (ignoreStats) {
    rt.m._lua_pushboolean(L, 1);
    rt.setField(L, -2, 'ignore_error_stats_update');
  }
}

/** Pushes the Lua value of a command reply (see the table at the top). */
export function pushReply(rt: LuaRuntime, L: LuaState, reply: Reply, resp: ScriptResp): void {
  const m = rt.m;
  if (m._lua_checkstack(L, 4) === 0) throw new Error('lua stack limit reach when parsing redis.call reply');
  switch (reply.kind) {
    case 'integer':
      rt.pushIntegerOnReservedStack(L, reply.value);
      return;
    case 'bulk':
      rt.pushString(L, reply.value);
      return;
    case 'streamId':
      rt.pushString(L, formatId(reply));
      return;
    case 'simple':
      pushSingleField(rt, L, 'ok', reply.value);
      return;
    case 'error':
      pushErrorTable(rt, L, `-${reply.message}`, true);
      return;
    case 'null':
    case 'nullArray':
      if (resp === 2) m._lua_pushboolean(L, 0);
      else m._lua_pushnil(L);
      return;
    case 'bulkArray': {
      const values = reply.values;
      m._lua_createtable(L, values.length, 0);
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value === null || value === undefined) {
          if (resp === 2) m._lua_pushboolean(L, 0);
          else continue;
        } else rt.pushString(L, value);
        m._lua_rawseti(L, -2, luaInteger(i + 1));
      }
      return;
    }
    case 'array':
    case 'push':
      pushArray(rt, L, reply.items, resp);
      return;
    case 'map': {
      if (resp === 2) {
        pushArray(rt, L, reply.items, resp);
        return;
      }
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, reply.items.length >> 1);
      m._lua_createtable(L, reply.items.length, 0);
      let recorded = 0;
      for (let i = 0; i + 1 < reply.items.length; i += 2) {
        pushReply(rt, L, reply.items[i]!, resp);
        pushReply(rt, L, reply.items[i + 1]!, resp);
        if (m._lua_type(L, -2) === LuaType.NIL) {
          m._lua_settop(L, -3);
          continue;
        }
        recordInsertion(rt, L, 2 * recorded++, m._lua_type(L, -1) !== LuaType.NIL);
        m._lua_rawset(L, -4);
      }
      keepHistory(rt, L);
      rt.setField(L, -2, 'map');
      return;
    }
    case 'set': {
      if (resp === 2) {
        pushArray(rt, L, reply.items, resp);
        return;
      }
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, reply.items.length);
      m._lua_createtable(L, reply.items.length * 2, 0);
      let recorded = 0;
      for (const item of reply.items) {
        pushReply(rt, L, item, resp);
        if (m._lua_type(L, -1) === LuaType.NIL) {
          m._lua_settop(L, -2);
          continue;
        }
        m._lua_pushboolean(L, 1);
        recordInsertion(rt, L, 2 * recorded++, true);
        m._lua_rawset(L, -4);
      }
      keepHistory(rt, L);
      rt.setField(L, -2, 'set');
      return;
    }
    case 'double':
      if (resp === 2) {
        rt.pushString(L, reply.text ?? formatDouble17g(reply.value));
        return;
      }
      // redis.call reads the reply back from its RESP3 text (strtod), so a
      // double sent in a shorter form (GEOPOS's human text) reaches Lua as
      // the number that text spells, not the one it was printed from.
      m._lua_createtable(L, 0, 1);
      m._lua_pushnumber(L, reply.text === undefined ? reply.value : parseDoubleText(reply.text));
      rt.setField(L, -2, 'double');
      return;
    case 'bool':
      if (resp === 2) rt.pushInteger(L, reply.value ? 1 : 0);
      else m._lua_pushboolean(L, reply.value ? 1 : 0);
      return;
    case 'verbatim':
      if (resp === 2) {
        rt.pushString(L, reply.value);
        return;
      }
      m._lua_createtable(L, 0, 1);
      m._lua_createtable(L, 0, 2);
      rt.pushString(L, reply.value);
      rt.setField(L, -2, 'string');
      rt.pushString(L, reply.format.slice(0, 3));
      rt.setField(L, -2, 'format');
      rt.setField(L, -2, 'verbatim_string');
      return;
    case 'bigNumber':
      if (resp === 2) rt.pushString(L, reply.value);
      else pushSingleField(rt, L, 'big_number', reply.value);
      return;
    case 'raw':
      pushReply(rt, L, parseRawReply(reply.bytes), resp);
      return;
    case 'attribute':
      // Scripts are not shown attributes (as in Redis): only the reply they precede.
      pushReply(rt, L, reply.reply, resp);
      return;
    case 'none':
      m._lua_pushnil(L);
      return;
    default: {
      const unknown: never = reply;
      throw new Error(`no Lua conversion for reply kind ${(unknown as Reply).kind}`);
    }
  }
}

function pushArray(rt: LuaRuntime, L: LuaState, items: ReadonlyArray<Reply>, resp: ScriptResp): void {
  const m = rt.m;
  m._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushReply(rt, L, items[i]!, resp);
    if (m._lua_type(L, -1) === LuaType.NIL) m._lua_settop(L, -2);
    else m._lua_rawseti(L, -2, luaInteger(i + 1));
  }
}

/** The few pre-encoded constant replies (RawReply) the engine uses are simple RESP2 values. */
function parseRawReply(bytes: Buffer): Reply {
  const text = bytes.toString('latin1');
  const line = text.slice(1, text.indexOf('\r\n'));
  switch (text[0]) {
    case '+': return R.simple(line);
    case '-': return R.error(line);
    case ':': return R.integer(Number(line));
    case '$': {
      const length = Number(line);
      if (length < 0) return R.NULL;
      const start = text.indexOf('\r\n') + 2;
      return R.bulk(text.slice(start, start + length));
    }
    default: return R.error('ERR unsupported pre-encoded reply in script');
  }
}

/**
 * The C cast (long long) of a Lua number: truncation; NaN and out of range
 * give INT64_MIN. A Lua 5.4 integer goes through a double first, as every
 * number of Redis's Lua 5.1 does (an integer reply became a double in the
 * script): an INCR answering -2^63+1 inside a script returns -2^63, and
 * 2^63-2 returns INT64_MIN, as redis-server (found by generated EVAL
 * bodies in the differential runs). Exact below 2^53.
 */
function numberToInteger(rt: LuaRuntime, L: LuaState, index: number): Reply {
  if (rt.m._lua_isinteger(L, index) !== 0) {
    const integer = rt.toInteger(L, index);
    const number = Number(integer);
    if (Number.isSafeInteger(number)) return R.integer(number);
    const big = BigInt(number);
    return R.integer(big > INT64_MAX ? INT64_MIN : big);
  }
  const value = rt.toNumber(L, index) ?? 0;
  if (Number.isNaN(value) || !Number.isFinite(value)) return R.integer(INT64_MIN);
  const truncated = Math.trunc(value);
  if (Number.isSafeInteger(truncated)) return R.integer(truncated);
  const big = BigInt(truncated);
  return R.integer(big < INT64_MIN || big > INT64_MAX ? INT64_MIN : big);
}

/** Raw-gets t[name] of the table at `index` onto the stack; returns its type. */
function rawField(rt: LuaRuntime, L: LuaState, index: number, name: string): number {
  return rt.getField(L, index, name);
}

/**
 * The reply for the Lua value at `index` (luaReplyToRedisReply). `scriptResp`
 * is the protocol the script selected (it decides how booleans reply).
 */
export function luaToReply(rt: LuaRuntime, L: LuaState, index: number, scriptResp: ScriptResp, depth = 0): Reply {
  const m = rt.m;
  const absolute = index < 0 && index > LUA_REGISTRYINDEX ? m._lua_gettop(L) + index + 1 : index;
  switch (m._lua_type(L, absolute)) {
    case LuaType.STRING:
      return R.bulk(rt.toString(L, absolute) ?? '');
    case LuaType.BOOLEAN: {
      const value = m._lua_toboolean(L, absolute) !== 0;
      if (scriptResp === 2) return value ? R.ONE : R.NULL;
      return R.bool(value);
    }
    case LuaType.NUMBER:
      return numberToInteger(rt, L, absolute);
    case LuaType.TABLE:
      if (depth >= MAX_REPLY_DEPTH || m._lua_checkstack(L, 4) === 0) return R.error('ERR reached lua stack limit');
      return tableToReply(rt, L, absolute, scriptResp, depth);
    default:
      return R.NULL;
  }
}

function tableToReply(rt: LuaRuntime, L: LuaState, table: number, scriptResp: ScriptResp, depth: number): Reply {
  const m = rt.m;
  const top = m._lua_gettop(L);
  try {
    if (rawField(rt, L, table, 'err') === LuaType.STRING) {
      // sdsnew of the C string (ends at a NUL), then addReplyErrorFormatEx("-%s"): trailing CR/LF trimmed, inner ones spaces.
      const message = cString(rt.toString(L, -1) ?? '').replace(/[\r\n]+$/, '').replace(/[\r\n]/g, ' ');
      const ignore = rawField(rt, L, table, 'ignore_error_stats_update') === LuaType.BOOLEAN && m._lua_toboolean(L, -1) !== 0;
      return scriptError(message, ignore);
    }
    m._lua_settop(L, top);
    if (rawField(rt, L, table, 'ok') === LuaType.STRING) {
      // sdsnew of the C string: it ends at a NUL.
      return R.simple(cString(rt.toString(L, -1) ?? '').replace(/[\r\n]/g, ' '));
    }
    m._lua_settop(L, top);
    if (rawField(rt, L, table, 'double') === LuaType.NUMBER) return R.double(rt.toNumber(L, -1) ?? 0);
    m._lua_settop(L, top);
    if (rawField(rt, L, table, 'big_number') === LuaType.STRING) {
      return R.bigNumber((rt.toString(L, -1) ?? '').replace(/[\r\n]/g, ' '));
    }
    m._lua_settop(L, top);
    if (rawField(rt, L, table, 'verbatim_string') === LuaType.TABLE) {
      const verbatim = m._lua_gettop(L);
      if (rawField(rt, L, verbatim, 'format') === LuaType.STRING) {
        const format = rt.toString(L, -1) ?? 'txt';
        if (rawField(rt, L, verbatim, 'string') === LuaType.STRING) return R.verbatim(rt.toString(L, -1) ?? '', format);
      }
    }
    m._lua_settop(L, top);
    if (rawField(rt, L, table, 'map') === LuaType.TABLE) {
      return R.map(walkEntries(rt, L, m._lua_gettop(L), scriptResp, depth, true));
    }
    m._lua_settop(L, top);
    if (rawField(rt, L, table, 'set') === LuaType.TABLE) {
      return R.set(walkEntries(rt, L, m._lua_gettop(L), scriptResp, depth, false));
    }
    m._lua_settop(L, top);
    const items: Reply[] = [];
    for (let j = 1; ; j++) {
      if (m._lua_rawgeti(L, table, luaInteger(j)) === LuaType.NIL) break;
      items.push(luaToReply(rt, L, -1, scriptResp, depth + 1));
      m._lua_settop(L, top);
    }
    return R.array(items);
  } finally {
    m._lua_settop(L, top);
  }
}

/**
 * An error reply from a script's error table: Redis replies "-" and the
 * table's err text as it is ("-%s"), so an err that starts with '-' itself
 * comes out as "--..." (luaPushErrorBuff's tables never do: error_reply and
 * Redis's own errors keep the code without its '-'). `ignoreStats` marks
 * errors already counted when the command failed.
 */
export function scriptError(message: string, ignoreStats: boolean): R.ErrorReply {
  return ignoreStats ? { kind: 'error', message, statsCounted: true } : R.error(message);
}
