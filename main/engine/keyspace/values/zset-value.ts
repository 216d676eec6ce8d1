/**
 * A Redis sorted set in one of Redis 7.0's two encodings, which OBJECT
 * ENCODING reports:
 *
 *  - "listpack" while within zset-max-listpack-entries/value: the entries
 *    packed into one string in (score, member) order (zset-packed.ts),
 *    found by a linear walk as Redis walks its listpack. A sorted set made
 *    by ZADD stays this small.
 *  - "skiplist" beyond: the member map and ordered tree of zset-tree.ts
 *    (Redis's name for this encoding is kept; the order structure is a
 *    B+tree, with the same ranks and ranges as Redis's skiplist).
 *
 * The commands convert where Redis does (updateEncoding after an insert,
 * with the member just added); the *STORE commands build their result in
 * the encoding its size calls for (buildZset). The node-returning walks
 * (first, nodeAtRank, firstInScoreRange...) work in both forms: on the
 * packed one they hand out a chain of nodes built for the call.
 */
import { detached, elementEquals, elementText } from './packed-elements';
import { flattened } from '../../util/flat-string';
import type { SlotHome } from '../value-slots';
import { compareEntries, type ZSetNode } from './zset-order';
import { ZSetTree } from './zset-tree';
import { entryCount, findMember, insertPosition, MIN_ENTRY_CHARS, packedChain, packedEntries, packEntry, scoreOfEntry, skipEntry } from './zset-packed';

export { compareEntries, type ZSetNode };

export type ZSetEncoding = 'listpack' | 'skiplist';

export class ZSetValue {
  /** The listpack form (one string) or the skiplist form, in one field. Its entry count is walked, not kept (as HashValue's). */
  private store: string | ZSetTree = '';
  /** Its key's meta word while the keyspace's Map holds it (KeyHolder, keyspace/key-entry.ts). */
  meta = 0;
  /** While a dict's slot holds the packed form: that slot, which every change rewrites (keyspace/value-slots.ts). */
  home: SlotHome | null = null;
  slot = -1;
  /** The member findPacked() found last and where, in the store as it is now (as HashValue's lastField). */
  private lastMember: string | null = null;
  private lastMemberAt = -1;
  /**
   * lastMember's score once score() has read it, else NaN (a sorted set
   * never holds NaN: ZADD and ZINCRBY refuse it). redis-benchmark's ZADD,
   * like any client re-sending a member's score, asks for the same member
   * every request: its 8 score chars are then not read back each time.
   */
  private lastMemberScore = Number.NaN;

  /** A sorted set around a dict slot's packed string (ValueSlots binds it). */
  static packedView(packed: string): ZSetValue {
    const zset = new ZSetValue();
    zset.store = packed;
    return zset;
  }

  /** The packed string while in listpack form, else null. */
  packedForm(): string | null {
    return typeof this.store === 'string' ? this.store : null;
  }

  bindTo(home: SlotHome, slot: number): void {
    this.home = home;
    this.slot = slot;
  }

  /** Replaces the store, and the bound slot's copy (a big form is then the slot's value itself, unbound). */
  private replaceStore(next: string | ZSetTree): void {
    const home = this.home;
    if (home !== null) {
      home.rewrite(this.slot, this.store as string, typeof next === 'string' ? next : this);
      if (typeof next !== 'string') this.home = null;
    }
    this.store = next;
    this.lastMember = null;
    this.lastMemberScore = Number.NaN;
  }

  /**
   * findMember() that remembers its last hit until the store changes (see lastMember).
   * lastMemberScore belongs to lastMember: every assignment of lastMember resets
   * it (here, on a member found by walking, it is the guard that
   * matters; the reset in replaceStore is defensive, lastMember is null then).
   */
  private findPacked(packed: string, member: string): number {
    if (member === this.lastMember) return this.lastMemberAt;
    const at = findMember(packed, member);
    if (at >= 0) {
      this.lastMember = member;
      this.lastMemberAt = at;
      this.lastMemberScore = Number.NaN;
    }
    return at;
  }

  /** A sorted set of distinct members in the encoding asked for (RDB loading, *STORE results). */
  static fromEntries(entries: ReadonlyArray<readonly [string, number]>, skiplist: boolean): ZSetValue {
    const zset = new ZSetValue();
    if (skiplist) {
      const list = new ZSetTree();
      for (const [member, score] of entries) list.set(member, score);
      zset.store = list;
      return zset;
    }
    const sorted = [...entries].sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
    // A listpack holds a -0 score as the integer 0 (zzlInsertAt), as a skiplist
    // loaded from an RDB and converted by rdbLoadObject does.
    zset.store = flattened(sorted.map(([member, score]) => packEntry(member, Object.is(score, -0) ? 0 : score)).join(''));
    return zset;
  }

  get encoding(): ZSetEncoding {
    return typeof this.store === 'string' ? 'listpack' : 'skiplist';
  }

  get size(): number {
    const packed = this.store;
    return typeof packed !== 'string' ? packed.size : entryCount(packed);
  }

  score(member: string): number | undefined {
    const packed = this.store;
    if (typeof packed !== 'string') return packed.score(member);
    if (member === this.lastMember) {
      const known = this.lastMemberScore;
      // NaN !== NaN: not read yet.
      if (known === known) return known;
    }
    const at = this.findPacked(packed, member);
    if (at < 0) return undefined;
    // findPacked found it, so it is lastMember now.
    return (this.lastMemberScore = scoreOfEntry(packed, at));
  }

  /** Inserts or updates; returns 'added', 'updated' or 'unchanged'. */
  set(member: string, score: number): 'added' | 'updated' | 'unchanged' {
    const packed = this.store;
    if (typeof packed !== 'string') return packed.set(member, score);
    const at = this.findPacked(packed, member);
    if (at < 0) {
      const into = insertPosition(packed, score, member);
      this.replaceStore(flattened(packed.slice(0, into) + packEntry(member, score) + packed.slice(into)));
      return 'added';
    }
    if (scoreOfEntry(packed, at) === score) return 'unchanged';
    const without = packed.slice(0, at) + packed.slice(skipEntry(packed, at));
    const into = insertPosition(flattened(without), score, member);
    this.replaceStore(flattened(without.slice(0, into) + packEntry(member, score) + without.slice(into)));
    return 'updated';
  }

  /** Adds a member score() just found absent: set without looking it up again in the big form. */
  insertNew(member: string, score: number): void {
    const store = this.store;
    if (typeof store !== 'string') store.insertNew(member, score);
    else this.set(member, score);
  }

  /** Gives a member the new score `score`; `current` is its score, just read by score(). */
  changeScore(member: string, current: number, score: number): void {
    const store = this.store;
    if (typeof store !== 'string') store.changeScore(member, current, score);
    else this.set(member, score);
  }

  delete(member: string): boolean {
    const packed = this.store;
    if (typeof packed !== 'string') return packed.delete(member);
    const at = this.findPacked(packed, member);
    if (at < 0) return false;
    this.replaceStore(flattened(packed.slice(0, at) + packed.slice(skipEntry(packed, at))));
    return true;
  }

  /** Converts to the skiplist form when a limit is crossed (zset-max-listpack-entries/value). */
  updateEncoding(maxEntries: number, maxValueLength: number, member?: string): void {
    const packed = this.store;
    if (typeof packed !== 'string') return;
    if (member !== undefined && member.length > maxValueLength) this.convertToSkiplist();
    // The count is walked only when the string is long enough to hold more than maxEntries entries.
    else if (packed.length / MIN_ENTRY_CHARS > maxEntries && this.size > maxEntries) this.convertToSkiplist();
  }

  /** zsetConvert to the skiplist form, for good. */
  convertToSkiplist(): void {
    const packed = this.store;
    if (typeof packed !== 'string') return;
    const list = new ZSetTree();
    for (const [member, score] of packedEntries(packed)) list.set(detached(member), score);
    this.replaceStore(list);
  }

  /** 0-based rank of a member in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const packed = this.store;
    if (typeof packed !== 'string') return packed.rank(member);
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
    const packed = this.store;
    if (typeof packed !== 'string') {
      let node = packed.nodeAtRank(reverse ? this.size - 1 - start : start);
      for (let i = start; i <= end && node; i++) {
        out.push([node.member, node.score]);
        node = reverse ? node.backward : node.next;
      }
      return out;
    }
    // Packed: walk once to the window (ascending ranks first..last), then reverse if asked.
    const count = reverse ? entryCount(packed) : 0;
    const first = reverse ? count - 1 - end : start;
    const last = reverse ? count - 1 - start : end;
    let rank = 0;
    for (let at = 0; at < packed.length && rank <= last; at = skipEntry(packed, at), rank++) {
      if (rank >= first) out.push([elementText(packed, at), scoreOfEntry(packed, at)]);
    }
    return reverse ? out.reverse() : out;
  }

  /** Node at 0-based rank (ascending), or null. */
  nodeAtRank(rank: number): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.nodeAtRank(rank);
    return packedChain(store)[rank] ?? null;
  }

  /** First node (ascending) whose score satisfies `score > min` (exclusive) or `>= min`. */
  firstInScoreRange(min: number, minExclusive: boolean): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.firstInScoreRange(min, minExclusive);
    return packedChain(store).find((node) => (minExclusive ? node.score > min : node.score >= min)) ?? null;
  }

  /** Last node (ascending) whose score satisfies `score < max` (exclusive) or `<= max`. */
  lastInScoreRange(max: number, maxExclusive: boolean): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.lastInScoreRange(max, maxExclusive);
    return packedChain(store).findLast((node) => (maxExclusive ? node.score < max : node.score <= max)) ?? null;
  }

  /** First node whose member is >= (or >) `min` in bytewise order (meaningful when all scores are equal). */
  firstInLexRange(min: string, minExclusive: boolean): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.firstInLexRange(min, minExclusive);
    return packedChain(store).find((node) => (minExclusive ? node.member > min : node.member >= min)) ?? null;
  }

  /** Last node whose member is <= (or <) `max`. */
  lastInLexRange(max: string, maxExclusive: boolean): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.lastInLexRange(max, maxExclusive);
    return packedChain(store).findLast((node) => (maxExclusive ? node.member < max : node.member <= max)) ?? null;
  }

  first(): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.first();
    return packedChain(store)[0] ?? null;
  }

  last(): ZSetNode | null {
    const store = this.store;
    if (typeof store !== 'string') return store.last();
    return packedChain(store).at(-1) ?? null;
  }

  /** Ascending iteration over [member, score]. */
  entries(): IterableIterator<[string, number]> {
    const store = this.store;
    return typeof store === 'string' ? packedEntries(store) : store.entries();
  }

  /** The skiplist form's member map, for cursors that walk it (ZSCAN); null in listpack form. */
  scoreMap(): ReadonlyMap<string, number> | null {
    return typeof this.store === 'string' ? null : this.store.scores;
  }

  clone(): ZSetValue {
    const copy = new ZSetValue();
    copy.store = typeof this.store === 'string' ? this.store : this.store.clone();
    return copy;
  }
}
