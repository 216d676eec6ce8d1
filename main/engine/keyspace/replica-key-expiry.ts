/**
 * Keys a writable replica's own clients gave a TTL (expire.c
 * rememberSlaveKeyWithExpire / expireSlaveKeys). A replica runs no active
 * expire cycle: its master's DELs expire the keys it replicates. Keys written
 * on the replica itself (replica-read-only no) the master knows nothing of,
 * so the replica remembers them when it sets their TTL and, every cron tick,
 * deletes those whose time has passed. A key is forgotten once it has no TTL
 * left in any database it was remembered for.
 */
import type { Keyspace } from './keyspace';

/** Keys looked at per tick at most (Redis stops on time or after a few live ones: a bounded walk here). */
const KEYS_PER_TICK = 64;

export class ReplicaKeyExpiry {
  /** Key name -> the databases it was given a TTL in on this replica. */
  private readonly keys = new Map<string, Set<number>>();
  private cursor: IterableIterator<[string, Set<number>]> | null = null;

  constructor(private readonly keyspace: Keyspace) {}

  get size(): number {
    return this.keys.size;
  }

  remember(dbId: number, key: string): void {
    let dbs = this.keys.get(key);
    if (!dbs) this.keys.set(key, (dbs = new Set()));
    dbs.add(dbId);
  }

  /** Forgets every key (the dataset was replaced, or the node is a master again: its active expire takes over). */
  clear(): void {
    this.keys.clear();
    this.cursor = null;
  }

  /** One tick: expires what has passed, forgets what has no TTL left. */
  cycle(now: number): void {
    if (this.keys.size === 0) return;
    this.cursor ??= this.keys.entries();
    for (let checked = 0; checked < KEYS_PER_TICK; checked++) {
      const next = this.cursor.next();
      if (next.done) {
        this.cursor = null;
        return;
      }
      const [key, dbs] = next.value;
      for (const dbId of dbs) {
        const db = this.keyspace.dbs[dbId];
        if (db === undefined || !db.expires.has(key) || this.keyspace.expireOwnReplicaKey(db, key, now)) dbs.delete(dbId);
      }
      if (dbs.size === 0) this.keys.delete(key);
    }
  }
}
