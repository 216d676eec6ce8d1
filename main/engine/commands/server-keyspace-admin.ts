/**
 * Whole-keyspace commands: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME.
 *
 * FLUSHALL/FLUSHDB are always propagated, even on empty databases (7.0
 * forces it), count the removed keys in dirty, and touch WATCHed keys.
 * Snapshots in progress stay correct: they captured the old dictionaries,
 * which a flush or swap only replaces, never mutates. A running BGSAVE to
 * disk is aborted by FLUSHALL (its dump would bring the flushed data back),
 * and with save points configured FLUSHALL saves the now empty dataset.
 * Streams that clients wait on in XREADGROUP and that a flush or swap takes
 * away are signalled, so those clients are answered (-UNBLOCKED).
 */
import { defineCommand, intArg, isOption } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulkArray, error, integer, OK, type Reply } from '../resp/reply';

function flushMode(ctx: CommandContext): Reply | null {
  if (ctx.argc > 2) return errors.SYNTAX;
  if (ctx.argc === 2 && !isOption(ctx.argv[1], 'async') && !isOption(ctx.argv[1], 'sync')) return errors.SYNTAX;
  return null;
}

/** getFlushCommandFlags: ASYNC, or no argument with lazyfree-lazy-user-flush. */
function flushIsLazy(ctx: CommandContext): boolean {
  if (ctx.argc === 2) return isOption(ctx.argv[1], 'async');
  return ctx.node.config.bool('lazyfree-lazy-user-flush');
}

export const dbsizeCommand = defineCommand({
  name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], acl: ['keyspace', 'read'], keys: null,
  doc: { summary: 'Return the number of keys in the selected database', since: '1.0.0', group: 'server' },
  handler: (ctx) => integer(ctx.db.size),
});

export const flushdbCommand = defineCommand({
  name: 'flushdb', arity: -1, flags: ['write'], acl: ['keyspace', 'write', 'dangerous'], keys: null,
  doc: { summary: 'Remove all keys from the current database', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    const invalid = flushMode(ctx);
    if (invalid) return invalid;
    const db = ctx.db;
    ctx.node.transactions.touchFlushed(db, null, ctx.now);
    ctx.addDirty(db.size);
    const streamsGoing = ctx.node.blocking.streamKeysGoing(db, null);
    ctx.node.lazyFree.databaseFlushed(db, flushIsLazy(ctx));
    db.clear();
    ctx.keyspace.argvHeld?.forgetDatabase(db.id);
    ctx.node.blocking.signalKeys(db, streamsGoing);
    // signalFlushedDb: tracked keys are not per database, every tracking client is told "all keys".
    ctx.node.tracking.invalidateAll();
    ctx.forcePropagation();
    return OK;
  },
});

export const flushallCommand = defineCommand({
  name: 'flushall', arity: -1, flags: ['write'], acl: ['keyspace', 'write', 'dangerous'], keys: null,
  doc: { summary: 'Remove all keys from all databases', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    const invalid = flushMode(ctx);
    if (invalid) return invalid;
    const node = ctx.node;
    for (const db of node.keyspace.dbs) node.transactions.touchFlushed(db, null, ctx.now);
    let removed = 0;
    const lazy = flushIsLazy(ctx);
    for (const db of node.keyspace.dbs) {
      removed += db.size;
      const streamsGoing = node.blocking.streamKeysGoing(db, null);
      node.lazyFree.databaseFlushed(db, lazy);
      db.clear();
      node.keyspace.argvHeld?.forgetDatabase(db.id);
      node.blocking.signalKeys(db, streamsGoing);
    }
    node.tracking.invalidateAll();
    // emptyData(-1): a writable replica forgets the keys its own clients gave a TTL.
    node.replicaKeyExpiry.clear();
    ctx.addDirty(removed);
    node.persistence.abortBgsave('FLUSHALL');
    if (node.config.string('save') !== '') {
      try {
        node.persistence.saveSync();
      } catch {
        // logged by the save; FLUSHALL itself succeeded
      }
    }
    ctx.addDirty(1);
    ctx.forcePropagation();
    return OK;
  },
});

export const swapdbCommand = defineCommand({
  name: 'swapdb', arity: 3, flags: ['write', 'fast'], acl: ['keyspace', 'write', 'dangerous'], keys: null,
  doc: { summary: 'Swaps two Redis databases', since: '4.0.0', group: 'server' },
  handler: (ctx) => {
    const first = intArg(ctx.arg(1));
    if (first === null) return error('ERR invalid first DB index');
    const second = intArg(ctx.arg(2));
    if (second === null) return error('ERR invalid second DB index');
    const count = ctx.node.keyspace.dbs.length;
    if (first < 0 || first >= count || second < 0 || second >= count) return errors.DB_INDEX_OUT_OF_RANGE;
    if (first !== second) {
      const a = ctx.node.keyspace.db(first);
      const b = ctx.node.keyspace.db(second);
      // Watchers of either database see the other one's content replace theirs.
      ctx.node.transactions.touchFlushed(a, b, ctx.now);
      ctx.node.transactions.touchFlushed(b, a, ctx.now);
      const streamsGoingFromA = ctx.node.blocking.streamKeysGoing(a, b);
      const streamsGoingFromB = ctx.node.blocking.streamKeysGoing(b, a);
      a.swapContentWith(b);
      ctx.keyspace.argvHeld?.swapDatabases(a.id, b.id);
      ctx.node.blocking.signalKeys(a, streamsGoingFromA);
      ctx.node.blocking.signalKeys(b, streamsGoingFromB);
      ctx.node.blocking.scanForReadyKeys(a);
      ctx.node.blocking.scanForReadyKeys(b);
    }
    ctx.addDirty();
    return OK;
  },
});

export const timeCommand = defineCommand({
  name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], acl: [], keys: null,
  doc: { summary: 'Return the current server time', since: '2.6.0', group: 'server' },
  handler: () => {
    const micros = Math.round((performance.timeOrigin + performance.now()) * 1000);
    return bulkArray([String(Math.floor(micros / 1_000_000)), String(micros % 1_000_000)]);
  },
});

export const KEYSPACE_ADMIN_COMMANDS = [dbsizeCommand, flushdbCommand, flushallCommand, swapdbCommand, timeCommand];
