/**
 * Packed elements: this engine's listpack. A small hash or sorted set keeps
 * its elements one after the other in a single latin1 JS string, the most
 * compact thing V8 has: one 16-byte header for the whole collection instead
 * of a Map (or skiplist) plus a string object (16-byte header, 8-byte
 * rounding) per field and value. A 4-field hash of short fields is about 80
 * bytes this way against 450 as a Map of strings.
 *
 * Layout (in memory only: never written to an RDB or the wire):
 *
 *    element := length text
 *    length  := one char 0..254                      text up to 254 bytes
 *             | char 255, then 4 chars, big-endian   longer text
 *
 * A hash is field, value, field, value... in insertion order (the order a
 * listpack hash replies in). A sorted set is member, score, ... in (score,
 * member) order, the score being 8 chars after the member: the double's
 * IEEE 754 bytes in the machine's order (see zset-packed.ts).
 *
 * Like a listpack, every change builds a new string: O(size), fine while
 * the collection stays under the *-max-listpack-* limits, beyond which the
 * owner converts to its big form. A string built by concatenation is a
 * tree of pieces until flattened; `flattened` makes the new string one
 * flat sequence at once (the pieces become garbage, and the GC drops the
 * now empty wrapper), or the pieces would stay alive, each with its own
 * header.
 */
import { flattened } from '../../util/flat-string';
const LONG_LENGTH = 255;

/** The length prefix of a text of this many bytes. */
function lengthPrefix(length: number): string {
  if (length < LONG_LENGTH) return String.fromCharCode(length);
  return String.fromCharCode(LONG_LENGTH, (length >>> 24) & 255, (length >>> 16) & 255, (length >>> 8) & 255, length & 255);
}

/** A text as one packed element (prefix and bytes). */
export function packElement(text: string): string {
  return lengthPrefix(text.length) + text;
}

/** How many elements the packed string holds (a walk: the count is not stored, see HashValue.size). */
export function elementCount(packed: string): number {
  let count = 0;
  for (let at = 0; at < packed.length; at = skipElement(packed, at)) count++;
  return count;
}

/** The length of the text of the element starting at `at`. */
export function lengthAt(packed: string, at: number): number {
  const first = packed.charCodeAt(at);
  if (first < LONG_LENGTH) return first;
  return ((packed.charCodeAt(at + 1) << 24) | (packed.charCodeAt(at + 2) << 16) | (packed.charCodeAt(at + 3) << 8) | packed.charCodeAt(at + 4)) >>> 0;
}

/** Where the element after the one at `at` starts. */
export function skipElement(packed: string, at: number): number {
  const first = packed.charCodeAt(at);
  return first < LONG_LENGTH ? at + 1 + first : at + 5 + lengthAt(packed, at);
}

/**
 * The text of the element at `at`. From 13 chars on, V8 makes a slice of
 * the packed string (no copy), which keeps the whole packed string alive
 * while it lives: fine for a reply; what is kept longer goes through
 * `detached`.
 */
export function elementText(packed: string, at: number): string {
  const first = packed.charCodeAt(at);
  if (first < LONG_LENGTH) return packed.slice(at + 1, at + 1 + first);
  return packed.slice(at + 5, at + 5 + lengthAt(packed, at));
}

/**
 * True when the element at `at` holds exactly `text`. Length first, then
 * the last byte (fields and members often share a prefix, "user:1",
 * "user:2"), then the rest as one string compare of a slice of the packed
 * string (a view of it from 13 chars on, a short copy below): V8 compares
 * two flat strings in one builtin, where a charCodeAt() loop dispatches on
 * both strings' representation at every char (in process, finding a
 * 20-char field 66 -> 43 ns, a 60-char one 184 -> 46 ns).
 */
export function elementEquals(packed: string, at: number, text: string): boolean {
  const length = text.length;
  const first = packed.charCodeAt(at);
  let start = at + 1;
  if (first === LONG_LENGTH) {
    if (lengthAt(packed, at) !== length) return false;
    start = at + 5;
  } else if (first !== length) {
    return false;
  }
  if (length === 0) return true;
  const last = length - 1;
  if (packed.charCodeAt(start + last) !== text.charCodeAt(last)) return false;
  return packed.slice(start, start + length) === text;
}

/**
 * A text that shares nothing with the string it was read from: a slice of
 * a packed string (see elementText) kept by the big form after a
 * conversion would keep the old packed string alive with it. Short texts
 * are copies already; a longer one is rebuilt from two pieces and
 * flattened into a string of its own.
 */
export function detached(text: string): string {
  if (text.length < 13) return text;
  return flattened(text.slice(0, 1) + text.slice(1));
}
