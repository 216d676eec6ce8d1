/**
 * SAVE, BGSAVE [SCHEDULE], LASTSAVE, BGREWRITEAOF: the persistence
 * commands (persistence/persistence.ts does the work).
 */
import { defineCommand, isOption } from './define';
import * as errors from '../resp/errors';
import { error, integer, OK, simple } from '../resp/reply';

export const saveCommand = defineCommand({
  name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Synchronously save the dataset to disk', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    if (ctx.node.persistence.bgsaveInProgress) return error('ERR Background save already in progress');
    try {
      ctx.node.persistence.saveSync();
      return OK;
    } catch (failure) {
      return error(failure instanceof Error ? failure.message : String(failure));
    }
  },
});

export const bgsaveCommand = defineCommand({
  name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_async_loading'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Asynchronously save the dataset to disk', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    if (ctx.argc > 2 || (ctx.argc === 2 && !isOption(ctx.argv[1], 'schedule'))) return errors.SYNTAX;
    const persistence = ctx.node.persistence;
    if (persistence.bgsaveInProgress) {
      if (ctx.argc === 2) return simple('Background saving scheduled');
      return error('ERR Background save already in progress');
    }
    persistence.bgsave();
    return simple('Background saving started');
  },
});

export const lastsaveCommand = defineCommand({
  name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Get the UNIX time stamp of the last successful save to disk', since: '1.0.0', group: 'server' },
  handler: (ctx) => integer(ctx.node.persistence.lastSaveTime),
});

/**
 * BGREWRITEAOF. redis-server rewrites the AOF even with appendonly no (it
 * forks, writes a new base file into appenddirname and answers "Background
 * append only file rewriting started"). This engine keeps no append-only
 * file at all, so answering that would claim a file nobody can find. It
 * answers what redis-server answers when it cannot start the rewrite
 * (rewriteAppendOnlyFileBackground failing): "Can't execute an AOF
 * background rewriting. Please check the server logs for more
 * information.", a string clients already know, and the log line says why.
 *
 * Inside EXEC, or while a BGSAVE runs, redis-server does not try the
 * rewrite at all: it answers "Background append only file rewriting
 * scheduled" and its cron starts it later, where a rewrite that cannot
 * start only logs. The engine does the same: the same reply, then the cron
 * tries, fails and logs (once; redis-server would retry every tick). Either
 * way INFO shows aof_last_bgrewrite_status:err after the attempt and
 * aof_rewrites stays 0: no rewrite ever runs.
 */
export const bgrewriteaofCommand = defineCommand({
  name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_async_loading'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Asynchronously rewrite the append-only file', since: '1.0.0', group: 'server', complexity: 'O(1)' },
  handler: (ctx) => {
    const persistence = ctx.node.persistence;
    if (persistence.bgsaveInProgress || ctx.node.dispatcher.executingTransaction) {
      persistence.aofRewriteScheduled = true;
      return simple('Background append only file rewriting scheduled');
    }
    persistence.rewriteAofBackground('now');
    return error("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
  },
});

export const PERSISTENCE_COMMANDS = [saveCommand, bgsaveCommand, lastsaveCommand, bgrewriteaofCommand];
