/**
 * maxmemory enforcement (evict.c performEvictions), before every command
 * that may grow the dataset:
 *
 *  - measured, used memory is the engine's V8 heap in use outside the
 *    young generation's semi-space, plus the buffers holding values loaded
 *    from an RDB and not decoded yet (outside the V8 heap; see LoadedKeys),
 *    what INFO reports as used_memory while no limit is set;
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
 *    spaces and count at once. Old space still jumps at times (megabytes of
 *    survivors promoted at one scavenge, garbage freed at the next full
 *    collection, the JIT's metadata), so while a limit is set the figure
 *    moves by what the writes add instead (see below);
 *  - while maxmemory is set, used memory (INFO's and every check's) is a
 *    measurement (the above) plus the bytes the writes since added,
 *    counted per key as they happen (write-accounting.ts): a SETEX moves
 *    it by a few dozen bytes and a 200 KB SETBIT by 200 KB, as Redis's
 *    exact counts do, whatever the collector does meanwhile. The heap is
 *    measured again after each full collection (V8's own; seen through a
 *    performance observer), and the count restarts from it (re-anchored)
 *    when the two are more than driftTolerance apart (the estimates' error
 *    adds up over many writes; the heap also holds what no key write
 *    passes, client buffers, scripts); a flushed database's estimated
 *    bytes are taken off at once. A check costs no heap read (V8's space
 *    statistics took ~0.7 µs of every command with a limit set);
 *  - a figure reported (INFO memory, MEMORY STATS) stays the figure for
 *    REPORT_HOLD_MS while no key is written, and a limit set meanwhile
 *    counts from it: a limit is chosen from what was read (Tcl reads
 *    used_memory, then mem_not_counted_for_evict in a second INFO, and sets
 *    the sum + 100 KB), and a scavenge between those reads and the CONFIG
 *    SET moved the heap up by megabytes;
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
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import type { EngineConfig } from '../config/engine-config';
import type { EngineNode } from '../node';
import type { Database } from '../keyspace/database';
import { estimateKeyBytes } from './value-size';
import { streamListpackBytes } from '../keyspace/values/stream-node';
import { NotifyType } from '../pubsub/keyspace-events';
import { EvictionPool, type PoolPolicy } from './eviction-pool';
import { WriteAccounting } from './write-accounting';
import { estimateHeapBytes } from './lazy-free';

/**
 * How far the counted figure may drift from the heap, read after a full
 * collection, before it is measured again: above what the heap itself
 * moves by between two reads on a small heap (a scavenge promoted 2.6 MB
 * at once, a full collection freed 2.1 MB, on a 13 MB heap), a sixteenth
 * of a big one.
 */
const DRIFT_TOLERANCE_BYTES = 4 * 1024 * 1024;
const DRIFT_TOLERANCE_SHARE = 1 / 16;

function driftTolerance(measured: number): number {
  return Math.max(DRIFT_TOLERANCE_BYTES, measured * DRIFT_TOLERANCE_SHARE);
}
/** How long a reported figure holds while no key is written (the console polls every second). */
const REPORT_HOLD_MS = 500;

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
  /** Counting what writes add: on while maxmemory is set (see the top comment). */
  private readonly writes = new WriteAccounting();
  /** True while maxmemory is set: the keyspace's beforeWrite hook then calls countWrite. */
  counting = false;
  /** The measurement the count started from, and what the writes added since. */
  private anchor = 0;
  private added = 0;
  /** majorCollections when the count was last compared with the heap. */
  private majorCollectionsSeen = 0;
  /** Databases flushed (noteFlushed), with the databases' versions what tells whether a report still holds. */
  private flushes = 0;
  /** The last figure INFO / MEMORY STATS reported, when (performance.now() ms), and keyWriteMark() then. */
  private lastReport = { used: 0, at: Number.NEGATIVE_INFINITY, writeMark: -1 };

  constructor(private readonly config: EngineConfig) {
    keepGarbageOutOfOldSpace();
  }

  /** The node whose keyspace evictions act on (set once the node is built). */
  attach(node: EngineNode): void {
    this.node = node;
    // updateMaxmemory: a new limit starts evicting at once (startEvictionTimeProc, a time
    // event), not only when the next write arrives; nothing is evicted while clients are paused.
    // While a script runs past busy-reply-threshold the event waits for its end
    // (processEventsWhileBlocked serves no time event): a CONFIG SET pipelined ahead of a
    // long script must not put eviction DELs amid its effects.
    this.config.onChange('maxmemory', () => this.limitChanged());
    this.limitChanged();
    const evictForNewLimit = (): void => {
      if (node.scripting.busy) setTimeout(evictForNewLimit, 1).unref();
      else if (!node.pause.writesPaused()) this.performEvictions();
    };
    this.config.onChange('maxmemory', () => setImmediate(evictForNewLimit));
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

  /**
   * The keyspace is about to create, change or delete this key (the
   * snapshot hook, which calls this only while `counting`): what the
   * write adds is counted.
   */
  countWrite(db: Database, key: string): void {
    this.writes.beforeWrite(db, key);
  }

  /** usedMemory() for a report a user reads (INFO memory, MEMORY STATS): remembered for a new limit. */
  reportedMemory(): number {
    const used = this.usedMemory();
    if (this.reportHolds(used)) return this.lastReport.used;
    this.lastReport = { used, at: performance.now(), writeMark: this.keyWriteMark() };
    return used;
  }

  /** The last report still stands: recent, no key written since, and the heap not moved past the drift tolerance (a load, a flush). */
  private reportHolds(used: number): boolean {
    return this.lastReport.writeMark === this.keyWriteMark() && performance.now() - this.lastReport.at < REPORT_HOLD_MS &&
      Math.abs(used - this.lastReport.used) <= driftTolerance(used);
  }

  /** Bytes reported as used_memory (and compared with maxmemory). */
  usedMemory(): number {
    if (!this.counting) return this.measure();
    this.added += this.writes.settle();
    const counted = this.anchor + this.added;
    if (majorCollections !== this.majorCollectionsSeen) {
      // The heap is compared only after a full collection (V8's space statistics cost ~0.7 µs a read),
      // which freed what was released before it: nothing is pending any more.
      this.majorCollectionsSeen = majorCollections;
      this.releasedPending = 0;
      const measured = this.measure();
      if (Math.abs(measured - counted) > driftTolerance(measured)) {
        this.startCount(measured);
        return measured;
      }
    }
    return Math.max(0, counted);
  }

  /**
   * A database is being emptied (FLUSHDB, FLUSHALL): `bytes` is its
   * estimated size, taken off the count at once (no key of it passes
   * beforeWrite) and reported released.
   */
  noteFlushed(bytes: number): void {
    this.flushes++;
    this.noteReleased(bytes);
    if (!this.counting) return;
    this.added += this.writes.settle() - bytes;
  }

  /**
   * A loaded dataset is about to take the place of the current one (a full
   * sync from a master, DEBUG RELOAD, DEBUG LOADAOF): the writes pending
   * on the old one are settled, and its estimated bytes returned for
   * datasetReplaced.
   */
  beforeDatasetReplaced(): number {
    if (this.counting) this.added += this.writes.settle();
    return this.datasetBytes();
  }

  /**
   * The loaded dataset is in place: while counting, the count moves by
   * its estimated bytes (the estimate a flush takes off: heap-held keys
   * sampled, values still held as RDB bytes by those bytes) minus the old
   * one's, which is reported released. Without it a load stayed out of
   * used_memory until a full collection's drift check, and for good when
   * it was under the drift tolerance (18,900 keys from a redis-server
   * master: 16.4 MB reported, 21.7 MB measured).
   */
  datasetReplaced(before: number): void {
    this.flushes++;
    this.noteReleased(before);
    if (this.counting) this.added += this.datasetBytes() - before;
  }

  private datasetBytes(): number {
    let bytes = 0;
    if (this.node) for (const db of this.node.keyspace.dbs) bytes += estimateHeapBytes(db) + db.dict.loadedBytes;
    return bytes;
  }

  /** Moves whenever a key is written (every write bumps its database's version) or a database flushed. */
  private keyWriteMark(): number {
    let mark = this.flushes;
    if (this.node) for (const db of this.node.keyspace.dbs) mark += db.version;
    return mark;
  }

  /** The heap as measured (see the top comment). */
  private measure(): number {
    this.readHeap();
    return Math.max(0, this.heapUsed + this.loadedValueBytes() - this.releasedPending);
  }

  /** maxmemory set or removed: counting starts (from the report that holds, else the heap) or stops. */
  private limitChanged(): void {
    const counting = this.config.int('maxmemory') > 0;
    if (counting === this.counting) return;
    this.counting = counting;
    if (!counting) return;
    const measured = this.measure();
    this.startCount(this.reportHolds(measured) ? this.lastReport.used : measured);
  }

  private startCount(anchor: number): void {
    observeMajorCollections();
    this.majorCollectionsSeen = majorCollections;
    this.anchor = anchor;
    this.added = 0;
    this.writes.clear();
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

/** Full (mark-compact) collections seen in this thread since the first count started. */
let majorCollections = 0;
let collectionObserver: PerformanceObserver | null = null;

/**
 * V8 reports each collection as a performance entry (after it, in a later
 * task): one observer per thread counts the full ones, for every node's
 * memory manager in it.
 */
function observeMajorCollections(): void {
  if (collectionObserver !== null) return;
  collectionObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) majorCollections++;
    }
  });
  collectionObserver.observe({ entryTypes: ['gc'] });
}
