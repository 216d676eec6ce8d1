/**
 * Hash commands (t_hash.c): HSET HSETNX HMSET HGET HMGET HDEL HLEN HSTRLEN
 * HEXISTS HKEYS HVALS HGETALL HINCRBY HINCRBYFLOAT.
 *
 * Fields keep insertion order, the order a listpack-encoded hash replies in;
 * the encoding turns to hashtable when hash-max-listpack-entries/value is
 * crossed, as OBJECT ENCODING reports. An emptied hash is deleted.
 * HINCRBYFLOAT computes in x87 long double like Redis and is propagated as
 * `HSET key field <result>` so replicas store the same text.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulk, bulkArray, bulkOrNull, EMPTY_ARRAY, error, integer, map, NULL, OK, type Reply } from '../resp/reply';
import { HashValue } from '../keyspace/values';
import { parseInt64Big } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';
import { addLongDoubles, formatLongDoubleHuman, LONG_DOUBLE_ZERO, parseLongDouble } from '../util/long-double';

const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;

function hashForRead(ctx: CommandContext, key: string): HashValue | undefined | Reply {
  const value = ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof HashValue ? value : errors.WRONGTYPE;
}

function hashForWrite(ctx: CommandContext, key: string): HashValue | undefined | Reply {
  const value = ctx.write(key);
  if (value === undefined) return undefined;
  return value instanceof HashValue ? value : errors.WRONGTYPE;
}

function isHash(value: HashValue | undefined | Reply): value is HashValue {
  return value instanceof HashValue;
}

/** The hash to modify, created when missing (hashTypeLookupWriteOrCreate). */
function hashToModify(ctx: CommandContext, key: string): HashValue | Reply {
  const existing = hashForWrite(ctx, key);
  if (existing !== undefined) return existing;
  const created = new HashValue();
  ctx.keyspace.addKey(ctx.db, key, created);
  return created;
}

function setField(ctx: CommandContext, hash: HashValue, field: string, value: string): boolean {
  const added = hash.set(field, value);
  hash.updateEncoding(ctx.node.hot.hashMaxListpackEntries, ctx.node.hot.hashMaxListpackValue, field, value);
  return added;
}

const define = (name: string, arity: number, write: boolean, fast: boolean, summary: string, since: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({
    // Writes that only remove (HDEL) cannot need memory: no denyoom.
    name, arity, flags: [...(write ? ['write', ...(name === 'hdel' ? [] : ['denyoom' as const])] as const : ['readonly'] as const), ...(fast ? ['fast' as const] : [])],
    acl: ['hash'], keys: [1, 1, 1], doc: { summary, since, group: 'hash' }, handler,
  });

function hsetGeneric(ctx: CommandContext, name: string, replyOk: boolean): Reply {
  if (ctx.argc % 2 === 1) return errors.wrongArity(name);
  const key = ctx.arg(1);
  const hash = hashToModify(ctx, key);
  if (!isHash(hash)) return hash;
  let created = 0;
  for (let i = 2; i < ctx.argc; i += 2) if (setField(ctx, hash, ctx.arg(i), ctx.arg(i + 1))) created++;
  ctx.keyspace.touchModified(ctx.db, key);
  ctx.notifyKeyspaceEvent(NotifyType.HASH, 'hset', key);
  ctx.addDirty((ctx.argc - 2) / 2);
  return replyOk ? OK : integer(created);
}

export const hset = define('hset', -4, true, true, 'Set the string value of a hash field', '2.0.0', (ctx) => hsetGeneric(ctx, 'hset', false));
export const hmset = define('hmset', -4, true, true, 'Set multiple hash fields to multiple values', '2.0.0', (ctx) => hsetGeneric(ctx, 'hmset', true));

export const hsetnx = define('hsetnx', 4, true, true, 'Set the value of a hash field, only if the field does not exist', '2.0.0', (ctx) => {
  const key = ctx.arg(1);
  const existing = hashForWrite(ctx, key);
  if (existing !== undefined && !isHash(existing)) return existing;
  if (existing?.has(ctx.arg(2))) return integer(0);
  const hash = hashToModify(ctx, key) as HashValue;
  setField(ctx, hash, ctx.arg(2), ctx.arg(3));
  ctx.keyspace.touchModified(ctx.db, key);
  ctx.notifyKeyspaceEvent(NotifyType.HASH, 'hset', key);
  ctx.addDirty();
  return integer(1);
});

export const hget = define('hget', 3, false, true, 'Get the value of a hash field', '2.0.0', (ctx) => {
  const hash = hashForRead(ctx, ctx.arg(1));
  if (hash === undefined) return NULL;
  return isHash(hash) ? bulkOrNull(hash.get(ctx.arg(2))) : hash;
});

export const hmget = define('hmget', -3, false, true, 'Get the values of all the given hash fields', '2.0.0', (ctx) => {
  const hash = hashForRead(ctx, ctx.arg(1));
  if (hash !== undefined && !isHash(hash)) return hash;
  return bulkArray(ctx.argv.slice(2).map((field) => hash?.get(field) ?? null));
});

export const hdel = define('hdel', -3, true, true, 'Delete one or more hash fields', '2.0.0', (ctx) => {
  const key = ctx.arg(1);
  const hash = hashForWrite(ctx, key);
  if (hash === undefined) return integer(0);
  if (!isHash(hash)) return hash;
  let deleted = 0;
  for (const field of ctx.argv.slice(2)) if (hash.delete(field)) deleted++;
  if (deleted > 0) {
    ctx.notifyKeyspaceEvent(NotifyType.HASH, 'hdel', key);
    if (hash.size === 0) {
      ctx.keyspace.deleteKey(ctx.db, key);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
    } else {
      ctx.keyspace.touchModified(ctx.db, key);
    }
    ctx.addDirty(deleted);
  }
  return integer(deleted);
});

export const hlen = define('hlen', 2, false, true, 'Get the number of fields in a hash', '2.0.0', (ctx) => {
  const hash = hashForRead(ctx, ctx.arg(1));
  if (hash === undefined) return integer(0);
  return isHash(hash) ? integer(hash.size) : hash;
});

export const hstrlen = define('hstrlen', 3, false, true, 'Get the length of the value of a hash field', '3.2.0', (ctx) => {
  const hash = hashForRead(ctx, ctx.arg(1));
  if (hash === undefined) return integer(0);
  return isHash(hash) ? integer(hash.get(ctx.arg(2))?.length ?? 0) : hash;
});

export const hexists = define('hexists', 3, false, true, 'Determine if a hash field exists', '2.0.0', (ctx) => {
  const hash = hashForRead(ctx, ctx.arg(1));
  if (hash === undefined) return integer(0);
  return isHash(hash) ? integer(hash.has(ctx.arg(2)) ? 1 : 0) : hash;
});

function getAll(ctx: CommandContext, keys: boolean, values: boolean): Reply {
  const hash = hashForRead(ctx, ctx.arg(1));
  if (hash !== undefined && !isHash(hash)) return hash;
  if (hash === undefined) return keys && values && ctx.client.protocol === 3 ? map([]) : EMPTY_ARRAY;
  if (keys && values) {
    const items: Reply[] = [];
    for (const [field, value] of hash.entries()) items.push(bulk(field), bulk(value));
    return ctx.client.protocol === 3 ? map(items) : bulkArray(items.map((item) => (item as { value: string }).value));
  }
  return bulkArray(keys ? hash.fieldList() : hash.valueList());
}

export const hkeys = define('hkeys', 2, false, false, 'Get all the fields in a hash', '2.0.0', (ctx) => getAll(ctx, true, false));
export const hvals = define('hvals', 2, false, false, 'Get all the values in a hash', '2.0.0', (ctx) => getAll(ctx, false, true));
export const hgetall = define('hgetall', 2, false, false, 'Get all the fields and values in a hash', '2.0.0', (ctx) => getAll(ctx, true, true));

export const hincrby = define('hincrby', 4, true, true, 'Increment the integer value of a hash field by the given number', '2.0.0', (ctx) => {
  const increment = parseInt64Big(ctx.arg(3));
  if (increment === null) return errors.NOT_INTEGER;
  const key = ctx.arg(1);
  const hash = hashToModify(ctx, key);
  if (!isHash(hash)) return hash;
  const currentText = hash.get(ctx.arg(2));
  const current = currentText === undefined ? 0n : parseInt64Big(currentText);
  if (current === null) return error('ERR hash value is not an integer');
  const result = current + increment;
  if (result < INT64_MIN || result > INT64_MAX) return errors.OVERFLOW;
  setField(ctx, hash, ctx.arg(2), result.toString());
  ctx.keyspace.touchModified(ctx.db, key);
  ctx.notifyKeyspaceEvent(NotifyType.HASH, 'hincrby', key);
  ctx.addDirty();
  return integer(result >= -9007199254740991n && result <= 9007199254740991n ? Number(result) : result);
});

export const hincrbyfloat = define('hincrbyfloat', 4, true, true, 'Increment the float value of a hash field by the given amount', '2.6.0', (ctx) => {
  // HINCRBYFLOAT's own order and messages (t_hash.c): the increment first.
  const increment = parseLongDouble(ctx.arg(3));
  if (increment === null) return errors.NOT_FLOAT;
  if (increment.kind !== 'finite') return error('ERR value is NaN or Infinity');
  const key = ctx.arg(1);
  const hash = hashToModify(ctx, key);
  if (!isHash(hash)) return hash;
  const currentText = hash.get(ctx.arg(2));
  const current = currentText === undefined ? LONG_DOUBLE_ZERO : parseLongDouble(currentText);
  if (current === null) return error('ERR hash value is not a float');
  const sum = addLongDoubles(current, increment);
  if (sum.kind !== 'finite') return error('ERR increment would produce NaN or Infinity');
  const text = formatLongDoubleHuman(sum);
  setField(ctx, hash, ctx.arg(2), text);
  ctx.keyspace.touchModified(ctx.db, key);
  ctx.notifyKeyspaceEvent(NotifyType.HASH, 'hincrbyfloat', key);
  ctx.addDirty();
  ctx.rewriteArgv(['HSET', key, ctx.arg(2), text]);
  return bulk(text);
});

export const HASH_COMMANDS = [hset, hmset, hsetnx, hget, hmget, hdel, hlen, hstrlen, hexists, hkeys, hvals, hgetall, hincrby, hincrbyfloat];
