/**
 * DEBUG (debug.c), the subcommands tests and tools rely on: SLEEP, DIGEST,
 * DIGEST-VALUE, SET-ACTIVE-EXPIRE, RELOAD, POPULATE, CHANGE-REPL-ID, OBJECT,
 * HELP. DEBUG is a protected command (enable-debug-command).
 */
import { defineCommand, intArg } from './define';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { array, error, OK, simple, type Reply } from '../resp/reply';
import { datasetDigest, keyDigest } from '../keyspace/digest';
import { objectEncoding } from '../keyspace/encoding';
import { parseRedisDouble } from '../util/floats';
import type { CommandContext } from './command-context';

const HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'OBJECT <key>',
  '    Show low level info about the `key` and associated value.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'RELOAD',
  '    Save the RDB on disk and reload it back to memory.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function syntaxError(ctx: CommandContext): Reply {
  return error(`ERR unknown subcommand or wrong number of arguments for '${ctx.arg(1).slice(0, 128)}'. Try DEBUG HELP.`);
}

function populate(ctx: CommandContext): Reply {
  const count = intArg(ctx.arg(2));
  if (count === null || count < 0) return error('ERR value is out of range, must be positive');
  const prefix = ctx.argc >= 4 ? ctx.arg(3) : 'key';
  let size = 0;
  if (ctx.argc >= 5) {
    const parsed = intArg(ctx.arg(4));
    if (parsed === null || parsed < 0) return error('ERR value is out of range, must be positive');
    size = parsed;
  }
  const db = ctx.db;
  for (let i = 0; i < count; i++) {
    const key = `${prefix}:${i}`;
    if (db.dict.has(key)) continue;
    let value = `value:${i}`;
    if (size > 0) value = value.length >= size ? value.slice(0, size) : value + '\u0000'.repeat(size - value.length);
    ctx.keyspace.addKey(db, key, value);
  }
  return OK;
}

export const debugCommand = defineCommand({
  name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale', 'protected'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'A container for debugging commands', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    const sub = ctx.arg(1).toLowerCase();
    const node = ctx.node;
    switch (sub) {
      case 'help':
        return helpReply('debug', HELP);
      case 'sleep': {
        if (ctx.argc !== 3) return syntaxError(ctx);
        const seconds = parseRedisDouble(ctx.arg(2));
        if (seconds === null) return errors.NOT_FLOAT;
        // Stops the whole server, like Redis's usleep on the main thread.
        if (seconds > 0) Atomics.wait(sleeper, 0, 0, seconds * 1000);
        return OK;
      }
      case 'digest':
        if (ctx.argc !== 2) return syntaxError(ctx);
        return simple(datasetDigest(node.keyspace.dbs));
      case 'digest-value':
        return array(ctx.argv.slice(2).map((key) => simple(keyDigest(ctx.db, key))));
      case 'set-active-expire': {
        if (ctx.argc !== 3) return syntaxError(ctx);
        const flag = intArg(ctx.arg(2));
        if (flag === null) return errors.NOT_INTEGER;
        node.activeExpire.enabled = flag !== 0;
        return OK;
      }
      case 'reload':
        try {
          node.persistence.reloadSync();
        } catch (failure) {
          return error(`ERR Error trying to load the RDB dump: ${failure instanceof Error ? failure.message : String(failure)}`);
        }
        return OK;
      case 'populate':
        if (ctx.argc < 3 || ctx.argc > 5) return syntaxError(ctx);
        return populate(ctx);
      case 'change-repl-id':
        if (ctx.argc !== 2) return syntaxError(ctx);
        node.replication.ids.change();
        node.replication.ids.clearSecond();
        return OK;
      case 'object': {
        if (ctx.argc !== 3) return syntaxError(ctx);
        const value = ctx.db.dict.get(ctx.arg(2));
        if (value === undefined) return errors.NO_SUCH_KEY;
        return simple(`Value at:0x0 refcount:1 encoding:${objectEncoding(value)} serializedlength:0 lru:0 lru_seconds_idle:0`);
      }
      default:
        return syntaxError(ctx);
    }
  },
});
