/**
 * CLIENT subcommands (networking.c clientCommand): ID, SETNAME, GETNAME,
 * LIST, INFO, KILL, NO-EVICT, REPLY, UNBLOCK, HELP. KILL TYPE master/replica
 * reaches replication links: killing the master client drops the link (the
 * replica caches the master and PSYNCs back), killing a replica makes it
 * reconnect.
 */
import { defineCommand, int64Arg, intArg, isOption, cString } from './define';
import { helpReply } from './help';
import { isValidClientName } from './connection';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { bulkOrNull, error, integer, NO_REPLY, OK, verbatim, type Reply } from '../resp/reply';
import type { Client, ClientKind } from '../server/client';
import { argvMemory, clientMemoryUsage, multiMemory } from '../server/client-memory';
import type { AclUser } from '../acl/acl-user';
import { CLIENT_TRACKING_SUBCOMMANDS, trackingFlags, trackingRedirect } from './client-tracking';

const HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

function parseType(text: string): ClientKind | null {
  switch (cString(text).toLowerCase()) {
    case 'normal': return 'normal';
    case 'master': return 'master';
    case 'replica':
    case 'slave': return 'replica';
    case 'pubsub': return 'pubsub';
    default: return null;
  }
}

function flagsOf(client: Client): string {
  let flags = '';
  if (client.isReplica) flags += 'S';
  if (client.isMaster) flags += 'M';
  if (client.subscriptionCount > 0) flags += 'P';
  if (client.inMulti) flags += 'x';
  if (client.blocked) flags += 'b';
  flags += trackingFlags(client);
  if (client.isMonitor) flags += 'O';
  if (client.watchTouched) flags += 'd';
  if (client.closeAfterReply) flags += 'c';
  if (client.noEvict) flags += 'e';
  return flags === '' ? 'N' : flags;
}

function fdOf(client: Client): number {
  const handle = (client.socket as unknown as { _handle?: { fd?: number } } | null)?._handle;
  return typeof handle?.fd === 'number' ? handle.fd : -1;
}

/** One CLIENT LIST / CLIENT INFO line, in 7.0's field order. */
export function clientInfoLine(client: Client, now: number): string {
  const age = Math.floor((now - client.createdAt) / 1000);
  const idle = Math.floor((now - client.lastInteraction) / 1000);
  const pending = client.outputBacklogBytes;
  const list = client.replyBuffer.inList(pending);
  return [
    `id=${client.id}`,
    `addr=${client.address}`,
    `laddr=${client.localAddress}`,
    `fd=${fdOf(client)}`,
    `name=${client.name}`,
    `age=${age}`,
    `idle=${idle}`,
    `flags=${flagsOf(client)}`,
    `db=${client.dbIndex}`,
    `sub=${client.channels.size}`,
    `psub=${client.patterns.size}`,
    `ssub=${client.shardChannels.size}`,
    `multi=${client.inMulti ? client.multiQueue.length : -1}`,
    `qbuf=${client.queryBuffer.length}`,
    `qbuf-free=${client.queryBuffer.free}`,
    `argv-mem=${argvMemory(client)}`,
    `multi-mem=${multiMemory(client)}`,
    `rbs=${client.replyBuffer.size}`,
    `rbp=${client.replyBuffer.peak}`,
    `obl=${client.replyBuffer.inBuffer(pending)}`,
    `oll=${list.blocks}`,
    `omem=${list.bytes}`,
    `tot-mem=${clientMemoryUsage(client)}`,
    // A write handler is installed only while the socket cannot take everything queued: replies
    // queued by this very read (pipelined) are not yet a pending write.
    `events=r${client.socketBacklogBytes > 0 ? 'w' : ''}`,
    `cmd=${client.lastCommand}`,
    `user=${client.user?.name ?? '(superuser)'}`,
    `redir=${trackingRedirect(client)}`,
    `resp=${client.protocol}`,
  ].join(' ');
}

/** The version each subcommand came in (COMMAND DOCS since), as Redis 7.0.15 lists it. */
const SINCE: Readonly<Record<string, string>> = {
  id: '5.0.0', setname: '2.6.9', getname: '2.6.9', list: '2.4.0', info: '6.2.0', kill: '2.4.0', 'no-evict': '7.0.0',
  reply: '3.2.0', unblock: '5.0.0', pause: '2.9.50', unpause: '6.2.0', help: '5.0.0',
};

const sub = (name: string, arity: number, summary: string, handler: (ctx: CommandContext) => Reply, flags: Array<'noscript' | 'loading' | 'stale' | 'admin'> = ['noscript', 'loading', 'stale']) =>
  defineCommand({
    name, arity, flags, acl: ['connection'], keys: null,
    doc: { summary, since: SINCE[name] ?? '2.4.0', group: 'connection' },
    handler,
  });

const clientId = sub('id', 2, 'Returns the client ID for the current connection', (ctx) => integer(ctx.client.id));

const clientSetname = sub('setname', 3, 'Set the current connection name', (ctx) => {
  const name = ctx.arg(2);
  if (!isValidClientName(name)) return error('ERR Client names cannot contain spaces, newlines or special characters.');
  ctx.client.name = name;
  return OK;
});

const clientGetname = sub('getname', 2, 'Get the current connection name', (ctx) => bulkOrNull(ctx.client.name === '' ? null : ctx.client.name));

/**
 * CLIENT LIST [TYPE type | ID id [id ...]]: 7.0 takes one filter, TYPE with
 * exactly its value or ID with one or more, nothing else (a syntax error).
 * IDs are any int64 (0 or negative simply match nobody) and list in the
 * order given, each as often as given (lookupClientByID per argument).
 */
const clientList = sub('list', -2, 'Get the list of client connections', (ctx) => {
  const now = Date.now();
  const clients = ctx.node.clients.clients;
  let text = '';
  if (ctx.argc === 4 && isOption(ctx.argv[2], 'type')) {
    const filterType = parseType(ctx.arg(3));
    if (!filterType) return error(`ERR Unknown client type '${errors.cStringArg(ctx.arg(3))}'`);
    for (const client of clients.values()) if (client.kind === filterType) text += `${clientInfoLine(client, now)}\n`;
  } else if (ctx.argc > 3 && isOption(ctx.argv[2], 'id')) {
    for (let i = 3; i < ctx.argc; i++) {
      const id = int64Arg(ctx.arg(i));
      if (id === null) return error('ERR Invalid client ID');
      const client = typeof id === 'number' ? clients.get(id) : undefined;
      if (client !== undefined) text += `${clientInfoLine(client, now)}\n`;
    }
  } else if (ctx.argc !== 2) {
    return errors.SYNTAX;
  } else {
    for (const client of clients.values()) text += `${clientInfoLine(client, now)}\n`;
  }
  return verbatim(text);
}, ['admin', 'noscript', 'loading', 'stale']);

const clientInfo = sub('info', 2, 'Returns information about the current client connection.', (ctx) => verbatim(`${clientInfoLine(ctx.client, Date.now())}\n`));

/** CLIENT KILL: the old "ip:port" form replies OK or an error; the filter form replies the count. */
const clientKill = sub('kill', -3, 'Kill the connection of a client', (ctx) => {
  const node = ctx.node;
  if (ctx.argc === 3) {
    const target = [...node.clients.clients.values()].find((c) => c.address === ctx.arg(2));
    if (!target) return error('ERR No such client');
    kill(ctx, target);
    return OK;
  }
  let id: number | null = null;
  let type: ClientKind | null = null;
  let addr: string | null = null;
  let laddr: string | null = null;
  let user: AclUser | null = null;
  let skipMe = true;
  // Filter by filter, as clientKillCommand: an earlier filter's error wins over a later one missing its value.
  for (let i = 2; i < ctx.argc; i += 2) {
    if (i + 1 >= ctx.argc) return errors.SYNTAX;
    const option = cString(ctx.arg(i)).toLowerCase();
    const value = ctx.arg(i + 1);
    switch (option) {
      case 'id': {
        const parsed = intArg(value);
        if (parsed === null || parsed <= 0) return error('ERR client-id should be greater than 0');
        id = parsed;
        break;
      }
      case 'type':
        type = parseType(value);
        if (!type) return error(`ERR Unknown client type '${cString(value)}'`);
        break;
      case 'addr': addr = value; break;
      case 'laddr': laddr = value; break;
      case 'user':
        user = node.acl.users.get(value) ?? null;
        if (!user) return error(`ERR No such user '${cString(value)}'`);
        break;
      case 'skipme':
        if (isOption(value, 'yes')) skipMe = true;
        else if (isOption(value, 'no')) skipMe = false;
        else return errors.SYNTAX;
        break;
      // Redis 7.0 has no MAXAGE filter (a later version's): a syntax error, as any unknown filter.
      default:
        return errors.SYNTAX;
    }
  }
  let killed = 0;
  for (const client of [...node.clients.clients.values()]) {
    if (id !== null && client.id !== id) continue;
    if (type !== null && client.kind !== type) continue;
    if (addr !== null && client.address !== addr) continue;
    if (laddr !== null && client.localAddress !== laddr) continue;
    if (user !== null && client.user !== user) continue;
    if (client === ctx.client && skipMe) continue;
    kill(ctx, client);
    killed++;
  }
  return integer(killed);
}, ['admin', 'noscript', 'loading', 'stale']);

function kill(ctx: CommandContext, client: Client): void {
  if (client === ctx.client) {
    // Killing ourselves: the reply still goes out, then the connection closes.
    client.closeAfterReply = true;
    return;
  }
  const link = client.replicaLink;
  if (client.isReplica && link) ctx.node.replication.dropReplica(link, 'killed', 'CLIENT KILL');
  else ctx.node.killClient(client);
}

const clientNoEvict = sub('no-evict', 3, 'Set client eviction mode for the current connection', (ctx) => {
  if (isOption(ctx.argv[2], 'on')) ctx.client.noEvict = true;
  else if (isOption(ctx.argv[2], 'off')) ctx.client.noEvict = false;
  else return errors.SYNTAX;
  return OK;
}, ['admin', 'noscript', 'loading', 'stale']);

const clientReply = sub('reply', 3, 'Instruct the server whether to reply to commands', (ctx) => {
  const mode = cString(ctx.arg(2)).toLowerCase();
  if (mode === 'on') {
    ctx.client.replyMode = 'on';
    return OK;
  }
  if (mode === 'off') {
    ctx.client.replyMode = 'off';
    return NO_REPLY;
  }
  if (mode === 'skip') {
    if (ctx.client.replyMode === 'on') ctx.client.replyMode = 'skip-next';
    return NO_REPLY;
  }
  return errors.SYNTAX;
});

const clientUnblock = sub('unblock', -3, 'Unblock a client blocked in a blocking command from a different connection', (ctx) => {
  const id = intArg(ctx.arg(2));
  if (id === null) return errors.NOT_INTEGER;
  let withError = false;
  if (ctx.argc === 4) {
    if (isOption(ctx.argv[3], 'error')) withError = true;
    else if (!isOption(ctx.argv[3], 'timeout')) return error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
  } else if (ctx.argc > 4) {
    return errors.SYNTAX;
  }
  const target = ctx.node.clients.clients.get(id);
  if (!target || !ctx.node.blocking.isUnblockable(target)) return integer(0);
  if (withError) {
    ctx.node.blocking.unblock(target);
    target.reply(error('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
  } else {
    ctx.node.blocking.unblockWithTimeout(target);
  }
  return integer(1);
}, ['admin', 'noscript', 'loading', 'stale']);

/** CLIENT PAUSE <timeout ms> [WRITE|ALL]: the mode is checked before the timeout, as Redis does. */
const clientPause = sub('pause', -3, 'Stop processing commands from clients for some time', (ctx) => {
  if (ctx.argc > 4) return errors.subcommandSyntax(ctx.arg(1), 'client');
  let type: 'write' | 'all' = 'all';
  if (ctx.argc === 4) {
    if (isOption(ctx.argv[3], 'write')) type = 'write';
    else if (!isOption(ctx.argv[3], 'all')) return error('ERR CLIENT PAUSE mode must be WRITE or ALL');
  }
  const millis = int64Arg(ctx.arg(2));
  if (millis === null || typeof millis === 'bigint') return error('ERR timeout is not an integer or out of range');
  if (millis < 0) return error('ERR timeout is negative');
  // A zero timeout gives an end in the past: a pause that is already over.
  ctx.node.pause.pause('client-command', millis > 0 ? ctx.mstime() + millis : 0, type);
  return OK;
}, ['admin', 'noscript', 'loading', 'stale']);

const clientUnpause = sub('unpause', 2, 'Resume processing of clients that were paused', (ctx) => {
  ctx.node.pause.unpause('client-command');
  return OK;
}, ['admin', 'noscript', 'loading', 'stale']);

const clientHelp = sub('help', 2, 'Show helpful text about the different subcommands', () => helpReply('client', HELP), ['loading', 'stale']);

export const clientCommand = defineCommand({
  name: 'client', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for client connection commands', since: '2.4.0', group: 'connection' },
  subcommands: [clientId, clientSetname, clientGetname, clientList, clientInfo, clientKill, clientNoEvict, clientReply, clientUnblock, clientPause, clientUnpause, clientHelp, ...CLIENT_TRACKING_SUBCOMMANDS],
});

