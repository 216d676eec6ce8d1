/**
 * Persistence state and entry points seen by the rest of the engine: whether
 * a dataset is loading, whether the last background save failed (MISCONF),
 * and the operations commands call (SAVE, BGSAVE, DEBUG RELOAD, SHUTDOWN).
 * The RDB machinery (main/engine/rdb) implements them; until then they report
 * that persistence is unavailable.
 */
import type { EngineConfig } from '../config/engine-config';

export class PersistenceUnavailableError extends Error {
  constructor() {
    super('ERR persistence is not available in this build');
    this.name = 'PersistenceUnavailableError';
  }
}

export class Persistence {
  loading = false;
  lastBgsaveOk = true;
  /** Unix seconds of the last successful save (LASTSAVE); server start time until then. */
  lastSaveTime = Math.floor(Date.now() / 1000);
  bgsaveInProgress = false;

  constructor(private readonly config: EngineConfig) {}

  writesDeniedByDiskError(): boolean {
    return !this.lastBgsaveOk && this.config.bool('stop-writes-on-bgsave-error') && this.config.string('save') !== '';
  }

  /** SAVE: blocking save to dir/dbfilename. Resolves when the file is renamed into place. */
  async save(): Promise<void> {
    throw new PersistenceUnavailableError();
  }

  /** BGSAVE: starts a non-blocking snapshot; returns false if one is already running. */
  bgsave(): boolean {
    throw new PersistenceUnavailableError();
  }

  /** DEBUG RELOAD: save then load the file back, replacing the dataset. */
  async reload(): Promise<void> {
    throw new PersistenceUnavailableError();
  }

  /** INFO persistence fields in Redis's order. */
  infoFields(): Array<[string, string | number]> {
    return [
      ['loading', this.loading ? 1 : 0],
      ['async_loading', 0],
      ['rdb_changes_since_last_save', 0],
      ['rdb_bgsave_in_progress', this.bgsaveInProgress ? 1 : 0],
      ['rdb_last_save_time', this.lastSaveTime],
      ['rdb_last_bgsave_status', this.lastBgsaveOk ? 'ok' : 'err'],
    ];
  }
}
