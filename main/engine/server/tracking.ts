/**
 * Server-assisted client-side caching (tracking.c): CLIENT TRACKING.
 *
 * Default mode: the keys a tracking client reads are remembered in the
 * tracking table (key -> ids of the clients that may cache it). When such a
 * key is modified, each of those clients gets one invalidation message and
 * the key leaves the table (it is remembered again at the next read).
 * BCAST mode: nothing is remembered per client; a client subscribes to key
 * prefixes, modified keys are collected per prefix during an event-loop
 * turn, and each subscriber gets one message per prefix with every key of
 * the turn, sorted (Redis collects them in a radix tree).
 *
 * Messages: RESP3 `>2 invalidate [keys]` (a null instead of keys after a
 * flush), on the client's own connection or on its REDIRECT target; a
 * RESP2 target gets them only when it is redirected to and subscribed, as
 * the pub/sub message `message __redis__:invalidate [keys]`. A redirect to
 * a client that is gone marks the tracking "broken" and tells a RESP3
 * client `>2 tracking-redir-broken <id>`. CLIENT REPLY OFF never silences
 * them.
 *
 * Ordering invariant: while a command of the current client runs, its own
 * invalidations wait (the pending list) and follow the command's reply, so
 * they never land inside a reply (an EXEC array, a multi-key reply).
 *
 * Entries of clients that disabled tracking or disconnected stay in the
 * table and are dropped lazily when their key is invalidated, as Redis does
 * (a client that re-enables tracking with the same id still gets them).
 * `tracking-table-max-keys` bounds the table: keys beyond it are
 * invalidated as if modified, oldest remembered first, with an effort that
 * grows while the table stays over the limit.
 */
import { bulk, bulkArray, integer, push, type Reply } from '../resp/reply';
import type { Client } from './client';
import { cString } from '../util/c-string';

/** Per-client tracking state (the CLIENT_TRACKING_* flags of a client). */
export class ClientTrackingState {
  bcast = false;
  optin = false;
  optout = false;
  noloop = false;
  /** CLIENT CACHING yes (OPTIN) / no (OPTOUT) applies to the next command or transaction. */
  caching = false;
  /** Client id invalidations go to; 0 for the client's own connection. */
  redirect = 0;
  /** The redirect target was gone when a message had to be sent. */
  brokenRedirect = false;
  /** BCAST prefixes this client subscribed to. */
  readonly prefixes = new Set<string>();
}

export interface TrackingOptions {
  readonly redirect: number;
  readonly bcast: boolean;
  readonly optin: boolean;
  readonly optout: boolean;
  readonly noloop: boolean;
  readonly prefixes: ReadonlyArray<string>;
}

/** What tracking needs from the node. */
export interface TrackingHost {
  clientById(id: number): Client | undefined;
  allClients(): Iterable<Client>;
  /** The client whose request is being processed (server.current_client), or null. */
  currentClient(): Client | null;
  /** True while a command runs: invalidations for the current client then wait for its reply. */
  executing(): boolean;
  /** tracking-table-max-keys; 0 means no limit. */
  maxKeys(): number;
}

/** One BCAST prefix: its subscribers, and the keys modified this turn with the client that last modified each. */
interface PrefixState {
  readonly clients: Set<Client>;
  readonly keys: Map<string, Client | null>;
}

const INVALIDATE_CHANNEL = '__redis__:invalidate';
const RESP2_NULL: Reply = { kind: 'raw', bytes: Buffer.from('$-1\r\n') };
const RESP3_NULL: Reply = { kind: 'raw', bytes: Buffer.from('_\r\n') };
/** Keys invalidated per limitUsedSlots() round, times the rounds already found over the limit. */
const EVICTION_EFFORT = 100;

export class Tracking {
  /** tracking_clients: clients with tracking on. Read before every command. */
  clients = 0;
  /**
   * True when a key modification must be looked at (some client tracks, or
   * the tables still hold entries). Read on every write: with tracking
   * unused it is the only cost.
   */
  active = false;
  private readonly table = new Map<string, Set<number>>();
  /** tracking_total_items: client ids over all the table's keys. */
  private totalItems = 0;
  private readonly prefixTable = new Map<string, PrefixState>();
  /** Invalidations of the current client, held until its reply is queued (null: a flush). */
  private pending: Array<string | null> = [];
  private broadcastScheduled = false;
  /** Rounds in a row that limitUsedSlots() ended still over the limit. */
  private evictionRounds = 0;

  constructor(private readonly host: TrackingHost) {}

  get totalKeys(): number {
    return this.table.size;
  }

  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  get totalTrackedItems(): number {
    return this.totalItems;
  }

  /**
   * checkPrefixCollisionsOrReply: two prefixes collide when one starts with
   * the other. Returns Redis's error text, or null.
   */
  prefixCollision(client: Client, prefixes: ReadonlyArray<string>): string | null {
    // The client's prefixes in radix-tree order: the first overlapping one is named.
    const existing = [...(client.tracking?.prefixes ?? [])].sort(byteOrder);
    for (let i = 0; i < prefixes.length; i++) {
      const prefix = prefixes[i]!;
      for (const other of existing) {
        if (overlaps(other, prefix)) return `ERR Prefix '${cString(prefix)}' overlaps with an existing prefix '${cString(other)}'. Prefixes for a single client must not overlap.`;
      }
      for (let j = i + 1; j < prefixes.length; j++) {
        if (overlaps(prefix, prefixes[j]!)) return `ERR Prefix '${cString(prefix)}' overlaps with another provided prefix '${cString(prefixes[j]!)}'. Prefixes for a single client must not overlap.`;
      }
    }
    return null;
  }

  /** enableTracking: (re)sets the mode flags and redirect; BCAST prefixes add to those already held. */
  enable(client: Client, options: TrackingOptions): void {
    let state = client.tracking;
    if (state === null) {
      state = new ClientTrackingState();
      client.tracking = state;
      this.clients++;
    }
    state.brokenRedirect = false;
    state.redirect = options.redirect;
    state.bcast = options.bcast;
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
    if (options.bcast) {
      if (options.prefixes.length === 0) this.subscribePrefix(client, state, '');
      for (const prefix of options.prefixes) this.subscribePrefix(client, state, prefix);
    }
    this.refreshActive();
  }

  /** disableTracking: leaves the prefixes; table entries of the client go lazily. */
  disable(client: Client): void {
    const state = client.tracking;
    if (state === null) return;
    for (const prefix of state.prefixes) {
      const prefixState = this.prefixTable.get(prefix);
      if (!prefixState) continue;
      prefixState.clients.delete(client);
      if (prefixState.clients.size === 0) this.prefixTable.delete(prefix);
    }
    client.tracking = null;
    this.clients--;
    this.refreshActive();
  }

  private subscribePrefix(client: Client, state: ClientTrackingState, prefix: string): void {
    let prefixState = this.prefixTable.get(prefix);
    if (!prefixState) {
      prefixState = { clients: new Set(), keys: new Map() };
      this.prefixTable.set(prefix, prefixState);
    }
    prefixState.clients.add(client);
    state.prefixes.add(prefix);
  }

  /**
   * trackingRememberKeys: after a read-only command of a tracking client in
   * default mode, its keys go into the table, unless OPTIN without CLIENT
   * CACHING yes or OPTOUT with CLIENT CACHING no.
   */
  rememberKeys(client: Client, keys: Iterable<string>): void {
    const state = client.tracking;
    if (state === null || state.bcast) return;
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    for (const key of keys) {
      let ids = this.table.get(key);
      if (!ids) {
        ids = new Set();
        this.table.set(key, ids);
      }
      const before = ids.size;
      ids.add(client.id);
      if (ids.size !== before) this.totalItems++;
    }
    this.refreshActive();
  }

  /**
   * trackingInvalidateKey: `key` changed. Its readers get an invalidation
   * and the key leaves the table; with `broadcast`, BCAST prefixes matching
   * it collect it for the end of the turn. `modifier` is the client whose
   * command changed it (null for expiry, eviction and table limits): a
   * NOLOOP BCAST client is not told about its own changes.
   */
  invalidateKey(key: string, modifier: Client | null, broadcast = true): void {
    if (broadcast && this.prefixTable.size > 0) this.collectForBroadcast(key, modifier);
    const ids = this.table.get(key);
    if (!ids) return;
    const current = this.host.currentClient();
    const executing = this.host.executing();
    for (const id of ids) {
      const target = this.host.clientById(id);
      const state = target?.tracking;
      // Gone, no longer tracking, or switched to BCAST since it read the key.
      if (!target || !state || state.bcast) continue;
      if (state.noloop && target === current) continue;
      if (target === current && executing) this.pending.push(key);
      else this.send(target, [key]);
    }
    this.totalItems -= ids.size;
    this.table.delete(key);
    this.refreshActive();
  }

  /**
   * trackingInvalidateKeysOnFlush: every tracking client is told "all keys"
   * (a null), and the table is emptied.
   */
  invalidateAll(): void {
    if (this.clients > 0) {
      const current = this.host.currentClient();
      for (const client of this.host.allClients()) {
        if (client.tracking === null) continue;
        if (client === current) this.pending.push(null);
        else this.send(client, null);
      }
    }
    this.table.clear();
    this.totalItems = 0;
    this.refreshActive();
  }

  /** True when invalidations wait for the current client's reply. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** trackingHandlePendingKeyInvalidations: after the top-level command's reply is queued. */
  flushPending(): void {
    const pending = this.pending;
    this.pending = [];
    const current = this.host.currentClient();
    if (current === null || current.closed) return;
    for (const key of pending) this.send(current, key === null ? null : [key]);
  }

  /**
   * trackingLimitUsedSlots: over tracking-table-max-keys, invalidate keys
   * (oldest remembered first) until under it, at most EVICTION_EFFORT times
   * the number of rounds in a row that ended still over.
   */
  limitUsedSlots(): void {
    const max = this.host.maxKeys();
    if (max === 0 || this.table.size <= max) {
      this.evictionRounds = 0;
      return;
    }
    let effort = EVICTION_EFFORT * (this.evictionRounds + 1);
    for (const key of this.table.keys()) {
      if (effort-- <= 0) break;
      this.invalidateKey(key, null, false);
      if (this.table.size <= max) {
        this.evictionRounds = 0;
        return;
      }
    }
    this.evictionRounds++;
  }

  private collectForBroadcast(key: string, modifier: Client | null): void {
    for (const [prefix, state] of this.prefixTable) {
      if (key.startsWith(prefix)) state.keys.set(key, modifier);
    }
    if (!this.broadcastScheduled) {
      this.broadcastScheduled = true;
      setImmediate(() => this.broadcast());
    }
  }

  /**
   * trackingBroadcastInvalidationMessages: once per turn, per prefix in
   * order, the keys modified under it to each subscriber (a NOLOOP one
   * without the keys it modified last itself; nothing if none remain).
   */
  broadcast(): void {
    this.broadcastScheduled = false;
    const prefixes = [...this.prefixTable.keys()].sort(byteOrder);
    for (const prefix of prefixes) {
      const state = this.prefixTable.get(prefix)!;
      if (state.keys.size === 0) continue;
      const keys = [...state.keys.keys()].sort(byteOrder);
      for (const client of state.clients) {
        if (!client.tracking?.noloop) {
          this.send(client, keys);
          continue;
        }
        const others = keys.filter((key) => state.keys.get(key) !== client);
        if (others.length > 0) this.send(client, others);
      }
      state.keys.clear();
    }
  }

  /**
   * sendTrackingMessage: to the client, or to its redirect target. `keys`
   * null means "every key" (a flush).
   */
  private send(client: Client, keys: ReadonlyArray<string> | null): void {
    const state = client.tracking;
    let target = client;
    const redirect = state?.redirect ?? 0;
    // A client may redirect to itself: it is then a redirect target like any other.
    const redirecting = redirect !== 0;
    if (redirecting) {
      const redirected = this.host.clientById(redirect);
      // A client that asked to close (QUIT) counts as gone: its socket may linger a moment.
      if (!redirected || redirected.closed || redirected.closeAfterReply) {
        if (state) state.brokenRedirect = true;
        if (client.protocol === 3) client.pushMessage(push([bulk('tracking-redir-broken'), integer(redirect)]));
        return;
      }
      target = redirected;
    }
    // After a flush Redis sends the null of the *tracking* client's protocol, whatever the target speaks.
    const payload: Reply = keys === null ? (client.protocol === 3 ? RESP3_NULL : RESP2_NULL) : bulkArray(keys);
    if (target.protocol === 3) {
      target.pushMessage(push([bulk('invalidate'), payload]));
    } else if (redirecting && target.subscriptionCount > 0) {
      target.pushMessage(push([bulk('message'), bulk(INVALIDATE_CHANNEL), payload]));
    }
    // A RESP2 client on its own connection cannot be sent anything.
  }

  private refreshActive(): void {
    this.active = this.clients > 0 || this.table.size > 0 || this.prefixTable.size > 0;
  }
}

/** stringCheckPrefix: one is a prefix of the other. */
function overlaps(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

/** Keys and prefixes are byte strings (latin1): code-unit order is byte order, as in a radix tree. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
