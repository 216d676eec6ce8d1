/**
 * Connection commands: PING ECHO SELECT QUIT AUTH HELLO RESET.
 */
import { defineCommand, intArg, isOption } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, bulk, error, integer, mapOf, OK, PONG, simple, type Reply } from '../resp/reply';
import { ENGINE_REDIS_VERSION } from '../version';

const WRONGPASS = error('WRONGPASS invalid username-password pair or user is disabled.');

/**
 * Authenticates the calling client (ACLAuthenticateUser); a failure is
 * logged in the ACL log with the command as typed. Inside a transaction
 * (AUTH queued, run by EXEC) the log context is "multi", as in Redis.
 */
function authenticate(ctx: CommandContext, user: string, password: string): boolean {
  const context = ctx.node.dispatcher.executingTransaction || ctx.client.inMulti ? 'multi' : 'toplevel';
  return ctx.node.acl.authenticate(ctx.client, user, password, ctx.arg(0), context);
}

export const ping = defineCommand({
  name: 'ping', arity: -1, flags: ['fast'], acl: ['connection'], keys: null,
  doc: { summary: 'Ping the server', since: '1.0.0', group: 'connection' },
  handler: (ctx) => {
    if (ctx.argc > 2) return errors.wrongArity('ping');
    if (ctx.client.protocol === 2 && ctx.client.subscriptionCount > 0) {
      return array([bulk('pong'), bulk(ctx.argc === 2 ? ctx.arg(1) : '')]);
    }
    return ctx.argc === 2 ? bulk(ctx.arg(1)) : PONG;
  },
});

export const echo = defineCommand({
  name: 'echo', arity: 2, flags: ['fast', 'loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Echo the given string', since: '1.0.0', group: 'connection' },
  handler: (ctx) => bulk(ctx.arg(1)),
});

export const select = defineCommand({
  name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'], keys: null,
  doc: { summary: 'Change the selected database for the current connection', since: '1.0.0', group: 'connection' },
  handler: (ctx) => {
    const index = intArg(ctx.arg(1));
    if (index === null || index > 2147483647 || index < -2147483648) return errors.NOT_INTEGER;
    if (index < 0 || index >= ctx.node.keyspace.dbs.length) return errors.DB_INDEX_OUT_OF_RANGE;
    ctx.client.dbIndex = index;
    return OK;
  },
});

export const quit = defineCommand({
  name: 'quit', arity: -1, flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], acl: ['connection'], keys: null,
  doc: { summary: 'Close the connection', since: '1.0.0', group: 'connection' },
  handler: (ctx) => {
    ctx.client.closeAfterReply = true;
    return OK;
  },
});

export const auth = defineCommand({
  name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'], keys: null,
  doc: { summary: 'Authenticate to the server', since: '1.0.0', group: 'connection' },
  handler: (ctx) => {
    if (ctx.argc > 3) return errors.SYNTAX;
    ctx.redact(1);
    if (ctx.argc === 3) ctx.redact(2);
    if (ctx.argc === 2 && ctx.node.acl.defaultUser.nopass) {
      return error('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
    }
    const user = ctx.argc === 3 ? ctx.arg(1) : 'default';
    const password = ctx.arg(ctx.argc - 1);
    if (!authenticate(ctx, user, password)) return WRONGPASS;
    return OK;
  },
});

function helloReply(ctx: CommandContext): Reply {
  return mapOf([
    ['server', bulk('redis')],
    ['version', bulk(ENGINE_REDIS_VERSION)],
    ['proto', integer(ctx.client.protocol)],
    ['id', integer(ctx.client.id)],
    ['mode', bulk('standalone')],
    ['role', bulk(ctx.node.replication.isReplica ? 'replica' : 'master')],
    ['modules', array([])],
  ]);
}

export const hello = defineCommand({
  name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'], keys: null,
  doc: { summary: 'Handshake with Redis', since: '6.0.0', group: 'connection' },
  handler: (ctx) => {
    let protocol = ctx.client.protocol;
    let next = 1;
    if (ctx.argc >= 2) {
      const version = intArg(ctx.arg(1));
      if (version === null) return error('ERR Protocol version is not an integer or out of range');
      if (version < 2 || version > 3) return error('NOPROTO unsupported protocol version');
      protocol = version as 2 | 3;
      next = 2;
    }
    // Options take effect in order, as in Redis: AUTH or SETNAME before a
    // failing option stays done.
    for (let i = next; i < ctx.argc; i++) {
      const remaining = ctx.argc - i - 1;
      if (isOption(ctx.argv[i], 'auth') && remaining >= 2) {
        ctx.redact(i + 1);
        ctx.redact(i + 2);
        if (!authenticate(ctx, ctx.arg(i + 1), ctx.arg(i + 2))) return WRONGPASS;
        i += 2;
      } else if (isOption(ctx.argv[i], 'setname') && remaining >= 1) {
        const name = ctx.arg(i + 1);
        if (!isValidClientName(name)) return error('ERR Client names cannot contain spaces, newlines or special characters.');
        ctx.client.name = name;
        i += 1;
      } else {
        return error(`ERR Syntax error in HELLO option '${errors.cStringArg(ctx.arg(i))}'`);
      }
    }
    // Redis asks the client's own state here, not whether auth is required now.
    if (!ctx.client.authenticated) {
      return error('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
    }
    ctx.client.protocol = protocol;
    return helloReply(ctx);
  },
});

/** Client names may only contain printable ASCII without spaces ('!'..'~'). */
export function isValidClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

export const reset = defineCommand({
  name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'], keys: null,
  doc: { summary: 'Reset the connection', since: '6.2.0', group: 'connection' },
  handler: (ctx) => {
    const client = ctx.client;
    const node = ctx.node;
    client.inMulti = false;
    client.multiDirty = false;
    client.multiQueue = [];
    node.transactions.unwatchAll(client);
    node.monitor.monitors.delete(client);
    client.isMonitor = false;
    node.pubsub.removeClient(client);
    node.tracking.disable(client);
    client.dbIndex = 0;
    client.protocol = 2;
    client.name = '';
    client.noEvict = false;
    client.user = node.acl.defaultUser;
    client.authenticated = node.acl.authenticatedAtConnect();
    return simple('RESET');
  },
});

export const CONNECTION_COMMANDS = [ping, echo, select, quit, auth, hello, reset];
