/**
 * Rough bytes a key and its value hold, for eviction accounting: the V8 heap
 * does not shrink when a key is deleted (only at the next collection), so
 * the memory manager subtracts what it evicted until the heap catches up.
 * Collections are measured on up to SAMPLE elements and extrapolated.
 */
import { HashValue, ListValue, SetValue, StreamValue, ZSetValue, type RedisValue } from '../keyspace/values';
import { HeldBytes } from '../keyspace/held-bytes';

const ENTRY_OVERHEAD = 48;
const SAMPLE = 64;

function extrapolate(sizes: Iterable<number>, count: number, samples: number): number {
  let total = 0;
  let seen = 0;
  for (const size of sizes) {
    total += size + ENTRY_OVERHEAD;
    if (++seen >= samples) break;
  }
  return seen === 0 ? 0 : (total / seen) * count;
}

/** `samples`: elements of a collection measured (Infinity: all), the rest extrapolated. */
export function estimateKeyBytes(key: string, value: RedisValue | HeldBytes, samples = SAMPLE): number {
  const base = key.length + ENTRY_OVERHEAD * 2;
  if (typeof value === 'string') return base + value.length;
  if (value instanceof HeldBytes) return base + value.byteLength();
  if (value instanceof ListValue) return base + extrapolate(value.range(0, Math.min(samples, value.length) - 1).map((element) => element.length), value.length, samples);
  if (value instanceof HashValue) return base + extrapolate((function* () { for (const [field, v] of value.entries()) yield field.length + v.length; })(), value.size, samples);
  if (value instanceof SetValue) return base + extrapolate((function* () { for (const member of value.items) yield member.length; })(), value.size, samples);
  if (value instanceof ZSetValue) return base + extrapolate((function* () { for (const [member] of value.entries()) yield member.length + 8 + ENTRY_OVERHEAD; })(), value.size, samples);
  if (value instanceof StreamValue) return base + streamBytes(value, samples);
  return base;
}

/**
 * A stream as objectComputeSize counts it: the node buffers as allocated
 * (the first `samples` measured, the others taken as their average, the
 * tail, often half empty, measured), a tree slot per node, and per group
 * its PEL (a NACK and a slot in each of two trees per entry) and consumers.
 */
function streamBytes(stream: StreamValue, samples: number): number {
  const NODE_OVERHEAD = 64;
  const PEL_ENTRY = 96;
  let total = stream.nodes.size * NODE_OVERHEAD;
  let measured = 0;
  let sampled = 0;
  for (const { value } of stream.nodes.entries()) {
    if (sampled >= samples) break;
    measured += value.allocatedSize;
    sampled++;
  }
  if (stream.nodes.size <= sampled || sampled === 0) total += measured;
  else total += (measured / sampled) * (stream.nodes.size - 1) + stream.nodes.last()!.value.allocatedSize;
  for (const group of stream.groups?.values() ?? []) {
    total += ENTRY_OVERHEAD + group.pel.size * PEL_ENTRY;
    for (const consumer of group.consumers.values()) total += ENTRY_OVERHEAD + consumer.name.length;
  }
  return total;
}
