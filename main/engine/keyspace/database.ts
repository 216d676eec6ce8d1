/**
 * One of the numbered databases: the main dictionary and the expires
 * dictionary, as in Redis (db.c). This class is deliberately dumb storage;
 * the rules (lazy expiry, replica semantics, notifications, snapshot
 * copy-on-write) live in Keyspace, which every command goes through.
 *
 * Expire times are int64 milliseconds in Redis. `expires` holds them as
 * numbers (every expiry check, the hot path), exact up to 2^53 (the year
 * 287396); the few beyond that which a number would round (PEXPIREAT,
 * SET PXAT, RESTORE ABSTTL of a time in 2^53..2^63-1) are also kept exact
 * in `exactExpires`, which PEXPIRETIME, EXPIRETIME, TTL, GT/LT, RENAME,
 * MOVE, COPY and RDB save read through expireOf(). An entry there counts
 * only while its rounded value is the one in `expires`, so a stale entry
 * can never be read; the writers also delete it.
 *
 * Invariant: every key in `expires` is also in `dict`.
 */
import { Dict } from './dict';

export class Database {
  dict = new Dict();
  /** key -> absolute expiry time in unix milliseconds. */
  expires = new Map<string, number>();
  /** key -> the exact expire time where `expires` holds it rounded (past 2^53); null until one is needed. */
  exactExpires: Map<string, bigint> | null = null;
  /**
   * key -> the sds (memory/sds-layout.ts packSds) of a string an in-place
   * write (APPEND, SETRANGE, SETBIT, BITFIELD) left with Redis's spare room;
   * null until one is. Every other write of the key drops its entry
   * (Keyspace.addKey / setKey / deleteKey), so an entry always describes
   * the key's current value.
   */
  sdsShapes: Map<string, number> | null = null;
  /** Incremented on every change; lets long walks (snapshots, SCAN) notice swaps. */
  version = 0;

  constructor(public id: number) {}

  get size(): number {
    return this.dict.size;
  }

  /** Swaps content with another database (SWAPDB): ids stay, data moves. */
  swapContentWith(other: Database): void {
    const dict = this.dict;
    const expires = this.expires;
    const exactExpires = this.exactExpires;
    const sdsShapes = this.sdsShapes;
    this.dict = other.dict;
    this.expires = other.expires;
    this.exactExpires = other.exactExpires;
    other.dict = dict;
    other.expires = expires;
    other.exactExpires = exactExpires;
    this.sdsShapes = other.sdsShapes;
    other.sdsShapes = sdsShapes;
    this.version++;
    other.version++;
  }

  clear(): void {
    this.dict = new Dict();
    this.expires = new Map();
    this.exactExpires = null;
    this.sdsShapes = null;
    this.version++;
  }

  /** The key's expire time: a number, or past 2^53 the exact bigint when one was kept. */
  expireOf(key: string): number | bigint | undefined {
    return exactExpireOf(this.expires, this.exactExpires, key);
  }

  /** Stores an expire time (no hooks: Keyspace.setExpire and the RDB loader call it). */
  storeExpire(key: string, when: number | bigint): void {
    if (typeof when === 'number') {
      this.expires.set(key, when);
      if (this.exactExpires !== null) this.exactExpires.delete(key);
      return;
    }
    const rounded = Number(when);
    this.expires.set(key, rounded);
    if (Number.isSafeInteger(rounded)) {
      if (this.exactExpires !== null) this.exactExpires.delete(key);
    } else {
      (this.exactExpires ??= new Map()).set(key, when);
    }
  }

  /** Drops a key's exact expire time, if one was kept (the key or its TTL is going). */
  forgetExactExpire(key: string): void {
    if (this.exactExpires !== null) this.exactExpires.delete(key);
  }
}

/** expireOf over a pair of maps (a snapshot keeps the ones of its starting instant). */
export function exactExpireOf(expires: Map<string, number>, exactExpires: Map<string, bigint> | null, key: string): number | bigint | undefined {
  const when = expires.get(key);
  if (when === undefined || exactExpires === null || Number.isSafeInteger(when)) return when;
  const exact = exactExpires.get(key);
  return exact !== undefined && Number(exact) === when ? exact : when;
}
