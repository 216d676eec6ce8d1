/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 *         [AUTH password] [AUTH2 username password] [KEYS key ...]
 * (cluster.c migrateCommand): moves keys to another instance as DUMP
 * payloads, RESTOREd there, then deleted here (unless COPY).
 *
 * In Redis's order: options (AUTH/AUTH2 passwords are redacted in MONITOR
 * and SLOWLOG), "KEYS needs the key argument empty", timeout then db as
 * integers (timeout <= 0 means 1000 ms), +NOKEY when none of the keys
 * exists; then one write of [AUTH] [SELECT db, when the cached connection
 * is not on it] and a RESTORE key ttl payload [REPLACE] per key with a
 * relative TTL (keys expired by now are skipped), and one reply line read
 * per command. An error line from the target answers "ERR Target instance
 * replied with error: ..." (the keys it acknowledged are still deleted); a
 * connection that fails before any reply is retried once on a new
 * connection unless it timed out; I/O failures answer Redis's -IOERR texts
 * (a refused connection reads as a write error, as Redis's connect only
 * fails for an address it cannot use).
 * The keys moved are deleted here, and MIGRATE propagates as DEL of them.
 *
 * Redis blocks the whole server for the transfer; here the calling client
 * waits (blocked, 'external') and the node serves others. A key written by
 * someone else meanwhile (it no longer dumps to the payload sent) is not
 * deleted: the target has the value it had when MIGRATE started, so the
 * local, newer one is kept and MIGRATE answers an error saying so. Inside MULTI or a script, where a command cannot
 * wait, MIGRATE answers -IOERR without connecting.
 */
import { defineCommand, isOption } from './define';
import type { CommandContext } from './command-context';
import type { BlockRequest, CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { error, OK, type Reply } from '../resp/reply';
import { createDumpPayload } from '../rdb/dump-payload';
import { encodeCommand } from '../resp/reply-encoder';
import { parseInt64 } from '../util/integers';
import { NotifyType } from '../pubsub/keyspace-events';
import { MigrateTimeout, type MigrateSocket } from '../server/migrate-sockets';

type DumpOptions = Parameters<typeof createDumpPayload>[1];

const NOKEY: Reply = { kind: 'simple', value: 'NOKEY' };
const IOERR_CONNECT = error('IOERR error or timeout connecting to the client');
const IOERR_WRITE = error('IOERR error or timeout writing to target instance');
const IOERR_READ = error('IOERR error or timeout reading to target instance');

interface MigrateRequest {
  readonly host: string;
  readonly port: string;
  readonly dbid: number;
  readonly timeoutMs: number;
  readonly copy: boolean;
  readonly replace: boolean;
  readonly username: string | null;
  readonly password: string | null;
  readonly keys: ReadonlyArray<string>;
}

/** Parses the arguments; a Reply is an error to answer. */
function parseMigrate(ctx: CommandContext): MigrateRequest | Reply {
  let copy = false;
  let replace = false;
  let username: string | null = null;
  let password: string | null = null;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < ctx.argc; j++) {
    const moreArgs = ctx.argc - 1 - j;
    if (isOption(ctx.argv[j], 'copy')) copy = true;
    else if (isOption(ctx.argv[j], 'replace')) replace = true;
    else if (isOption(ctx.argv[j], 'auth')) {
      if (moreArgs === 0) return errors.SYNTAX;
      password = ctx.arg(++j);
      ctx.redact(j);
    } else if (isOption(ctx.argv[j], 'auth2')) {
      if (moreArgs < 2) return errors.SYNTAX;
      username = ctx.arg(++j);
      ctx.redact(j);
      password = ctx.arg(++j);
      ctx.redact(j);
    } else if (isOption(ctx.argv[j], 'keys')) {
      if (ctx.arg(3).length !== 0) return error('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
      firstKey = j + 1;
      numKeys = ctx.argc - j - 1;
      break;
    } else {
      return errors.SYNTAX;
    }
  }
  const timeout = parseInt64(ctx.arg(5));
  const dbid = parseInt64(ctx.arg(4));
  if (typeof timeout !== 'number' || typeof dbid !== 'number') return errors.NOT_INTEGER;
  const keys: string[] = [];
  for (let j = 0; j < numKeys; j++) keys.push(ctx.arg(firstKey + j));
  return { host: ctx.arg(1), port: ctx.arg(2), dbid, timeoutMs: timeout <= 0 ? 1000 : timeout, copy, replace, username, password, keys };
}

/** A key on its way: its DUMP payload when MIGRATE started, and the RESTORE sent for it. */
interface Outgoing {
  readonly key: string;
  readonly payload: string;
  readonly restore: Buffer;
}

/** What the target answered, or the I/O failure met. */
interface Transfer {
  /** Keys the target acknowledged, in order. */
  readonly acknowledged: string[];
  /** The first error line from the target (without '-'), or null. */
  readonly targetError: string | null;
  /** An I/O failure before all replies were read, or null. */
  readonly ioError: Reply | null;
}

function migrate(ctx: CommandContext): CommandResult {
  const request = parseMigrate(ctx);
  if (!('keys' in request)) return request;
  const present = request.keys.filter((key) => ctx.read(key) !== undefined);
  if (present.length === 0) return NOKEY;
  const node = ctx.node;
  const outgoing: Outgoing[] = [];
  const dumpOptions = { compress: node.config.bool('rdbcompression'), plainNodeThreshold: node.debug.quicklistPackedThreshold, listFill: node.config.int('list-max-listpack-size'), listCompressDepth: node.config.int('list-compress-depth') };
  for (const key of present) {
    const value = ctx.db.dict.get(key);
    if (value === undefined) continue;
    const expireAt = ctx.db.expireOf(key);
    // expireat - mstime() in int64: exact for a time kept past 2^53 as well.
    let ttl: number | bigint = 0;
    if (expireAt !== undefined) {
      ttl = typeof expireAt === 'bigint' ? expireAt - BigInt(Date.now()) : expireAt - Date.now();
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    const payload = createDumpPayload(value, dumpOptions).toString('latin1');
    const argv = ['RESTORE', key, String(ttl), payload];
    if (request.replace) argv.push('REPLACE');
    outgoing.push({ key, payload, restore: encodeCommand(argv) });
  }
  let transfer: Transfer | null = null;
  const versionAtStart = ctx.db.version;
  const block: BlockRequest = {
    kind: 'block',
    keys: [],
    deadline: 0,
    wakeOn: 'external',
    onBlocked: (client) => {
      void transferWithRetry(ctx, request, outgoing).then((done) => {
        transfer = done;
        if (client.blocked !== null) node.dispatcher.resumeBlocked(client, 'retry');
      });
    },
    retry: (resumed) => (transfer === null ? null : finish(resumed, request, outgoing, transfer, versionAtStart, dumpOptions)),
    onTimeout: () => IOERR_CONNECT,
  };
  return block;
}

/** Sends the keys; one more try on a fresh connection when the first failed before any reply (not on a timeout). */
async function transferWithRetry(ctx: CommandContext, request: MigrateRequest, outgoing: ReadonlyArray<Outgoing>): Promise<Transfer> {
  const first = await transferOnce(ctx, request, outgoing);
  if (!first.retryable) return first;
  return transferOnce(ctx, request, outgoing);
}

async function transferOnce(ctx: CommandContext, request: MigrateRequest, outgoing: ReadonlyArray<Outgoing>): Promise<Transfer & { retryable: boolean }> {
  const sockets = ctx.node.migrateSockets;
  const name = `${request.host}:${request.port}`;
  let socket: MigrateSocket;
  try {
    socket = await sockets.get(request.host, request.port, request.timeoutMs);
  } catch (failure) {
    // Redis's blocking connect fails only when no socket can be made for the
    // address (it does not resolve, a bad port); a refused or timed-out
    // connection surfaces at the write that follows.
    if (isAddressError(failure)) return { acknowledged: [], targetError: null, ioError: IOERR_CONNECT, retryable: false };
    return { acknowledged: [], targetError: null, ioError: IOERR_WRITE, retryable: !(failure instanceof MigrateTimeout) };
  }
  return socket.exclusive(async () => {
    const parts: Buffer[] = [];
    if (request.password !== null) {
      parts.push(encodeCommand(request.username !== null ? ['AUTH', request.username, request.password] : ['AUTH', request.password]));
    }
    const select = socket.lastDbid !== request.dbid;
    if (select) parts.push(encodeCommand(['SELECT', String(request.dbid)]));
    for (const { restore } of outgoing) parts.push(restore);
    try {
      await socket.write(Buffer.concat(parts), request.timeoutMs);
    } catch (failure) {
      sockets.close(name);
      return { acknowledged: [], targetError: null, ioError: IOERR_WRITE, retryable: !(failure instanceof MigrateTimeout) };
    }
    const acknowledged: string[] = [];
    let targetError: string | null = null;
    let replies = 0;
    try {
      const authReply = request.password !== null ? await socket.readLine(request.timeoutMs) : '+';
      const selectReply = select ? await socket.readLine(request.timeoutMs) : '+';
      for (const { key } of outgoing) {
        const restoreReply = await socket.readLine(request.timeoutMs);
        replies++;
        const failed = [authReply, selectReply, restoreReply].find((line) => line.startsWith('-'));
        if (failed !== undefined) {
          socket.lastDbid = -1;
          targetError ??= failed.slice(1);
        } else {
          acknowledged.push(key);
        }
      }
    } catch (failure) {
      sockets.close(name);
      const retryable = replies === 0 && targetError === null && !(failure instanceof MigrateTimeout);
      return { acknowledged, targetError, ioError: IOERR_READ, retryable };
    }
    if (targetError === null) socket.lastDbid = request.dbid;
    return { acknowledged, targetError, ioError: null, retryable: false };
  });
}

function isAddressError(failure: unknown): boolean {
  const code = (failure as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'ENOTFOUND' || code.startsWith('EAI_') || code === 'ERR_SOCKET_BAD_PORT' || code === 'ERR_INVALID_ARG_TYPE');
}

/**
 * The transfer is over: deletes the acknowledged keys (unless COPY) and
 * rewrites the command as DEL of them for replicas and the backlog.
 */
function finish(ctx: CommandContext, request: MigrateRequest, outgoing: ReadonlyArray<Outgoing>, transfer: Transfer, versionAtStart: number, dumpOptions: DumpOptions): Reply {
  const kept: string[] = [];
  if (!request.copy) {
    const moved: string[] = [];
    // Nothing written to the database meanwhile, or the value still dumps to what was sent: safe to delete.
    const unchanged = ctx.db.version === versionAtStart;
    for (const key of transfer.acknowledged) {
      const current = ctx.db.dict.get(key);
      if (current === undefined) continue;
      if (!unchanged && createDumpPayload(current, dumpOptions).toString('latin1') !== outgoing.find((item) => item.key === key)?.payload) {
        kept.push(key);
        continue;
      }
      ctx.keyspace.deleteKey(ctx.db, key);
      ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', key);
      ctx.addDirty();
      moved.push(key);
    }
    if (moved.length > 0) ctx.rewriteArgv(['DEL', ...moved]);
    else ctx.preventPropagation();
  } else {
    ctx.preventPropagation();
  }
  if (transfer.targetError !== null) return error(`ERR Target instance replied with error: ${transfer.targetError}`);
  if (transfer.ioError !== null) return transfer.ioError;
  if (kept.length > 0) return error(`ERR MIGRATE: ${kept.length} key(s) were replaced here during the transfer and were kept; the target has the earlier values`);
  return OK;
}

export const migrateCommand = defineCommand({
  name: 'migrate', arity: -6, flags: ['write'], acl: ['keyspace', 'write', 'dangerous'], keys: [3, 3, 1],
  doc: { summary: 'Atomically transfer a key from a Redis instance to another one.', since: '2.6.0', group: 'generic' },
  handler: migrate,
});
