/**
 * What commands may use of persistence (SAVE, BGSAVE, LASTSAVE, FLUSHALL,
 * SHUTDOWN, DEBUG RELOAD, the loading and MISCONF checks). Implemented by
 * persistence/persistence.ts.
 */

export interface ReloadOptions {
  /** Save dbfilename first (not with NOSAVE). */
  readonly save: boolean;
  /** Empty the dataset before loading (not with NOFLUSH). */
  readonly flush: boolean;
  /** MERGE: a key in both takes the loaded value; without it, NOFLUSH refuses duplicates. */
  readonly merge: boolean;
}

export interface PersistencePort {
  /** Loading a dataset at startup or from a master (no expiry of past keys). */
  readonly loading: boolean;
  /** Unix seconds of the last successful save (LASTSAVE). */
  readonly lastSaveTime: number;
  readonly bgsaveInProgress: boolean;
  /** stop-writes-on-bgsave-error after a failed save (MISCONF). */
  writesDeniedByDiskError(): boolean;
  /** SAVE: writes the dump now; throws when it cannot. */
  saveSync(): void;
  /** BGSAVE: starts a background save; false when one is already running. */
  bgsave(): boolean;
  abortBgsave(reason: string): void;
  /** BGREWRITEAOF deferred to the cron (INFO aof_rewrite_scheduled). */
  aofRewriteScheduled: boolean;
  /** BGREWRITEAOF now: false when the rewrite could not start (always here: no AOF; logged). */
  rewriteAofBackground(how: 'now' | 'scheduled'): boolean;
}
