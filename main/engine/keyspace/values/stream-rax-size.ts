/**
 * XINFO STREAM's "radix-tree-nodes": how many nodes Redis's rax would use
 * to hold the stream's node keys (16-byte big-endian master IDs).
 *
 * A rax is a compressed trie: a chain of characters with a single child is
 * one node, a branching point is one node holding one character per child,
 * and every key ends in a (here childless) node. For keys of equal length
 * the tree is determined by the key set, and can be counted from the
 * sorted keys alone:
 *
 *   branch nodes     one per distinct branching point (longest common
 *                    prefixes of neighbours, counted with a stack)
 *   leaves           one per key
 *   chain nodes      one per edge spanning two characters or more (its
 *                    first character lives in the parent's branch node)
 *   root chain       one when every key shares a first character
 *
 * An empty rax is its one empty head node.
 */
import { encodeId, type StreamId } from './stream-id';

const KEY_LENGTH = 16;

function commonPrefix(a: Buffer, b: Buffer): number {
  let i = 0;
  while (i < KEY_LENGTH && a[i] === b[i]) i++;
  return i;
}

export function raxNodeCount(sortedKeys: Iterable<StreamId>): number {
  let previous: Buffer | null = null;
  let keys = 0;
  let branches = 0;
  let longEdges = 0;
  let rootDepth = KEY_LENGTH;
  // Depths of the open branching points on the path to the previous key.
  const stack: number[] = [];
  for (const id of sortedKeys) {
    const key = encodeId(id);
    keys++;
    if (previous === null) {
      previous = key;
      continue;
    }
    const depth = commonPrefix(previous, key);
    if (depth < rootDepth) rootDepth = depth;
    // Close the branching points deeper than this one: each closed point's
    // last child edge runs from it to the next deeper point (or the leaf).
    let below = KEY_LENGTH;
    while (stack.length > 0 && stack[stack.length - 1]! > depth) {
      const closed = stack.pop()!;
      if (below - closed >= 2) longEdges++;
      below = closed;
    }
    if (stack.length === 0 || stack[stack.length - 1]! < depth) {
      stack.push(depth);
      branches++;
    }
    // The edge from the branching point at `depth` down to `below` (the
    // previous key's subtree root) is complete: every edge but each point's
    // last is closed here.
    if (below - depth >= 2) longEdges++;
    previous = key;
  }
  if (keys === 0) return 1;
  // The last key's path: from each open branching point to the next, and to the leaf.
  let below = KEY_LENGTH;
  while (stack.length > 0) {
    const open = stack.pop()!;
    if (below - open >= 2) longEdges++;
    below = open;
  }
  return branches + keys + longEdges + (rootDepth > 0 ? 1 : 0);
}
