/**
 * The node's ACL state (acl.c globals): the users by name, the default user,
 * the ACL log; and the operations that touch clients too: authenticating,
 * checking a command before it runs, deleting users (their clients are
 * disconnected), and dropping subscribers that lost a channel permission.
 *
 * The default user is one object for the node's whole life: ACL LOAD and
 * `user default ...` change it in place, so every client holding it follows.
 * Clients hold their user object; the master link's client holds null and
 * is never checked (Redis's "superuser").
 */
import type { ResolvedCommand } from '../commands/command-spec';
import type { CommandTable } from '../commands/command-table';
import { error, type ErrorReply } from '../resp/reply';
import { cString } from '../util/c-string';
import type { Client } from '../server/client';
import { AclCommands } from './acl-commands';
import { aclRuleErrorMessage, hasSpaceOrNul } from './acl-errors';
import { AclLog, type AclLogContext } from './acl-log';
import { ACL_DENIED_CMD, ACL_DENIED_KEY, ACL_OK, channelAllowedBy } from './acl-selector';
import { AclUser, type AclCheck } from './acl-user';

/** What the registry needs from its node. */
export interface AclHost {
  clients(): Iterable<Client>;
  /** Closes a client now (freeClient). */
  killClient(client: Client): void;
  /** The CLIENT LIST line of a client, for the ACL log. */
  clientInfo(client: Client): string;
  aclPubsubAllChannels(): boolean;
  aclLogMaxLength(): number;
  /** The default user's password state changed (whether AUTH is required). */
  defaultUserChanged(): void;
}

export class Acl {
  readonly commands: AclCommands;
  readonly users = new Map<string, AclUser>();
  readonly defaultUser: AclUser;
  readonly log: AclLog;

  constructor(
    table: CommandTable,
    private readonly host: AclHost,
  ) {
    this.commands = new AclCommands(table);
    this.log = new AclLog(() => host.aclLogMaxLength());
    this.defaultUser = this.newDefaultUser();
    this.users.set('default', this.defaultUser);
  }

  newUser(name: string): AclUser {
    return new AclUser(name, this.commands, () => this.host.aclPubsubAllChannels());
  }

  /** ACLCreateDefaultUser: +@all ~* &* on nopass. */
  newDefaultUser(): AclUser {
    const user = this.newUser('default');
    for (const rule of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(rule);
    return user;
  }

  /** Users sorted by name bytes (Redis keeps them in a radix tree). */
  sortedUsers(): AclUser[] {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A new connection's state (clientSetDefaultAuth). */
  authenticatedAtConnect(): boolean {
    return this.defaultUser.nopass && this.defaultUser.enabled;
  }

  /** authRequired() without the client part: does the default user let anyone in? */
  authRequired(): boolean {
    return !this.defaultUser.nopass || !this.defaultUser.enabled;
  }

  /**
   * ACLStringSetUser: applies every rule to a copy (a selector spread over
   * several arguments is joined back first) and, only if all apply, puts
   * the copy in place (creating the user). Returns the error text or null.
   */
  setUser(name: string, rules: ReadonlyArray<string>): string | null {
    const merged = mergeSelectorArguments(rules);
    if ('unmatched' in merged) return `Unmatched parenthesis in acl selector starting at '${cString(merged.unmatched)}'.`;
    const existing = this.users.get(name);
    const staged = existing ? existing.copy() : this.newUser(name);
    for (const rule of merged.rules) {
      const failure = staged.apply(rule);
      if (failure) return `Error in ACL SETUSER modifier '${cString(rule)}': ${aclRuleErrorMessage(failure)}`;
    }
    if (existing) {
      this.dropSubscribersLosingChannels(staged, existing);
      existing.assign(staged);
    } else {
      this.users.set(name, staged);
    }
    if (existing === this.defaultUser) this.host.defaultUserChanged();
    return null;
  }

  /**
   * ACL DELUSER: removes the users and disconnects their clients; the
   * calling client, if one of them, is closed after its reply.
   */
  deleteUsers(names: ReadonlyArray<string>, caller: Client): number {
    let deleted = 0;
    for (const name of names) {
      const user = this.users.get(name);
      if (!user) continue;
      this.users.delete(name);
      this.disconnectClientsOf([user], caller);
      deleted++;
    }
    return deleted;
  }

  /**
   * ACLFreeUserAndKillClients: each client of these users goes back to the
   * default user, unauthenticated, and is closed (the caller after its reply).
   */
  disconnectClientsOf(users: ReadonlyArray<AclUser>, caller: Client | null): void {
    const gone = new Set(users);
    for (const client of [...this.host.clients()]) {
      if (client.user === null || !gone.has(client.user)) continue;
      client.user = this.defaultUser;
      client.authenticated = false;
      if (client === caller) client.closeAfterReply = true;
      else this.host.killClient(client);
    }
  }

  /**
   * ACLAuthenticateUser: on success the client runs as that user; on
   * failure an "auth" entry is logged (the object is the command as typed).
   */
  authenticate(client: Client, username: string, password: string, commandName: string, context: AclLogContext): boolean {
    const user = this.users.get(username);
    if (user && user.passwordMatches(password)) {
      client.authenticated = true;
      client.user = user;
      return true;
    }
    this.log.add({ reason: 'auth', context, object: commandName, username, time: Date.now(), clientInfo: this.host.clientInfo(client) });
    return false;
  }

  /** Tells the node the default user changed in place (ACL LOAD, `user default`). */
  defaultUserChanged(): void {
    this.host.defaultUserChanged();
  }

  /** requirepass: the default user's passwords become this one (nopass when empty). */
  setDefaultPassword(password: string): void {
    this.defaultUser.apply('resetpass');
    this.defaultUser.apply(password === '' ? 'nopass' : `>${password}`);
    this.host.defaultUserChanged();
  }

  /**
   * A command was refused: logs it (object: the command's full name, or the
   * denied key or channel) and returns the NOPERM error processCommand sends.
   */
  refuse(client: Client, check: AclCheck, command: ResolvedCommand, argv: ReadonlyArray<string>, context: AclLogContext): ErrorReply {
    this.logDenial(client, check, command, argv, context);
    if (check.result === ACL_DENIED_CMD) return error(`NOPERM this user has no permissions to run the '${command.fullName}' command`);
    if (check.result === ACL_DENIED_KEY) return error('NOPERM this user has no permissions to access one of the keys used as arguments');
    return error('NOPERM this user has no permissions to access one of the channels used as arguments');
  }

  /**
   * EXEC checks each queued command again (the rules may have changed since
   * it was queued): null when it may run, else the error EXEC puts in its
   * place, in execCommand's own wording, logged with context "multi".
   */
  recheckQueued(client: Client, command: ResolvedCommand, argv: ReadonlyArray<string>): ErrorReply | null {
    const denied = this.deniedAndLogged(client, command, argv, 'multi');
    if (denied === null) return null;
    const reason = wording(denied, ['no permission to execute the command or subcommand', 'no permission to touch the specified keys', 'no permission to access one of the channels used as arguments']);
    return error(`NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`);
  }

  /**
   * A command a script calls runs with its caller's user (scriptVerifyACL):
   * null when allowed, else the refusal (getAclErrorMessage's wording),
   * logged with context "lua" and the caller's client info.
   */
  refuseInScript(caller: Client, command: ResolvedCommand, argv: ReadonlyArray<string>): string | null {
    const denied = this.deniedAndLogged(caller, command, argv, 'lua');
    if (denied === null) return null;
    const reason = wording(denied, ["can't run this command or subcommand", "can't access at least one of the keys mentioned in the command arguments", "can't publish to the channel mentioned in the command"]);
    return `The user executing the script ${reason}`;
  }

  /** Checks the client's user; a denial is logged and returned, null when allowed. */
  private deniedAndLogged(client: Client, command: ResolvedCommand, argv: ReadonlyArray<string>, context: AclLogContext): AclCheck | null {
    const user = client.user;
    if (user === null || user.unrestricted) return null;
    const check = user.check(command, argv);
    if (check.result === ACL_OK) return null;
    this.logDenial(client, check, command, argv, context);
    return check;
  }

  private logDenial(client: Client, check: AclCheck, command: ResolvedCommand, argv: ReadonlyArray<string>, context: AclLogContext): void {
    if (check.result === ACL_OK) return;
    const reason = check.result === ACL_DENIED_CMD ? 'command' : check.result === ACL_DENIED_KEY ? 'key' : 'channel';
    const object = check.result === ACL_DENIED_CMD ? command.fullName : (argv[check.index] ?? '');
    this.log.add({ reason, context, object, username: client.user?.name ?? '', time: Date.now(), clientInfo: this.host.clientInfo(client) });
  }

  /**
   * ACLKillPubsubClientsIfNeeded: when `updated` no longer grants every
   * channel `original` did, subscribers authenticated as the user whose
   * channels or patterns are no longer all allowed are disconnected.
   */
  private dropSubscribersLosingChannels(updated: AclUser, original: AclUser): void {
    if (updated.selectors.some((selector) => selector.allChannels)) return;
    const upcoming = updated.selectors.flatMap((selector) => selector.channels);
    const keepsAll = original.selectors.every((selector) => !selector.allChannels && selector.channels.every((channel) => upcoming.includes(channel)));
    if (keepsAll) return;
    for (const client of [...this.host.clients()]) {
      if (client.user !== original || client.kind !== 'pubsub') continue;
      const lost =
        [...client.patterns].some((pattern) => !channelAllowedBy(upcoming, pattern, true)) ||
        [...client.channels, ...client.shardChannels].some((channel) => !channelAllowedBy(upcoming, channel, false));
      if (lost) this.host.killClient(client);
    }
  }

  /** Checks a username for ACL SETUSER and files. */
  static validUsername(name: string): boolean {
    return !hasSpaceOrNul(name);
  }
}

/**
 * ACLMergeSelectorArguments: "(~x" "+get)" -> "(~x +get)". An argument that
 * opens a selector without closing it starts collecting; the one that ends
 * with ")" closes it. A selector never closed is an error naming where it
 * started.
 */
/** The text for a denied command, key or channel, in that order. */
function wording(check: AclCheck, [command, key, channel]: readonly [string, string, string]): string {
  return check.result === ACL_DENIED_CMD ? command : check.result === ACL_DENIED_KEY ? key : channel;
}

export function mergeSelectorArguments(args: ReadonlyArray<string>): { rules: string[] } | { unmatched: string; unmatchedIndex: number } {
  const rules: string[] = [];
  let open: string | null = null;
  let openedAt = '';
  let openedIndex = -1;
  for (const [index, arg] of args.entries()) {
    // An unclosed "(" restarts collecting even inside a selector, as in Redis.
    if (arg[0] === '(' && arg[arg.length - 1] !== ')') {
      open = arg;
      openedAt = arg;
      openedIndex = index;
      continue;
    }
    if (open !== null) {
      open += ` ${arg}`;
      if (arg[arg.length - 1] === ')') {
        rules.push(open);
        open = null;
      }
      continue;
    }
    rules.push(arg);
  }
  if (open !== null) return { unmatched: openedAt, unmatchedIndex: openedIndex };
  return { rules };
}
