/**
 * What a command handler sees: the node (through the command port,
 * port/command-node.ts), the calling client, its argv and
 * selected database, a fixed "now" for the whole command, and the
 * propagation controls (see command-spec.ts for the rules).
 */
import type { Database } from '../keyspace/database';
import type { AccessContext, Keyspace } from '../keyspace/keyspace';
import type { RedisValue } from '../keyspace/values';
import type { Client } from '../server/client';
import type { CommandNode } from './port/command-node';
import type { ResolvedCommand } from './command-spec';
import type { NotifyClass } from '../pubsub/keyspace-events';
import { ArgvHeldValues } from '../keyspace/argv-held-values';

export class CommandContext implements AccessContext {
  /** server.dirty delta caused by this command. */
  dirty = 0;
  /** When set, propagated instead of argv (rewriteClientCommandVector). */
  propagateArgv: string[] | null = null;
  /** preventCommandPropagation(): the command's own argv is not propagated. */
  propagationPrevented = false;
  /** forceCommandPropagation(): propagate even if nothing was dirtied (PUBLISH, FLUSHALL). */
  propagationForced = false;
  /**
   * A blocked client being served (a key it waited on became ready): Redis
   * serves it outside call(), and a list it pops from is not signalled
   * modified again (serveClientsBlockedOnListKey: the push already was).
   */
  servingBlocked = false;
  /** argv indexes shown as "(redacted)" in SLOWLOG and MONITOR (passwords: redactClientCommandArgument). */
  redactedArgs: number[] | null = null;
  /** Run by EXEC or by a script (call() nested in another call): see mstime(). */
  nested = false;
  /** AccessContext: is this node a replica, and is the caller our master's stream? */
  readonly isReplica: boolean;
  readonly isMasterClient: boolean;

  constructor(
    readonly node: CommandNode,
    readonly client: Client,
    readonly argv: string[],
    readonly command: ResolvedCommand,
    readonly now: number,
  ) {
    this.isReplica = node.replication.isReplica;
    this.isMasterClient = client.isMaster;
  }

  /**
   * mstime(): the wall clock when the handler asks. Redis 7.0 judges whether
   * a key has expired at a fixed time (`now`: call()'s cached time, so EXEC's
   * start for its queued commands, or a script's start), but every time a
   * command computes reads the clock afresh: an EXPIRE's or SET EX's base,
   * checkAlreadyExpired, TTL, RESTORE's relative TTL, XADD's automatic ID,
   * stream delivery, idle and seen times. At top level the two are the same
   * millisecond (no clock read); inside EXEC or a script they part.
   */
  mstime(): number {
    return this.nested ? this.node.dispatcher.clock.wallAt(performance.now()) : this.now;
  }

  /** The keyspace access rules for this command (the context itself). */
  get access(): AccessContext {
    return this;
  }

  get db(): Database {
    // SELECT accepts only indexes of existing databases, so no range check here (it made the getter too big to inline).
    return this.node.keyspace.dbs[this.client.dbIndex]!;
  }

  get keyspace(): Keyspace {
    return this.node.keyspace;
  }

  /** Number of arguments including the command name. */
  get argc(): number {
    return this.argv.length;
  }

  arg(index: number): string {
    return this.argv[index] ?? '';
  }

  read(key: string): RedisValue | undefined {
    return this.node.keyspace.lookupRead(this.db, key, this);
  }

  write(key: string): RedisValue | undefined {
    return this.node.keyspace.lookupWrite(this.db, key, this);
  }

  /** Hides argument `index` from SLOWLOG and MONITOR (a password or an ACL rule). */
  redact(index: number): void {
    (this.redactedArgs ??= []).push(index);
  }

  addDirty(count = 1): void {
    this.dirty += count;
  }

  rewriteArgv(argv: string[]): void {
    this.propagateArgv = argv;
  }

  preventPropagation(): void {
    this.propagationPrevented = true;
  }

  forcePropagation(): void {
    this.propagationForced = true;
  }

  /**
   * notifyKeyspaceEvent: publishes a keyspace notification for `key` with
   * Redis's class (NotifyType) and event name, in the caller's database
   * unless told otherwise. Call it right after the change it reports, in
   * Redis's order (e.g. "lpop" before the "del" of an emptied list). Costs
   * one AND when the class is not enabled.
   */
  notifyKeyspaceEvent(type: NotifyClass, event: string, key: string, dbIndex: number = this.client.dbIndex): void {
    const events = this.node.keyspaceEvents;
    if ((events.flags & type) !== 0) events.notify(type, event, key, dbIndex);
  }

  /**
   * The value now at `key` (caller's database) is an object of this
   * command's argv (SET, MSET, GETSET, APPEND on a missing key, INCRBYFLOAT's
   * rewrite). Inside EXEC or a script the argv outlives the command while
   * EXEC's queue holds it (the caller is EXEC's client) and while the
   * propagation queue does (the node propagates and this command's argv goes
   * out: call()'s alsoPropagate); OBJECT REFCOUNT counts each
   * (keyspace/argv-held-values.ts). A top-level command costs one test.
   */
  storedFromArgv(key: string): void {
    if (!this.nested) return;
    const keyspace = this.node.keyspace;
    let held = keyspace.argvHeld;
    const queued = held !== null && held.client === this.client ? 1 : 0;
    const propagated = this.node.propagation.collecting && !this.propagationPrevented && !this.client.suppressPropagation ? 1 : 0;
    if (queued + propagated === 0) return;
    if (held === null) keyspace.argvHeld = held = new ArgvHeldValues(null);
    held.mark(this.client.dbIndex, key, queued + propagated);
  }

  /** Propagates an extra command (alsoPropagate), in order, in the given database. */
  alsoPropagate(argv: string[], dbIndex: number = this.client.dbIndex): void {
    this.node.propagation.add(dbIndex, argv);
  }
}
