/**
 * The keyspace: the databases plus the rules every command goes through to
 * read or write a key (db.c lookupKey*, dbAdd, setKey, dbDelete,
 * expireIfNeeded).
 *
 * Rules that matter for replication:
 *  - On a master, a key found logically expired on access is deleted and the
 *    deletion is propagated as DEL (or UNLINK with lazyfree-lazy-expire) so
 *    replicas converge. That propagation goes through `hooks.propagateExpire`.
 *  - On a replica, expired keys are never deleted by reads: reads from normal
 *    clients see them as missing, the master client sees them as present (it
 *    waits for the master's DEL). Writes from normal clients (writable replica)
 *    delete them locally (EXPIRE_FORCE_DELETE_EXPIRED), without propagating.
 *  - Every write goes through `lookupWrite`/`setKey`/`addKey`/`deleteKey`,
 *    which first call `hooks.beforeWrite(db, key)`. A snapshot in progress uses
 *    that to serialize the key's old value before it changes (copy-on-write at
 *    key granularity). Handlers must never mutate a value obtained from
 *    `lookupRead`.
 */
import { Database } from './database';
import type { ExpiryGate } from './dict';
import { StreamValue, type RedisValue } from './values';
import { AccessPolicy, accessField, ENCODING_DERIVED, withAccessField, withEncoding, type EncodingOverride } from './key-entry';
import { NotifyType } from '../pubsub/keyspace-events';
import type { HeldBytes } from './held-bytes';
import type { ArgvHeldValues } from './argv-held-values';

/**
 * Where the keyspace reports the events it raises itself (a key created,
 * expired, or missed by a read): KeyspaceEvents, or nothing. `flags` is read
 * first so a disabled class costs one AND.
 */
/**
 * Drops a key's in-place-write shape. The map goes back to null once empty,
 * so a db whose written-in-place keys are all gone pays no Map.delete per
 * key write again (the same answers: an absent map and an empty one hold nothing).
 */
function forgetSdsShape(db: Database, key: string): void {
  const shapes = db.sdsShapes;
  if (shapes !== null && shapes.delete(key) && shapes.size === 0) db.sdsShapes = null;
}

export interface KeyspaceEventSink {
  readonly flags: number;
  notify(type: number, event: string, key: string, dbIndex: number): void;
}

export interface KeyspaceHooks {
  /** Called before a key is modified, created or deleted (snapshot copy-on-write). */
  beforeWrite(db: Database, key: string): void;
  /**
   * Called after a key was modified (signalModifiedKey: WATCH and tracking
   * invalidation). `byServer` when no client's command changed it (expiry,
   * eviction), as Redis passes a NULL client.
   */
  keyModified(db: Database, key: string, byServer?: boolean): void;
  /** Called when a list/zset key may now serve blocked clients (or a stream key went: XREADGROUP fails). */
  keyReady(db: Database, key: string): void;
  /** Is a client blocked on this key? Asked before looking at a value about to go. */
  waitedOn(db: Database, key: string): boolean;
  /** A key was found expired and deleted on a master: propagate DEL, count it. */
  propagateExpire(db: Database, key: string): void;
  /** True while clients are paused: expired keys read as missing but stay (the dataset is frozen). */
  expiryPaused(): boolean;
  /** A TTL is being set on the key (a writable replica remembers the keys its own clients give one). */
  expireSet(db: Database, key: string): void;
}

/** Who is accessing a key, which changes the expiry rules (see header). */
export interface AccessContext {
  /** Unix ms "now" for this command (fixed for the command's duration). */
  now: number;
  /** True when this server is a replica (server.masterhost != NULL). */
  isReplica: boolean;
  /** True when the access comes from our replication master's stream. */
  isMasterClient: boolean;
}

const NOOP_HOOKS: KeyspaceHooks = {
  beforeWrite: () => {},
  keyModified: () => {},
  keyReady: () => {},
  waitedOn: () => false,
  propagateExpire: () => {},
  expiryPaused: () => false,
  expireSet: () => {},
};

export class Keyspace {
  readonly dbs: Database[];
  hooks: KeyspaceHooks = NOOP_HOOKS;
  /** Keyspace notifications for new / expired / keymiss (see KeyspaceEventSink). */
  events: KeyspaceEventSink = { flags: 0, notify: () => {} };
  /** Counters reported in INFO stats. */
  stats = { expiredKeys: 0, keyspaceHits: 0, keyspaceMisses: 0, expiredStalePerc: 0 };
  /**
   * How accesses age keys (LRU clock or LFU counter, from maxmemory-policy
   * and the lfu-* settings) and the cached clocks the server cron refreshes.
   * Reads and writes touch the key they find; TYPE, EXISTS, TTL and OBJECT
   * (lookupReadNoStats) do not (LOOKUP_NOTOUCH).
   */
  readonly access = new AccessPolicy();
  /** lookupRead's expiry check, handed to Dict.read (one object, set up per read). */
  private readonly readGate = new ReadExpiryGate(this);
  /**
   * While EXEC runs, or a script whose writes are being propagated: the
   * values an argv its commands stored still holds (argv-held-values.ts);
   * null otherwise, so a write pays one test.
   */
  argvHeld: ArgvHeldValues | null = null;

  constructor(databaseCount: number) {
    this.dbs = Array.from({ length: databaseCount }, (_, id) => new Database(id));
  }

  db(index: number): Database {
    const db = this.dbs[index];
    if (!db) throw new RangeError(`no database ${index}`);
    return db;
  }

  /**
   * Returns true when the key is logically expired and, where the rules say so,
   * deletes it. Mirrors expireIfNeeded(): on a replica nothing is deleted except
   * for writes from normal clients (`forceDeleteOnReplica`).
   */
  expireIfNeeded(db: Database, key: string, access: AccessContext, forceDeleteOnReplica = false): boolean {
    if (db.expires.size === 0) return false;
    const when = db.expires.get(key);
    // keyIsExpired: expired once "now" is strictly past the expiry time.
    if (when === undefined || when >= access.now) return false;
    if (access.isReplica) {
      if (access.isMasterClient) return false;
      if (!forceDeleteOnReplica) return true;
      this.removeKey(db, key);
      this.notifyExpired(db, key);
      this.hooks.keyModified(db, key, true);
      return true;
    }
    // A pause keeps the dataset constant; the key goes when it ends (or the new master's DEL arrives).
    if (this.hooks.expiryPaused()) return true;
    this.removeKey(db, key);
    this.stats.expiredKeys++;
    this.notifyExpired(db, key);
    this.hooks.keyModified(db, key, true);
    this.hooks.propagateExpire(db, key);
    return true;
  }

  /**
   * expireSlaveKeys on a writable replica: deletes a key its own clients gave
   * a TTL once that time has passed (counted and notified as expired; a
   * replica propagates nothing of its own). Returns whether it was deleted.
   */
  expireOwnReplicaKey(db: Database, key: string, now: number): boolean {
    const when = db.expires.get(key);
    if (when === undefined || when >= now) return false;
    this.removeKey(db, key);
    this.stats.expiredKeys++;
    this.notifyExpired(db, key);
    this.hooks.keyModified(db, key, true);
    return true;
  }

  /** deleteExpiredKeyAndPropagate's notification: "expired" (class x), right after the delete. */
  private notifyExpired(db: Database, key: string): void {
    if (this.events.flags & NotifyType.EXPIRED) this.events.notify(NotifyType.EXPIRED, 'expired', key, db.id);
  }

  /** lookupKey's "keymiss" (class m): a read, not a write, found nothing. */
  private notifyMiss(db: Database, key: string): void {
    if (this.events.flags & NotifyType.KEY_MISS) this.events.notify(NotifyType.KEY_MISS, 'keymiss', key, db.id);
  }

  /** dbAdd's "new" (class n): a key was created; comes before the command's own event. */
  private notifyNew(db: Database, key: string): void {
    if (this.events.flags & NotifyType.NEW) this.events.notify(NotifyType.NEW, 'new', key, db.id);
  }

  /**
   * lookupKeyRead: value or undefined; counts hits and misses; touches the
   * key. `held`: a string held as bytes comes as those bytes (held-bytes.ts).
   */
  lookupRead(db: Database, key: string, access: AccessContext): RedisValue | undefined;
  lookupRead(db: Database, key: string, access: AccessContext, held: true): RedisValue | HeldBytes | undefined;
  lookupRead(db: Database, key: string, access: AccessContext, held = false): RedisValue | HeldBytes | undefined {
    let gate: ReadExpiryGate | null = null;
    if (db.expires.size > 0) {
      gate = this.readGate;
      gate.db = db;
      gate.access = access;
    }
    const value = held ? db.dict.read(key, this.access, gate, true) : db.dict.read(key, this.access, gate);
    if (gate !== null) gate.access = null;
    if (value === undefined) {
      this.stats.keyspaceMisses++;
      this.notifyMiss(db, key);
      return undefined;
    }
    this.stats.keyspaceHits++;
    return value;
  }

  /**
   * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): counts a hit or a miss like
   * lookupRead but leaves the key's access clock alone. EXISTS, TYPE, TTL,
   * OBJECT and SCAN's TYPE filter look keys up this way in Redis 7.0, so
   * they move keyspace_hits / keyspace_misses. A miss raises "keymiss"
   * unless `notifyMiss` is false (OBJECT: LOOKUP_NONOTIFY).
   */
  lookupReadNoTouch(db: Database, key: string, access: AccessContext, notifyMiss = true): RedisValue | undefined {
    const value = this.lookupReadNoStats(db, key, access, notifyMiss);
    if (value === undefined) this.stats.keyspaceMisses++;
    else this.stats.keyspaceHits++;
    return value;
  }

  /**
   * Like lookupReadNoTouch but without counting a hit or miss (lookups the
   * server makes for itself, such as serving a blocked reader). A miss
   * still raises "keymiss" unless `notifyMiss` is false.
   */
  lookupReadNoStats(db: Database, key: string, access: AccessContext, notifyMiss = true): RedisValue | undefined {
    const value = this.expireIfNeeded(db, key, access) ? undefined : db.dict.get(key);
    if (value === undefined && notifyMiss) this.notifyMiss(db, key);
    return value;
  }

  /**
   * lookupKeyWrite: the value a write command may then mutate in place. Calls
   * beforeWrite so a snapshot keeps the old value. `held`: a string held as
   * bytes comes as those bytes, to be edited in place (held-bytes.ts).
   */
  lookupWrite(db: Database, key: string, access: AccessContext): RedisValue | undefined;
  lookupWrite(db: Database, key: string, access: AccessContext, held: true): RedisValue | HeldBytes | undefined;
  lookupWrite(db: Database, key: string, access: AccessContext, held = false): RedisValue | HeldBytes | undefined {
    this.expireIfNeeded(db, key, access, true);
    const entry = db.dict.entry(key);
    if (entry === undefined) return undefined;
    if (!held) {
      const value = db.dict.touch(entry, this.access);
      this.hooks.beforeWrite(db, key);
      return value;
    }
    db.dict.touchHeld(entry, this.access);
    this.hooks.beforeWrite(db, key);
    // A snapshot's copy-on-write reads the value as a string, which may have turned held bytes back into one: what is held now.
    return db.dict.heldValueOf(entry);
  }

  /**
   * The existing key's value as held, for an in-place edit by a command
   * that looked it up for reading (PFCOUNT writing its cache): beforeWrite
   * first, so a snapshot keeps the value before the edit.
   */
  heldForEdit(db: Database, key: string): RedisValue | HeldBytes | undefined {
    this.hooks.beforeWrite(db, key);
    const entry = db.dict.entry(key);
    return entry === undefined ? undefined : db.dict.heldValueOf(entry);
  }

  /**
   * dbAdd: the key must not exist. It starts as a new object does
   * (createObject): accessed now, or LFU_INIT_VAL under LFU; `meta` gives
   * it another (RENAME and MOVE keep the object, hence its meta).
   */
  addKey(db: Database, key: string, value: RedisValue | HeldBytes, encoding: EncodingOverride = ENCODING_DERIVED, meta = this.access.freshField() | encoding): void {
    this.hooks.beforeWrite(db, key);
    if (this.argvHeld !== null) this.argvHeld.forget(db.id, key);
    forgetSdsShape(db, key);
    db.dict.set(key, value, meta);
    db.version++;
    this.hooks.keyReady(db, key);
    this.notifyNew(db, key);
  }

  /**
   * setKey: creates or overwrites, dropping any TTL unless keepTtl, and
   * signals WATCHers. (genericSetKey + signalModifiedKey.) The value is a
   * new object: accessed now, with `encoding` (APPEND, SETRANGE... write
   * raw strings); under LFU an overwrite keeps the old counter (dbSetValue).
   */
  setKey(db: Database, key: string, value: RedisValue | HeldBytes, keepTtl = false, encoding: EncodingOverride = ENCODING_DERIVED): void {
    this.hooks.beforeWrite(db, key);
    this.signalIfStreamGoes(db, key);
    if (this.argvHeld !== null) this.argvHeld.forget(db.id, key);
    let field = this.access.freshField();
    if (this.access.lfu) {
      const old = db.dict.entry(key);
      if (old !== undefined) field = withAccessField(field, accessField(db.dict.metaOfHolder(old)));
    }
    forgetSdsShape(db, key);
    const existed = !db.dict.set(key, value, field | encoding);
    if (!keepTtl && db.expires.size > 0) {
      db.expires.delete(key);
      db.forgetExactExpire(key);
    }
    db.version++;
    if (!existed) {
      this.hooks.keyReady(db, key);
      this.notifyNew(db, key);
    }
    this.hooks.keyModified(db, key);
  }

  /**
   * A new value for an existing key, where Redis rewrites the value in place
   * without signalling the change (PFDEBUG turning an HLL dense, the part
   * of a PFADD done before a corrupt payload stopped it): no WATCH touch,
   * no tracking invalidation, no notification; TTL, access time and encoding
   * kept (the same robj). The snapshot still keeps the old value.
   */
  replaceValueQuietly(db: Database, key: string, value: RedisValue | HeldBytes): void {
    const meta = db.dict.metaOf(key);
    if (meta === undefined) return;
    this.hooks.beforeWrite(db, key);
    // dbUnshareStringValue first: a value an argv still held is copied.
    if (this.argvHeld !== null) this.argvHeld.forget(db.id, key);
    forgetSdsShape(db, key);
    db.dict.set(key, value, meta);
    db.version++;
  }

  /** dbDelete: returns true if the key existed. Signals WATCHers (`byServer`: see KeyspaceHooks.keyModified). */
  deleteKey(db: Database, key: string, byServer = false): boolean {
    if (!db.dict.has(key)) return false;
    this.removeKey(db, key);
    this.hooks.keyModified(db, key, byServer);
    return true;
  }

  /** dbDelete alone: the caller signals nothing (a list emptied by serving blocked clients). */
  deleteKeyUnsignalled(db: Database, key: string): boolean {
    if (!db.dict.has(key)) return false;
    this.removeKey(db, key);
    return true;
  }

  /**
   * dbGenericDelete / dbSetValue: a stream being deleted or overwritten is
   * signalled, so clients blocked on it in XREADGROUP are answered.
   */
  private signalIfStreamGoes(db: Database, key: string): void {
    if (this.hooks.waitedOn(db, key) && db.dict.get(key) instanceof StreamValue) this.hooks.keyReady(db, key);
  }

  private removeKey(db: Database, key: string): void {
    this.hooks.beforeWrite(db, key);
    this.signalIfStreamGoes(db, key);
    if (this.argvHeld !== null) this.argvHeld.forget(db.id, key);
    db.dict.delete(key);
    forgetSdsShape(db, key);
    db.expires.delete(key);
    db.forgetExactExpire(key);
    db.version++;
  }

  /** An expire time in unix ms; a bigint past 2^53 is kept exact as well (database.ts). */
  setExpire(db: Database, key: string, whenMs: number | bigint): void {
    this.hooks.beforeWrite(db, key);
    this.hooks.expireSet(db, key);
    db.storeExpire(key, whenMs);
    db.dict.noteTimed(key);
    db.version++;
  }

  /** Removes a TTL; returns true if there was one. */
  removeExpire(db: Database, key: string): boolean {
    if (!db.expires.has(key)) return false;
    this.hooks.beforeWrite(db, key);
    db.expires.delete(key);
    db.forgetExactExpire(key);
    db.version++;
    return true;
  }

  /** The key's meta word without touching it (RENAME/MOVE carry it, OBJECT reads it), or undefined. */
  keyMeta(db: Database, key: string): number | undefined {
    return db.dict.metaOf(key);
  }

  /**
   * RESTORE ... IDLETIME / FREQ (objectSetLRUOrLFU): sets the key's access
   * field when the one given (-1 = not given) applies to the policy in force.
   */
  applyUsage(db: Database, key: string, freq: number, idleSeconds: number | bigint): void {
    const field = this.access.fieldFromUsage(freq, idleSeconds);
    const entry = field === null ? undefined : db.dict.entry(key);
    if (entry !== undefined) db.dict.setHolderMeta(entry, withAccessField(db.dict.metaOfHolder(entry), field!));
  }

  /**
   * Records the sds an in-place write left the key's string with (after
   * its setKey, which dropped the previous record): see Database.sdsShapes.
   */
  recordSds(db: Database, key: string, packed: number): void {
    (db.sdsShapes ??= new Map()).set(key, packed);
  }

  /** The value's encoding changed without a new value (SETBIT leaves a raw string even when no bit flips). */
  setEncoding(db: Database, key: string, encoding: EncodingOverride): void {
    // The rewrite unshared the value (dbUnshareStringValue): no longer an argv's.
    if (this.argvHeld !== null) this.argvHeld.forget(db.id, key);
    const entry = db.dict.entry(key);
    if (entry !== undefined) db.dict.setHolderMeta(entry, withEncoding(db.dict.metaOfHolder(entry), encoding));
  }

  /** Marks a key modified after an in-place mutation of its value (signalModifiedKey). */
  touchModified(db: Database, key: string): void {
    db.version++;
    this.hooks.keyModified(db, key);
  }

  /** Signals that a key now holds elements blocked clients may want (signalKeyAsReady). */
  signalReady(db: Database, key: string): void {
    this.hooks.keyReady(db, key);
  }

  /** OBJECT REFCOUNT's extra references: argv holders (EXEC's queue, the propagation queue) that still hold the value. */
  argvReferences(db: Database, key: string): number {
    return this.argvHeld === null ? 0 : this.argvHeld.references(db.id, key);
  }

  /**
   * The propagation queue was emitted or dropped (propagatePendingCommands):
   * a top-level script's holder goes with it; EXEC's lives until EXEC ends.
   */
  propagationReleased(): void {
    if (this.argvHeld !== null && this.argvHeld.client === null) this.argvHeld = null;
  }

  /** Total keys over all databases. */
  totalKeys(): number {
    let total = 0;
    for (const db of this.dbs) total += db.size;
    return total;
  }
}

/**
 * lookupRead's ExpiryGate: expireIfNeeded for the database and access of
 * the read under way. One per keyspace, its fields set before each read
 * (and the command's context let go after it); the dict asks it at most
 * once, synchronously, and nothing reads it after that.
 */
class ReadExpiryGate implements ExpiryGate {
  db: Database | null = null;
  access: AccessContext | null = null;

  constructor(private readonly keyspace: Keyspace) {}

  expired(key: string): boolean {
    return this.keyspace.expireIfNeeded(this.db!, key, this.access!);
  }
}
