/**
 * maxmemory enforcement (evict.c). Until the dataset size accounting and the
 * eviction policies land, a node without maxmemory never evicts and never
 * refuses writes.
 */
import type { EngineConfig } from '../config/engine-config';

export class MemoryManager {
  constructor(private readonly config: EngineConfig) {}

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
