/**
 * Persistence (rdb.c rdbSave / rdbSaveBackground / rdbLoad, server.c save
 * points): the dataset to and from dir/dbfilename.
 *
 *  - SAVE writes synchronously (clients wait, as with Redis's SAVE).
 *  - BGSAVE writes a point-in-time snapshot while clients keep being served
 *    (rdb/snapshot.ts), to a temp file that is fsynced and renamed over
 *    dbfilename, so a crash never leaves a torn dump. A failure (unwritable
 *    dir, full disk) keeps the old dump, sets rdb_last_bgsave_status:err,
 *    and with stop-writes-on-bgsave-error makes writes fail with MISCONF.
 *  - Save points ("save 3600 1 300 100 ...") start a BGSAVE from the cron;
 *    after a failed one, the next try waits CONFIG_BGSAVE_RETRY_DELAY (5 s).
 *  - At start-up the file is loaded before the node listens; the replication
 *    ids recorded in it go to replication.restoreFromRdb (PSYNC2 restarts).
 */
import { closeSync, createReadStream, existsSync, fsync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { EngineNode } from '../node';
import { RdbLoader, type LoadedRdb } from '../rdb/rdb-loader';
import { ORPHAN_REPORT_FAILED, type Snapshot } from '../rdb/snapshot';
import { savePointsOf } from '../config/special-params';
import { fsPath, resolveBytes } from '../util/byte-paths';
import { systemErrorText } from '../util/system-error-text';

const BGSAVE_RETRY_DELAY_MS = 5000;

/** BGSAVEs started in this process, over all its nodes (bgsaveTempPath). */
let bgsaveSerial = 0n;

/** rdbSave's werr line: the step that failed (rdbSaveRio, fsync, fclose) and strerror. */
function writeFailure(step: string, failure: unknown): string {
  return `Write error saving DB on disk(${step}): ${systemErrorText(failure)}`;
}

/** The dump at start-up could not be loaded (already logged): the server must not start. */
export class StartupLoadError extends Error {}

export class PersistenceUnavailableError extends Error {
  constructor(message = 'ERR persistence is not available') {
    super(message);
    this.name = 'PersistenceUnavailableError';
  }
}

export class Persistence {
  loading = false;
  lastBgsaveOk = true;
  /** Unix seconds of the last successful save (LASTSAVE); server start time until then. */
  lastSaveTime = Math.floor(Date.now() / 1000);
  private lastBgsaveTryMs = 0;
  private lastBgsaveDurationSec = -1;
  /** The BGSAVE in progress: from its start until its file is fsynced and renamed (or it failed). */
  private background: { snapshot: Snapshot; startedAt: number; dirtyAtStart: number; tempPath: string; cancelled: string | null } | null = null;
  saves = 0;
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  lastLoadKeysSkipped = 0;
  /** BGREWRITEAOF deferred (in EXEC, or during a BGSAVE): the cron tries it (INFO aof_rewrite_scheduled). */
  aofRewriteScheduled = false;
  /** INFO aof_last_bgrewrite_status: err once a rewrite could not start (this engine keeps no AOF, so always). */
  private lastAofRewriteOk = true;

  constructor(private readonly node: EngineNode) {}

  get bgsaveInProgress(): boolean {
    return this.background !== null;
  }

  private get filePath(): string {
    return resolveBytes(this.node.config.string('dir'), this.node.config.string('dbfilename'));
  }

  writesDeniedByDiskError(): boolean {
    return !this.lastBgsaveOk && this.node.config.bool('stop-writes-on-bgsave-error') && this.node.config.string('save') !== '';
  }

  private snapshotOptions(synchronous: boolean) {
    const config = this.node.config;
    return {
      replication: this.node.replication.rdbSaveInfo(),
      compress: config.bool('rdbcompression'),
      checksum: config.bool('rdbchecksum'),
      usedMemory: this.node.memory.usedMemory(),
      keySaveDelayMicros: config.int('rdb-key-save-delay'),
      synchronous,
      plainNodeThreshold: this.node.debug.quicklistPackedThreshold,
      listFill: config.int('list-max-listpack-size'),
      listCompressDepth: config.int('list-compress-depth'),
      functions: this.node.scripting.libraryCodes(),
    };
  }

  /**
   * rdbSave's temp file, temp-<saver's pid>.rdb: SAVE is this process's own
   * save, so its pid, as redis-server's foreground SAVE. SAVE runs start to
   * end in one tick, so no other save of this process is ever between its
   * open and its rename.
   */
  private saveTempPath(): string {
    return resolveBytes(this.node.config.string('dir'), `temp-${process.pid}.rdb`);
  }

  /**
   * BGSAVE's temp file, temp-<n>.rdb, n standing for the forked child's pid
   * in redis-server. Here the save runs across ticks inside this process,
   * beside the other nodes of the same process (which may share dir), so n
   * must name this save alone while it is in flight: n = k·2³² + pid, k
   * counting this process's BGSAVEs. Pids fit in 32 bits, so n is never a
   * process's pid (no SAVE's file), never another BGSAVE's of this process
   * (k differs) nor of another process (pid differs).
   */
  private bgsaveTempPath(): string {
    bgsaveSerial += 1n;
    return resolveBytes(this.node.config.string('dir'), `temp-${(bgsaveSerial << 32n) + BigInt(process.pid)}.rdb`);
  }

  /** SAVE (as an async API for SHUTDOWN and DEBUG RELOAD). */
  async save(): Promise<void> {
    this.saveSync();
  }

  /** SAVE: blocking save. Throws with Redis's reply text on failure. */
  saveSync(): void {
    // A node that panicked never writes its dump (redis-server aborted).
    if (this.node.crashed) throw new Error('ERR');
    if (this.background) throw new Error('ERR Background save already in progress');
    const temp = this.saveTempPath();
    let fd: number;
    try {
      fd = openSync(fsPath(temp), 'w');
    } catch (failure) {
      this.node.log.warning(this.openFailure(temp, failure));
      throw new Error('ERR');
    }
    // rdbSave's steps, each named by its failure's log line (no stdio buffer here: no fflush step).
    let step = 'rdbSaveRio';
    try {
      this.node.snapshots.start(this.node.keyspace.dbs, { write: (chunk) => (writeSync(fd, chunk), true) }, this.snapshotOptions(true));
      step = 'fsync';
      fsyncSync(fd);
      step = 'fclose';
      closeSync(fd);
      step = 'rename';
      renameSync(fsPath(temp), fsPath(this.filePath));
    } catch (failure) {
      // fclose releases the descriptor even when it fails, as it does in rdbSave.
      if (step === 'rdbSaveRio' || step === 'fsync') {
        try {
          closeSync(fd);
        } catch {
          // the save's own error is the one logged
        }
      }
      rmSync(fsPath(temp), { force: true });
      this.node.log.warning(step === 'rename' ? this.renameFailure(temp, failure) : writeFailure(step, failure));
      throw new Error('ERR');
    }
    this.node.log.notice('DB saved on disk');
    this.saveSucceeded(this.node.dirty);
  }

  private saveSucceeded(dirtyAtStart: number): void {
    this.node.dirty = Math.max(0, this.node.dirty - dirtyAtStart);
    this.lastSaveTime = Math.floor(Date.now() / 1000);
    this.lastBgsaveOk = true;
    this.saves++;
  }

  /** BGSAVE: returns false if one is already running. */
  bgsave(): boolean {
    if (this.background || this.node.crashed) return false;
    const node = this.node;
    const temp = this.bgsaveTempPath();
    this.lastBgsaveTryMs = Date.now();
    let fd: number;
    try {
      fd = openSync(fsPath(temp), 'w');
    } catch (failure) {
      // redis-server forks first: the parent logs the start, the child the
      // failed open and exits 1, and the parent then logs the failure.
      node.log.notice('Background saving started');
      node.log.warning(this.openFailure(temp, failure));
      this.bgsaveFailed();
      return true;
    }
    let writeError: Error | null = null;
    const snapshot = node.snapshots.start(node.keyspace.dbs, {
      write: (chunk) => {
        if (writeError) return true;
        try {
          writeSync(fd, chunk);
        } catch (failure) {
          writeError = failure as Error;
          snapshot.abort(writeError.message);
        }
        return true;
      },
    }, this.snapshotOptions(false));
    const startedAt = Date.now();
    const state = { snapshot, startedAt, dirtyAtStart: node.dirty, tempPath: temp, cancelled: null as string | null };
    this.background = state;
    node.log.notice('Background saving started');
    // The reason is the child's line (strerror's text); the parent's line
    // after it is only "Background saving error", as redis-server's.
    // Closed once only: a descriptor number closed twice may by then be another file's or socket's.
    let open = true;
    const close = (): void => {
      open = false;
      closeSync(fd);
    };
    const dropTemp = (): void => {
      this.background = null;
      if (open) {
        try {
          close();
        } catch {
          // the save's own error is the one logged
        }
      }
      rmSync(fsPath(temp), { force: true });
    };
    const fail = (reason: string): void => {
      dropTemp();
      node.log.warning(reason);
      this.bgsaveFailed();
    };
    // FLUSHALL and SHUTDOWN kill redis-server's child with SIGUSR1: the
    // parent logs the signal and, that signal being whitelisted, leaves
    // rdb_last_bgsave_status as it was.
    const killed = (): void => {
      dropTemp();
      node.log.warning('Background saving terminated by signal 10');
    };
    // The orphaned child's exit (orphanBgsave): its temp file stays where it is, as exitFromChild leaves it.
    const orphanExited = (): void => {
      this.background = null;
      if (!open) return;
      try {
        close();
      } catch {
        // nobody is left to log it
      }
    };
    snapshot.done.then(
      // The fsync runs on libuv's thread pool: flushing a large dump blocks
      // for tens of milliseconds, which clients must not wait through (in
      // Redis the forked child does it). The save counts as in progress
      // until the file is renamed into place.
      () => fsync(fd, (syncError) => {
        if (state.cancelled !== null) return killed();
        if (syncError) return fail(writeFailure('fsync', syncError));
        try {
          close();
        } catch (failure) {
          return fail(writeFailure('fclose', failure));
        }
        try {
          renameSync(fsPath(temp), fsPath(this.filePath));
        } catch (failure) {
          return fail(this.renameFailure(temp, failure));
        }
        this.background = null;
        this.lastBgsaveDurationSec = Math.round((Date.now() - startedAt) / 1000);
        node.log.notice('DB saved on disk');
        node.log.notice('Background saving terminated with success');
        this.saveSucceeded(state.dirtyAtStart);
      }),
      (failure: unknown) => {
        // rdbSave unlinks its temp file on a write error; only a failed progress report
        // (the orphaned child's exit) leaves it where it is.
        if (node.crashed) return snapshot.abortReason === ORPHAN_REPORT_FAILED ? orphanExited() : dropTemp();
        if (state.cancelled !== null && !writeError) return killed();
        fail(writeError ? writeFailure('rdbSaveRio', writeError) : failure instanceof Error ? failure.message : String(failure));
      },
    );
    return true;
  }

  /**
   * rewriteAppendOnlyFileBackground, as it goes when the rewrite cannot
   * start: this engine keeps no append-only file (persistence is RDB only),
   * so every attempt fails, logs why and sets aof_last_bgrewrite_status:err,
   * as a failed fork or an uncreatable appenddirname does on redis-server.
   * Always false.
   */
  rewriteAofBackground(how: 'now' | 'scheduled'): boolean {
    const when = how === 'scheduled' ? ' (scheduled)' : '';
    this.node.log.warning(`Can't rewrite the append only file in background${when}: this engine keeps no append only file (persistence is RDB only, use BGSAVE)`);
    this.lastAofRewriteOk = false;
    return false;
  }

  private bgsaveFailed(): void {
    this.node.log.warning('Background saving error');
    this.lastBgsaveOk = false;
  }

  /** rdbSave's line when the temp file cannot be created. */
  private openFailure(temp: string, failure: unknown): string {
    return `Failed opening the temp RDB file ${path.basename(temp)} (in server root dir ${this.serverRootDir()}) for saving: ${systemErrorText(failure)}`;
  }

  /** rdbSave's line when the finished temp file cannot replace dbfilename (a directory of that name: EISDIR). */
  private renameFailure(temp: string, failure: unknown): string {
    return `Error moving temp DB file ${path.basename(temp)} on the final destination ${this.node.config.string('dbfilename')} (in server root dir ${this.serverRootDir()}): ${systemErrorText(failure)}`;
  }

  /** The directory rdbSave's lines name, by getcwd(), which fails once the directory was removed: then "unknown". */
  private serverRootDir(): string {
    const dir = this.node.config.string('dir');
    return existsSync(fsPath(dir)) ? dir : 'unknown';
  }

  /** FLUSHALL kills a running BGSAVE (its dump would resurrect the flushed data). */
  abortBgsave(reason: string): void {
    if (!this.background) return;
    // While the finished file is being fsynced, the abort is noted and the file dropped when that returns.
    this.background.cancelled = reason;
    this.background.snapshot.abort(reason);
  }

  /**
   * The node panicked: a BGSAVE in progress goes on as redis-server's child
   * outlives its aborted parent, until its next report to the parent fails
   * (Snapshot.orphan). It ends logging nothing (the node's log is silenced;
   * redis-server's child logs "Child failed reporting info to parent,
   * exiting." under its own pid) and leaves its temp file; one that reaches
   * its end renames its file into place.
   */
  orphanBgsave(): void {
    this.background?.snapshot.orphan();
  }

  /** Save points, from the cron. */
  cron(now: number): void {
    if (this.background) return;
    if (this.aofRewriteScheduled) {
      // redis-server leaves a rewrite that failed to start scheduled and
      // retries it every tick; here it could never start, so it is tried
      // (and logged) once.
      this.aofRewriteScheduled = false;
      this.rewriteAofBackground('scheduled');
    }
    const dirty = this.node.dirty;
    if (dirty === 0) return;
    for (const point of savePointsOf(this.node.config.string('save'))) {
      if (dirty >= point.changes && now - this.lastSaveTime * 1000 >= point.seconds * 1000 && (this.lastBgsaveOk || now - this.lastBgsaveTryMs > BGSAVE_RETRY_DELAY_MS)) {
        this.node.log.notice(`${point.changes} changes in ${point.seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /** Loads dir/dbfilename if it exists (start-up). Returns the load result, or null when there is no file. */
  async loadFile(options: { keepExpired: boolean } = { keepExpired: false }): Promise<LoadedRdb | null> {
    const file = this.filePath;
    if (!existsSync(fsPath(file))) return null;
    const node = this.node;
    const loader = new RdbLoader({
      databases: node.keyspace.dbs.length,
      keepExpired: options.keepExpired,
      limits: encodingLimits(node),
      warn: (message) => node.log.warning(message),
      access: node.keyspace.access,
    });
    this.loading = true;
    try {
      const stream = createReadStream(fsPath(file), { highWaterMark: 1024 * 1024 });
      for await (const chunk of stream) loader.feed(chunk as Buffer);
      const loaded = loader.finish();
      this.lastLoadKeysLoaded = loaded.stats.keysLoaded;
      this.lastLoadKeysExpired = loaded.stats.keysExpired;
      this.lastLoadKeysSkipped = loaded.stats.keysSkipped;
      return loaded;
    } finally {
      this.loading = false;
    }
  }

  /** Start-up: load the dump into the keyspace, then restore replication ids. */
  async loadAtStartup(): Promise<void> {
    const started = Date.now();
    let loaded: LoadedRdb | null;
    try {
      loaded = await this.loadFile();
    } catch (failure) {
      // rdbReportError at start-up: the reason, then the server stops (it never serves a part of the file).
      const reason = failure instanceof Error ? failure.message : String(failure);
      this.node.log.warning(`Failed loading the RDB file ${this.filePath}: ${reason}`);
      this.node.log.warning('Terminating server after rdb file reading failure.');
      throw new StartupLoadError(`Fatal error loading the DB: ${reason}`);
    }
    if (!loaded) return;
    // The Lua runtime is made on first use (scripting.ts): libraries need it now.
    if (loaded.functions.length > 0) {
      // Clients connect during the load (the port is bound first): they keep getting -LOADING.
      this.loading = true;
      try {
        await this.node.scripting.init();
      } finally {
        this.loading = false;
      }
    }
    const failure = this.node.scripting.installLoadedLibraries(loaded.functions, 'flush');
    if (failure !== null) {
      this.node.log.warning(`Failed loading library, ${failure}`);
      throw new Error(`Fatal error loading the DB: ${failure}`);
    }
    this.node.replaceAllDatabases(loaded.dbs);
    this.node.log.notice(`DB loaded from disk: ${((Date.now() - started) / 1000).toFixed(3)} seconds`);
    this.node.log.notice(`Done loading RDB, keys loaded: ${loaded.stats.keysLoaded}, keys expired: ${loaded.stats.keysExpired}.`);
    this.node.replication.restoreFromRdb(loaded.aux);
  }

  /** DEBUG RELOAD: save, then load the file back in place of the dataset (blocking, as in Redis). */
  /** INFO persistence, in Redis 7.0's order. */
  infoFields(): Array<[string, string | number]> {
    const current = this.background;
    return [
      ['loading', this.loading ? 1 : 0],
      ['async_loading', this.node.replication.link?.phase === 'sync' ? 1 : 0],
      ['current_cow_peak', 0],
      ['current_cow_size', 0],
      ['current_cow_size_age', 0],
      ['current_fork_perc', '0.00'],
      ['current_save_keys_processed', current ? current.snapshot.keysWritten : 0],
      ['current_save_keys_total', current ? this.node.keyspace.totalKeys() : 0],
      ['rdb_changes_since_last_save', this.node.dirty],
      ['rdb_bgsave_in_progress', current ? 1 : 0],
      ['rdb_last_save_time', this.lastSaveTime],
      ['rdb_last_bgsave_status', this.lastBgsaveOk ? 'ok' : 'err'],
      ['rdb_last_bgsave_time_sec', this.lastBgsaveDurationSec],
      ['rdb_current_bgsave_time_sec', current ? Math.round((Date.now() - current.startedAt) / 1000) : -1],
      ['rdb_saves', this.saves],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', this.lastLoadKeysExpired],
      ['rdb_last_load_keys_loaded', this.lastLoadKeysLoaded],
      ['aof_enabled', 0],
      ['aof_rewrite_in_progress', 0],
      ['aof_rewrite_scheduled', this.aofRewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', -1],
      ['aof_current_rewrite_time_sec', -1],
      ['aof_last_bgrewrite_status', this.lastAofRewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', 0],
      ['aof_rewrites_consecutive_failures', 0],
      ['aof_last_write_status', 'ok'],
      ['aof_last_cow_size', 0],
      ['module_fork_in_progress', 0],
      ['module_fork_last_cow_size', 0],
    ];
  }
}

export function encodingLimits(node: EngineNode) {
  const config = node.config;
  return {
    hashMaxListpackEntries: config.int('hash-max-listpack-entries'),
    hashMaxListpackValue: config.int('hash-max-listpack-value'),
    zsetMaxListpackEntries: config.int('zset-max-listpack-entries'),
    zsetMaxListpackValue: config.int('zset-max-listpack-value'),
    setMaxIntsetEntries: config.int('set-max-intset-entries'),
  };
}
