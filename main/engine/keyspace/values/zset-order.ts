/**
 * The order of a sorted set, shared by both of its forms: by score, then
 * bytewise by member (members are latin1 strings, one char per byte, so
 * JS's code-unit comparison is memcmp's), as zslValueGteMin/zslInsert
 * order a skiplist and zzlInsert a listpack.
 *
 * ZSetNode is what the range walks (zsets-range.ts, ZPOP, GEOSEARCH, the
 * RDB writer) step through: an entry with its neighbours. The big form
 * hands out positions in its tree (zset-tree.ts), the packed form a chain
 * of ChainNodes built for the call.
 */
export interface ZSetNode {
  readonly member: string;
  readonly score: number;
  /** The next entry in ascending order, or null. */
  readonly next: ZSetNode | null;
  /** The previous entry (zskiplistNode's backward), or null. */
  readonly backward: ZSetNode | null;
}

/** Ordering of a sorted set: by score, then bytewise by member. */
export function compareEntries(scoreA: number, memberA: string, scoreB: number, memberB: string): number {
  if (scoreA < scoreB) return -1;
  if (scoreA > scoreB) return 1;
  return memberA < memberB ? -1 : memberA > memberB ? 1 : 0;
}

/**
 * compareEntries(...) < 0 with one string comparison: the searches ask
 * only 'sorts before', and comparing the members twice (< then >) would
 * cost a second string comparison on every equal score.
 */
export function precedes(scoreA: number, memberA: string, scoreB: number, memberB: string): boolean {
  return scoreA < scoreB || (scoreA === scoreB && memberA < memberB);
}

/** One entry of a packed sorted set's walk, linked both ways (zset-packed.ts packedChain). */
export class ChainNode implements ZSetNode {
  next: ChainNode | null = null;
  backward: ChainNode | null = null;

  constructor(
    readonly member: string,
    readonly score: number,
  ) {}
}
