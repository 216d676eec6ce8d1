/**
 * Point-in-time snapshots without fork(): the keyspace is walked in small
 * time slices while clients keep being served, and a write to a key the walk
 * has not reached yet first hands the key's old value to the snapshot
 * (copy-on-write at key granularity; RDB allows keys in any order within a
 * database section).
 *
 * The snapshot instant is the synchronous call of startSnapshot(). Then:
 *  - The Map objects of every database are captured by reference. FLUSHALL,
 *    FLUSHDB and SWAPDB install new Maps, which freezes the captured ones:
 *    the walk keeps reading the frozen point-in-time data and no
 *    copy-on-write is needed for them any more.
 *  - beforeWrite(db, key) on a captured, live Map: if the key does not exist
 *    it is being created after the instant -> remembered as `created` and
 *    never written; if it exists and was not written yet -> its current
 *    value (still the point-in-time one) is serialized now.
 *  - The walk skips keys already written and created ones. A later write in
 *    the database being walked must not write a walked key twice (a
 *    duplicate key would make a 7.0 replica panic): the dict's walk
 *    (DictWalk) answers whether it passed a key, cheaply and without
 *    tracking anything until a write first asks. Databases already finished
 *    need no check: every key they had was written.
 *  - RESIZEDB carries the counts at the instant: walk + copy-on-write write
 *    exactly those keys.
 * Copy-on-write output for the database being walked goes straight to the
 * output (writes happen between slices); for databases not reached yet it
 * is kept until the walk reaches them.
 */
import { exactExpireOf, type Database } from '../keyspace/database';
import type { Dict, DictWalk } from '../keyspace/dict';
import type { RedisValue } from '../keyspace/values';
import type { RawRdbValue } from './raw-rdb-value';
import { ByteWriter } from './byte-writer';
import { Crc64 } from './crc64';
import { writeFunctionEntries } from './function-payload';
import { writeDatabaseHeader, writeEof, writeHeader, writeKeyEntry, type ReplicationAuxFields } from './rdb-sections';
import type { ValueWriteOptions } from './value-writer';

export interface SnapshotSink {
  /** Encoded RDB bytes in order; false asks the walk to pause until resume(). */
  write(chunk: Buffer): boolean;
}

export interface SnapshotOptions {
  readonly replication: ReplicationAuxFields | null;
  readonly compress: boolean;
  /** rdbchecksum: false writes a zero CRC. */
  readonly checksum: boolean;
  /** Longest a walk slice may hold the event loop. */
  readonly sliceMs?: number;
  readonly usedMemory: number;
  /** Test hook and rdb-key-save-delay: microseconds to wait after each key (0 = none). */
  readonly keySaveDelayMicros?: number;
  /** SAVE: run to completion inside the constructor, without yielding (blocks clients, like Redis's SAVE). */
  readonly synchronous?: boolean;
  /** See ValueWriteOptions.plainNodeThreshold. */
  readonly plainNodeThreshold?: number;
  /** See ValueWriteOptions.listFill and listCompressDepth. */
  readonly listFill?: number;
  readonly listCompressDepth?: number;
  /**
   * The FUNCTION libraries' codes at the snapshot instant, written as
   * FUNCTION2 entries after the aux fields and before the databases, where
   * 7.0 writes them (none when absent).
   */
  readonly functions?: ReadonlyArray<string>;
}

export interface SnapshotResult {
  readonly bytes: number;
  readonly keys: number;
  readonly durationMs: number;
}

const CHUNK_SIZE = 64 * 1024;
/** The reason an orphaned walk ends with (the forked child's last log line in redis-server). */
export const ORPHAN_REPORT_FAILED = 'Child failed reporting info to parent, exiting. Broken pipe';
/** Longest a walk slice holds the event loop by default: clients wait at most about this long. */
const DEFAULT_SLICE_MS = 2;

interface CapturedDb {
  readonly index: number;
  readonly dict: Dict;
  readonly expires: Map<string, number>;
  /** The exact times past 2^53 (keyspace/database.ts), as the database held them at the instant. */
  readonly exactExpires: Map<string, bigint> | null;
  readonly keysAtStart: number;
  readonly expiresAtStart: number;
  /** Keys created after the instant (never written). */
  readonly created: Set<string>;
  /** Keys written by copy-on-write (the walk skips them). */
  readonly written: Set<string>;
  /** Copy-on-write output kept until the walk reaches this database. */
  readonly pending: Buffer[];
}

export class Snapshot {
  readonly startedAt = Date.now();
  bytesWritten = 0;
  keysWritten = 0;
  readonly done: Promise<SnapshotResult>;
  private resolveDone!: (result: SnapshotResult) => void;
  private rejectDone!: (error: Error) => void;
  private readonly dbs: CapturedDb[];
  /** Captured databases by their dictionary (the key copy-on-write looks them up by). */
  private readonly byDict = new Map<Dict, CapturedDb>();
  private readonly out = new ByteWriter(CHUNK_SIZE * 2);
  private readonly crc = new Crc64();
  private currentDb = -1;
  /** The walk over the current database's dict. */
  private walk: DictWalk | null = null;
  private paused = false;
  private finished = false;
  private scheduled: NodeJS.Immediate | null = null;
  private readonly valueOptions: ValueWriteOptions;
  /** When the last progress report went to the parent (countKey); the child's static info_updated_time starts at 0. */
  private lastReportMs = 0;
  private orphaned = false;

  constructor(
    databases: ReadonlyArray<Database>,
    private readonly sink: SnapshotSink,
    private readonly options: SnapshotOptions,
    private readonly onEnd: (snapshot: Snapshot) => void,
    private readonly beforeSlice: () => void = () => {},
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // Callers may not attach handlers before an immediate failure; never leave it unhandled.
    this.done.catch(() => undefined);
    this.valueOptions = { compress: options.compress, plainNodeThreshold: options.plainNodeThreshold, listFill: options.listFill, listCompressDepth: options.listCompressDepth };
    this.dbs = databases.map((db) => ({
      index: db.id,
      dict: db.dict,
      expires: db.expires,
      exactExpires: db.exactExpires,
      keysAtStart: db.dict.size,
      expiresAtStart: db.expires.size,
      created: new Set(),
      written: new Set(),
      pending: [],
    }));
    for (const captured of this.dbs) this.byDict.set(captured.dict, captured);
    writeHeader(this.out, options.usedMemory, options.replication);
    writeFunctionEntries(this.out, options.functions ?? [], options.compress);
    if (options.synchronous) {
      while (!this.finished) this.slice(true);
    } else {
      this.schedule();
    }
  }

  /**
   * Copy-on-write hook: called before `key` in `db` changes. The captured
   * database is found by its dictionary, not its index: SWAPDB moves
   * dictionaries between indexes, and writes through either index must
   * still protect the point-in-time data.
   */
  beforeWrite(db: Database, key: string): void {
    if (this.finished) return;
    const captured = this.byDict.get(db.dict);
    if (!captured || captured.index < this.currentDb) return;
    const value = captured.dict.get(key);
    if (value === undefined) {
      // Created after the instant (or re-created after its old value was written): never written.
      captured.created.add(key);
      return;
    }
    if (captured.index === this.currentDb && this.walk!.passed(key)) return;
    if (captured.written.has(key) || captured.created.has(key)) return;
    captured.written.add(key);
    if (captured.index === this.currentDb) {
      this.writeEntry(key, value, exactExpireOf(captured.expires, captured.exactExpires, key));
    } else {
      const side = new ByteWriter(256);
      writeKeyEntry(side, key, value, exactExpireOf(captured.expires, captured.exactExpires, key), this.valueOptions);
      captured.pending.push(side.drain());
    }
  }

  private writeEntry(key: string, value: RedisValue | RawRdbValue, expireMs: number | bigint | undefined): void {
    writeKeyEntry(this.out, key, value, expireMs, this.valueOptions);
    this.countKey();
  }

  /**
   * rdbSaveDb's progress report: after each key whose count before it is a
   * multiple of 1024, the child reports to its parent if a second has passed
   * since its last report (the first key always reports). An orphaned save's
   * report fails and ends it (see orphan).
   */
  private countKey(): void {
    if ((this.keysWritten++ & 1023) !== 0) return;
    const now = Date.now();
    if (now - this.lastReportMs < 1000) return;
    this.lastReportMs = now;
    if (this.orphaned) this.abort(ORPHAN_REPORT_FAILED);
  }

  /**
   * The node this save belongs to crashed (EngineNode.panic). redis-server's
   * save runs in a forked child, which the parent's abort() leaves running:
   * it goes on until its next report to the parent fails
   * (sendChildInfoGeneric: "Child failed reporting info to parent,
   * exiting") and exits there, its temp file left as it is; with no report
   * left before its end, it completes (the file is renamed into place before
   * the final report). A walk that is orphaned does the same: it ends at its
   * next progress report (countKey), or completes.
   */
  orphan(): void {
    this.orphaned = true;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  resume(): void {
    if (!this.paused || this.finished) return;
    this.paused = false;
    this.schedule();
  }

  /** Why the walk was aborted (ORPHAN_REPORT_FAILED: an orphaned save's failed progress report), null if it was not. */
  abortReason: string | null = null;

  abort(reason: string): void {
    if (this.finished) return;
    this.abortReason = reason;
    this.finish();
    this.rejectDone(new Error(`snapshot aborted: ${reason}`));
  }

  private schedule(): void {
    if (this.scheduled || this.finished) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      this.beforeSlice();
      try {
        this.slice();
      } catch (failure) {
        this.abort(failure instanceof Error ? failure.message : String(failure));
      }
    });
  }

  /** One time slice of the walk (unbounded when `unbounded`: the blocking SAVE). */
  private slice(unbounded = false): void {
    if (this.finished || this.paused) return;
    const deadline = unbounded ? Infinity : performance.now() + (this.options.sliceMs ?? DEFAULT_SLICE_MS);
    const delay = this.options.keySaveDelayMicros ?? 0;
    let steps = 0;
    while (true) {
      if (this.walk === null && !this.nextDatabase()) {
        if (!this.finished) this.complete();
        return;
      }
      const db = this.dbs[this.currentDb]!;
      const next = this.walk!.next();
      if (next === null) {
        this.walk = null;
        continue;
      }
      const [key, value] = next;
      const skip = (db.written.size > 0 && db.written.has(key)) || (db.created.size > 0 && db.created.has(key));
      if (!skip) {
        this.writeEntry(key, value, db.expires.size > 0 ? exactExpireOf(db.expires, db.exactExpires, key) : undefined);
        if (this.finished) return;
      }
      if (this.out.size >= CHUNK_SIZE && !this.flush()) {
        if (unbounded) throw new Error('a synchronous snapshot sink must never ask to pause');
        return;
      }
      if (delay > 0 && !unbounded) {
        // rdb-key-save-delay: one key per slice, so clients are served in between.
        busyWait(delay);
        break;
      }
      if ((++steps & 31) === 0 && performance.now() >= deadline) break;
    }
    if (this.out.size >= CHUNK_SIZE && !this.flush()) return;
    if (!unbounded) this.schedule();
  }

  /** Moves to the next database that had keys at the instant; false when none is left. */
  private nextDatabase(): boolean {
    for (let index = this.currentDb + 1; index < this.dbs.length; index++) {
      const db = this.dbs[index]!;
      if (db.keysAtStart === 0) continue;
      this.currentDb = index;
      writeDatabaseHeader(this.out, index, db.keysAtStart, db.expiresAtStart);
      for (const part of db.pending) {
        this.out.bytes(part);
        this.countKey();
        if (this.finished) return false;
      }
      db.pending.length = 0;
      this.walk = db.dict.walkForSave(this.valueOptions.compress);
      return true;
    }
    this.currentDb = this.dbs.length;
    return false;
  }

  /** Hands buffered bytes to the sink; returns false when the sink asked to pause. */
  private flush(): boolean {
    if (this.out.size === 0) return true;
    const chunk = this.out.drain();
    this.crc.update(chunk);
    this.bytesWritten += chunk.length;
    const more = this.sink.write(chunk);
    if (!more) this.paused = true;
    return more;
  }

  private complete(): void {
    writeEof(this.out);
    const body = this.out.drain();
    this.crc.update(body);
    const trailer = this.options.checksum ? this.crc.digestBytes() : Buffer.alloc(8);
    const last = Buffer.concat([body, trailer]);
    this.bytesWritten += last.length;
    this.finish();
    this.sink.write(last);
    this.resolveDone({ bytes: this.bytesWritten, keys: this.keysWritten, durationMs: Date.now() - this.startedAt });
  }

  private finish(): void {
    this.finished = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    this.walk = null;
    this.onEnd(this);
  }
}

function busyWait(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until) {
    // rdb-key-save-delay: deliberately slow saves (tests of in-progress snapshots).
  }
}

/**
 * Every snapshot in progress on a node; the keyspace's beforeWrite hook calls
 * in here.
 *
 * `beforeSlice` runs before each background slice: the node sends the client
 * replies computed since the last one. Replies are flushed from a
 * setImmediate too, queued after the slice's (which was queued at the end of
 * the previous slice), so without this every reply would wait for one more
 * whole slice.
 */
export class SnapshotRegistry {
  private readonly active = new Set<Snapshot>();

  constructor(private readonly beforeSlice: () => void = () => {}) {}

  start(databases: ReadonlyArray<Database>, sink: SnapshotSink, options: SnapshotOptions): Snapshot {
    const snapshot = new Snapshot(databases, sink, options, (ended) => this.active.delete(ended), this.beforeSlice);
    if (!snapshot.isFinished) this.active.add(snapshot);
    return snapshot;
  }

  beforeWrite(db: Database, key: string): void {
    if (this.active.size === 0) return;
    for (const snapshot of this.active) snapshot.beforeWrite(db, key);
  }

  get count(): number {
    return this.active.size;
  }

  abortAll(reason: string): void {
    for (const snapshot of [...this.active]) snapshot.abort(reason);
  }
}
