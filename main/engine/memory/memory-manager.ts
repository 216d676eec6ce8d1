/**
 * maxmemory enforcement (evict.c performEvictions), before every command
 * that may grow the dataset:
 *
 *  - used memory is the engine's V8 heap in use outside the young
 *    generation's semi-space, plus the buffers holding values loaded from
 *    an RDB and not decoded yet (outside the V8 heap; see LoadedKeys), what
 *    INFO reports as used_memory, read for every check;
 *    minus the estimated size of what was evicted, or deleted or flushed as
 *    a big value or a database (lazy-free.ts), since the heap last shrank
 *    (deleted keys are only freed at the next garbage collection). The
 *    semi-space is left out because it is mostly the garbage of the last
 *    few commands (an INFO reply alone leaves ~40 KB): counted, it made
 *    used_memory climb by the megabyte between scavenges and a limit set a
 *    little above it refuse the next write, which Redis (exact zmalloc
 *    counts) never does. What survives two scavenges moves to old space and
 *    counts from then on (copied alone: see keepGarbageOutOfOldSpace);
 *    large values (a 200 KB string) are allocated in the large-object
 *    spaces and count at once. Old space still jumps at times (megabytes at
 *    one collection, freed at the next full one), so a limit set a hair
 *    above used_memory is not exact as in Redis;
 *  - over the limit, `noeviction` refuses (the dispatcher replies Redis's
 *    OOM error to commands flagged denyoom); the LRU, LFU and volatile-ttl
 *    policies evict the best candidate of Redis's eviction pool (least
 *    recently used by the keys' LRU clocks, least frequently used by their
 *    LFU counters, soonest to expire; memory/eviction-pool.ts), sampling
 *    maxmemory-samples keys per database per round: allkeys-* from every
 *    key, volatile-* from keys with a TTL; the random policies take one key
 *    at random, visiting the databases in turn;
 *  - each eviction is propagated as DEL (UNLINK with lazyfree-lazy-eviction)
 *    to replicas and the backlog and counted in evicted_keys; when nothing
 *    is left to evict and memory is still over, the command is refused (OOM);
 *  - a replica never evicts by itself (replica-ignore-maxmemory yes): it
 *    follows its master's DELs;
 *  - the latency monitor gets eviction-del (one deletion) and
 *    eviction-cycle (the whole pass), as in Redis.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import type { EngineConfig } from '../config/engine-config';
import type { EngineNode } from '../node';
import type { Database } from '../keyspace/database';
import { estimateKeyBytes } from './value-size';
import { streamListpackBytes } from '../keyspace/values/stream-node';
import { NotifyType } from '../pubsub/keyspace-events';
import { EvictionPool, type PoolPolicy } from './eviction-pool';

export class MemoryManager {
  /** used_memory at start-up and its highest value seen (INFO memory). */
  readonly startup = liveHeapBytes();
  peak = this.startup;
  private heapUsed = this.startup;
  /** Estimated bytes evicted or freed since the heap was last seen shrinking. */
  private releasedPending = 0;
  private node: EngineNode | null = null;
  private readonly pool = new EvictionPool();
  /** The random policies' next database (next_db in evict.c). */
  private nextDb = 0;

  constructor(private readonly config: EngineConfig) {
    keepGarbageOutOfOldSpace();
  }

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

  /**
   * Reads the heap on every call (under a microsecond): a write followed at
   * once by another command must see the memory it took, as Redis's exact
   * counts do (a big SETBIT, then the next command evicts).
   */
  private readHeap(): void {
    // Stream listpacks are Buffers outside the V8 heap: counted with it, so evictions reconcile against them too.
    const heap = liveHeapBytes() + streamListpackBytes();
    if (heap < this.heapUsed) this.releasedPending = Math.max(0, this.releasedPending - (this.heapUsed - heap));
    this.heapUsed = heap;
  }

  /**
   * Bytes the dataset let go of (an eviction, a big value deleted, a
   * flushed database): reported freed now, counted down as the heap shrinks.
   */
  noteReleased(bytes: number): void {
    this.releasedPending += bytes;
  }

  /** Bytes reported as used_memory. */
  usedMemory(): number {
    this.readHeap();
    return Math.max(0, this.heapUsed + this.loadedValueBytes() - this.releasedPending);
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
    const poolPolicy: PoolPolicy | null = policy.endsWith('-lru') ? 'lru' : policy.endsWith('-lfu') ? 'lfu' : policy === 'volatile-ttl' ? 'ttl' : null;
    const cycleStarted = performance.now();
    let freed = true;
    while (this.usedMemory() > limit) {
      const victim = poolPolicy === null
        ? this.pickRandom(node, volatileOnly)
        : this.pool.pick(node.keyspace.dbs, poolPolicy, volatileOnly, samples, node.keyspace.access, Date.now());
      if (!victim) {
        freed = false;
        break;
      }
      const value = victim.db.dict.get(victim.key);
      if (value !== undefined) this.noteReleased(estimateKeyBytes(victim.key, value));
      const deleteStarted = performance.now();
      node.keyspace.deleteKey(victim.db, victim.key, true);
      node.latency.addSampleIfNeeded('eviction-del', performance.now() - deleteStarted);
      node.stats.evictedKeys++;
      node.keyspaceEvents.notify(NotifyType.EVICTED, 'evicted', victim.key, victim.db.id);
      node.propagation.add(victim.db.id, [this.config.bool('lazyfree-lazy-eviction') ? 'UNLINK' : 'DEL', victim.key]);
      node.propagation.flush();
    }
    node.latency.addSampleIfNeeded('eviction-cycle', performance.now() - cycleStarted);
    return freed;
  }

  /** allkeys-random / volatile-random: a random key of the next database that has one. */
  private pickRandom(node: EngineNode, volatileOnly: boolean): { db: Database; key: string } | null {
    const dbs = node.keyspace.dbs;
    for (let i = 0; i < dbs.length; i++) {
      this.nextDb = (this.nextDb + 1) % dbs.length;
      const db = dbs[this.nextDb]!;
      const key = randomKeyOf(volatileOnly ? db.expires : db.dict);
      if (key !== null) return { db, key };
    }
    return null;
  }
}

/** A random key among the first 4096 of a Map (insertion order: the oldest keys), so a pick costs at most 4096 steps. */
function randomKeyOf(map: { readonly size: number; keys(): IterableIterator<string> }): string | null {
  if (map.size === 0) return null;
  let skip = Math.floor(Math.random() * Math.min(map.size, 4096));
  for (const key of map.keys()) if (skip-- === 0) return key;
  return null;
}

/**
 * V8 promotes a young-generation page whole when most of it survived a
 * scavenge ("page promotion"), its dead objects included: old space then
 * jumps by megabytes of garbage at once and stays so until the next full
 * collection. Without it only the surviving objects are copied, and
 * used_memory follows the data more closely (Tcl unit/tracking's eviction
 * test, whose limit is 100 KB above used_memory, passed 38 of 41 runs with
 * it off, 8 of 12 with it on). The flag is process-wide and only tunes the
 * collector; setting it again is harmless.
 */
function keepGarbageOutOfOldSpace(): void {
  setFlagsFromString('--no-page-promotion');
}

/**
 * Spaces left out of used memory: the young generation's semi-space (see
 * the top comment) and compiled code (the engine's own program, which the
 * JIT grows whenever a new code path gets hot: not data, and Redis's
 * used_memory has no counterpart).
 */
const UNCOUNTED_SPACES: ReadonlySet<string> = new Set(['new_space', 'code_space', 'code_large_object_space']);

function liveHeapBytes(): number {
  let used = 0;
  for (const space of getHeapSpaceStatistics()) if (!UNCOUNTED_SPACES.has(space.space_name)) used += space.space_used_size;
  return used;
}
