/**
 * Persistence state seen by the dispatcher: whether a dataset is loading and
 * whether the last background save failed (MISCONF). The RDB machinery fills
 * this in.
 */
import type { EngineConfig } from '../config/engine-config';

export class Persistence {
  loading = false;
  lastBgsaveOk = true;

  constructor(private readonly config: EngineConfig) {}

  writesDeniedByDiskError(): boolean {
    return !this.lastBgsaveOk && this.config.bool('stop-writes-on-bgsave-error') && this.config.string('save') !== '';
  }
}
