/**
 * The small form of a sorted set (Redis's "listpack" encoding): entries
 * packed into one string (packed-elements.ts), each a member element
 * followed by its score as 8 chars, the IEEE 754 bytes of the double in the
 * machine's order (the string never leaves the process, so no byte order
 * is fixed). Entries are in (score, member) order, the order a listpack
 * zset keeps (zzlInsert), so ranks and ranges are positions in the walk.
 */
import { ChainNode, compareEntries } from './zset-order';
import { elementEquals, elementText, packElement, skipElement } from './packed-elements';

const SCORE_CHARS = 8;
/** The fewest chars an entry takes (an empty member's length prefix, then the score): a packed set holds at most length / this entries. */
export const MIN_ENTRY_CHARS = 1 + SCORE_CHARS;
const scoreBytes = new Uint8Array(SCORE_CHARS);
const scoreView = new Float64Array(scoreBytes.buffer);

/** A score as its 8 chars. */
export function scoreChars(score: number): string {
  scoreView[0] = score;
  const b = scoreBytes;
  return String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!, b[4]!, b[5]!, b[6]!, b[7]!);
}

/** The score of the entry whose member element starts at `at`. */
export function scoreOfEntry(packed: string, at: number): number {
  const start = skipElement(packed, at);
  for (let i = 0; i < SCORE_CHARS; i++) scoreBytes[i] = packed.charCodeAt(start + i);
  return scoreView[0]!;
}

/** Where the entry after the one at `at` starts. */
export function skipEntry(packed: string, at: number): number {
  return skipElement(packed, at) + SCORE_CHARS;
}

/** How many entries the packed string holds (a walk). */
export function entryCount(packed: string): number {
  let count = 0;
  for (let at = 0; at < packed.length; at = skipEntry(packed, at)) count++;
  return count;
}

/** One entry (member, score) in packed form. */
export function packEntry(member: string, score: number): string {
  return packElement(member) + scoreChars(score);
}

/** Where the entry of `member` starts, or -1. */
export function findMember(packed: string, member: string): number {
  for (let at = 0; at < packed.length; at = skipEntry(packed, at)) if (elementEquals(packed, at, member)) return at;
  return -1;
}

/** Where an entry (score, member) belongs: the first entry ordered after it, or the end. */
export function insertPosition(packed: string, score: number, member: string): number {
  let at = 0;
  for (; at < packed.length; at = skipEntry(packed, at)) {
    const entryScore = scoreOfEntry(packed, at);
    if (entryScore > score) break;
    // Equal scores order by member; the member text is only read then.
    if (entryScore === score && compareEntries(entryScore, elementText(packed, at), score, member) >= 0) break;
  }
  return at;
}

/** [member, score] pairs in order. */
export function* packedEntries(packed: string): IterableIterator<[string, number]> {
  for (let at = 0; at < packed.length; at = skipEntry(packed, at)) yield [elementText(packed, at), scoreOfEntry(packed, at)];
}

/**
 * The entries as a chain of nodes (next and backward linked): what the range walks of zsets-range.ts, ZPOP and the
 * RDB writer step through. Built per call for a small set (at most
 * zset-max-listpack-entries nodes, young garbage right after), as Redis
 * walks its listpack with a pointer.
 */
export function packedChain(packed: string): ChainNode[] {
  const nodes: ChainNode[] = [];
  let previous: ChainNode | null = null;
  for (let at = 0; at < packed.length; at = skipEntry(packed, at)) {
    const node = new ChainNode(elementText(packed, at), scoreOfEntry(packed, at));
    node.backward = previous;
    if (previous !== null) previous.next = node;
    nodes.push(node);
    previous = node;
  }
  return nodes;
}
