/**
 * The big form of a sorted set (Redis's "skiplist" encoding): a member ->
 * score map plus a skiplist ordered by (score, member) with spans, as in
 * t_zset.c, so ranks and ranges by index or score are O(log n). Members
 * compare bytewise (latin1 strings compare like memcmp). zset-value.ts
 * chooses between this and the packed small form.
 */
const MAX_LEVEL = 32;
const LEVEL_PROBABILITY = 0.25;

/**
 * insertNode's and deleteNode's per-level bookkeeping (zslInsert's update[]
 * and rank[], stack arrays in C), shared by every skiplist: both methods run
 * to the end without calling out, so no two uses overlap. Two new 32-slot
 * arrays per insert were a sixth of a GEOADD into a large set in young GC.
 * The update slots are cleared after use, so they never keep a deleted
 * sorted set's nodes alive.
 */
const updateScratch: Array<SkipNode | null> = new Array<SkipNode | null>(MAX_LEVEL).fill(null);
const rankScratch: number[] = new Array<number>(MAX_LEVEL).fill(0);

/**
 * A skiplist node: zskiplistNode's level[] {forward, span} as one array,
 * forward pointer and span side by side (levels[2i], levels[2i+1]), so a
 * search step reads one array, not two, and a node is two objects, not
 * three (three quarters of the nodes have one level).
 */
export class SkipNode {
  private readonly levels: Array<SkipNode | null | number>;
  backward: SkipNode | null = null;

  constructor(
    readonly member: string,
    readonly score: number,
    level: number,
  ) {
    const levels = new Array<SkipNode | null | number>(level * 2);
    for (let i = 0; i < level; i++) {
      levels[2 * i] = null;
      levels[2 * i + 1] = 0;
    }
    this.levels = levels;
  }

  /** The next node at level 0 (ascending order), or null. */
  get next(): SkipNode | null {
    return this.levels[0] as SkipNode | null;
  }

  forwardAt(level: number): SkipNode | null {
    return this.levels[2 * level] as SkipNode | null;
  }

  setForward(level: number, node: SkipNode | null): void {
    this.levels[2 * level] = node;
  }

  spanAt(level: number): number {
    return this.levels[2 * level + 1] as number;
  }

  setSpan(level: number, span: number): void {
    this.levels[2 * level + 1] = span;
  }
}

function randomLevel(): number {
  let level = 1;
  while (level < MAX_LEVEL && Math.random() < LEVEL_PROBABILITY) level++;
  return level;
}

/** Ordering of the skiplist: by score, then bytewise by member. */
export function compareEntries(scoreA: number, memberA: string, scoreB: number, memberB: string): number {
  if (scoreA < scoreB) return -1;
  if (scoreA > scoreB) return 1;
  return memberA < memberB ? -1 : memberA > memberB ? 1 : 0;
}

/**
 * compareEntries(...) < 0 with one string comparison: a search step that
 * stops (the next node sorts after the new one, once per level) would
 * otherwise compare the members twice (< then >), about 14 ns each.
 */
function precedes(scoreA: number, memberA: string, scoreB: number, memberB: string): boolean {
  return scoreA < scoreB || (scoreA === scoreB && memberA < memberB);
}

export class ZSkipList {
  readonly scores = new Map<string, number>();
  private readonly header = new SkipNode('', 0, MAX_LEVEL);
  private tail: SkipNode | null = null;
  private level = 1;

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
      this.insertNode(member, score);
      this.scores.set(member, score);
      return 'added';
    }
    if (current === score) return 'unchanged';
    this.deleteNode(member, current);
    this.insertNode(member, score);
    this.scores.set(member, score);
    return 'updated';
  }

  delete(member: string): boolean {
    const current = this.scores.get(member);
    if (current === undefined) return false;
    this.deleteNode(member, current);
    this.scores.delete(member);
    return true;
  }

  private insertNode(member: string, score: number): void {
    const update = updateScratch;
    const rank = rankScratch;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      for (let next = x.forwardAt(i); next && precedes(next.score, next.member, score, member); next = x.forwardAt(i)) {
        rank[i]! += x.spanAt(i);
        x = next;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.header;
        this.header.setSpan(i, this.scores.size);
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const prev = update[i]!;
      node.setForward(i, prev.forwardAt(i));
      prev.setForward(i, node);
      node.setSpan(i, prev.spanAt(i) - (rank[0]! - rank[i]!));
      prev.setSpan(i, rank[0]! - rank[i]! + 1);
    }
    for (let i = level; i < this.level; i++) {
      const prev = update[i]!;
      prev.setSpan(i, prev.spanAt(i) + 1);
    }
    node.backward = update[0] === this.header ? null : update[0]!;
    const after = node.next;
    if (after) after.backward = node;
    else this.tail = node;
    update.fill(null, 0, this.level);
  }

  private deleteNode(member: string, score: number): void {
    const update = updateScratch;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && precedes(next.score, next.member, score, member); next = x.forwardAt(i)) x = next;
      update[i] = x;
    }
    const node = x.next;
    if (!node || node.member !== member) throw new Error('zset skiplist out of sync with its score map');
    for (let i = 0; i < this.level; i++) {
      const prev = update[i]!;
      if (prev.forwardAt(i) === node) {
        prev.setSpan(i, prev.spanAt(i) + node.spanAt(i) - 1);
        prev.setForward(i, node.forwardAt(i));
      } else {
        prev.setSpan(i, prev.spanAt(i) - 1);
      }
    }
    const after = node.next;
    if (after) after.backward = node.backward;
    else this.tail = node.backward;
    update.fill(null, 0, this.level);
    while (this.level > 1 && this.header.forwardAt(this.level - 1) === null) this.level--;
  }

  /** 0-based rank of a member in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && compareEntries(next.score, next.member, score, member) <= 0; next = x.forwardAt(i)) {
        traversed += x.spanAt(i);
        x = next;
      }
      if (x !== this.header && x.member === member) return traversed - 1;
    }
    return undefined;
  }

  /** Node at 0-based rank (ascending), or null. */
  nodeAtRank(rank: number): SkipNode | null {
    if (rank < 0 || rank >= this.scores.size) return null;
    const target = rank + 1;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && traversed + x.spanAt(i) <= target; next = x.forwardAt(i)) {
        traversed += x.spanAt(i);
        x = next;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  /** First node (ascending) whose score satisfies `score > min` (exclusive) or `>= min`. */
  firstInScoreRange(min: number, minExclusive: boolean): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && (minExclusive ? next.score <= min : next.score < min); next = x.forwardAt(i)) x = next;
    }
    return x.next;
  }

  /** Last node (ascending) whose score satisfies `score < max` (exclusive) or `<= max`. */
  lastInScoreRange(max: number, maxExclusive: boolean): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && (maxExclusive ? next.score < max : next.score <= max); next = x.forwardAt(i)) x = next;
    }
    return x === this.header ? null : x;
  }

  /** First node whose member is >= (or >) `min` in bytewise order (meaningful when all scores are equal). */
  firstInLexRange(min: string, minExclusive: boolean): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && (minExclusive ? next.member <= min : next.member < min); next = x.forwardAt(i)) x = next;
    }
    return x.next;
  }

  /** Last node whose member is <= (or <) `max`. */
  lastInLexRange(max: string, maxExclusive: boolean): SkipNode | null {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (let next = x.forwardAt(i); next && (maxExclusive ? next.member < max : next.member <= max); next = x.forwardAt(i)) x = next;
    }
    return x === this.header ? null : x;
  }

  first(): SkipNode | null {
    return this.header.next;
  }

  last(): SkipNode | null {
    return this.tail;
  }

  /** Ascending iteration over [member, score]. */
  *entries(): IterableIterator<[string, number]> {
    for (let x = this.header.next; x; x = x.next) yield [x.member, x.score];
  }

  clone(): ZSkipList {
    const copy = new ZSkipList();
    for (const [member, score] of this.entries()) copy.set(member, score);
    return copy;
  }
}
