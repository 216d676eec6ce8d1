/**
 * DEBUG (debug.c): the subcommands tests, tools and client test suites rely
 * on. DEBUG is a protected command (enable-debug-command).
 *
 * Each subcommand has the argument count Redis checks for it; any other
 * count, and names we do not have (SEGFAULT, PANIC, RESTART and the other
 * ways of crashing the process, MALLCTL, STRUCTSIZE...), get Redis's
 * "unknown subcommand or wrong number of arguments" error.
 */
import { defineCommand, intArg } from './define';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { array, error, NO_REPLY, OK, simple, type Reply } from '../resp/reply';
import { datasetDigest, keyDigest } from '../keyspace/digest';
import { memtoull } from '../config/numeric-values';
import { DEFAULT_REPLY_BUFFER_PEAK_RESET_MS } from '../server/debug-settings';
import { DEFAULT_PLAIN_NODE_THRESHOLD } from '../rdb/value-writer';
import type { CommandContext } from './command-context';
import { debugObjectLine } from './debug-object';
import { debugProtocolReply } from './debug-protocol';
import { debugClientEviction, debugEncodingDump, debugSdsLen } from './debug-structures';
import { ReloadError } from '../persistence/reload-error';
import { flattened } from '../util/flat-string';
import { cString } from '../util/c-string';

const HELP = [
  'AOF-FLUSH-SLEEP <microsec>',
  '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT',
  '    Crash by assertion failed.',
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL',
  '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]',
  '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>',
  '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>',
  '    Create a memory leak of the input string.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'HTSTATS <dbid>',
  '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>',
  '    Like HTSTATS but for the hash table stored at <key>\'s value.',
  'LOADAOF',
  '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>',
  '    Replicates the provided string to replicas, allowing data divergence.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>',
  '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM',
  '    Crash the server simulating an out-of-memory error.',
  'PANIC',
  '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]',
  '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'RESTART [<milliseconds>]',
  '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>',
  '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT',
  '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>',
  '    Enables or disables checksum checks for RDB files and RESTORE\'s payload.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE',
  '    Return the size of different Redis core C structures.',
  'LISTPACK <key>',
  '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]',
  '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION',
  '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>',
  '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>',
  '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>',
  '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>',
  '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** Largest packed threshold quicklistisSetPackedThreshold accepts: just under 4 GB. */
const MAX_PACKED_THRESHOLD = 2n ** 32n - 2n ** 20n;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** C's atoi, for the flags Redis reads that way (0 for anything not starting with digits). */
function atoi(text: string): number {
  const match = /^\s*([+-]?\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** C's strtod as DEBUG SLEEP reads it: the leading number, 0 when there is none. */
function leadingDouble(text: string): number {
  const match = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text);
  return match ? Number(match[0]) : 0;
}

/** The bytes of DEBUG POPULATE's key buffer (debug.c's char buf[128]) less its NUL. */
const POPULATE_KEY_MAX = 127;

function populate(ctx: CommandContext): Reply {
  const count = intArg(ctx.arg(2));
  if (count === null || count < 0) return error('ERR value is out of range, must be positive');
  const prefix = ctx.argc >= 4 ? cString(ctx.arg(3)) : 'key';
  let size = 0;
  if (ctx.argc >= 5) {
    const parsed = intArg(ctx.arg(4));
    if (parsed === null || parsed < 0) return error('ERR value is out of range, must be positive');
    size = parsed;
  }
  const db = ctx.db;
  for (let i = 0; i < count; i++) {
    // debug.c prints the key with snprintf(buf[128], "%s:%lu"): the prefix ends at its
    // first NUL and the key at 127 bytes (a long prefix then names every key alike).
    let key = `${prefix}:${i}`;
    if (key.length > POPULATE_KEY_MAX) key = key.slice(0, POPULATE_KEY_MAX);
    if (db.dict.has(key)) continue;
    let value = `value:${i}`;
    // Padded values are stored flat, as a SET's value is: a concatenation
    // left as pieces costs more memory and is flattened by its first write.
    if (size > 0) value = value.length >= size ? value.slice(0, size) : flattened(value + '\u0000'.repeat(size - value.length));
    ctx.keyspace.addKey(db, key, value);
  }
  return OK;
}

/** DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]. */
function reload(ctx: CommandContext): Reply {
  const options = { save: true, flush: true, merge: false };
  for (const option of ctx.argv.slice(2)) {
    const word = option.toLowerCase();
    if (word === 'merge') options.merge = true;
    else if (word === 'noflush') options.flush = false;
    else if (word === 'nosave') options.save = false;
    else return error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  }
  try {
    ctx.node.reloadDataset(options);
  } catch (failure) {
    if (failure instanceof ReloadError) return error(failure.message);
    throw failure;
  }
  return OK;
}

function replyBuffer(ctx: CommandContext): Reply | null {
  const setting = ctx.arg(2).toLowerCase();
  const value = ctx.arg(3);
  const debug = ctx.node.debug;
  if (setting === 'peak-reset-time') {
    const word = value.toLowerCase();
    if (word === 'never') debug.replyBufferPeakResetMs = -1;
    else if (word === 'reset') debug.replyBufferPeakResetMs = DEFAULT_REPLY_BUFFER_PEAK_RESET_MS;
    else {
      const ms = intArg(value);
      if (ms === null) return errors.NOT_INTEGER;
      debug.replyBufferPeakResetMs = ms;
    }
    return OK;
  }
  if (setting === 'resizing') {
    debug.replyBufferResizing = atoi(value) !== 0;
    return OK;
  }
  return null;
}

type Subcommand = { readonly argc: (argc: number) => boolean; readonly run: (ctx: CommandContext) => Reply | null };

const exactly = (count: number) => (argc: number): boolean => argc === count;
const atLeast = (count: number) => (argc: number): boolean => argc >= count;

/** name -> accepted argument counts (argv incl. DEBUG and the subcommand) and handler; null means "syntax error". */
const SUBCOMMANDS = new Map<string, Subcommand>(Object.entries({
  help: { argc: exactly(2), run: () => helpReply('debug', HELP) },
  log: {
    argc: exactly(3),
    run: (ctx) => {
      ctx.node.log.warning(`DEBUG LOG: ${ctx.arg(2)}`);
      return OK;
    },
  },
  reload: { argc: atLeast(2), run: reload },
  // No AOF here: with appendonly on, the AOF would hold exactly the dataset,
  // so its reload rebuilds the dataset from an in-memory dump of itself.
  // With appendonly off Redis 7.0 finds no AOF manifest (AOF_NOT_EXIST),
  // and debug.c exits(1) with the dataset already emptied: no reply, no log
  // line at notice level, the connection closed. So do we. (An AOF turned
  // on and off again leaves its files, which Redis would load; we keep no
  // files, so that case also ends here.)
  loadaof: {
    argc: atLeast(2),
    run: (ctx) => {
      if (!ctx.node.config.bool('appendonly')) {
        ctx.node.exitWithoutSaving(1);
        return NO_REPLY;
      }
      ctx.node.reloadFromMemory();
      return OK;
    },
  },
  object: { argc: exactly(3), run: (ctx) => debugObjectLine(ctx, ctx.arg(2)) },
  sdslen: { argc: exactly(3), run: (ctx) => debugSdsLen(ctx, ctx.arg(2)) },
  listpack: { argc: exactly(3), run: (ctx) => debugEncodingDump(ctx, ctx.arg(2), 'listpack') },
  quicklist: { argc: (argc) => argc === 3 || argc === 4, run: (ctx) => debugEncodingDump(ctx, ctx.arg(2), 'quicklist') },
  'client-eviction': { argc: exactly(2), run: debugClientEviction },
  populate: { argc: (argc) => argc >= 3 && argc <= 5, run: populate },
  digest: { argc: exactly(2), run: (ctx) => simple(datasetDigest(ctx.node.keyspace.dbs)) },
  'digest-value': { argc: atLeast(2), run: (ctx) => array(ctx.argv.slice(2).map((key) => simple(keyDigest(ctx.db, key)))) },
  protocol: { argc: exactly(3), run: (ctx) => debugProtocolReply(ctx, ctx.arg(2)) },
  sleep: {
    argc: exactly(3),
    run: (ctx) => {
      // Stops the whole server, like Redis's nanosleep on the main thread.
      const seconds = leadingDouble(ctx.arg(2));
      if (seconds > 0) Atomics.wait(sleeper, 0, 0, seconds * 1000);
      return OK;
    },
  },
  'set-active-expire': {
    argc: exactly(3),
    run: (ctx) => {
      ctx.node.activeExpire.enabled = atoi(ctx.arg(2)) !== 0;
      return OK;
    },
  },
  'quicklist-packed-threshold': {
    argc: exactly(3),
    run: (ctx) => {
      // memtoull, as redis-server reads it: "" and a unit alone are 0, which restores the default.
      const size = memtoull(ctx.arg(2));
      if (size === null || size > MAX_PACKED_THRESHOLD) return error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
      ctx.node.debug.quicklistPackedThreshold = size === 0n ? DEFAULT_PLAIN_NODE_THRESHOLD : Number(size);
      return OK;
    },
  },
  error: { argc: exactly(3), run: (ctx) => error(errors.sanitizeForError(ctx.arg(2))) },
  // Into the replication stream as given (server.slaveseldb: no SELECT), never run here: data divergence on purpose.
  replicate: {
    argc: atLeast(3),
    run: (ctx) => {
      ctx.node.replication.feedWithoutSelect(ctx.argv.slice(2));
      return OK;
    },
  },
  'change-repl-id': {
    argc: exactly(2),
    run: (ctx) => {
      ctx.node.replication.ids.change();
      ctx.node.replication.ids.clearSecond();
      return OK;
    },
  },
  'pause-cron': {
    argc: exactly(3),
    run: (ctx) => {
      ctx.node.debug.cronPaused = atoi(ctx.arg(2)) !== 0;
      return OK;
    },
  },
  replybuffer: { argc: exactly(4), run: replyBuffer },
  // Lets scripts call commands flagged noscript (tests of the conversion of every reply type).
  'set-disable-deny-scripts': {
    argc: exactly(3),
    run: (ctx) => {
      ctx.node.scripting.denyScriptsDisabled = atoi(ctx.arg(2)) !== 0;
      return OK;
    },
  },
} satisfies Record<string, Subcommand>));

export const debugCommand = defineCommand({
  name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale', 'protected'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'A container for debugging commands', since: '1.0.0', group: 'server' },
  handler: (ctx) => {
    const subcommand = SUBCOMMANDS.get(ctx.arg(1).toLowerCase());
    const reply = subcommand && subcommand.argc(ctx.argc) ? subcommand.run(ctx) : null;
    return reply ?? errors.subcommandSyntax(ctx.arg(1), 'debug');
  },
});
