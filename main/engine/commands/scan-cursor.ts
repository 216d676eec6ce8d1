/**
 * SCAN-family cursors over JS Maps and Sets. Redis walks hash tables with a
 * reverse-binary cursor; a Map has no buckets to walk, so a cursor here
 * names a live iterator kept on the node (Map/Set iterators stay valid while
 * entries are added and deleted, and visit every entry present for the
 * whole iteration exactly once, which is SCAN's guarantee).
 *
 * A cursor value is  id * 2^31 + position  (position = entries already
 * returned). A known id continues its iterator in O(COUNT). An unknown id
 * (evicted from the cache, or a cursor from before a restart) restarts a
 * fresh iterator and skips `position` entries: still complete when nothing
 * before that point was deleted, at worst a repeated or missed element
 * otherwise, and never an endless scan. Cursor 0 starts and ends a scan.
 */
const POSITION_BITS = 2 ** 31;
const MAX_CACHED = 1024;

interface LiveScan {
  readonly source: object;
  readonly iterator: Iterator<unknown>;
  position: number;
}

export class ScanCursors {
  private readonly live = new Map<number, LiveScan>();
  private nextId = 1;

  /**
   * Advances a scan over `source` (a dict, Map or Set) from `cursor`, visiting up
   * to `count` entries; returns the next cursor (0 = done) and the entries.
   */
  next<T>(source: object, cursor: number, count: number, entries: () => Iterator<T>): { cursor: number; items: T[] } {
    let scan: LiveScan | undefined;
    if (cursor !== 0) {
      const id = Math.floor(cursor / POSITION_BITS);
      const position = cursor % POSITION_BITS;
      scan = this.live.get(id);
      this.live.delete(id);
      if (!scan || scan.source !== source || scan.position !== position) {
        const iterator = entries();
        for (let skipped = 0; skipped < position; skipped++) if (iterator.next().done) break;
        scan = { source, iterator, position };
      }
    } else {
      scan = { source, iterator: entries(), position: 0 };
    }
    const items: T[] = [];
    while (items.length < count) {
      const step = scan.iterator.next();
      if (step.done) return { cursor: 0, items };
      items.push(step.value as T);
      scan.position++;
    }
    const id = this.nextId++;
    if (this.nextId >= 2 ** 21) this.nextId = 1;
    this.live.set(id, scan);
    if (this.live.size > MAX_CACHED) this.live.delete(this.live.keys().next().value!);
    return { cursor: id * POSITION_BITS + scan.position, items };
  }
}

/**
 * parseScanCursorOrReply: strtoul, so a sign is accepted ("-1" wraps around
 * to 2^64-1) and the empty string is cursor 0; a leading space, any
 * leftover, or a magnitude beyond 2^64-1 is refused (null: "ERR invalid
 * cursor"). A value past 2^52 can only be one we never issued: it is kept
 * modulo 2^52, which restarts the walk (ScanCursors.next) and stays exact.
 */
export function parseCursor(text: string): number | null {
  const match = /^([+-]?)(\d*)$/.exec(text);
  if (!match) return null;
  const [, sign, digits] = match as unknown as [string, string, string];
  // strtoul converts nothing from a bare sign and leaves it as leftover.
  if (digits === '') return sign === '' ? 0 : null;
  const magnitude = BigInt(digits);
  if (magnitude >= 2n ** 64n) return null;
  const value = sign === '-' ? (2n ** 64n - magnitude) % 2n ** 64n : magnitude;
  return Number(value % 2n ** 52n);
}
