/**
 * maxmemory enforcement (evict.c performEvictions), before every command
 * that may grow the dataset:
 *
 *  - used memory is the engine's V8 heap in use plus the buffers holding
 *    values loaded from an RDB and not decoded yet (outside the V8 heap;
 *    see LoadedKeys), what INFO reports as used_memory; the heap is read at
 *    most every 10 ms; minus the estimated size of what was evicted since
 *    the heap last shrank (deleted keys are only freed at the next garbage
 *    collection);
 *  - over the limit, `noeviction` refuses (the dispatcher replies Redis's
 *    OOM error to commands flagged denyoom); the other policies evict keys
 *    from maxmemory-samples random candidates per round: allkeys-* from every
 *    key, volatile-* from keys with a TTL; volatile-ttl takes the candidate
 *    that expires soonest. Per-key access times and frequencies are not
 *    tracked (memory on every key), so the LRU and LFU policies pick at
 *    random among the candidates, as a documented approximation;
 *  - each eviction is propagated as DEL (UNLINK with lazyfree-lazy-eviction)
 *    to replicas and the backlog and counted in evicted_keys; when nothing
 *    is left to evict and memory is still over, the command is refused (OOM);
 *  - a replica never evicts by itself (replica-ignore-maxmemory yes): it
 *    follows its master's DELs.
 */
import type { EngineConfig } from '../config/engine-config';
import type { EngineNode } from '../node';
import type { Database } from '../keyspace/database';
import { estimateKeyBytes } from './value-size';
import { NotifyType } from '../pubsub/keyspace-events';

const READ_INTERVAL_MS = 10;

export class MemoryManager {
  /** used_memory at start-up and its highest value seen (INFO memory). */
  readonly startup = process.memoryUsage().heapUsed;
  peak = this.startup;
  private heapUsed = this.startup;
  private heapReadAt = 0;
  /** Estimated bytes evicted since the heap was last seen shrinking. */
  private evictedPending = 0;
  private node: EngineNode | null = null;

  constructor(private readonly config: EngineConfig) {}

  /** The node whose keyspace evictions act on (set once the node is built). */
  attach(node: EngineNode): void {
    this.node = node;
    // updateMaxmemory: a new limit starts evicting at once (startEvictionTimeProc),
    // not only when the next write arrives; nothing is evicted while clients are paused.
    this.config.onChange('maxmemory', () => {
      setImmediate(() => {
        if (!node.pause.writesPaused()) this.performEvictions();
      });
    });
  }

  /** Called from the cron: tracks the peak. */
  sample(): void {
    const used = this.usedMemory();
    if (used > this.peak) this.peak = used;
  }

  limitEnabled(): boolean {
    return this.config.int('maxmemory') > 0;
  }

  private readHeap(force = false): void {
    const now = Date.now();
    if (!force && now - this.heapReadAt < READ_INTERVAL_MS) return;
    const heap = process.memoryUsage().heapUsed;
    if (heap < this.heapUsed) this.evictedPending = Math.max(0, this.evictedPending - (this.heapUsed - heap));
    this.heapUsed = heap;
    this.heapReadAt = now;
  }

  /** Bytes reported as used_memory. */
  usedMemory(): number {
    this.readHeap();
    return Math.max(0, this.heapUsed + this.loadedValueBytes() - this.evictedPending);
  }

  private loadedValueBytes(): number {
    let bytes = 0;
    if (this.node) for (const db of this.node.keyspace.dbs) bytes += db.dict.loadedBytes;
    return bytes;
  }

  /** Frees memory per maxmemory-policy; returns false when still over the limit (OOM). */
  performEvictions(): boolean {
    const limit = this.config.int('maxmemory');
    if (limit <= 0) return true;
    if (this.usedMemory() <= limit) return true;
    const node = this.node;
    if (!node) return false;
    if (node.replication.isReplica && this.config.bool('replica-ignore-maxmemory')) return true;
    const policy = this.config.string('maxmemory-policy');
    if (policy === 'noeviction') return false;
    const volatileOnly = policy.startsWith('volatile-');
    const samples = Math.max(1, this.config.int('maxmemory-samples'));
    while (this.usedMemory() > limit) {
      const victim = this.pickVictim(node, volatileOnly, policy === 'volatile-ttl', samples);
      if (!victim) return false;
      const value = victim.db.dict.get(victim.key);
      if (value !== undefined) this.evictedPending += estimateKeyBytes(victim.key, value);
      node.keyspace.deleteKey(victim.db, victim.key, true);
      node.stats.evictedKeys++;
      node.keyspaceEvents.notify(NotifyType.EVICTED, 'evicted', victim.key, victim.db.id);
      node.propagation.add(victim.db.id, [this.config.bool('lazyfree-lazy-eviction') ? 'UNLINK' : 'DEL', victim.key]);
      node.propagation.flush();
    }
    return true;
  }

  /** maxmemory-samples random candidates from one database with candidates; the best one. */
  private pickVictim(node: EngineNode, volatileOnly: boolean, byTtl: boolean, samples: number): { db: Database; key: string } | null {
    const databases = node.keyspace.dbs.filter((db) => (volatileOnly ? db.expires.size : db.dict.size) > 0);
    if (databases.length === 0) return null;
    const db = databases[Math.floor(Math.random() * databases.length)]!;
    const pool = volatileOnly ? db.expires : db.dict;
    let best: string | null = null;
    let bestExpiry = Infinity;
    for (let i = 0; i < samples; i++) {
      const key = randomKeyOf(pool);
      if (key === null) break;
      if (!byTtl) return { db, key };
      const expiry = db.expires.get(key) ?? Infinity;
      if (expiry < bestExpiry) {
        bestExpiry = expiry;
        best = key;
      }
    }
    return best === null ? null : { db, key: best };
  }
}

/** A random key among the first 4096 of a Map (insertion order: the oldest keys), so a pick costs at most 4096 steps. */
function randomKeyOf(map: { readonly size: number; keys(): IterableIterator<string> }): string | null {
  if (map.size === 0) return null;
  let skip = Math.floor(Math.random() * Math.min(map.size, 4096));
  for (const key of map.keys()) if (skip-- === 0) return key;
  return null;
}
