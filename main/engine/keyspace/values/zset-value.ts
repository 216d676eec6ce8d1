/**
 * A Redis sorted set in one of Redis 7.0's two encodings, which OBJECT
 * ENCODING reports:
 *
 *  - "listpack" while within zset-max-listpack-entries/value: the entries
 *    packed into one string in (score, member) order (zset-packed.ts),
 *    found by a linear walk as Redis walks its listpack. A sorted set made
 *    by ZADD stays this small.
 *  - "skiplist" beyond: the member map and skiplist of zset-skiplist.ts.
 *
 * The commands convert where Redis does (updateEncoding after an insert,
 * with the member just added); the *STORE commands build their result in
 * the encoding its size calls for (buildZset). The node-returning walks
 * (first, nodeAtRank, firstInScoreRange...) work in both forms: on the
 * packed one they hand out a chain of one-level nodes built for the call.
 */
import { detached, elementEquals, elementText, flattened } from './packed-elements';
import { compareEntries, SkipNode, ZSkipList } from './zset-skiplist';
import { findMember, insertPosition, packedChain, packedEntries, packEntry, scoreOfEntry, skipEntry } from './zset-packed';

export { compareEntries, SkipNode };

export type ZSetEncoding = 'listpack' | 'skiplist';

export class ZSetValue {
  /** The listpack form, or null in skiplist form. */
  private packed: string | null = '';
  /** Entries of the listpack form. */
  private packedCount = 0;
  private list: ZSkipList | null = null;
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;

  /** A sorted set of distinct members in the encoding asked for (RDB loading, *STORE results). */
  static fromEntries(entries: ReadonlyArray<readonly [string, number]>, skiplist: boolean): ZSetValue {
    const zset = new ZSetValue();
    if (skiplist) {
      const list = new ZSkipList();
      for (const [member, score] of entries) list.set(member, score);
      zset.list = list;
      zset.packed = null;
      return zset;
    }
    const sorted = [...entries].sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
    zset.packed = flattened(sorted.map(([member, score]) => packEntry(member, score)).join(''));
    zset.packedCount = sorted.length;
    return zset;
  }

  get encoding(): ZSetEncoding {
    return this.packed === null ? 'skiplist' : 'listpack';
  }

  get size(): number {
    return this.list === null ? this.packedCount : this.list.size;
  }

  score(member: string): number | undefined {
    const packed = this.packed;
    if (packed === null) return this.list!.score(member);
    const at = findMember(packed, member);
    return at < 0 ? undefined : scoreOfEntry(packed, at);
  }

  /** Inserts or updates; returns 'added', 'updated' or 'unchanged'. */
  set(member: string, score: number): 'added' | 'updated' | 'unchanged' {
    const packed = this.packed;
    if (packed === null) return this.list!.set(member, score);
    const at = findMember(packed, member);
    if (at < 0) {
      const into = insertPosition(packed, score, member);
      this.packed = flattened(packed.slice(0, into) + packEntry(member, score) + packed.slice(into));
      this.packedCount++;
      return 'added';
    }
    if (scoreOfEntry(packed, at) === score) return 'unchanged';
    const without = packed.slice(0, at) + packed.slice(skipEntry(packed, at));
    const into = insertPosition(flattened(without), score, member);
    this.packed = flattened(without.slice(0, into) + packEntry(member, score) + without.slice(into));
    return 'updated';
  }

  delete(member: string): boolean {
    const packed = this.packed;
    if (packed === null) return this.list!.delete(member);
    const at = findMember(packed, member);
    if (at < 0) return false;
    this.packed = flattened(packed.slice(0, at) + packed.slice(skipEntry(packed, at)));
    this.packedCount--;
    return true;
  }

  /** Converts to the skiplist form when a limit is crossed (zset-max-listpack-entries/value). */
  updateEncoding(maxEntries: number, maxValueLength: number, member?: string): void {
    if (this.packed === null) return;
    if (this.packedCount > maxEntries || (member !== undefined && member.length > maxValueLength)) this.convertToSkiplist();
  }

  /** zsetConvert to the skiplist form, for good. */
  convertToSkiplist(): void {
    const packed = this.packed;
    if (packed === null) return;
    const list = new ZSkipList();
    for (const [member, score] of packedEntries(packed)) list.set(detached(member), score);
    this.list = list;
    this.packed = null;
    this.packedCount = 0;
  }

  /** 0-based rank of a member in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const packed = this.packed;
    if (packed === null) return this.list!.rank(member);
    let rank = 0;
    for (let at = 0; at < packed.length; at = skipEntry(packed, at), rank++) if (elementEquals(packed, at, member)) return rank;
    return undefined;
  }

  /**
   * [member, score] of ranks start..end (ascending ranks, both within the
   * set), in ascending order or, with `reverse`, descending from rank
   * size-1-start: ZRANGE by index, without a node chain in the packed form.
   */
  rangeByRank(start: number, end: number, reverse: boolean): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    const packed = this.packed;
    if (packed === null) {
      let node = this.list!.nodeAtRank(reverse ? this.size - 1 - start : start);
      for (let i = start; i <= end && node; i++) {
        out.push([node.member, node.score]);
        node = reverse ? node.backward : (node.forward[0] ?? null);
      }
      return out;
    }
    // Packed: walk once to the window (ascending ranks first..last), then reverse if asked.
    const first = reverse ? this.packedCount - 1 - end : start;
    const last = reverse ? this.packedCount - 1 - start : end;
    let rank = 0;
    for (let at = 0; at < packed.length && rank <= last; at = skipEntry(packed, at), rank++) {
      if (rank >= first) out.push([elementText(packed, at), scoreOfEntry(packed, at)]);
    }
    return reverse ? out.reverse() : out;
  }

  /** Node at 0-based rank (ascending), or null. */
  nodeAtRank(rank: number): SkipNode | null {
    if (this.packed === null) return this.list!.nodeAtRank(rank);
    return packedChain(this.packed)[rank] ?? null;
  }

  /** First node (ascending) whose score satisfies `score > min` (exclusive) or `>= min`. */
  firstInScoreRange(min: number, minExclusive: boolean): SkipNode | null {
    if (this.packed === null) return this.list!.firstInScoreRange(min, minExclusive);
    return packedChain(this.packed).find((node) => (minExclusive ? node.score > min : node.score >= min)) ?? null;
  }

  /** Last node (ascending) whose score satisfies `score < max` (exclusive) or `<= max`. */
  lastInScoreRange(max: number, maxExclusive: boolean): SkipNode | null {
    if (this.packed === null) return this.list!.lastInScoreRange(max, maxExclusive);
    return packedChain(this.packed).findLast((node) => (maxExclusive ? node.score < max : node.score <= max)) ?? null;
  }

  /** First node whose member is >= (or >) `min` in bytewise order (meaningful when all scores are equal). */
  firstInLexRange(min: string, minExclusive: boolean): SkipNode | null {
    if (this.packed === null) return this.list!.firstInLexRange(min, minExclusive);
    return packedChain(this.packed).find((node) => (minExclusive ? node.member > min : node.member >= min)) ?? null;
  }

  /** Last node whose member is <= (or <) `max`. */
  lastInLexRange(max: string, maxExclusive: boolean): SkipNode | null {
    if (this.packed === null) return this.list!.lastInLexRange(max, maxExclusive);
    return packedChain(this.packed).findLast((node) => (maxExclusive ? node.member < max : node.member <= max)) ?? null;
  }

  first(): SkipNode | null {
    if (this.packed === null) return this.list!.first();
    return packedChain(this.packed)[0] ?? null;
  }

  last(): SkipNode | null {
    if (this.packed === null) return this.list!.last();
    return packedChain(this.packed).at(-1) ?? null;
  }

  /** Ascending iteration over [member, score]. */
  entries(): IterableIterator<[string, number]> {
    return this.packed === null ? this.list!.entries() : packedEntries(this.packed);
  }

  /** The skiplist form's member map, for cursors that walk it (ZSCAN); null in listpack form. */
  scoreMap(): ReadonlyMap<string, number> | null {
    return this.list === null ? null : this.list.scores;
  }

  clone(): ZSetValue {
    const copy = new ZSetValue();
    copy.packed = this.packed;
    copy.packedCount = this.packedCount;
    copy.list = this.list === null ? null : this.list.clone();
    return copy;
  }
}
