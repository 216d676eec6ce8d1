/**
 * Replication commands: REPLICAOF / SLAVEOF, SYNC, PSYNC, REPLCONF, ROLE,
 * WAIT, FAILOVER. The protocol work lives in main/engine/replication; these handlers
 * parse arguments with Redis's exact errors and call into it.
 */
import { splitInlineArguments } from '../resp/request-decoder';
import { defineCommand, int64Arg, intArg, isOption, cString } from './define';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-spec';
import * as errors from '../resp/errors';
import { array, bulk, error, integer, NO_REPLY, OK, simple, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';
import { linkOf } from '../replication/replica-link';

const NET_HOST_STR_LEN = 256;

function replicaof(ctx: CommandContext): Reply {
  const repl = ctx.node.replication;
  if (repl.failover.inProgress) return error('ERR REPLICAOF not allowed while failing over.');
  if (isOption(ctx.arg(1), 'no') && isOption(ctx.arg(2), 'one')) {
    if (repl.isReplica) {
      repl.unsetMaster(`user request from 'id=${ctx.client.id} addr=${ctx.client.address}'`);
    }
    return OK;
  }
  if (ctx.client.isReplica) return error('ERR Command is not valid when client is a replica.');
  const port = intArg(ctx.arg(2));
  if (port === null || port < 0 || port > 65535) return error('ERR Invalid master port');
  const host = ctx.arg(1);
  if (repl.isReplica && repl.masterHost?.toLowerCase() === host.toLowerCase() && repl.masterPort === port) {
    ctx.node.log.notice('REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.');
    return simple('OK Already connected to specified master');
  }
  repl.setMaster(host, port);
  ctx.node.log.notice(`REPLICAOF ${host}:${port} enabled (user request from 'id=${ctx.client.id} addr=${ctx.client.address}')`);
  return OK;
}

const replicaofDefinition = {
  arity: 3,
  flags: ['admin', 'noscript', 'stale', 'no_async_loading'] as const,
  acl: ['admin', 'dangerous'] as const,
  keys: null,
  handler: replicaof,
};

export const replicaofCommand = defineCommand({
  name: 'replicaof', ...replicaofDefinition,
  doc: { summary: 'Make the server a replica of another instance, or promote it as master.', since: '5.0.0', group: 'server' },
});

export const slaveofCommand = defineCommand({
  name: 'slaveof', ...replicaofDefinition,
  doc: { summary: 'Make the server a replica of another instance, or promote it as master.', since: '1.0.0', group: 'server' },
});

export const syncCommand = defineCommand({
  name: 'sync', arity: 1, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Internal command used for replication', since: '1.0.0', group: 'server' },
  handler: (ctx) => ctx.node.syncCommand(ctx.client, ctx.argv),
});

export const psyncCommand = defineCommand({
  name: 'psync', arity: -3, flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Internal command used for replication', since: '2.8.0', group: 'server' },
  handler: (ctx) => ctx.node.syncCommand(ctx.client, ctx.argv),
});

/**
 * REPLCONF <option> <value> ...: replicas describe themselves to their
 * master (listening-port, ip-address, capa) and acknowledge offsets (ack,
 * which never gets a reply); masters ask for acknowledgements (getack, no
 * reply either).
 */
export const replconfCommand = defineCommand({
  name: 'replconf', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'An internal command for configuring the replication stream', since: '3.0.0', group: 'server' },
  handler: (ctx) => {
    if (ctx.argc % 2 === 0) return errors.SYNTAX;
    const repl = ctx.node.replication;
    for (let j = 1; j < ctx.argc; j += 2) {
      const option = ctx.arg(j).toLowerCase();
      const value = ctx.arg(j + 1);
      switch (option) {
        case 'listening-port': {
          const port = intArg(value);
          if (port === null) return errors.NOT_INTEGER;
          linkOf(ctx.client).listeningPort = port;
          break;
        }
        case 'ip-address':
          if (value.length >= NET_HOST_STR_LEN) {
            return error(`ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`);
          }
          linkOf(ctx.client).announcedIp = value;
          break;
        case 'capa':
          if (value.toLowerCase() === 'eof') linkOf(ctx.client).capaEof = true;
          else if (value.toLowerCase() === 'psync2') linkOf(ctx.client).capaPsync2 = true;
          break;
        case 'ack': {
          const link = ctx.client.replicaLink;
          if (!ctx.client.isReplica || !link) return NO_REPLY;
          const offset = parseInt64(value);
          if (offset === null || typeof offset === 'bigint') return NO_REPLY;
          repl.acknowledge(link, offset);
          return NO_REPLY;
        }
        case 'getack':
          if (repl.isReplica && ctx.client.isMaster) repl.link?.sendAck();
          return NO_REPLY;
        case 'rdb-only': {
          const flag = intArg(value);
          if (flag !== 0 && flag !== 1) return errors.NOT_INTEGER;
          linkOf(ctx.client).rdbOnly = flag === 1;
          break;
        }
        case 'rdb-filter-only': {
          // Include filters, split like sdssplitargs; "" means nothing (an empty RDB).
          const filters = splitInlineArguments(Buffer.from(value, 'latin1'), value.length);
          if (filters === null) return error('ERR Missing rdb-filter-only values');
          for (const filter of filters) {
            if (filter.toLowerCase() !== 'functions') return error(`ERR Unsupported rdb-filter-only option: ${filter}`);
          }
          linkOf(ctx.client).rdbFilter = filters.length > 0 ? 'functions' : 'none';
          break;
        }
        default:
          return error(`ERR Unrecognized REPLCONF option: ${cString(ctx.arg(j))}`);
      }
    }
    return OK;
  },
});

/** ROLE: master -> [master, offset, [[ip, port, ack offset], ...]] (online replicas; port and offset as bulk strings). */
export const roleCommand = defineCommand({
  name: 'role', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Return the role of the instance in the context of replication', since: '2.8.12', group: 'server' },
  handler: (ctx) => {
    const repl = ctx.node.replication;
    if (!repl.isReplica) {
      const replicas: Reply[] = [];
      for (const link of repl.replicas) {
        if (link.state !== 'online') continue;
        replicas.push(array([bulk(link.ip), bulk(String(link.listeningPort)), bulk(String(link.ackOffset))]));
      }
      return array([bulk('master'), integer(repl.masterReplOffset), array(replicas)]);
    }
    const link = repl.link;
    const state = link?.phase ?? 'connect';
    return array([
      bulk('slave'),
      bulk(repl.masterHost ?? ''),
      integer(repl.masterPort),
      bulk(state),
      integer(link?.masterClient ? link.appliedOffset : -1),
    ]);
  },
});

/**
 * WAIT numreplicas timeout: how many replicas acknowledged everything this
 * client wrote up to its previous command. Blocks (timeout 0 = forever)
 * until enough did; a REPLCONF GETACK is sent to ask them.
 */
export const waitCommand = defineCommand({
  name: 'wait', arity: 3, flags: ['noscript'], acl: ['connection'], keys: null,
  doc: { summary: 'Wait for the synchronous replication of all the write commands sent in the context of the current connection', since: '3.0.0', group: 'generic' },
  handler: (ctx): CommandResult => {
    const repl = ctx.node.replication;
    if (repl.isReplica) {
      return error('ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.');
    }
    const wanted = intArg(ctx.arg(1));
    if (wanted === null) return errors.NOT_INTEGER;
    const timeout = parseInt64(ctx.arg(2));
    if (timeout === null || typeof timeout === 'bigint') return error('ERR timeout is not an integer or out of range');
    if (timeout < 0) return error('ERR timeout is negative');
    const target = ctx.client.replicationOffsetAfterLastCommand;
    const acked = repl.countAcks(target);
    if (acked >= wanted || ctx.client.inMulti) return integer(acked);
    return {
      kind: 'block',
      keys: [],
      deadline: timeout === 0 ? 0 : ctx.now + timeout,
      wakeOn: 'replication',
      retry: (retryCtx) => {
        const count = retryCtx.node.replication.countAcks(target);
        return count >= wanted ? integer(count) : null;
      },
      onTimeout: (timeoutCtx) => integer(timeoutCtx.node.replication.countAcks(target)),
    };
  },
});

/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms] (failoverCommand):
 * argument rules and messages as Redis 7.0; the protocol is in
 * replication/failover.ts.
 */
function failover(ctx: CommandContext): Reply {
  const repl = ctx.node.replication;
  if (ctx.argc === 2 && isOption(ctx.arg(1), 'abort')) {
    if (!repl.failover.inProgress) return error('ERR No failover in progress.');
    repl.failover.abort('Failover manually aborted');
    return OK;
  }
  let timeoutMs = 0;
  let force = false;
  let host: string | null = null;
  let port = 0;
  for (let j = 1; j < ctx.argc; j++) {
    const option = ctx.arg(j);
    if (isOption(option, 'timeout') && j + 1 < ctx.argc && timeoutMs === 0) {
      const value = int64Arg(ctx.arg(j + 1));
      if (value === null || typeof value === 'bigint') return errors.NOT_INTEGER;
      if (value <= 0) return error('ERR FAILOVER timeout must be greater than 0');
      timeoutMs = value;
      j++;
    } else if (isOption(option, 'to') && j + 2 < ctx.argc && host === null) {
      const value = int64Arg(ctx.arg(j + 2));
      if (value === null || typeof value === 'bigint') return errors.NOT_INTEGER;
      host = ctx.arg(j + 1);
      port = value;
      j += 2;
    } else if (isOption(option, 'force') && !force) {
      force = true;
    } else {
      return errors.SYNTAX;
    }
  }
  if (repl.failover.inProgress) return error('ERR FAILOVER already in progress.');
  if (repl.isReplica) return error('ERR FAILOVER is not valid when server is a replica.');
  if (repl.replicas.size === 0) return error('ERR FAILOVER requires connected replicas.');
  if (force && (timeoutMs === 0 || host === null)) return error('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
  if (host !== null) {
    const target = repl.failover.findReplica(host, port);
    if (!target) return error('ERR FAILOVER target HOST and PORT is not a replica.');
    if (target.state !== 'online') return error('ERR FAILOVER target replica is not online.');
  }
  repl.failover.begin({ targetHost: host, targetPort: port, timeoutMs, force }, ctx.now);
  return OK;
}

export const failoverCommand = defineCommand({
  name: 'failover', arity: -1, flags: ['admin', 'noscript', 'stale'], acl: ['admin', 'slow', 'dangerous'], keys: null,
  doc: { summary: 'Start a coordinated failover between this server and one of its replicas.', since: '6.2.0', group: 'server' },
  handler: failover,
});

export const REPLICATION_COMMANDS = [replicaofCommand, slaveofCommand, syncCommand, psyncCommand, replconfCommand, roleCommand, waitCommand, failoverCommand];
