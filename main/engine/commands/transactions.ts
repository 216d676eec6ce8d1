/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH (multi.c).
 *
 * Commands sent after MULTI are queued by the dispatcher (which also marks
 * the transaction dirty when a command fails to queue). EXEC then:
 *  - replies a null array if a WATCHed key was touched, or expired since
 *    WATCH (7.0), or EXECABORT after a queuing error, and discards;
 *  - otherwise runs every queued command as a nested call (blocking
 *    commands act as non-blocking), replying an array of their replies.
 * Their effects are wrapped in MULTI ... EXEC for replicas by the propagator
 * when there is more than one; a read-only transaction propagates nothing.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, error, NULL_ARRAY, OK, type Reply } from '../resp/reply';
import type { Client } from '../server/client';
import { keyIsExpired } from '../server/transactions';
import { ArgvHeldValues } from '../keyspace/argv-held-values';

function discardTransaction(ctx: CommandContext, client: Client): void {
  client.inMulti = false;
  client.multiDirty = false;
  client.multiQueue = [];
  ctx.node.transactions.unwatchAll(client);
}

/** A key WATCHed while alive that has expired since (isWatchedKeyExpired). */
function watchedKeyExpired(ctx: CommandContext, client: Client): boolean {
  for (const watched of client.watchedKeys) {
    if (!watched.expired && keyIsExpired(ctx.node.keyspace.db(watched.dbIndex), watched.key, ctx.now)) return true;
  }
  return false;
}

export const multiCommand = defineCommand({
  name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'], keys: null,
  doc: { summary: 'Mark the start of a transaction block', since: '1.2.0', group: 'transactions' },
  handler: (ctx) => {
    if (ctx.client.inMulti) return error('ERR MULTI calls can not be nested');
    ctx.client.inMulti = true;
    ctx.client.multiQueue = [];
    ctx.client.multiDirty = false;
    return OK;
  },
});

export const execCommand = defineCommand({
  name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], acl: ['transaction'], keys: null,
  doc: { summary: 'Execute all commands issued after MULTI', since: '1.2.0', group: 'transactions' },
  handler: (ctx) => {
    const client = ctx.client;
    if (!client.inMulti) return error('ERR EXEC without MULTI');
    if (watchedKeyExpired(ctx, client)) client.watchTouched = true;
    if (client.multiDirty || client.watchTouched) {
      const reply: Reply = client.multiDirty ? errors.EXECABORT : NULL_ARRAY;
      discardTransaction(ctx, client);
      return reply;
    }
    const queue = client.multiQueue;
    ctx.node.transactions.unwatchAll(client);
    client.inMulti = false;
    client.multiQueue = [];
    const dispatcher = ctx.node.dispatcher;
    const captured: Reply[] = [];
    const previousCapture = client.replyCapture;
    client.replyCapture = captured;
    dispatcher.executingTransaction = true;
    // The queue's argv lives until the loop ends (freeClientMultiState): values stored from it have one more reference.
    const keyspace = ctx.node.keyspace;
    keyspace.argvHeld = new ArgvHeldValues(client);
    try {
      for (const { command, argv } of queue) {
        const refused = ctx.node.acl.recheckQueued(client, command, argv);
        if (refused === null) {
          // call()'s fixed_time_expire: every queued command sees the time EXEC started (a key expiring
          // during the transaction is still there for its later commands; scripts read their own start).
          dispatcher.call(client, command, argv, false, ctx.now);
        } else {
          ctx.node.stats.countError(refused.message);
          client.reply(refused);
        }
      }
    } finally {
      dispatcher.executingTransaction = false;
      keyspace.argvHeld = null;
      client.replyCapture = previousCapture;
    }
    return array(captured);
  },
});

export const discardCommand = defineCommand({
  name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'], keys: null,
  doc: { summary: 'Discard all commands issued after MULTI', since: '2.0.0', group: 'transactions' },
  handler: (ctx) => {
    if (!ctx.client.inMulti) return error('ERR DISCARD without MULTI');
    discardTransaction(ctx, ctx.client);
    return OK;
  },
});

export const watchCommand = defineCommand({
  name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'], keys: [1, -1, 1],
  doc: { summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', since: '2.2.0', group: 'transactions' },
  handler: (ctx) => {
    if (ctx.client.inMulti) return error('ERR WATCH inside MULTI is not allowed');
    for (let i = 1; i < ctx.argc; i++) {
      const key = ctx.arg(i);
      ctx.node.transactions.watch(ctx.client, ctx.client.dbIndex, key, keyIsExpired(ctx.db, key, ctx.now));
    }
    return OK;
  },
});

export const unwatchCommand = defineCommand({
  name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], acl: ['transaction'], keys: null,
  doc: { summary: 'Forget about all watched keys', since: '2.2.0', group: 'transactions' },
  handler: (ctx) => {
    ctx.node.transactions.unwatchAll(ctx.client);
    return OK;
  },
});

export const TRANSACTION_COMMANDS = [multiCommand, execCommand, discardCommand, watchCommand, unwatchCommand];
