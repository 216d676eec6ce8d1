/**
 * Memory figures commands report (MEMORY STATS / DOCTOR). Implemented by
 * memory/memory-manager.ts and, for the split, memory/memory-breakdown.ts.
 */

export interface MemoryPort {
  /** Heap in use when the node started. */
  readonly startup: number;
  readonly peak: number;
  usedMemory(): number;
}

/** How used memory splits (object.c getMemoryOverheadData). */
export interface MemoryBreakdown {
  readonly used: number;
  readonly peak: number;
  readonly startup: number;
  readonly backlog: number;
  readonly clientsReplicas: number;
  readonly clientsNormal: number;
  readonly overhead: number;
  readonly dataset: number;
  /** dataset as a percentage of what is used beyond start-up. */
  readonly datasetPercent: number;
}
