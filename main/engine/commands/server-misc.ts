/**
 * SHUTDOWN, MONITOR, SLOWLOG.
 *
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] (shutdownCommand): the
 * sequence is server/shutdown.ts. With replicas lagging (and no NOW) the
 * client stays blocked while writes are paused and the replicas catch up;
 * it is answered only if the shutdown is cancelled (ABORT from another
 * client, or a failed final save). On success nothing is replied: the
 * connection just closes, as with Redis. While a script runs past
 * busy-reply-threshold only SHUTDOWN NOSAVE (or ABORT) is served; the
 * others answer BUSY.
 */
import { defineCommand, intArg, isOption } from './define';
import type { BlockRequest, CommandResult } from './command-spec';
import type { CommandContext } from './command-context';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, NO_REPLY, OK, type Reply } from '../resp/reply';

const SHUTDOWN_FAILED = error('ERR Errors trying to SHUTDOWN. Check logs.');

function shutdown(ctx: CommandContext): CommandResult {
  let save = false;
  let nosave = false;
  let now = false;
  let force = false;
  let abort = false;
  for (const arg of ctx.argv.slice(1)) {
    if (isOption(arg, 'nosave')) nosave = true;
    else if (isOption(arg, 'save')) save = true;
    else if (isOption(arg, 'now')) now = true;
    else if (isOption(arg, 'force')) force = true;
    else if (isOption(arg, 'abort')) abort = true;
    else return errors.SYNTAX;
  }
  if ((abort && (save || nosave || now || force)) || (save && nosave)) return errors.SYNTAX;
  const sequence = ctx.node.shutdownSequence;
  if (abort) return sequence.abort() ? OK : error('ERR No shutdown in progress.');
  // A script past busy-reply-threshold: only NOSAVE may stop the server (its
  // dataset is half-written by the script), as shutdownCommand answers.
  if (!nosave && ctx.node.scripting.busy) return ctx.node.scripting.busyError();
  const outcome = sequence.prepare({ save, nosave, now, force });
  if (outcome === 'stopping') return NO_REPLY;
  if (outcome === 'failed') return SHUTDOWN_FAILED;
  const waiting: BlockRequest = {
    kind: 'block',
    keys: [],
    deadline: 0,
    wakeOn: 'external',
    onBlocked: (client) => sequence.addWaiter(client),
    retry: (retryCtx) => {
      const reply = sequence.outcomeFor(retryCtx.client);
      return reply === null ? null : error(reply);
    },
    onTimeout: () => SHUTDOWN_FAILED,
  };
  return waiting;
}

export const shutdownCommand = defineCommand({
  name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Synchronously save the dataset to disk and then shut down the server', since: '1.0.0', group: 'server' },
  handler: shutdown,
});

export const monitorCommand = defineCommand({
  name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Listen for all requests received by the server in real time', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    if (ctx.client.isReplica) return NO_REPLY;
    ctx.client.isMonitor = true;
    ctx.node.monitor.monitors.add(ctx.client);
    return OK;
  },
});

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

const slowlogGet = defineCommand({
  name: 'get', arity: -2, flags: ['admin', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Get the slow log\'s entries', since: '2.2.12', group: 'server' },
  handler: (ctx) => {
    let count = 10;
    if (ctx.argc === 3) {
      const parsed = intArg(ctx.arg(2));
      if (parsed === null || parsed < -1) return error('ERR count should be greater than or equal to -1');
      count = parsed === -1 ? Infinity : parsed;
    } else if (ctx.argc > 3) {
      return errors.SYNTAX;
    }
    const entries: Reply[] = ctx.node.slowlog.entries.slice(0, count === Infinity ? undefined : count).map((entry) =>
      array([integer(entry.id), integer(entry.time), integer(entry.micros), bulkArray(entry.argv), bulk(entry.peer), bulk(entry.clientName)]),
    );
    return array(entries);
  },
});

const slowlogLen = defineCommand({
  name: 'len', arity: 2, flags: ['admin', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Get the slow log\'s length', since: '2.2.12', group: 'server' },
  handler: (ctx) => integer(ctx.node.slowlog.entries.length),
});

const slowlogReset = defineCommand({
  name: 'reset', arity: 2, flags: ['admin', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Clear all entries from the slow log', since: '2.2.12', group: 'server' },
  handler: (ctx) => {
    ctx.node.slowlog.reset();
    return OK;
  },
});

const slowlogHelp = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '6.2.0', group: 'server' },
  handler: () => helpReply('slowlog', SLOWLOG_HELP),
});

export const slowlogCommand = defineCommand({
  name: 'slowlog', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for slow log commands', since: '2.2.12', group: 'server' },
  subcommands: [slowlogGet, slowlogLen, slowlogReset, slowlogHelp],
});
