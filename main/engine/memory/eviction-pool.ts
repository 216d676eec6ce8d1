/**
 * Redis's eviction pool (evict.c evictionPoolPopulate): the best eviction
 * candidates seen so far, kept across evictions, so each eviction compares
 * a fresh sample against the best of earlier ones instead of picking the
 * best of one small random sample.
 *
 * Every database with candidates contributes maxmemory-samples keys per
 * round (all keys, or those with a TTL for volatile-*). Each gets a score,
 * higher = better to evict:
 *   LRU          idle time (ms since the key's last access)
 *   LFU          255 - its decayed access counter
 *   volatile-ttl the further in the past/sooner its expiry, the higher
 * and goes into the pool (16 slots, ascending score) when the pool has room
 * or it beats the worst candidate there. The best candidate that still
 * exists is evicted; one deleted meanwhile is dropped and the next tried.
 */
import type { Database } from '../keyspace/database';
import { accessField, idleMs, type AccessPolicy } from '../keyspace/key-entry';

/** EVPOOL_SIZE */
const POOL_SIZE = 16;

interface Candidate {
  score: number;
  key: string;
  dbIndex: number;
}

export type PoolPolicy = 'lru' | 'lfu' | 'ttl';

export class EvictionPool {
  /** Ascending by score; null = an empty slot (empty slots are at the end). */
  private readonly slots: Array<Candidate | null> = new Array<Candidate | null>(POOL_SIZE).fill(null);
  /** Per database, the walk over its expires map volatile sampling resumes. */
  private readonly ttlWalks = new Map<number, { map: Map<string, number>; keys: IterableIterator<string> }>();
  private readonly sample: string[] = [];

  /**
   * The next key to evict, or null when no database has a candidate.
   * Populates from every database, then takes the best candidate that still
   * exists (removing it from the pool either way).
   */
  pick(dbs: ReadonlyArray<Database>, policy: PoolPolicy, volatileOnly: boolean, samples: number, access: AccessPolicy, now: number): { db: Database; key: string } | null {
    for (;;) {
      let candidates = 0;
      for (const db of dbs) {
        const pool = volatileOnly ? db.expires : db.dict;
        if (pool.size === 0) continue;
        candidates += pool.size;
        this.populate(db, policy, volatileOnly, samples, access, now);
      }
      if (candidates === 0) return null;
      for (let k = POOL_SIZE - 1; k >= 0; k--) {
        const candidate = this.slots[k];
        if (!candidate) continue;
        this.slots.splice(k, 1);
        this.slots.push(null);
        const db = dbs[candidate.dbIndex]!;
        if (volatileOnly ? db.expires.has(candidate.key) : db.dict.has(candidate.key)) return { db, key: candidate.key };
      }
      // Every candidate was gone (deleted since it was sampled): sample again.
    }
  }

  private populate(db: Database, policy: PoolPolicy, volatileOnly: boolean, samples: number, access: AccessPolicy, now: number): void {
    const keys = this.sample;
    keys.length = 0;
    // dictGetSomeKeys: never more samples than the dict has keys (maxmemory-samples may be up to INT_MAX).
    if (volatileOnly) this.sampleExpires(db, Math.min(samples, db.expires.size), keys);
    else db.dict.sampleKeys(Math.min(samples, db.dict.size), keys);
    for (const key of keys) {
      const score = this.score(db, key, policy, access, now);
      if (score !== null) this.insert({ score, key, dbIndex: db.id });
    }
  }

  private score(db: Database, key: string, policy: PoolPolicy, access: AccessPolicy, now: number): number | null {
    if (policy === 'ttl') {
      const when = db.expires.get(key);
      // ULLONG_MAX - expire: the sooner, the higher.
      return when === undefined ? null : Number.MAX_SAFE_INTEGER - when + now;
    }
    const meta = db.dict.metaOf(key);
    if (meta === undefined) return null;
    return policy === 'lru' ? idleMs(accessField(meta), access.lruClock) : 255 - access.decayedCounter(accessField(meta));
  }

  /** Inserts by ascending score; a full pool drops its worst entry, and a candidate worse than all of them is ignored. */
  private insert(candidate: Candidate): void {
    const slots = this.slots;
    for (const held of slots) if (held && held.key === candidate.key && held.dbIndex === candidate.dbIndex) return;
    let k = 0;
    while (k < POOL_SIZE && slots[k] !== null && slots[k]!.score < candidate.score) k++;
    if (k === 0 && slots[POOL_SIZE - 1] !== null) return;
    if (k < POOL_SIZE && slots[k] === null) {
      slots[k] = candidate;
    } else if (slots[POOL_SIZE - 1] === null) {
      slots.splice(k, 0, candidate);
      slots.length = POOL_SIZE;
    } else {
      // Full: drop the worst (first) to make room just before position k.
      slots.splice(0, 1);
      slots.splice(k - 1, 0, candidate);
    }
  }

  private sampleExpires(db: Database, count: number, into: string[]): void {
    let walk = this.ttlWalks.get(db.id);
    if (!walk || walk.map !== db.expires) {
      walk = { map: db.expires, keys: db.expires.keys() };
      this.ttlWalks.set(db.id, walk);
    }
    for (let i = 0; i < count && db.expires.size > 0; i++) {
      let step = walk.keys.next();
      if (step.done) {
        walk.keys = db.expires.keys();
        step = walk.keys.next();
        if (step.done) return;
      }
      into.push(step.value);
    }
  }
}
