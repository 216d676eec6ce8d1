/**
 * How used memory splits (object.c getMemoryOverheadData): one computation
 * for both INFO memory and MEMORY STATS, so their figures agree as they do
 * in Redis (used_memory_overhead = overhead.total, used_memory_dataset =
 * dataset.bytes).
 *
 * Overhead is what the server holds besides the data: memory at start-up,
 * the replication backlog and the clients' output buffers. What has no
 * counterpart in a JS engine (AOF buffer, Lua caches, dict overhead) is 0.
 */
import type { EngineNode } from '../node';
import type { MemoryBreakdown } from '../commands/port/memory-port';

export type { MemoryBreakdown };

export function memoryBreakdown(node: EngineNode): MemoryBreakdown {
  const used = node.memory.reportedMemory();
  const startup = node.memory.startup;
  const backlog = node.replication.buffer?.allocatedBytes ?? 0;
  const clients = node.clients.outputBytes();
  const overhead = startup + backlog + clients.replicas + clients.normal;
  const dataset = Math.max(0, used - overhead);
  return {
    used,
    peak: Math.max(node.memory.peak, used),
    startup,
    backlog,
    clientsReplicas: clients.replicas,
    clientsNormal: clients.normal,
    overhead,
    dataset,
    datasetPercent: (dataset * 100) / Math.max(1, used - startup),
  };
}
