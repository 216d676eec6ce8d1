/**
 * The nodes of a big sorted set's B+tree (zset-tree.ts): leaves hold the
 * entries, in order, in two fixed arrays (members, and scores as unboxed
 * doubles); branches hold their children with each child's entry count
 * (for ranks) and a lower bound of its entries (to route a search).
 *
 * Invariants, for a branch with children c[0..count-1]:
 *  - sizes[i] is the number of entries under c[i];
 *  - for i >= 1, every entry under c[i] is >= (lowScores[i], lowMembers[i])
 *    and every entry under c[i-1] is below it. Index 0's bound is never
 *    compared (it may be stale): the search takes c[0] when no later bound
 *    is <= the key. A bound may name a member since deleted; it still
 *    separates the same two children.
 *  - every node but the root holds at least one entry (an emptied node is
 *    removed from its parent at once), and leaves are linked both ways in
 *    order (prev/next), across branches.
 * Nodes are merged with a neighbour when small (see zset-tree.ts), so
 * emptied sets do not keep sparse leaves.
 */

/** Entries per leaf at most. A search reads a leaf's arrays, not one object per entry. */
export const LEAF_CAPACITY = 64;
/** Children per branch at most: ~1,600 leaves and 3 levels for 100,000 entries. */
export const BRANCH_CAPACITY = 64;

/** Fixed-length arrays of doubles with unboxed elements (V8's FixedDoubleArray): a score read touches no HeapNumber. */
function doubleArray(length: number): number[] {
  return new Array<number>(length).fill(0.5);
}

/** The first index in [from, count) whose entry sorts after (score, member), else count (a binary search). */
export function firstAfter(scores: number[], members: string[], from: number, count: number, score: number, member: string): number {
  let lo = from;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const entryScore = scores[mid]!;
    if (score < entryScore || (score === entryScore && member < members[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first index in [0, count) whose entry does not sort before (score, member), else count: where it is, if it is there. */
export function firstAtOrAfter(scores: number[], members: string[], count: number, score: number, member: string): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const entryScore = scores[mid]!;
    if (entryScore < score || (entryScore === score && members[mid]! < member)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Leaf {
  count = 0;
  readonly members: string[] = new Array<string>(LEAF_CAPACITY).fill('');
  readonly scores: number[] = doubleArray(LEAF_CAPACITY);
  prev: Leaf | null = null;
  next: Leaf | null = null;

  /** Opens slot `at` (shifting the entries from there right) and writes the entry into it. */
  insertAt(at: number, member: string, score: number): void {
    const members = this.members;
    const scores = this.scores;
    for (let i = this.count; i > at; i--) {
      members[i] = members[i - 1]!;
      scores[i] = scores[i - 1]!;
    }
    members[at] = member;
    scores[at] = score;
    this.count++;
  }

  /** Removes the entry at `at`, shifting the ones after it left; the freed slot lets go of its member. */
  removeAt(at: number): void {
    const members = this.members;
    const scores = this.scores;
    const last = --this.count;
    for (let i = at; i < last; i++) {
      members[i] = members[i + 1]!;
      scores[i] = scores[i + 1]!;
    }
    members[last] = '';
  }

  /** Moves entries [from, count) to the start of `into` (empty), which is linked in after this leaf. */
  moveTailInto(from: number, into: Leaf): void {
    for (let i = from; i < this.count; i++) {
      into.members[i - from] = this.members[i]!;
      into.scores[i - from] = this.scores[i]!;
      this.members[i] = '';
    }
    into.count = this.count - from;
    this.count = from;
    into.prev = this;
    into.next = this.next;
    if (this.next !== null) this.next.prev = into;
    this.next = into;
  }

  /** Appends the entries of `right` (the next leaf, which is then unlinked and dropped). */
  absorb(right: Leaf): void {
    for (let i = 0; i < right.count; i++) {
      this.members[this.count + i] = right.members[i]!;
      this.scores[this.count + i] = right.scores[i]!;
    }
    this.count += right.count;
    right.unlink();
  }

  /** Takes this leaf out of the leaf chain. */
  unlink(): void {
    if (this.prev !== null) this.prev.next = this.next;
    if (this.next !== null) this.next.prev = this.prev;
    this.prev = null;
    this.next = null;
  }
}

export type TreeNode = Leaf | Branch;

/** What a free branch slot points at: never reached (slots >= count are not read). */
const EMPTY_LEAF = new Leaf();

export class Branch {
  count = 0;
  readonly children: TreeNode[] = new Array<TreeNode>(BRANCH_CAPACITY).fill(EMPTY_LEAF);
  readonly sizes: number[] = new Array<number>(BRANCH_CAPACITY).fill(0);
  readonly lowMembers: string[] = new Array<string>(BRANCH_CAPACITY).fill('');
  readonly lowScores: number[] = doubleArray(BRANCH_CAPACITY);

  /** Entries under this branch. */
  total(): number {
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.sizes[i]!;
    return total;
  }

  /** Inserts child `node` at slot `at` with its entry count and lower bound. */
  insertAt(at: number, node: TreeNode, size: number, lowScore: number, lowMember: string): void {
    for (let i = this.count; i > at; i--) this.copySlot(i - 1, i);
    this.children[at] = node;
    this.sizes[at] = size;
    this.lowScores[at] = lowScore;
    this.lowMembers[at] = lowMember;
    this.count++;
  }

  /** Removes the child at slot `at`. */
  removeAt(at: number): void {
    const last = --this.count;
    for (let i = at; i < last; i++) this.copySlot(i + 1, i);
    this.clearSlot(last);
  }

  /** Moves children [from, count) to the start of `into` (empty); returns the entries moved. */
  moveTailInto(from: number, into: Branch): number {
    let moved = 0;
    for (let i = from; i < this.count; i++) {
      into.children[i - from] = this.children[i]!;
      into.sizes[i - from] = this.sizes[i]!;
      into.lowScores[i - from] = this.lowScores[i]!;
      into.lowMembers[i - from] = this.lowMembers[i]!;
      moved += this.sizes[i]!;
      this.clearSlot(i);
    }
    into.count = this.count - from;
    this.count = from;
    return moved;
  }

  /**
   * Appends the children of `right`, the next branch under the same
   * parent, whose own bound there is (lowScore, lowMember): that becomes
   * the bound of right's first child, whose slot-0 bound was never kept.
   */
  absorb(right: Branch, lowScore: number, lowMember: string): void {
    right.lowScores[0] = lowScore;
    right.lowMembers[0] = lowMember;
    for (let i = 0; i < right.count; i++) {
      this.children[this.count + i] = right.children[i]!;
      this.sizes[this.count + i] = right.sizes[i]!;
      this.lowScores[this.count + i] = right.lowScores[i]!;
      this.lowMembers[this.count + i] = right.lowMembers[i]!;
    }
    this.count += right.count;
  }

  /**
   * The slot of the child whose entries may hold (score, member): the last
   * slot >= 1 whose bound is <= it, else 0.
   */
  childFor(score: number, member: string): number {
    return firstAfter(this.lowScores, this.lowMembers, 1, this.count, score, member) - 1;
  }

  private copySlot(from: number, to: number): void {
    this.children[to] = this.children[from]!;
    this.sizes[to] = this.sizes[from]!;
    this.lowScores[to] = this.lowScores[from]!;
    this.lowMembers[to] = this.lowMembers[from]!;
  }

  private clearSlot(at: number): void {
    // Children are released for the collector; `children` stays a dense array of nodes.
    this.children[at] = EMPTY_LEAF;
    this.sizes[at] = 0;
    this.lowMembers[at] = '';
  }
}
