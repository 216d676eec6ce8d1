/**
 * Clients blocked by BLPOP-style commands (on keys) or WAIT (on replication
 * ACKs), as in blocked.c. A key that receives elements is "signalled ready";
 * after the command that did so, every client blocked on a ready key is given
 * a chance to run again, oldest first (FIFO per key), until no ready keys
 * remain (serving one client can make another key ready, e.g. BLMOVE).
 */
import type { BlockRequest, ResolvedCommand } from '../commands/command-spec';
import { error } from '../resp/reply';
import type { Database } from '../keyspace/database';
import { StreamValue, typeOf, type RedisType } from '../keyspace/values';
import type { EngineNode } from '../node';
import type { Client } from './client';

/** The request of a postponed client: never retried or timed out, only released. */
const POSTPONED: BlockRequest = {
  kind: 'block',
  keys: [],
  deadline: 0,
  retry: () => null,
  onTimeout: () => error('ERR postponed command timed out'),
  wakeOn: 'postpone',
};

/** setTimeout's largest delay. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

interface ReadyKey {
  readonly dbIndex: number;
  readonly key: string;
}

export class BlockingManager {
  /** dbIndex -> key -> clients in blocking order. */
  private readonly byKey = new Map<number, Map<string, Client[]>>();
  private readyKeys: ReadyKey[] = [];
  private readonly readySet = new Set<string>();
  private readonly waitingForReplication = new Set<Client>();
  /** Clients whose command waits for a client pause to end, in arrival order. */
  private postponed: Client[] = [];
  /** Every parked client: postponed, blocked, and the callers of scripts past busy-reply-threshold. */
  private blockedClients = 0;
  /**
   * Parked callers Redis does not count as blocked (request.lastsAsCall: an
   * EVAL/FCALL or EXEC whose script runs past busy-reply-threshold is still
   * inside call() there, served by processEventsWhileBlocked).
   */
  private parkedCalls = 0;
  /** Blocked clients with a deadline: Redis's clients_timeout_table holds only those (a 0 timeout is never added). */
  private withDeadline = 0;

  constructor(private readonly node: EngineNode) {}

  block(client: Client, command: ResolvedCommand, argv: string[], request: BlockRequest): void {
    client.blocked = { request, command, argv, dbIndex: client.dbIndex, timer: null, callMicros: 0, blockedAt: 0 };
    this.blockedClients++;
    if (request.lastsAsCall === true) this.parkedCalls++;
    if (request.deadline > 0) this.withDeadline++;
    if (request.wakeOn === 'replication') {
      this.waitingForReplication.add(client);
      this.node.replication.requestAcks();
    } else {
      const dbMap = this.byKey.get(client.dbIndex) ?? new Map<string, Client[]>();
      this.byKey.set(client.dbIndex, dbMap);
      for (const key of new Set(request.keys)) {
        const list = dbMap.get(key);
        if (list) list.push(client);
        else dbMap.set(key, [client]);
      }
    }
    if (request.deadline > 0) this.armTimer(client, request.deadline);
    request.onBlocked?.(client);
  }

  /**
   * Node timers fire at once past 2^31 - 1 ms (about 24.8 days): a longer
   * wait is armed in steps until the deadline is in reach.
   */
  private armTimer(client: Client, deadline: number): void {
    const state = client.blocked;
    if (!state) return;
    const delay = Math.max(0, deadline - Date.now());
    if (delay > MAX_TIMER_DELAY) state.timer = setTimeout(() => this.armTimer(client, deadline), MAX_TIMER_DELAY);
    else state.timer = setTimeout(() => this.timeout(client), delay);
  }

  /**
   * blockPostponeClient(): the command waits, unanswered, for the pause to end;
   * the client reads nothing more meanwhile (its pipeline stays pending).
   */
  postpone(client: Client, command: ResolvedCommand, argv: string[]): void {
    client.blocked = { request: POSTPONED, command, argv, dbIndex: client.dbIndex, timer: null, callMicros: 0, blockedAt: 0 };
    this.blockedClients++;
    this.postponed.push(client);
  }

  /**
   * unblockPostponedClients(): every postponed command is processed again from
   * scratch, oldest first (it may be postponed again, or rejected: a master
   * that became a replica meanwhile answers -READONLY).
   */
  releasePostponed(): void {
    const clients = this.postponed;
    this.postponed = [];
    for (const client of clients) {
      const state = client.blocked;
      if (!state || state.request !== POSTPONED || client.closed) continue;
      this.unblock(client);
      this.node.dispatcher.processCommand(client, state.argv);
      client.flush();
    }
  }

  /** INFO blocked_clients: blocked and postponed clients, not the callers of a running script (blocked.c's blocked_clients). */
  get reportedBlockedClients(): number {
    return this.blockedClients - this.parkedCalls;
  }

  /** INFO clients_in_timeout_table: the blocked clients with a timeout. */
  get clientsInTimeoutTable(): number {
    return this.withDeadline;
  }

  get postponedCount(): number {
    return this.postponed.length;
  }

  /** Called by the keyspace when a key gains elements. Cheap when nobody is blocked. */
  keyReady(db: Database, key: string): void {
    // byKey holds blocked clients only (unblock removes them).
    if (this.blockedClients === 0) return;
    const clients = this.byKey.get(db.id)?.get(key);
    if (!clients || clients.length === 0) return;
    const id = `${db.id}\u0000${key}`;
    if (this.readySet.has(id)) return;
    this.readySet.add(id);
    this.readyKeys.push({ dbIndex: db.id, key });
  }

  /** After SWAPDB: keys clients wait for may now exist (scanDatabaseForReadyKeys). */
  scanForReadyKeys(db: Database): void {
    const waiting = this.byKey.get(db.id);
    if (!waiting) return;
    for (const key of waiting.keys()) if (db.dict.has(key)) this.keyReady(db, key);
  }

  /**
   * Serves clients blocked on keys made ready by the last command or
   * transaction (handleClientsBlockedOnKeys), oldest first. A key is looked
   * at as it is now: gone, or holding another type than a client waits for,
   * it serves nobody (those clients stay blocked).
   */
  handleReadyKeys(): void {
    while (this.readyKeys.length > 0) {
      const batch = this.readyKeys;
      this.readyKeys = [];
      this.readySet.clear();
      for (const { dbIndex, key } of batch) {
        const clients = this.byKey.get(dbIndex)?.get(key);
        if (!clients) continue;
        for (const client of [...clients]) {
          if (!client.blocked || !this.holdsWaitedType(dbIndex, key, client.blocked.request)) continue;
          this.node.dispatcher.resumeBlocked(client, 'retry', key);
        }
      }
    }
  }

  /**
   * The key exists (expired keys do not) and holds the type the client
   * waits for, if it names one; or the client is to be told that its key
   * went (alsoWhenGone: XREADGROUP).
   */
  private holdsWaitedType(dbIndex: number, key: string, request: BlockRequest): boolean {
    if (request.alsoWhenGone) return true;
    const keyType: RedisType | undefined = request.keyType;
    const node = this.node;
    const access = { now: Date.now(), isReplica: node.replication.isReplica, isMasterClient: false };
    // LOOKUP_NONOTIFY | LOOKUP_NOSTATS, as handleClientsBlockedOnKeys: a ready key gone by now is no "keymiss".
    const value = node.keyspace.lookupReadNoStats(node.keyspace.db(dbIndex), key, access, false);
    return value !== undefined && (keyType === undefined || typeOf(value) === keyType);
  }

  /** Is any client waiting for this key? (Cheap: the keyspace asks before signalling a gone stream.) */
  isWaitedOn(db: Database, key: string): boolean {
    if (this.blockedClients === 0) return false;
    return this.byKey.get(db.id)?.has(key) ?? false;
  }

  /**
   * scanDatabaseForDeletedStreams, before a flush or swap empties `db`:
   * the keys clients wait on that hold a stream now and will not after
   * (`replacedWith`: the database whose content takes its place, null
   * for a flush). Signal them once the change is made: XREADGROUP clients
   * blocked there must fail with -UNBLOCKED.
   */
  streamKeysGoing(db: Database, replacedWith: Database | null): string[] {
    const waiting = this.byKey.get(db.id);
    if (!waiting) return [];
    const going: string[] = [];
    for (const key of waiting.keys()) {
      if (!(db.dict.get(key) instanceof StreamValue)) continue;
      if (replacedWith && replacedWith.dict.get(key) instanceof StreamValue) continue;
      going.push(key);
    }
    return going;
  }

  signalKeys(db: Database, keys: ReadonlyArray<string>): void {
    for (const key of keys) this.keyReady(db, key);
  }

  /** Replication ACKs moved: WAIT clients re-check their condition. */
  replicationProgress(): void {
    for (const client of [...this.waitingForReplication]) {
      if (client.blocked) this.node.dispatcher.resumeBlocked(client, 'retry');
    }
  }

  get waitingForReplicationCount(): number {
    return this.waitingForReplication.size;
  }

  private timeout(client: Client): void {
    if (!client.blocked) return;
    this.node.dispatcher.resumeBlocked(client, 'timeout');
    this.unblock(client);
  }

  /** Removes a client from every wait list (served, timed out, killed, or disconnected). */
  unblock(client: Client): void {
    const state = client.blocked;
    if (!state) return;
    if (state.timer) clearTimeout(state.timer);
    client.blocked = null;
    this.blockedClients--;
    if (state.request.lastsAsCall === true) this.parkedCalls--;
    if (state.request.deadline > 0) this.withDeadline--;
    if (client.resumeInput && !client.closed) {
      // Run the rest of its pipeline after the reply that unblocked it is queued.
      const resume = client.resumeInput;
      setImmediate(resume);
    }
    this.waitingForReplication.delete(client);
    if (state.request === POSTPONED) {
      const index = this.postponed.indexOf(client);
      if (index >= 0) this.postponed.splice(index, 1);
      return;
    }
    const dbMap = this.byKey.get(state.dbIndex);
    if (!dbMap) return;
    for (const key of state.request.keys) {
      const list = dbMap.get(key);
      if (!list) continue;
      const index = list.indexOf(client);
      if (index >= 0) list.splice(index, 1);
      if (list.length === 0) dbMap.delete(key);
    }
  }

  /**
   * disconnectAllBlockedClients(): a master turning into a replica unblocks
   * every blocked client with an error (their keys now belong to the master's
   * stream). Postponed clients stay: their command starts from scratch later.
   */
  unblockAllForRoleChange(): void {
    for (const client of [...this.node.clients.clients.values()]) {
      if (!client.blocked || client.blocked.request === POSTPONED) continue;
      this.unblock(client);
      client.reply(error('UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)'));
      client.flush();
    }
  }

  /** True for a client waiting on keys or ACKs (CLIENT UNBLOCK can serve it), not a postponed one. */
  isUnblockable(client: Client): boolean {
    return client.blocked !== null && client.blocked.request !== POSTPONED && client.blocked.request.wakeOn !== 'external';
  }

  /** CLIENT UNBLOCK: reply as on timeout (or with an error) and unblock. */
  unblockWithTimeout(client: Client): void {
    this.timeout(client);
  }
}
