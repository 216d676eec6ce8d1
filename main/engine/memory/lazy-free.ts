/**
 * Lazy freeing (lazyfree.c): UNLINK, FLUSHDB/FLUSHALL ASYNC and the
 * lazyfree-lazy-* options hand big values to a background job instead of
 * freeing them inside the command.
 *
 * Here every deleted value is garbage that V8's collector reclaims off the
 * command path anyway, so what lazy freeing changes is what the node
 * reports, kept as Redis keeps it:
 *
 *   - a value whose free effort (lazyfreeGetFreeEffort: quicklist nodes,
 *     hashtable/skiplist entries, stream nodes plus groups x PEL; 1 for
 *     everything else, compact encodings included) is above 64 goes to the
 *     background: lazyfree_pending_objects counts it until the job ran (the
 *     end of this event-loop turn), then lazyfreed_objects;
 *   - a flushed database counts its keys the same way, whatever they are;
 *   - CONFIG RESETSTAT zeroes lazyfreed_objects (not the pending count).
 *
 * Whether freed lazily or not, the bytes a big value or a flushed database
 * held are reported released at once (MemoryManager.noteReleased): Redis's
 * used_memory drops as the free happens, while the V8 heap only shrinks at
 * its next collection.
 */
import { HashValue, ListValue, SetValue, StreamValue, ZSetValue, type RedisValue } from '../keyspace/values';
import type { Database } from '../keyspace/database';
import { estimateKeyBytes } from './value-size';
import { quicklistLayout } from './quicklist-layout';

/** LAZYFREE_THRESHOLD: values costing more than this many frees go to the background. */
export const LAZYFREE_THRESHOLD = 64;
/** Keys measured to estimate a flushed database's bytes. */
const FLUSH_SAMPLE_KEYS = 32;

export interface LazyFreeHost {
  /** Bytes the dataset no longer holds (used_memory drops now, the heap at its next collection). */
  noteReleased(bytes: number): void;
  /** A database's keys are all going at once: `bytes` of them (noteReleased, and off the write count). */
  noteFlushed(bytes: number): void;
  /** list-max-listpack-size. */
  listMaxListpackSize(): number;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: elements this long get a plain quicklist node. */
  quicklistPackedThreshold(): number;
}

export class LazyFree {
  /** lazyfree_pending_objects: handed to the background, not freed yet. */
  pendingObjects = 0;
  /** lazyfreed_objects: freed by the background since start (or CONFIG RESETSTAT). */
  freedObjects = 0;

  constructor(private readonly host: LazyFreeHost) {}

  /**
   * A value left the keyspace (dbDelete, with `lazy` for UNLINK and the
   * lazyfree-lazy-* cases). Cheap for small values: only values above the
   * threshold are measured.
   */
  valueDeleted(key: string, value: RedisValue, lazy: boolean): void {
    if (typeof value === 'string') return;
    if (freeEffort(value, this.host.listMaxListpackSize(), this.host.quicklistPackedThreshold()) <= LAZYFREE_THRESHOLD) return;
    this.host.noteReleased(estimateKeyBytes(key, value));
    if (lazy) this.background(1);
  }

  /** A database is being emptied (FLUSHDB, FLUSHALL; `lazy`: ASYNC). Call before clearing it. */
  databaseFlushed(db: Database, lazy: boolean): void {
    const keys = db.size;
    if (keys === 0) return;
    this.host.noteFlushed(estimateHeapBytes(db));
    if (lazy) this.background(keys);
  }

  resetStats(): void {
    this.freedObjects = 0;
  }

  /** bioCreateLazyFreeJob: the job runs once this turn's commands are done. */
  private background(objects: number): void {
    this.pendingObjects += objects;
    setImmediate(() => {
      this.pendingObjects -= objects;
      this.freedObjects += objects;
    });
  }
}

/**
 * lazyfreeGetFreeEffort. A list's is its quicklist node count
 * (memory/quicklist-layout.ts), counted only to LAZYFREE_THRESHOLD + 1: all
 * that is asked is whether it passes the threshold, and a long list would
 * otherwise be walked whole on every delete.
 */
export function freeEffort(value: RedisValue, listMaxListpackSize: number, packedThreshold: number): number {
  if (value instanceof ListValue) return quicklistLayout(value, listMaxListpackSize, packedThreshold, LAZYFREE_THRESHOLD + 1).length;
  if (value instanceof SetValue) return value.encoding === 'hashtable' ? value.size : 1;
  if (value instanceof ZSetValue) return value.encoding === 'skiplist' ? value.size : 1;
  if (value instanceof HashValue) return value.encoding === 'hashtable' ? value.size : 1;
  if (value instanceof StreamValue) {
    let effort = value.nodes.size;
    const groups = value.groups;
    if (groups !== null && groups.size > 0) {
      // As Redis: the first group's PEL stands for every group's.
      const first = groups.values().next().value;
      effort += groups.size * (1 + (first?.pel.size ?? 0));
    }
    return effort;
  }
  return 1;
}

/**
 * The V8-heap bytes of a database's keys, from the first keys measured and
 * extrapolated. Values still held as loaded RDB bytes are not counted: the
 * memory manager counts those apart, and they leave with the dict.
 */
export function estimateHeapBytes(db: Database): number {
  const heapKeys = db.dict.heapKeyCount;
  let measured = 0;
  let sampled = 0;
  for (const [key, value] of db.dict.entries()) {
    if (sampled >= Math.min(FLUSH_SAMPLE_KEYS, heapKeys)) break;
    measured += estimateKeyBytes(key, value);
    sampled++;
  }
  return sampled === 0 ? 0 : (measured / sampled) * heapKeys;
}
