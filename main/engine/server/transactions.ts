/**
 * WATCH bookkeeping (multi.c): which clients watch which keys. Touching a
 * watched key (any write, expiry, FLUSHDB/FLUSHALL, SWAPDB, a full sync's
 * new dataset) marks every watcher so its EXEC fails with a null reply.
 *
 * A key may already be logically expired (not yet deleted) when WATCHed.
 * Such a watch remembers it (`expired`): the key then being deleted (lazy
 * or active expiry, FLUSHDB) is no logical change and does not fail EXEC,
 * and SWAPDB replacing it with another expired key, or no key with an
 * expired one, changes nothing either (touchWatchedKey /
 * touchAllWatchedKeysInDb in 7.0).
 */
import type { Database } from '../keyspace/database';
import type { Client } from './client';

/** One key one client watches. Shared by the client's list and the registry's index. */
export interface WatchedKey {
  readonly client: Client;
  readonly dbIndex: number;
  readonly key: string;
  /** The key was logically expired when watched (see header). */
  expired: boolean;
}

/** What a database's content is, for the checks here (a Database, or a dataset about to replace one). */
export type DatabaseContent = Pick<Database, 'dict' | 'expires'>;

/** keyIsExpired: the key has a TTL that is strictly in the past. */
export function keyIsExpired(db: DatabaseContent, key: string, now: number): boolean {
  const when = db.expires.get(key);
  return when !== undefined && now > when;
}

export class TransactionRegistry {
  /** dbIndex -> key -> the watches on it. */
  private readonly watchers = new Map<number, Map<string, Set<WatchedKey>>>();
  /** WatchedKey entries in `watchers`: while 0, a write's touchKey is one test (no Map lookups). */
  private watches = 0;

  watch(client: Client, dbIndex: number, key: string, expired = false): void {
    if (client.watchedKeys.some((w) => w.dbIndex === dbIndex && w.key === key)) return;
    const watched: WatchedKey = { client, dbIndex, key, expired };
    client.watchedKeys.push(watched);
    this.watches++;
    let dbMap = this.watchers.get(dbIndex);
    if (!dbMap) this.watchers.set(dbIndex, (dbMap = new Map()));
    let set = dbMap.get(key);
    if (!set) dbMap.set(key, (set = new Set()));
    set.add(watched);
  }

  /** Forgets the client's watches; the caller clears its dirty flag where Redis does. */
  unwatchAll(client: Client): void {
    for (const watched of client.watchedKeys) {
      const dbMap = this.watchers.get(watched.dbIndex);
      const set = dbMap?.get(watched.key);
      if (!set) continue;
      if (set.delete(watched)) this.watches--;
      if (set.size === 0) dbMap!.delete(watched.key);
    }
    client.watchedKeys.length = 0;
    client.watchTouched = false;
  }

  /**
   * A key changed (touchWatchedKey). A watcher whose key was expired at
   * WATCH time and is now gone only forgets that; every other watcher is
   * marked, and its watches are dropped (EXEC will fail anyway).
   */
  touchKey(db: Database, key: string): void {
    if (this.watches === 0) return;
    const set = this.watchers.get(db.id)?.get(key);
    if (!set) return;
    for (const watched of [...set]) {
      if (watched.expired && !db.dict.has(key)) {
        watched.expired = false;
        continue;
      }
      this.markDirty(watched.client);
    }
  }

  /**
   * `emptied` is being flushed, or swapped with `replacedWith` (SWAPDB, a
   * full sync's dataset), and this runs before the change
   * (touchAllWatchedKeysInDb). A watched key counts when it exists in
   * either; expired keys follow the header's rules.
   */
  touchFlushed(emptied: Database, replacedWith: DatabaseContent | null, now: number): void {
    const dbMap = this.watchers.get(emptied.id);
    if (!dbMap) return;
    for (const [key, set] of dbMap) {
      const existsInEmptied = emptied.dict.has(key);
      const existsInReplacement = replacedWith !== null && replacedWith.dict.has(key);
      if (!existsInEmptied && !existsInReplacement) continue;
      for (const watched of set) {
        if (watched.expired) {
          if (!existsInReplacement) {
            watched.expired = false; // the expired key is simply gone
            continue;
          }
          if (keyIsExpired(replacedWith!, key, now)) continue; // still an expired key
        } else if (!existsInEmptied && keyIsExpired(replacedWith!, key, now)) {
          watched.expired = true; // no key became an expired key
          continue;
        }
        watched.client.watchTouched = true;
      }
    }
  }

  private markDirty(client: Client): void {
    this.unwatchAll(client);
    client.watchTouched = true;
  }

  get watchingClients(): number {
    const clients = new Set<Client>();
    for (const dbMap of this.watchers.values()) for (const set of dbMap.values()) for (const watched of set) clients.add(watched.client);
    return clients.size;
  }

  get watchedKeyCount(): number {
    let count = 0;
    for (const dbMap of this.watchers.values()) count += dbMap.size;
    return count;
  }
}
