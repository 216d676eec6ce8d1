/**
 * The big form of a sorted set, the one Redis's "skiplist" encoding names
 * (OBJECT ENCODING still says "skiplist"): a member -> score map, as
 * Redis's dict, plus the entries ordered by (score, member) in a B+tree
 * whose branches count the entries under each child, so ranks, ranges by
 * index, score or member, and random picks are O(log n) as zskiplist's
 * spans make them.
 *
 * Why a tree and not t_zset.c's skiplist: in V8 a skiplist step reads the
 * node, its level array, the next node, its boxed score and its member
 * string, each its own heap object, and an insert into ~60k members made
 * ~25 such steps; here a search reads a few contiguous arrays per level
 * (three levels for 100,000 entries) and one member string per
 * comparison. The nodes and their invariants are in zset-tree-nodes.ts.
 */
import { BRANCH_CAPACITY, Branch, firstAfter, firstAtOrAfter, LEAF_CAPACITY, Leaf, type TreeNode } from './zset-tree-nodes';
import type { ZSetNode } from './zset-order';

/**
 * The branches an insert or delete passed, root first, and the slot it
 * took in each: shared by every tree, as neither calls out before it
 * has used them (the slots left behind are overwritten, never read).
 */
const pathBranches: Branch[] = [];
const pathSlots: number[] = [];

/** A node below a quarter full after a delete is merged with a neighbour when both fit in three quarters of one. */
const LEAF_MERGE_BELOW = LEAF_CAPACITY / 4;
const LEAF_MERGED_MAX = (LEAF_CAPACITY * 3) / 4;
const BRANCH_MERGE_BELOW = BRANCH_CAPACITY / 4;
const BRANCH_MERGED_MAX = (BRANCH_CAPACITY * 3) / 4;

type EntryTest = (score: number, member: string) => boolean;

/** An entry's place in the tree, valid until the set next changes (as a skiplist node pointer in a range walk). */
class TreePosition implements ZSetNode {
  constructor(
    private readonly leaf: Leaf,
    private readonly index: number,
  ) {}

  get member(): string {
    return this.leaf.members[this.index]!;
  }

  get score(): number {
    return this.leaf.scores[this.index]!;
  }

  get next(): TreePosition | null {
    if (this.index + 1 < this.leaf.count) return new TreePosition(this.leaf, this.index + 1);
    return this.leaf.next === null ? null : new TreePosition(this.leaf.next, 0);
  }

  get backward(): TreePosition | null {
    if (this.index > 0) return new TreePosition(this.leaf, this.index - 1);
    const prev = this.leaf.prev;
    return prev === null ? null : new TreePosition(prev, prev.count - 1);
  }
}

/** The number of leading entries or bounds in [from, count) that pass `test` (which holds for a prefix of the order). */
function passing(scores: number[], members: string[], from: number, count: number, test: EntryTest): number {
  let lo = from;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (test(scores[mid]!, members[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ZSetTree {
  readonly scores = new Map<string, number>();
  private root: TreeNode = new Leaf();
  /** Branch levels above the leaves (0: the root is a leaf). */
  private height = 0;

  get size(): number {
    return this.scores.size;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Inserts or updates; returns 'added', 'updated' or 'unchanged'. */
  set(member: string, score: number): 'added' | 'updated' | 'unchanged' {
    const current = this.scores.get(member);
    if (current === undefined) {
      this.insertEntry(member, score);
      this.scores.set(member, score);
      return 'added';
    }
    if (current === score) return 'unchanged';
    this.deleteEntry(member, current);
    this.insertEntry(member, score);
    this.scores.set(member, score);
    return 'updated';
  }

  /** Adds a member known to be absent (its score was just looked up): set without a second lookup. */
  insertNew(member: string, score: number): void {
    this.insertEntry(member, score);
    this.scores.set(member, score);
  }

  /** Moves a member from its current score (just looked up) to another. */
  changeScore(member: string, current: number, score: number): void {
    this.deleteEntry(member, current);
    this.insertEntry(member, score);
    this.scores.set(member, score);
  }

  delete(member: string): boolean {
    const current = this.scores.get(member);
    if (current === undefined) return false;
    this.deleteEntry(member, current);
    this.scores.delete(member);
    return true;
  }

  /** Adds an entry not in the tree: one descent counting it in every branch on the way, a split where a node is full. */
  private insertEntry(member: string, score: number): void {
    let node = this.root;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as Branch;
      const slot = branch.childFor(score, member);
      branch.sizes[slot]!++;
      pathBranches[depth] = branch;
      pathSlots[depth] = slot;
      node = branch.children[slot]!;
    }
    const leaf = node as Leaf;
    const at = firstAfter(leaf.scores, leaf.members, 0, leaf.count, score, member);
    if (leaf.count < LEAF_CAPACITY) leaf.insertAt(at, member, score);
    else this.splitLeaf(leaf, at, member, score);
  }

  /**
   * Splits a full leaf and inserts the entry. Past the end of the last
   * leaf (ascending loads: ZADD of growing scores, a listpack converted)
   * or before the start of the first (RDB loading, written from the tail)
   * the new leaf takes the entry alone and the full one stays full;
   * elsewhere each half keeps half.
   */
  private splitLeaf(leaf: Leaf, at: number, member: string, score: number): void {
    const right = new Leaf();
    if (at === LEAF_CAPACITY && leaf.next === null) {
      leaf.moveTailInto(LEAF_CAPACITY, right);
      right.insertAt(0, member, score);
    } else if (at === 0 && leaf.prev === null) {
      leaf.moveTailInto(0, right);
      leaf.insertAt(0, member, score);
    } else {
      const half = LEAF_CAPACITY / 2;
      leaf.moveTailInto(half, right);
      if (at <= half) leaf.insertAt(at, member, score);
      else right.insertAt(at - half, member, score);
    }
    this.placeSibling(leaf, leaf.count, right, right.count, right.scores[0]!, right.members[0]!);
  }

  /**
   * Puts `right`, just split off `left` (the node on the recorded path at
   * the bottom level), into the parent after it, splitting full parents
   * on the way up and growing a new root when the root split.
   */
  private placeSibling(left: TreeNode, leftSize: number, right: TreeNode, rightSize: number, lowScore: number, lowMember: string): void {
    for (let depth = this.height - 1; depth >= 0; depth--) {
      const parent = pathBranches[depth]!;
      const slot = pathSlots[depth]!;
      parent.sizes[slot] = leftSize;
      if (parent.count < BRANCH_CAPACITY) {
        parent.insertAt(slot + 1, right, rightSize, lowScore, lowMember);
        return;
      }
      const sibling = new Branch();
      const half = BRANCH_CAPACITY / 2;
      parent.moveTailInto(half, sibling);
      if (slot + 1 <= half) parent.insertAt(slot + 1, right, rightSize, lowScore, lowMember);
      else sibling.insertAt(slot + 1 - half, right, rightSize, lowScore, lowMember);
      // sibling's slot 0 bound is a real separator here: it came from slot >= 1 of parent, or is the one just placed.
      left = parent;
      leftSize = parent.total();
      right = sibling;
      rightSize = sibling.total();
      lowScore = sibling.lowScores[0]!;
      lowMember = sibling.lowMembers[0]!;
    }
    const root = new Branch();
    root.insertAt(0, left, leftSize, -Infinity, '');
    root.insertAt(1, right, rightSize, lowScore, lowMember);
    this.root = root;
    this.height++;
  }

  /** Removes an entry that is in the tree (its score from the map), then merges small nodes on its path. */
  private deleteEntry(member: string, score: number): void {
    let node = this.root;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as Branch;
      const slot = branch.childFor(score, member);
      branch.sizes[slot]!--;
      pathBranches[depth] = branch;
      pathSlots[depth] = slot;
      node = branch.children[slot]!;
    }
    const leaf = node as Leaf;
    const at = firstAtOrAfter(leaf.scores, leaf.members, leaf.count, score, member);
    if (at >= leaf.count || leaf.members[at] !== member) throw new Error('zset tree out of sync with its score map');
    leaf.removeAt(at);
    if (leaf.count < LEAF_MERGE_BELOW) this.rebalance(leaf);
  }

  /**
   * After a delete left `leaf` small: from the bottom of the recorded
   * path up, an emptied node leaves its parent; a small one is merged
   * with its neighbour under the same parent when both fit in three
   * quarters of one node (so a merge is not split again by the next
   * insert). Stops at the first level that did not shrink its parent.
   */
  private rebalance(leaf: Leaf): void {
    let node: TreeNode = leaf;
    for (let depth = this.height - 1; depth >= 0; depth--) {
      const parent = pathBranches[depth]!;
      const slot = pathSlots[depth]!;
      const leafLevel = depth === this.height - 1;
      if (node.count === 0) {
        if (leafLevel) (node as Leaf).unlink();
        parent.removeAt(slot);
      } else {
        if (parent.count < 2) break;
        const leftSlot = slot > 0 ? slot - 1 : slot;
        const left = parent.children[leftSlot]!;
        const right = parent.children[leftSlot + 1]!;
        if (left.count + right.count > (leafLevel ? LEAF_MERGED_MAX : BRANCH_MERGED_MAX)) break;
        if (leafLevel) (left as Leaf).absorb(right as Leaf);
        else (left as Branch).absorb(right as Branch, parent.lowScores[leftSlot + 1]!, parent.lowMembers[leftSlot + 1]!);
        parent.sizes[leftSlot]! += parent.sizes[leftSlot + 1]!;
        parent.removeAt(leftSlot + 1);
      }
      node = parent;
      if (parent.count >= BRANCH_MERGE_BELOW) break;
    }
    while (this.height > 0 && (this.root as Branch).count <= 1) {
      const root = this.root as Branch;
      this.root = root.count === 1 ? root.children[0]! : new Leaf();
      this.height = root.count === 1 ? this.height - 1 : 0;
    }
  }

  /** 0-based rank of a member in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    let node = this.root;
    let rank = 0;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as Branch;
      const slot = branch.childFor(score, member);
      for (let i = 0; i < slot; i++) rank += branch.sizes[i]!;
      node = branch.children[slot]!;
    }
    const leaf = node as Leaf;
    const at = firstAtOrAfter(leaf.scores, leaf.members, leaf.count, score, member);
    return at < leaf.count && leaf.members[at] === member ? rank + at : undefined;
  }

  /** Entry at 0-based rank (ascending), or null. */
  nodeAtRank(rank: number): ZSetNode | null {
    if (rank < 0 || rank >= this.scores.size) return null;
    let node = this.root;
    let left = rank;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as Branch;
      let slot = 0;
      while (left >= branch.sizes[slot]!) left -= branch.sizes[slot++]!;
      node = branch.children[slot]!;
    }
    return new TreePosition(node as Leaf, left);
  }

  /**
   * The leaf where `test` (which holds for a prefix of the order) turns
   * false, or the one before or after it: in each branch, the last child
   * whose bound passes, else the first.
   */
  private leafWhereTestTurns(test: EntryTest): Leaf {
    let node = this.root;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as Branch;
      node = branch.children[passing(branch.lowScores, branch.lowMembers, 1, branch.count, test) - 1]!;
    }
    return node as Leaf;
  }

  /** The first entry that fails `before` (which holds for a prefix of the order), or null. */
  private firstFailing(before: EntryTest): ZSetNode | null {
    const leaf = this.leafWhereTestTurns(before);
    const at = passing(leaf.scores, leaf.members, 0, leaf.count, before);
    if (at < leaf.count) return new TreePosition(leaf, at);
    return leaf.next === null ? null : new TreePosition(leaf.next, 0);
  }

  /** The last entry that passes `within` (which holds for a prefix of the order), or null. */
  private lastPassing(within: EntryTest): ZSetNode | null {
    const leaf = this.leafWhereTestTurns(within);
    const at = passing(leaf.scores, leaf.members, 0, leaf.count, within) - 1;
    if (at >= 0) return new TreePosition(leaf, at);
    const prev = leaf.prev;
    return prev === null ? null : new TreePosition(prev, prev.count - 1);
  }

  /** First entry (ascending) whose score satisfies `score > min` (exclusive) or `>= min`. */
  firstInScoreRange(min: number, minExclusive: boolean): ZSetNode | null {
    return this.firstFailing(minExclusive ? (score) => score <= min : (score) => score < min);
  }

  /** Last entry (ascending) whose score satisfies `score < max` (exclusive) or `<= max`. */
  lastInScoreRange(max: number, maxExclusive: boolean): ZSetNode | null {
    return this.lastPassing(maxExclusive ? (score) => score < max : (score) => score <= max);
  }

  /** First entry whose member is >= (or >) `min` in bytewise order (meaningful when all scores are equal). */
  firstInLexRange(min: string, minExclusive: boolean): ZSetNode | null {
    return this.firstFailing(minExclusive ? (_score, member) => member <= min : (_score, member) => member < min);
  }

  /** Last entry whose member is <= (or <) `max`. */
  lastInLexRange(max: string, maxExclusive: boolean): ZSetNode | null {
    return this.lastPassing(maxExclusive ? (_score, member) => member < max : (_score, member) => member <= max);
  }

  private edgeLeaf(last: boolean): Leaf {
    let node = this.root;
    for (let depth = 0; depth < this.height; depth++) {
      const branch = node as Branch;
      node = branch.children[last ? branch.count - 1 : 0]!;
    }
    return node as Leaf;
  }

  first(): ZSetNode | null {
    const leaf = this.edgeLeaf(false);
    return leaf.count === 0 ? null : new TreePosition(leaf, 0);
  }

  last(): ZSetNode | null {
    const leaf = this.edgeLeaf(true);
    return leaf.count === 0 ? null : new TreePosition(leaf, leaf.count - 1);
  }

  /** Ascending iteration over [member, score]. */
  *entries(): IterableIterator<[string, number]> {
    for (let leaf: Leaf | null = this.edgeLeaf(false); leaf !== null; leaf = leaf.next) {
      for (let i = 0; i < leaf.count; i++) yield [leaf.members[i]!, leaf.scores[i]!];
    }
  }

  clone(): ZSetTree {
    const copy = new ZSetTree();
    for (const [member, score] of this.entries()) copy.set(member, score);
    return copy;
  }
}
