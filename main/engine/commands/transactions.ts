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
 * A queued script that runs past busy-reply-threshold parks the transaction
 * until it ends (runQueue).
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult, ResolvedCommand } from './command-spec';
import type { TransactionPark } from './port/dispatcher-port';
import * as errors from '../resp/errors';
import { array, error, NULL_ARRAY, OK, type Reply } from '../resp/reply';
import type { Client, QueuedCommand } from '../server/client';
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
    // call()'s fixed_time_expire: every queued command sees the time EXEC started (a key expiring
    // during the transaction is still there for its later commands; scripts read their own start).
    return runQueue(ctx, { queue, next: 0, captured: [], now: ctx.now, parkedOn: null });
  },
});

/** An EXEC under way: its queue, the next command to run, the replies so far. */
interface Transaction {
  readonly queue: ReadonlyArray<QueuedCommand>;
  next: number;
  readonly captured: Reply[];
  readonly now: number;
  /** The script past busy-reply-threshold the transaction waits for, with the command that ran it. */
  parkedOn: { park: TransactionPark; command: ResolvedCommand; argv: string[] } | null;
}

/**
 * Runs the queue from `tx.next`. A script that runs past
 * busy-reply-threshold parks the transaction (scriptInterrupt serves other
 * clients BUSY meanwhile, and SCRIPT KILL can stop a script that wrote
 * nothing): EXEC's caller blocks until the script ends, then the rest of
 * the queue runs in the same event-loop turn, so no other command sees the
 * transaction half done, and its effects still go out as one MULTI/EXEC.
 */
function runQueue(ctx: CommandContext, tx: Transaction): CommandResult {
  const client = ctx.client;
  const dispatcher = ctx.node.dispatcher;
  const previousCapture = client.replyCapture;
  client.replyCapture = tx.captured;
  dispatcher.executingTransaction = true;
  // The queue's argv lives until the loop ends (freeClientMultiState): values stored from it have one more reference.
  const keyspace = ctx.node.keyspace;
  keyspace.argvHeld = new ArgvHeldValues(client);
  try {
    while (tx.next < tx.queue.length) {
      const { command, argv } = tx.queue[tx.next++]!;
      const refused = ctx.node.acl.recheckQueued(client, command, argv);
      if (refused !== null) {
        client.reply(refused);
        dispatcher.errorReplied(client, refused.message, command.name);
        continue;
      }
      dispatcher.call(client, command, argv, false, tx.now);
      const park = dispatcher.takeTransactionPark();
      if (park !== null) {
        tx.parkedOn = { park, command, argv };
        return parked(tx);
      }
    }
  } finally {
    dispatcher.executingTransaction = false;
    keyspace.argvHeld = null;
    client.replyCapture = previousCapture;
  }
  return array(tx.captured);
}

/** EXEC's caller waits for the script; its retry (when the script ends) takes the script's reply and goes on. */
function parked(tx: Transaction): BlockRequest {
  const request: BlockRequest = {
    kind: 'block',
    keys: [],
    deadline: 0,
    retry: (retryCtx) => {
      const result = resumeQueue(retryCtx, tx);
      // Another script of the queue timed out: the client stays blocked on this request.
      return result.kind === 'block' ? null : result as Reply;
    },
    onTimeout: () => error('ERR the script is still running'),
    wakeOn: 'keys',
    // EXEC lasts until its last command ran: its usec is the whole span, as the one call() it is in Redis.
    lastsAsCall: true,
  };
  return request;
}

/** The parked script ended: its reply joins the others, and the rest of the queue runs. */
function resumeQueue(ctx: CommandContext, tx: Transaction): CommandResult {
  const parkedOn = tx.parkedOn;
  if (parkedOn !== null) {
    const reply = parkedOn.park.request.retry(ctx, null);
    if (reply === null) return parked(tx);
    tx.parkedOn = null;
    // The script's own figures, for its whole run (logged before the commands queued after it, as in Redis).
    ctx.node.dispatcher.finishParkedCall(ctx.client, parkedOn.command, parkedOn.argv, parkedOn.park);
    if (reply.kind === 'error') ctx.node.dispatcher.countFailure(ctx.client, parkedOn.command, reply);
    tx.captured.push(reply);
  }
  return runQueue(ctx, tx);
}

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
