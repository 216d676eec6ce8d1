/**
 * Generic key commands (db.c): DEL UNLINK EXISTS TYPE KEYS SCAN RANDOMKEY
 * RENAME RENAMENX MOVE COPY TOUCH. Expiry commands are in keys-expire.ts,
 * OBJECT in keys-object.ts.
 */
import { defineCommand, intArg, isOption, cString } from './define';
import type { CommandContext } from './command-context';
import { parseCursor } from './scan-cursor';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, NULL, OK, ONE, ZERO, type Reply } from '../resp/reply';
import { cloneValue, typeOf } from '../keyspace/values';
import { stringMatch } from '../util/glob';
import { NotifyType } from '../pubsub/keyspace-events';
import { ENCODING_DERIVED, encodingOverride, UNSHARED } from '../keyspace/key-entry';

const SAME_OBJECT = error('ERR source and destination objects are the same');

/** DEL and UNLINK; `lazy`: the values go to lazy freeing (UNLINK, or DEL with lazyfree-lazy-user-del). */
function deleteKeys(ctx: CommandContext, lazy: boolean): Reply {
  let deleted = 0;
  for (let i = 1; i < ctx.argc; i++) {
    const key = ctx.arg(i);
    ctx.keyspace.expireIfNeeded(ctx.db, key, ctx.access);
    const value = ctx.db.dict.heapValue(key);
    if (ctx.keyspace.deleteKey(ctx.db, key)) {
      if (value !== undefined) ctx.node.lazyFree.valueDeleted(key, value, lazy);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
      ctx.addDirty();
      deleted++;
    }
  }
  return integer(deleted);
}

export const delCommand = defineCommand({
  name: 'del', arity: -2, flags: ['write'], acl: ['keyspace', 'write'], keys: [1, -1, 1],
  doc: { summary: 'Delete a key', since: '1.0.0', group: 'generic' },
  handler: (ctx) => deleteKeys(ctx, ctx.node.config.bool('lazyfree-lazy-user-del')),
});

export const unlinkCommand = defineCommand({
  name: 'unlink', arity: -2, flags: ['write', 'fast'], acl: ['keyspace', 'write'], keys: [1, -1, 1],
  doc: { summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', since: '4.0.0', group: 'generic' },
  handler: (ctx) => deleteKeys(ctx, true),
});

export const existsCommand = defineCommand({
  name: 'exists', arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace', 'read'], keys: [1, -1, 1],
  doc: { summary: 'Determine if a key exists', since: '1.0.0', group: 'generic' },
  handler: (ctx) => {
    let count = 0;
    for (let i = 1; i < ctx.argc; i++) if (ctx.keyspace.lookupReadNoTouch(ctx.db, ctx.arg(i), ctx.access) !== undefined) count++;
    return integer(count);
  },
});

export const typeCommand = defineCommand({
  name: 'type', arity: 2, flags: ['readonly', 'fast'], acl: ['keyspace', 'read'], keys: [1, 1, 1],
  doc: { summary: 'Determine the type stored at key', since: '1.0.0', group: 'generic' },
  handler: (ctx) => {
    const value = ctx.keyspace.lookupReadNoTouch(ctx.db, ctx.arg(1), ctx.access);
    return { kind: 'simple', value: value === undefined ? 'none' : typeOf(value) };
  },
});

export const keysCommand = defineCommand({
  name: 'keys', arity: 2, flags: ['readonly', 'touches_arbitrary_keys'], acl: ['keyspace', 'read', 'dangerous'], keys: null,
  doc: { summary: 'Find all keys matching the given pattern', since: '1.0.0', group: 'generic' },
  handler: (ctx) => {
    const pattern = ctx.arg(1);
    const all = pattern === '*';
    const out: string[] = [];
    const db = ctx.db;
    for (const key of db.dict.keys()) {
      if (!all && !stringMatch(pattern, key, false)) continue;
      const when = db.expires.get(key);
      if (when !== undefined && ctx.now > when && !(ctx.isReplica && ctx.isMasterClient)) continue;
      out.push(key);
    }
    return bulkArray(out);
  },
});

export const scanCommand = defineCommand({
  name: 'scan', arity: -2, flags: ['readonly', 'touches_arbitrary_keys'], acl: ['keyspace', 'read'], keys: null,
  doc: { summary: 'Incrementally iterate the keys space', since: '2.8.0', group: 'generic' },
  handler: (ctx) => {
    const cursor = parseCursor(ctx.arg(1));
    if (cursor === null) return error('ERR invalid cursor');
    let count = 10;
    let pattern: string | null = null;
    let typeFilter: string | null = null;
    for (let i = 2; i < ctx.argc; i += 2) {
      if (i + 1 >= ctx.argc) return errors.SYNTAX;
      if (isOption(ctx.argv[i], 'count')) {
        const parsed = intArg(ctx.arg(i + 1));
        if (parsed === null) return errors.NOT_INTEGER;
        if (parsed < 1) return errors.SYNTAX;
        count = parsed;
      } else if (isOption(ctx.argv[i], 'match')) {
        pattern = ctx.arg(i + 1) === '*' ? null : ctx.arg(i + 1);
      } else if (isOption(ctx.argv[i], 'type')) {
        typeFilter = cString(ctx.arg(i + 1)).toLowerCase();
      } else {
        return errors.SYNTAX;
      }
    }
    const db = ctx.db;
    const step = ctx.node.scanCursors.next(db.dict, cursor, count, () => db.dict.keys());
    const out: string[] = [];
    for (const key of step.items) {
      if (pattern !== null && !stringMatch(pattern, key, false)) continue;
      if (typeFilter !== null) {
        // db.c scanGenericCommand: a counted, no-touch lookup per key that passed MATCH.
        const value = ctx.keyspace.lookupReadNoTouch(db, key, ctx.access);
        if (value === undefined || typeOf(value) !== typeFilter) continue;
      }
      if (ctx.keyspace.expireIfNeeded(db, key, ctx.access)) continue;
      if (!db.dict.has(key)) continue;
      out.push(key);
    }
    return array([bulk(String(step.cursor)), bulkArray(out)]);
  },
});

export const randomkeyCommand = defineCommand({
  name: 'randomkey', arity: 1, flags: ['readonly', 'touches_arbitrary_keys'], acl: ['keyspace', 'read'], keys: null,
  doc: { summary: 'Return a random key from the keyspace', since: '1.0.0', group: 'generic' },
  handler: (ctx) => {
    const db = ctx.db;
    // A bounded number of tries, like dbRandomKey, so a db of expired keys cannot loop forever.
    for (let attempt = 0; attempt < 100 && db.size > 0; attempt++) {
      const key = db.dict.randomKey();
      if (key === undefined) break;
      if (db.expires.has(key) && ctx.keyspace.expireIfNeeded(db, key, ctx.access)) {
        if (ctx.isReplica && attempt >= 99) return bulk(key);
        continue;
      }
      return bulk(key);
    }
    return NULL;
  },
});

function renameGeneric(ctx: CommandContext, nx: boolean): Reply {
  const source = ctx.arg(1);
  const destination = ctx.arg(2);
  const db = ctx.db;
  const value = ctx.write(source);
  if (value === undefined) return errors.NO_SUCH_KEY;
  if (source === destination) return nx ? ZERO : OK;
  const expire = db.expireOf(source);
  // The same object under a new name: its access time and encoding go with it.
  const meta = ctx.keyspace.keyMeta(db, source);
  // renameGenericCommand's dbDelete calls signal nothing; the source is
  // signalled after the move, then the destination: a tracking client reads
  // the source's invalidation first, even when the destination is overwritten.
  if (ctx.write(destination) !== undefined) {
    if (nx) return ZERO;
    ctx.keyspace.deleteKeyUnsignalled(db, destination);
  }
  const argvReferences = ctx.keyspace.argvReferences(db, source);
  const sds = db.sdsShapes?.get(source);
  ctx.keyspace.deleteKeyUnsignalled(db, source);
  ctx.keyspace.addKey(db, destination, value, ENCODING_DERIVED, meta);
  if (sds !== undefined) ctx.keyspace.recordSds(db, destination, sds);
  if (argvReferences > 0) ctx.keyspace.argvHeld!.mark(db.id, destination, argvReferences);
  ctx.keyspace.touchModified(db, source);
  ctx.keyspace.touchModified(db, destination);
  if (expire !== undefined) ctx.keyspace.setExpire(db, destination, expire);
  ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'rename_from', source);
  ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'rename_to', destination);
  ctx.addDirty();
  return nx ? ONE : OK;
}

export const renameCommand = defineCommand({
  name: 'rename', arity: 3, flags: ['write'], acl: ['keyspace', 'write'], keys: [1, 2, 1],
  doc: { summary: 'Rename a key', since: '1.0.0', group: 'generic' },
  handler: (ctx) => renameGeneric(ctx, false),
});

export const renamenxCommand = defineCommand({
  name: 'renamenx', arity: 3, flags: ['write', 'fast'], acl: ['keyspace', 'write'], keys: [1, 2, 1],
  doc: { summary: 'Rename a key, only if the new key does not exist', since: '1.0.0', group: 'generic' },
  handler: (ctx) => renameGeneric(ctx, true),
});

export const moveCommand = defineCommand({
  name: 'move', arity: 3, flags: ['write', 'fast'], acl: ['keyspace', 'write'], keys: [1, 1, 1],
  doc: { summary: 'Move a key to another database', since: '1.0.0', group: 'generic' },
  handler: (ctx) => {
    const target = intArg(ctx.arg(2));
    if (target === null || target < -2147483648 || target > 2147483647) return errors.NOT_INTEGER;
    if (target < 0 || target >= ctx.node.keyspace.dbs.length) return errors.DB_INDEX_OUT_OF_RANGE;
    const source = ctx.db;
    if (target === source.id) return SAME_OBJECT;
    const key = ctx.arg(1);
    const value = ctx.write(key);
    if (value === undefined) return ZERO;
    const destination = ctx.node.keyspace.db(target);
    if (ctx.keyspace.lookupWrite(destination, key, ctx.access) !== undefined) return ZERO;
    const expire = source.expireOf(key);
    const argvReferences = ctx.keyspace.argvReferences(source, key);
    ctx.keyspace.addKey(destination, key, value, ENCODING_DERIVED, ctx.keyspace.keyMeta(source, key));
    const sds = source.sdsShapes?.get(key);
    if (sds !== undefined) ctx.keyspace.recordSds(destination, key, sds);
    if (expire !== undefined) ctx.keyspace.setExpire(destination, key, expire);
    ctx.keyspace.deleteKey(source, key);
    if (argvReferences > 0) ctx.keyspace.argvHeld!.mark(destination.id, key, argvReferences);
    ctx.keyspace.touchModified(destination, key);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'move_from', key, source.id);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'move_to', key, destination.id);
    ctx.addDirty();
    return ONE;
  },
});

export const copyCommand = defineCommand({
  name: 'copy', arity: -3, flags: ['write', 'denyoom'], acl: ['keyspace', 'write'], keys: [1, 2, 1],
  doc: { summary: 'Copy a key', since: '6.2.0', group: 'generic' },
  handler: (ctx) => {
    let targetDb = ctx.db;
    let replace = false;
    for (let i = 3; i < ctx.argc; i++) {
      if (isOption(ctx.argv[i], 'replace')) replace = true;
      else if (isOption(ctx.argv[i], 'db') && i + 1 < ctx.argc) {
        const index = intArg(ctx.arg(++i));
        if (index === null || index < -2147483648 || index > 2147483647) return errors.NOT_INTEGER;
        if (index < 0 || index >= ctx.node.keyspace.dbs.length) return errors.DB_INDEX_OUT_OF_RANGE;
        targetDb = ctx.node.keyspace.db(index);
      } else return errors.SYNTAX;
    }
    const source = ctx.arg(1);
    const destination = ctx.arg(2);
    if (targetDb === ctx.db && source === destination) return SAME_OBJECT;
    const value = ctx.read(source);
    if (value === undefined) return ZERO;
    const expire = ctx.db.expireOf(source);
    if (ctx.keyspace.lookupWrite(targetDb, destination, ctx.access) !== undefined) {
      if (!replace) return ZERO;
      ctx.keyspace.deleteKey(targetDb, destination);
    }
    // A copy is a new object (accessed now) made the same way as the original (its encoding). A string is
    // copied by dupStringObject, never into a shared integer: a copy of "3" has OBJECT REFCOUNT 1.
    const encoding = encodingOverride(ctx.keyspace.keyMeta(ctx.db, source) ?? 0);
    const meta = ctx.keyspace.access.freshField() | encoding | (typeof value === 'string' ? UNSHARED : 0);
    ctx.keyspace.addKey(targetDb, destination, cloneValue(value), encoding, meta);
    if (expire !== undefined) ctx.keyspace.setExpire(targetDb, destination, expire);
    ctx.keyspace.touchModified(targetDb, destination);
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'copy_to', destination, targetDb.id);
    ctx.addDirty();
    return ONE;
  },
});

export const touchCommand = defineCommand({
  name: 'touch', arity: -2, flags: ['readonly', 'fast'], acl: ['keyspace', 'read'], keys: [1, -1, 1],
  doc: { summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.', since: '3.2.1', group: 'generic' },
  handler: (ctx) => {
    let count = 0;
    for (let i = 1; i < ctx.argc; i++) if (ctx.read(ctx.arg(i)) !== undefined) count++;
    return integer(count);
  },
});

export const KEY_COMMANDS = [delCommand, unlinkCommand, existsCommand, typeCommand, keysCommand, scanCommand, randomkeyCommand, renameCommand, renamenxCommand, moveCommand, copyCommand, touchCommand];
