/**
 * What the writes add to the dataset, counted as they happen, while a
 * maxmemory limit is set (zmalloc's counts, approximated per key): the
 * figure a limit is compared against must move by what a write keeps, not
 * by V8's collections. The V8 heap moves by megabytes both ways at moments
 * that have nothing to do with the write just made (a scavenge promoting
 * the young generation's survivors, a full collection freeing garbage, the
 * JIT's metadata for freshly optimized code): a limit set 100 KB above
 * used_memory was then crossed by a one-byte SETEX, or not by a 200 KB
 * SETBIT (Tcl unit/tracking's eviction test).
 *
 * How: the keyspace calls beforeWrite(db, key) before it creates, changes
 * or deletes a key (the hook a snapshot's copy-on-write uses, so no write
 * escapes it). The key's estimated bytes then (memory/value-size.ts) are
 * kept, once per key, until the next settle(), which estimates the same
 * keys again and returns the difference. A value still held as loaded RDB
 * bytes counts 0 here (the memory manager counts those bytes apart, and
 * they go down as such a value is decoded).
 *
 * Cost: nothing while no limit is set (the memory manager does not call
 * in); with one, a Map lookup and an estimate per key written, and one
 * more estimate when the writes are settled (before the next command's
 * eviction check). Collections are estimated from their first
 * ACCOUNTING_SAMPLES elements.
 */
import type { Database } from '../keyspace/database';
import { estimateKeyBytes } from './value-size';

/** Elements of a collection measured per estimate (the rest extrapolated). */
const ACCOUNTING_SAMPLES = 16;
/** An entry in the expires dictionary (a dictEntry and the key's TTL). */
const EXPIRE_ENTRY_BYTES = 24;

export class WriteAccounting {
  /** Per database id: the keys written since the last settle and their bytes before the first of those writes. */
  private readonly pending: Array<Map<string, number> | undefined> = [];
  private pendingDatabases: Database[] = [];

  beforeWrite(db: Database, key: string): void {
    let keys = this.pending[db.id];
    if (keys === undefined) {
      keys = new Map();
      this.pending[db.id] = keys;
    }
    if (keys.size === 0) this.pendingDatabases.push(db);
    else if (keys.has(key)) return;
    keys.set(key, keyBytes(db, key));
  }

  /** Bytes the writes since the last settle added (negative: freed). */
  settle(): number {
    if (this.pendingDatabases.length === 0) return 0;
    let delta = 0;
    for (const db of this.pendingDatabases) {
      const keys = this.pending[db.id]!;
      for (const [key, before] of keys) delta += keyBytes(db, key) - before;
      keys.clear();
    }
    this.pendingDatabases = [];
    return delta;
  }

  /** Forgets the keys written (the count starts again from a measurement). */
  clear(): void {
    for (const db of this.pendingDatabases) this.pending[db.id]!.clear();
    this.pendingDatabases = [];
  }
}

function keyBytes(db: Database, key: string): number {
  const value = db.dict.heapHeld(key);
  if (value === undefined) return 0;
  const bytes = estimateKeyBytes(key, value, ACCOUNTING_SAMPLES);
  return db.expires.size > 0 && db.expires.has(key) ? bytes + EXPIRE_ENTRY_BYTES : bytes;
}
