/**
 * Expiry commands (expire.c): EXPIRE PEXPIRE EXPIREAT PEXPIREAT with
 * NX | XX | GT | LT, TTL PTTL EXPIRETIME PEXPIRETIME PERSIST.
 *
 * Propagation (7.0): every form goes to replicas as PEXPIREAT with the
 * absolute millisecond time (options kept), so replicas expire at the same
 * instant; a time already in the past deletes the key on a master and goes
 * out as DEL (UNLINK with lazyfree-lazy-expire). A replica never deletes on
 * its own: it stores the past time and waits for its master's DEL.
 *
 * Times are Redis's int64 milliseconds: computed here as bigints, stored as
 * numbers with the few past 2^53 also kept exact (keyspace/database.ts), so
 * PEXPIRETIME, GT/LT and the TTLs read 2^60+1 as 2^60+1.
 */
import { defineCommand, cString } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { error, integer, ONE, ZERO, type Reply } from '../resp/reply';
import { expireMsInt64, parseInt64 } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * `relative`: EXPIRE / PEXPIRE, whose base is the time now. Redis reads
 * mstime() twice, for the base and in checkAlreadyExpired, a few hundred
 * nanoseconds apart; here one reading serves both. Inside EXEC or a script
 * each is a fresh clock read (CommandContext.mstime), and a GC pause or a
 * preempted thread between two reads (seen once in a loaded full test run)
 * made PEXPIRE k 1 find its own deadline already past and delete the key,
 * which redis-server in practice never does.
 */
function expireGeneric(ctx: CommandContext, relative: boolean, unitSeconds: boolean): Reply {
  const nowMs = ctx.mstime();
  const baseMs = relative ? BigInt(nowMs) : 0n;
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let i = 3; i < ctx.argc; i++) {
    const option = cString(ctx.arg(i)).toLowerCase();
    if (option === 'nx') nx = true;
    else if (option === 'xx') xx = true;
    else if (option === 'gt') gt = true;
    else if (option === 'lt') lt = true;
    else return error(`ERR Unsupported option ${errors.cStringArg(ctx.arg(i))}`);
  }
  if ((nx && xx) || (nx && gt) || (nx && lt)) return error('ERR NX and XX, GT or LT options at the same time are not compatible');
  if (gt && lt) return error('ERR GT and LT options at the same time are not compatible');
  const parsed = parseInt64(ctx.arg(2));
  if (parsed === null) return errors.NOT_INTEGER;
  let when = BigInt(parsed);
  if (unitSeconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return errors.INVALID_EXPIRE(ctx.command.fullName);
    when *= 1000n;
  }
  if (when > INT64_MAX - baseMs) return errors.INVALID_EXPIRE(ctx.command.fullName);
  when += baseMs;
  const key = ctx.arg(1);
  const db = ctx.db;
  if (ctx.write(key) === undefined) return ZERO;
  // A bigint against a number or bigint compares exactly.
  const current = db.expireOf(key);
  if (nx && current !== undefined) return ZERO;
  if (xx && current === undefined) return ZERO;
  if (gt && (current === undefined || when <= current)) return ZERO;
  if (lt && current !== undefined && when >= current) return ZERO;
  if (when <= nowMs && !ctx.isReplica && !ctx.node.persistence.loading) {
    ctx.keyspace.deleteKey(db, key);
    ctx.addDirty();
    ctx.rewriteArgv([ctx.node.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
    return ONE;
  }
  ctx.keyspace.setExpire(db, key, when);
  ctx.keyspace.touchModified(db, key);
  ctx.addDirty();
  const argv = [...ctx.argv];
  argv[0] = 'PEXPIREAT';
  argv[2] = when.toString();
  ctx.rewriteArgv(argv);
  ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'expire', key);
  return ONE;
}

const expireSpec = (name: string, summary: string, since: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({
    name, arity: -3, flags: ['write', 'fast'], acl: ['keyspace', 'write'], keys: [1, 1, 1],
    doc: { summary, since, group: 'generic' },
    handler,
  });

export const expireCommand = expireSpec('expire', "Set a key's time to live in seconds", '1.0.0', (ctx) => expireGeneric(ctx, true, true));
export const pexpireCommand = expireSpec('pexpire', "Set a key's time to live in milliseconds", '2.6.0', (ctx) => expireGeneric(ctx, true, false));
export const expireatCommand = expireSpec('expireat', 'Set the expiration for a key as a UNIX timestamp', '1.2.0', (ctx) => expireGeneric(ctx, false, true));
export const pexpireatCommand = expireSpec('pexpireat', 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', '2.6.0', (ctx) => expireGeneric(ctx, false, false));

/** TTL / PTTL / EXPIRETIME / PEXPIRETIME: -2 no key, -1 no expiry. */
function ttlGeneric(ctx: CommandContext, milliseconds: boolean, absolute: boolean): Reply {
  const key = ctx.arg(1);
  if (ctx.keyspace.lookupReadNoTouch(ctx.db, key, ctx.access) === undefined) return integer(-2);
  const when = ctx.db.expireOf(key);
  if (when === undefined) return integer(-1);
  if (typeof when === 'bigint') return exactTtl(ctx, when, milliseconds, absolute);
  if (absolute) return integer(milliseconds ? expireMsInt64(when) : Math.floor((when + 500) / 1000));
  const ttl = Math.max(0, when - ctx.mstime());
  return integer(milliseconds ? ttl : Math.floor((ttl + 500) / 1000));
}

/** ttlGenericCommand's int64 arithmetic for an expire time past 2^53 (C's division truncates). */
function exactTtl(ctx: CommandContext, when: bigint, milliseconds: boolean, absolute: boolean): Reply {
  let ttl = absolute ? when : when - BigInt(ctx.mstime());
  if (ttl < 0n) ttl = 0n;
  return integer(milliseconds ? ttl : (ttl + 500n) / 1000n);
}

const ttlSpec = (name: string, summary: string, since: string, milliseconds: boolean, absolute: boolean) =>
  defineCommand({
    name, arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace', 'read'], keys: [1, 1, 1],
    doc: { summary, since, group: 'generic' },
    handler: (ctx) => ttlGeneric(ctx, milliseconds, absolute),
  });

export const ttlCommand = ttlSpec('ttl', 'Get the time to live for a key in seconds', '1.0.0', false, false);
export const pttlCommand = ttlSpec('pttl', 'Get the time to live for a key in milliseconds', '2.6.0', true, false);
export const expiretimeCommand = ttlSpec('expiretime', 'Get the expiration Unix timestamp for a key', '7.0.0', false, true);
export const pexpiretimeCommand = ttlSpec('pexpiretime', 'Get the expiration Unix timestamp for a key in milliseconds', '7.0.0', true, true);

export const persistCommand = defineCommand({
  name: 'persist', arity: 2, flags: ['write', 'fast'], acl: ['keyspace', 'write'], keys: [1, 1, 1],
  doc: { summary: 'Remove the expiration from a key', since: '2.2.0', group: 'generic' },
  handler: (ctx) => {
    const key = ctx.arg(1);
    if (ctx.write(key) === undefined) return ZERO;
    if (!ctx.keyspace.removeExpire(ctx.db, key)) return ZERO;
    ctx.keyspace.touchModified(ctx.db, key);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'persist', key);
    ctx.addDirty();
    return ONE;
  },
});

export const EXPIRE_COMMANDS = [expireCommand, pexpireCommand, expireatCommand, pexpireatCommand, ttlCommand, pttlCommand, expiretimeCommand, pexpiretimeCommand, persistCommand];
