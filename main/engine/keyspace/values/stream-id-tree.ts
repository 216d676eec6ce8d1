/**
 * An ordered map keyed by stream ID: what Redis keeps in a rax keyed by the
 * 16-byte big-endian ID (a stream's listpack nodes, a group's and a
 * consumer's pending entries lists).
 *
 * Shape: a sorted array of blocks, each a sorted run of at most BLOCK_MAX
 * keys (two levels of a B-tree). Lookups are two binary searches; an insert
 * or delete moves at most BLOCK_MAX slots, plus, when a block splits or
 * empties, the block array (one pointer per BLOCK_MAX/2..BLOCK_MAX keys).
 * Appending at the end, the common case for stream nodes and PELs, never
 * searches. Memory is two array slots per key.
 *
 * Navigation returns keys and values; a caller that mutates the map while
 * walking it continues with `ceiling`/`floor`/`higher`/`lower` from the last
 * key it saw (as Redis re-seeks its rax iterators).
 */
import { compareIds, type StreamId } from './stream-id';

const BLOCK_MAX = 128;

interface Block<V> {
  keys: StreamId[];
  values: V[];
}

export interface IdEntry<V> {
  readonly key: StreamId;
  readonly value: V;
}

/** Index of the first key >= id in a sorted array (keys.length when none). */
function lowerBound(keys: ReadonlyArray<StreamId>, id: StreamId): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareIds(keys[middle]!, id) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class IdTree<V> {
  private blocks: Array<Block<V>> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The block that holds `id` or where it would go: the first block whose last key >= id. */
  private blockIndexFor(id: StreamId): number {
    const blocks = this.blocks;
    let low = 0;
    let high = blocks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const keys = blocks[middle]!.keys;
      if (compareIds(keys[keys.length - 1]!, id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  get(id: StreamId): V | undefined {
    const index = this.blockIndexFor(id);
    const block = this.blocks[index];
    if (!block) return undefined;
    const at = lowerBound(block.keys, id);
    return at < block.keys.length && compareIds(block.keys[at]!, id) === 0 ? block.values[at] : undefined;
  }

  has(id: StreamId): boolean {
    return this.get(id) !== undefined;
  }

  /** Inserts or replaces; returns true when the key is new (raxInsert). */
  set(id: StreamId, value: V): boolean {
    const blocks = this.blocks;
    const lastBlock = blocks[blocks.length - 1];
    if (!lastBlock || compareIds(lastBlock.keys[lastBlock.keys.length - 1]!, id) < 0) {
      // Appending past the last key.
      if (!lastBlock || lastBlock.keys.length >= BLOCK_MAX) blocks.push({ keys: [id], values: [value] });
      else {
        lastBlock.keys.push(id);
        lastBlock.values.push(value);
      }
      this.count++;
      return true;
    }
    const index = this.blockIndexFor(id);
    const block = blocks[index]!;
    const at = lowerBound(block.keys, id);
    if (at < block.keys.length && compareIds(block.keys[at]!, id) === 0) {
      block.values[at] = value;
      return false;
    }
    block.keys.splice(at, 0, id);
    block.values.splice(at, 0, value);
    this.count++;
    if (block.keys.length > BLOCK_MAX) {
      const half = block.keys.length >> 1;
      blocks.splice(index + 1, 0, { keys: block.keys.splice(half), values: block.values.splice(half) });
    }
    return true;
  }

  /** Removes a key; returns its value, or undefined when absent. */
  delete(id: StreamId): V | undefined {
    const index = this.blockIndexFor(id);
    const block = this.blocks[index];
    if (!block) return undefined;
    const at = lowerBound(block.keys, id);
    if (at >= block.keys.length || compareIds(block.keys[at]!, id) !== 0) return undefined;
    const value = block.values[at]!;
    if (block.keys.length === 1) this.blocks.splice(index, 1);
    else if (at === 0) {
      block.keys.shift();
      block.values.shift();
    } else {
      block.keys.splice(at, 1);
      block.values.splice(at, 1);
    }
    this.count--;
    return value;
  }

  clear(): void {
    this.blocks = [];
    this.count = 0;
  }

  first(): IdEntry<V> | undefined {
    const block = this.blocks[0];
    return block ? { key: block.keys[0]!, value: block.values[0]! } : undefined;
  }

  last(): IdEntry<V> | undefined {
    const block = this.blocks[this.blocks.length - 1];
    if (!block) return undefined;
    const at = block.keys.length - 1;
    return { key: block.keys[at]!, value: block.values[at]! };
  }

  /** The value of the last entry (no entry object made: XADD asks it every time). */
  lastValue(): V | undefined {
    const block = this.blocks[this.blocks.length - 1];
    return block ? block.values[block.values.length - 1] : undefined;
  }

  /** The smallest entry with key >= id (raxSeek ">="). */
  ceiling(id: StreamId): IdEntry<V> | undefined {
    const index = this.blockIndexFor(id);
    const block = this.blocks[index];
    if (!block) return undefined;
    const at = lowerBound(block.keys, id);
    return { key: block.keys[at]!, value: block.values[at]! };
  }

  /** The smallest entry with key > id (raxSeek ">"). */
  higher(id: StreamId): IdEntry<V> | undefined {
    const found = this.ceiling(id);
    if (!found || compareIds(found.key, id) !== 0) return found;
    return this.after(id);
  }

  /** The largest entry with key <= id (raxSeek "<="). */
  floor(id: StreamId): IdEntry<V> | undefined {
    const index = this.blockIndexFor(id);
    const block = this.blocks[index];
    if (block) {
      const at = lowerBound(block.keys, id);
      if (at < block.keys.length && compareIds(block.keys[at]!, id) === 0) return { key: block.keys[at]!, value: block.values[at]! };
      if (at > 0) return { key: block.keys[at - 1]!, value: block.values[at - 1]! };
    }
    const previous = this.blocks[index - 1];
    if (!previous) return undefined;
    const at = previous.keys.length - 1;
    return { key: previous.keys[at]!, value: previous.values[at]! };
  }

  /** The largest entry with key < id (raxSeek "<"). */
  lower(id: StreamId): IdEntry<V> | undefined {
    const found = this.floor(id);
    if (!found || compareIds(found.key, id) !== 0) return found;
    const index = this.blockIndexFor(id);
    const block = this.blocks[index]!;
    const at = lowerBound(block.keys, id);
    if (at > 0) return { key: block.keys[at - 1]!, value: block.values[at - 1]! };
    const previous = this.blocks[index - 1];
    if (!previous) return undefined;
    return { key: previous.keys[previous.keys.length - 1]!, value: previous.values[previous.keys.length - 1]! };
  }

  /** The entry right after an existing key. */
  private after(id: StreamId): IdEntry<V> | undefined {
    const index = this.blockIndexFor(id);
    const block = this.blocks[index]!;
    const at = lowerBound(block.keys, id) + 1;
    if (at < block.keys.length) return { key: block.keys[at]!, value: block.values[at]! };
    const next = this.blocks[index + 1];
    return next ? { key: next.keys[0]!, value: next.values[0]! } : undefined;
  }

  /** Every entry in ascending order (the map must not change meanwhile). */
  *entries(): IterableIterator<IdEntry<V>> {
    for (const block of this.blocks) {
      for (let i = 0; i < block.keys.length; i++) yield { key: block.keys[i]!, value: block.values[i]! };
    }
  }

  /** Entries with key >= from, ascending (the map must not change meanwhile). */
  *entriesFrom(from: StreamId): IterableIterator<IdEntry<V>> {
    const blocks = this.blocks;
    let index = this.blockIndexFor(from);
    const first = blocks[index];
    if (!first) return;
    for (let i = lowerBound(first.keys, from); i < first.keys.length; i++) yield { key: first.keys[i]!, value: first.values[i]! };
    for (index++; index < blocks.length; index++) {
      const block = blocks[index]!;
      for (let i = 0; i < block.keys.length; i++) yield { key: block.keys[i]!, value: block.values[i]! };
    }
  }

  /** Every key in ascending order. */
  *keys(): IterableIterator<StreamId> {
    for (const block of this.blocks) yield* block.keys;
  }
}
