/**
 * String commands, reading and setting (t_string.c): GET SET (NX XX GET EX
 * PX EXAT PXAT KEEPTTL) SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET
 * MSETNX STRLEN.
 *
 * Propagation (7.0): any SET-family write with an expiry goes to replicas
 * as `SET key value PXAT <absolute ms>` (so replicas expire at the same
 * instant whatever their clock says about "now"); SET ... GET without an
 * expiry is propagated without its GET; GETEX becomes PEXPIREAT / PERSIST;
 * GETDEL becomes DEL.
 */
import { defineCommand, cString } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulk, bulkArray, bulkOrNull, integer, NULL, OK, type Reply } from '../resp/reply';
import { parseInt64Big } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';

const LLONG_MAX = 9223372036854775807n;

/** GET's reply for a key: value, null, or WRONGTYPE. */
export function readString(ctx: CommandContext, key: string): string | null | 'wrongtype' {
  const value = ctx.read(key);
  if (value === undefined) return null;
  if (typeof value !== 'string') return 'wrongtype';
  return value;
}

type ExpireUnit = 'EX' | 'PX' | 'EXAT' | 'PXAT';

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  expire: { unit: ExpireUnit; text: string } | null;
}

/** parseExtendedStringArgumentsOrReply: SET options from index 3, GETEX options from 2. */
function parseOptions(ctx: CommandContext, from: number, forSet: boolean): SetOptions | Reply {
  const options: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, expire: null };
  for (let j = from; j < ctx.argc; j++) {
    const option = cString(ctx.arg(j)).toUpperCase();
    const hasNext = j < ctx.argc - 1;
    const unit = options.expire?.unit;
    if (option === 'NX' && forSet && !options.xx) options.nx = true;
    else if (option === 'XX' && forSet && !options.nx) options.xx = true;
    else if (option === 'GET' && forSet) options.get = true;
    else if (option === 'KEEPTTL' && forSet && !options.persist && !options.expire) options.keepTtl = true;
    else if (option === 'PERSIST' && !forSet && !options.expire && !options.keepTtl) options.persist = true;
    else if ((option === 'EX' || option === 'PX' || option === 'EXAT' || option === 'PXAT') && !options.keepTtl && !options.persist && (unit === undefined || unit === option) && hasNext) {
      options.expire = { unit: option, text: ctx.arg(++j) };
    } else {
      return errors.SYNTAX;
    }
  }
  return options;
}

/**
 * getExpireMillisecondsOrReply: the absolute unix ms of an EX/PX/EXAT/PXAT
 * argument, exact: it is propagated as PXAT/PEXPIREAT
 * text, and a double would print 2^63 for PXAT 9223372036854775807, which a
 * replica refuses as out of range. The keyspace stores it as a number.
 * EX and PX read the clock here (the only reading a SET or GETEX with them
 * takes); EXAT and PXAT do not read it.
 */
function expireAt(ctx: CommandContext, unit: ExpireUnit, text: string, commandName: string): bigint | Reply {
  const value = parseInt64Big(text);
  if (value === null) return errors.NOT_INTEGER;
  const seconds = unit === 'EX' || unit === 'EXAT';
  if (value <= 0n || (seconds && value > LLONG_MAX / 1000n)) return errors.INVALID_EXPIRE(commandName);
  let ms = seconds ? value * 1000n : value;
  if (unit === 'EX' || unit === 'PX') ms += BigInt(ctx.mstime());
  if (ms <= 0n || ms > LLONG_MAX) return errors.INVALID_EXPIRE(commandName);
  return ms;
}

function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** setGenericCommand. */
function setGeneric(ctx: CommandContext, options: SetOptions, key: string, value: string, commandName: string, okReply: Reply = OK, abortReply: Reply = NULL): Reply {
  let expireMs: bigint | null = null;
  if (options.expire) {
    const at = expireAt(ctx, options.expire.unit, options.expire.text, commandName);
    if (isReply(at)) return at;
    expireMs = at;
  }
  let reply: Reply = okReply;
  if (options.get) {
    const old = readString(ctx, key);
    if (old === 'wrongtype') return errors.WRONGTYPE;
    reply = bulkOrNull(old);
  }
  const found = ctx.write(key) !== undefined;
  if ((options.nx && found) || (options.xx && !found)) return options.get ? reply : abortReply;
  ctx.keyspace.setKey(ctx.db, key, value, options.keepTtl);
  ctx.storedFromArgv(key);
  ctx.addDirty();
  ctx.notifyKeyspaceEvent(NotifyType.STRING, 'set', key);
  if (expireMs !== null) {
    ctx.keyspace.setExpire(ctx.db, key, expireMs);
    ctx.rewriteArgv(['SET', key, value, 'PXAT', expireMs.toString()]);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'expire', key);
  } else if (options.get) {
    ctx.rewriteArgv(ctx.argv.filter((arg, index) => index < 3 || cString(arg).toUpperCase() !== 'GET'));
  }
  return reply;
}

const stringCommand = (definition: Parameters<typeof defineCommand>[0]) => defineCommand(definition);

export const get = stringCommand({
  name: 'get', arity: 2, flags: ['readonly', 'fast'], acl: ['read', 'string', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Get the value of a key', since: '1.0.0', group: 'string' },
  handler: (ctx) => {
    const value = readString(ctx, ctx.arg(1));
    return value === 'wrongtype' ? errors.WRONGTYPE : bulkOrNull(value);
  },
});

export const set = stringCommand({
  name: 'set', arity: -3, flags: ['write', 'denyoom'], acl: ['write', 'string', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Set the string value of a key', since: '1.0.0', group: 'string' },
  handler: (ctx) => {
    const options = parseOptions(ctx, 3, true);
    if (isReply(options)) return options;
    return setGeneric(ctx, options, ctx.arg(1), ctx.arg(2), 'set');
  },
});

const PLAIN: SetOptions = { nx: false, xx: false, get: false, keepTtl: false, persist: false, expire: null };

export const setnx = stringCommand({
  name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['write', 'string', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Set the value of a key, only if the key does not exist', since: '1.0.0', group: 'string' },
  handler: (ctx) => setGeneric(ctx, { ...PLAIN, nx: true }, ctx.arg(1), ctx.arg(2), 'setnx', integer(1), integer(0)),
});

export const setex = stringCommand({
  name: 'setex', arity: 4, flags: ['write', 'denyoom'], acl: ['write', 'string', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Set the value and expiration of a key', since: '2.0.0', group: 'string' },
  handler: (ctx) => setGeneric(ctx, { ...PLAIN, expire: { unit: 'EX', text: ctx.arg(2) } }, ctx.arg(1), ctx.arg(3), 'setex'),
});

export const psetex = stringCommand({
  name: 'psetex', arity: 4, flags: ['write', 'denyoom'], acl: ['write', 'string', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Set the value and expiration in milliseconds of a key', since: '2.6.0', group: 'string' },
  handler: (ctx) => setGeneric(ctx, { ...PLAIN, expire: { unit: 'PX', text: ctx.arg(2) } }, ctx.arg(1), ctx.arg(3), 'psetex'),
});

export const getset = stringCommand({
  name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], acl: ['write', 'string', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Set the string value of a key and return its old value', since: '1.0.0', group: 'string' },
  handler: (ctx) => {
    const old = readString(ctx, ctx.arg(1));
    if (old === 'wrongtype') return errors.WRONGTYPE;
    ctx.keyspace.setKey(ctx.db, ctx.arg(1), ctx.arg(2));
    ctx.storedFromArgv(ctx.arg(1));
    ctx.notifyKeyspaceEvent(NotifyType.STRING, 'set', ctx.arg(1));
    ctx.addDirty();
    // Propagated as SET (7.0 rewrites GETSET so replicas run the plain write).
    ctx.rewriteArgv(['SET', ctx.arg(1), ctx.arg(2)]);
    return bulkOrNull(old);
  },
});

export const getdel = stringCommand({
  name: 'getdel', arity: 2, flags: ['write', 'fast'], acl: ['write', 'string', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Get the value of a key and delete the key', since: '6.2.0', group: 'string' },
  handler: (ctx) => {
    const key = ctx.arg(1);
    const value = readString(ctx, key);
    if (value === 'wrongtype') return errors.WRONGTYPE;
    if (value === null) return NULL;
    ctx.write(key);
    ctx.keyspace.deleteKey(ctx.db, key);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
    ctx.addDirty();
    ctx.rewriteArgv(['DEL', key]);
    return bulk(value);
  },
});

export const getex = stringCommand({
  name: 'getex', arity: -2, flags: ['write', 'fast'], acl: ['write', 'string', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Get the value of a key and optionally set its expiration', since: '6.2.0', group: 'string' },
  handler: (ctx) => {
    const options = parseOptions(ctx, 2, false);
    if (isReply(options)) return options;
    const key = ctx.arg(1);
    // The key is looked up before the expire time is checked (t_string.c):
    // GETEX missing EX 0 is a nil, not "invalid expire time".
    const value = readString(ctx, key);
    if (value === 'wrongtype') return errors.WRONGTYPE;
    if (value === null) return NULL;
    let expireMs: bigint | null = null;
    let alreadyPast = false;
    if (options.expire) {
      const { unit } = options.expire;
      const at = expireAt(ctx, unit, options.expire.text, 'getex');
      if (isReply(at)) return at;
      expireMs = at;
      // Only EXAT/PXAT can name a time already past (getexCommand's checkAlreadyExpired): an EX/PX
      // deadline is the clock's one reading plus at least 1 ms. Reading the clock again to check it
      // (as we did) deleted the key inside EXEC or a script whenever a 1 ms stall (GC, a preempted
      // thread) fell between the two readings, where redis-server keeps it.
      alreadyPast = (unit === 'EXAT' || unit === 'PXAT') && Number(at) <= ctx.mstime() && !ctx.node.replication.isReplica;
    }
    if (alreadyPast) {
      // An expiry in the past deletes the key (propagated as DEL / UNLINK).
      ctx.write(key);
      ctx.keyspace.deleteKey(ctx.db, key);
      ctx.addDirty();
      ctx.rewriteArgv([ctx.node.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
    } else if (expireMs !== null) {
      ctx.write(key);
      ctx.keyspace.setExpire(ctx.db, key, expireMs);
      // signalModifiedKey, as getexCommand does: WATCHers fail, trackers are invalidated.
      ctx.keyspace.touchModified(ctx.db, key);
      ctx.addDirty();
      ctx.rewriteArgv(['PEXPIREAT', key, expireMs.toString()]);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'expire', key);
    } else if (options.persist) {
      ctx.write(key);
      if (ctx.keyspace.removeExpire(ctx.db, key)) {
        ctx.keyspace.touchModified(ctx.db, key);
        ctx.addDirty();
        ctx.rewriteArgv(['PERSIST', key]);
        ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'persist', key);
      }
    }
    return bulk(value);
  },
});

export const mget = stringCommand({
  name: 'mget', arity: -2, flags: ['readonly', 'fast'], acl: ['read', 'string', 'fast'], keys: [1, -1, 1],
  doc: { summary: 'Get the values of all the given keys', since: '1.0.0', group: 'string' },
  handler: (ctx) => {
    const values: Array<string | null> = [];
    for (let i = 1; i < ctx.argc; i++) {
      const value = ctx.read(ctx.arg(i));
      values.push(typeof value === 'string' ? value : null);
    }
    return bulkArray(values);
  },
});

function msetGeneric(ctx: CommandContext, nx: boolean, name: string): Reply {
  if (ctx.argc % 2 === 0) return errors.wrongArity(name);
  if (nx) {
    for (let i = 1; i < ctx.argc; i += 2) if (ctx.write(ctx.arg(i)) !== undefined) return integer(0);
  }
  for (let i = 1; i < ctx.argc; i += 2) {
    ctx.write(ctx.arg(i));
    ctx.keyspace.setKey(ctx.db, ctx.arg(i), ctx.arg(i + 1));
    ctx.storedFromArgv(ctx.arg(i));
    ctx.notifyKeyspaceEvent(NotifyType.STRING, 'set', ctx.arg(i));
  }
  ctx.addDirty((ctx.argc - 1) / 2);
  return nx ? integer(1) : OK;
}

export const mset = stringCommand({
  name: 'mset', arity: -3, flags: ['write', 'denyoom'], acl: ['write', 'string', 'slow'], keys: [1, -1, 2],
  doc: { summary: 'Set multiple keys to multiple values', since: '1.0.1', group: 'string' },
  handler: (ctx) => msetGeneric(ctx, false, 'mset'),
});

export const msetnx = stringCommand({
  name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], acl: ['write', 'string', 'slow'], keys: [1, -1, 2],
  doc: { summary: 'Set multiple keys to multiple values, only if none of the keys exist', since: '1.0.1', group: 'string' },
  handler: (ctx) => msetGeneric(ctx, true, 'msetnx'),
});

export const strlen = stringCommand({
  name: 'strlen', arity: 2, flags: ['readonly', 'fast'], acl: ['read', 'string', 'fast'], keys: [1, 1, 1],
  doc: { summary: 'Get the length of the value stored in a key', since: '2.2.0', group: 'string' },
  handler: (ctx) => {
    const value = readString(ctx, ctx.arg(1));
    if (value === 'wrongtype') return errors.WRONGTYPE;
    return integer(value === null ? 0 : value.length);
  },
});

export const STRING_COMMANDS = [get, set, setnx, setex, psetex, getset, getdel, getex, mget, mset, msetnx, strlen];

