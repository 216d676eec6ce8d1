/**
 * WATCH bookkeeping (multi.c): which clients watch which keys. Touching a
 * watched key (any write, expiry, FLUSHDB/FLUSHALL, SWAPDB) marks every
 * watcher so its EXEC fails with a null reply.
 */
import type { Client } from './client';

export class TransactionRegistry {
  /** dbIndex -> key -> watching clients. */
  private readonly watchers = new Map<number, Map<string, Set<Client>>>();

  watch(client: Client, dbIndex: number, key: string, expired = false): void {
    if (client.watchedKeys.some((w) => w.dbIndex === dbIndex && w.key === key)) return;
    client.watchedKeys.push({ dbIndex, key, expired });
    const dbMap = this.watchers.get(dbIndex) ?? new Map<string, Set<Client>>();
    this.watchers.set(dbIndex, dbMap);
    const set = dbMap.get(key) ?? new Set<Client>();
    dbMap.set(key, set);
    set.add(client);
  }

  unwatchAll(client: Client): void {
    for (const { dbIndex, key } of client.watchedKeys) {
      const dbMap = this.watchers.get(dbIndex);
      const set = dbMap?.get(key);
      if (!set) continue;
      set.delete(client);
      if (set.size === 0) dbMap!.delete(key);
    }
    client.watchedKeys.length = 0;
    client.watchTouched = false;
  }

  /**
   * A key changed. A watcher that saw the key already expired at WATCH time
   * is not disturbed when that key is now just gone (its expiry was no
   * logical change: touchWatchedKey in 7.0). `keysNow` is the database's
   * dict, read only in that case.
   */
  touchKey(dbIndex: number, key: string, keysNow: { has(key: string): boolean }): void {
    const set = this.watchers.get(dbIndex)?.get(key);
    if (!set) return;
    for (const client of set) {
      const watched = client.watchedKeys.find((w) => w.dbIndex === dbIndex && w.key === key);
      if (watched?.expired) {
        if (!keysNow.has(key)) {
          watched.expired = false;
          continue;
        }
      }
      client.watchTouched = true;
    }
  }

  /** Every watcher of a database (FLUSHDB, SWAPDB) or of all of them (FLUSHALL: dbIndex -1). */
  touchDatabase(dbIndex: number, keyStillExists?: (key: string) => boolean): void {
    for (const [watchedDb, dbMap] of this.watchers) {
      if (dbIndex !== -1 && watchedDb !== dbIndex) continue;
      for (const [key, set] of dbMap) {
        if (keyStillExists && !keyStillExists(key)) continue;
        for (const client of set) client.watchTouched = true;
      }
    }
  }

  get watchingClients(): number {
    const clients = new Set<Client>();
    for (const dbMap of this.watchers.values()) for (const set of dbMap.values()) for (const c of set) clients.add(c);
    return clients.size;
  }

  get watchedKeyCount(): number {
    let count = 0;
    for (const dbMap of this.watchers.values()) count += dbMap.size;
    return count;
  }
}
