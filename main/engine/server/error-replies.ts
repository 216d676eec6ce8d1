/**
 * What follows every error reply to a client (networking.c afterErrorReply,
 * Redis 7.0): the error statistics (INFO stats total_error_replies and INFO
 * errorstats) unless the error was counted already, and, when the client
 * is the replication link itself, a warning and INFO stats
 * unexpected_error_replies:
 *
 *   our master's client (a command of its stream failed here, or the stream
 *   is malformed): "== CRITICAL == This replica is sending an error to its
 *   master: '<text>' after processing the command '<cmd>'", then the tail of
 *   the backlog ("Latest backlog is: '...'") when it holds anything;
 *
 *   a replica's connection (it sent us a request that failed): "== CRITICAL
 *   == This master is sending an error to its replica: ...", preceded by
 *   "Replica generated a reply to command '<cmd>', disconnecting it: <CLIENT
 *   INFO line>" (_addReplyToBufferOrList: the reply is never written, the
 *   connection is closed once the request is done; see Dispatcher).
 *
 * <cmd> is the last command looked up for the client (c->lastcmd), or
 * "<unknown>" when the last request named no command. The reply never
 * reaches either peer: a master gets no replies, and a replica link is cut.
 *
 * propagation-error-behavior: with "panic" or "panic-on-replicas", an error
 * sent to our master's client while replica-read-only is on makes the node
 * panic after those lines ("This replica panicked sending an error to its
 * master after processing the command '<cmd>'"; EngineNode.panic says what
 * a panic is for an embedded node). A writable replica only logs: its own
 * writes may legitimately make its master's commands fail. The two values
 * differ only for the AOF-loading client ("panic" only), which we do not
 * have. An error to a replica's connection never panics.
 */
import { clientInfoLine } from '../commands/server-client';
import type { Logger } from '../log/logger';
import type { ReplicationBuffer } from '../replication/replication-buffer';
import { quoteRepr } from './monitor';
import type { Client } from './client';
import type { ServerStats } from './stats';

/** What these steps read and write of the node. */
export interface ErrorReplyNode {
  readonly stats: ServerStats;
  readonly log: Logger;
  readonly config: { string(name: string): string };
  /** server.repl_slave_ro. */
  readonly hot: { readonly replicaReadOnly: boolean };
  panic(message: string, where: string): void;
  /** Our backlog (null before it is created). */
  readonly replication: { readonly buffer: ReplicationBuffer | null };
}

/** afterErrorReply logs at most this many bytes of the error. */
const LOGGED_ERROR_MAX = 4096;
/** showLatestBacklog: the last bytes of the backlog it prints. */
const LATEST_BACKLOG_BYTES = 256;

/**
 * The "-ERR ..." replies Redis sends from shared objects (server.c
 * createSharedObjects): their text reaches afterErrorReply with its code.
 */
const SHARED_ERR_REPLIES = new Set([
  'ERR no such key',
  'ERR syntax error',
  'ERR source and destination objects are the same',
  'ERR index out of range',
]);

/**
 * ERR replies Redis formats with their code in the format string, so they
 * reach afterErrorReply with it too (geo.c extractLongLatOrReply:
 * addReplyErrorFormat(c, "-ERR invalid longitude,latitude pair %f,%f\r\n")).
 * The error statistics are the same either way (code ERR); only the text
 * the CRITICAL line quotes differs. Every other ERR reply is made by
 * addReplyError with the bare message.
 */
const CODED_ERR_PREFIXES = ['ERR invalid longitude,latitude pair '];

/** The commands whose script errors Redis replies with their code ("-%s"). */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro', 'fcall', 'fcall_ro']);

/**
 * The error as afterErrorReply gets it: with its "-CODE" when the caller
 * gave one (every code but ERR, the shared ERR replies, the ERR replies
 * formatted with their code, and a script's error), else the message
 * without "ERR ". A script command's own argument errors (numkeys) are bare
 * there too; they are taken as a script's here.
 */
export function errorReplyText(message: string, command: string): string {
  if (!message.startsWith('ERR ') || SHARED_ERR_REPLIES.has(message) || SCRIPT_COMMANDS.has(command)) return `-${message}`;
  if (CODED_ERR_PREFIXES.some((prefix) => message.startsWith(prefix))) return `-${message}`;
  return message.slice(4);
}

/** c->lastcmd's name as afterErrorReply and "Replica generated a reply" print it. */
export function lastCommandName(client: Client): string {
  return client.lastCommand === 'NULL' ? '<unknown>' : client.lastCommand;
}

export interface ErrorReplyOrigin {
  /** The error is already in the error statistics (a script's redis.pcall error, ERR_REPLY_FLAG_NO_STATS_UPDATE). */
  readonly counted?: boolean | undefined;
  /** The command that failed ('' for a malformed request): decides the logged text (errorReplyText). */
  readonly command: string;
}

/** afterErrorReply for an error reply `message` ("CODE text") sent to `client`. */
export function afterErrorReply(node: ErrorReplyNode, client: Client, message: string, origin: ErrorReplyOrigin): void {
  if (origin.counted !== true) node.stats.countError(message);
  if (!client.isMaster && !client.isReplica) return;
  if (client.isReplica) logReplicaReply(node, client);
  const text = errorReplyText(message, origin.command);
  const [from, to] = client.isMaster ? ['replica', 'master'] : ['master', 'replica'];
  // Reply strings hold one byte per character.
  node.log.warning(`== CRITICAL == This ${from} is sending an error to its ${to}: '${text.slice(0, LOGGED_ERROR_MAX)}' after processing the command '${lastCommandName(client)}'`);
  if (client.isMaster) logLatestBacklog(node);
  node.stats.unexpectedErrorReplies++;
  if (client.isMaster && node.hot.replicaReadOnly && node.config.string('propagation-error-behavior') !== 'ignore') {
    node.panic(`This ${from} panicked sending an error to its ${to} after processing the command '${lastCommandName(client)}'`, 'error-replies.ts');
  }
}

/**
 * A replica's connection got a reply: logged once ("Replica generated a
 * reply ...", with the CLIENT INFO line as it is then); the connection is
 * closed when its request is done.
 */
export function logReplicaReply(node: ErrorReplyNode, client: Client): void {
  if (client.replicaReplyLogged) return;
  client.replicaReplyLogged = true;
  node.log.warning(`Replica generated a reply to command '${lastCommandName(client)}', disconnecting it: ${clientInfoLine(client, Date.now())}`);
}

/** showLatestBacklog: the last 256 bytes of our backlog, quoted like sdscatrepr (nothing when it is empty). */
export function logLatestBacklog(node: ErrorReplyNode): void {
  const buffer = node.replication.buffer;
  if (buffer === null || buffer.histlen === 0) return;
  const length = Math.min(LATEST_BACKLOG_BYTES, buffer.histlen);
  const tail = Buffer.concat(buffer.read(buffer.masterOffset - length + 1));
  node.log.warning(`Latest backlog is: '${quoteRepr(tail.toString('latin1'))}'`);
}
