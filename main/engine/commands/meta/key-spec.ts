/**
 * Key specifications, Redis 7.0's description of where a command's keys are
 * and how it uses them (COMMAND INFO's 9th field, COMMAND GETKEYSANDFLAGS,
 * ACL key permissions). A spec is two steps:
 *
 *   begin_search   where the search starts
 *     index   <i>               at argument i
 *     keyword <kw> <startfrom>  one past the first argument equal to kw
 *                               (case-insensitive), scanning from startfrom;
 *                               a negative startfrom scans backwards from
 *                               argc + startfrom
 *     unknown                   cannot be told from the arguments
 *   find_keys      which arguments from there on are keys
 *     range  <lastkey> <step> <limit>   lastkey relative to the start; -1 the
 *                               last argument, -2 the one before...; with a
 *                               limit L (and lastkey -1) only 1/L of what
 *                               remains (XREAD's STREAMS k1 k2 id1 id2)
 *     keynum <keynumidx> <firstkey> <step>   the argument at start+keynumidx
 *                               counts the keys, the first at start+firstkey
 *     unknown
 *
 * Flags (bits, as Redis numbers them, so masks can be combined cheaply):
 *   RO RW OW RM         read-only, read-write, overwrite, remove
 *   access update insert delete   what happens to the value's content
 *   not_key             an argument routed like a key but not a key
 *   incomplete          may miss keys (SORT's BY/GET, MIGRATE)
 *   variable_flags      the flags depend on other arguments (SET GET, BITFIELD)
 */

export const KEY_RO = 1 << 0;
export const KEY_RW = 1 << 1;
export const KEY_OW = 1 << 2;
export const KEY_RM = 1 << 3;
export const KEY_ACCESS = 1 << 4;
export const KEY_UPDATE = 1 << 5;
export const KEY_INSERT = 1 << 6;
export const KEY_DELETE = 1 << 7;
export const KEY_NOT_KEY = 1 << 8;
export const KEY_INCOMPLETE = 1 << 9;
export const KEY_VARIABLE_FLAGS = 1 << 10;

/** Flag names in the order Redis prints them (addReplyFlagsForKeyArgs). */
const KEY_FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [KEY_RO, 'RO'], [KEY_RW, 'RW'], [KEY_OW, 'OW'], [KEY_RM, 'RM'],
  [KEY_ACCESS, 'access'], [KEY_UPDATE, 'update'], [KEY_INSERT, 'insert'], [KEY_DELETE, 'delete'],
  [KEY_NOT_KEY, 'not_key'], [KEY_INCOMPLETE, 'incomplete'], [KEY_VARIABLE_FLAGS, 'variable_flags'],
];

const FLAG_BY_NAME = new Map(KEY_FLAG_NAMES.map(([bit, name]) => [name.toLowerCase(), bit]));

/** The names of the bits set in a key-flags mask, in Redis's order. */
export function keyFlagNames(flags: number): string[] {
  const names: string[] = [];
  for (const [bit, name] of KEY_FLAG_NAMES) if ((flags & bit) !== 0) names.push(name);
  return names;
}

/** "RW access delete" -> the mask. Throws on an unknown name (specs are static data). */
export function parseKeyFlags(text: string): number {
  let flags = 0;
  for (const word of text.split(' ')) {
    if (word === '') continue;
    const bit = FLAG_BY_NAME.get(word.toLowerCase());
    if (bit === undefined) throw new Error(`unknown key-spec flag '${word}'`);
    flags |= bit;
  }
  return flags;
}

export type BeginSearch =
  | { readonly type: 'index'; readonly index: number }
  | { readonly type: 'keyword'; readonly keyword: string; readonly startFrom: number }
  | { readonly type: 'unknown' };

export type FindKeys =
  | { readonly type: 'range'; readonly lastKey: number; readonly keyStep: number; readonly limit: number }
  | { readonly type: 'keynum'; readonly keyNumIndex: number; readonly firstKey: number; readonly keyStep: number }
  | { readonly type: 'unknown' };

export interface KeySpec {
  readonly flags: number;
  readonly beginSearch: BeginSearch;
  readonly findKeys: FindKeys;
  /** Redis's explanatory note, shown first in COMMAND INFO when present. */
  readonly notes?: string;
}

// Builders for the spec table: each names its begin_search/find_keys pair.

/** index <i> / range <lastkey> <step> <limit>. */
export function atIndex(index: number, flags: string, lastKey = 0, keyStep = 1, limit = 0): KeySpec {
  return { flags: parseKeyFlags(flags), beginSearch: { type: 'index', index }, findKeys: { type: 'range', lastKey, keyStep, limit } };
}

/** index <i> / keynum <keynumidx> <firstkey> <step>. */
export function counted(index: number, flags: string, keyNumIndex = 0, firstKey = 1, keyStep = 1): KeySpec {
  return { flags: parseKeyFlags(flags), beginSearch: { type: 'index', index }, findKeys: { type: 'keynum', keyNumIndex, firstKey, keyStep } };
}

/** keyword <kw> <startfrom> / range <lastkey> <step> <limit>. */
export function afterKeyword(keyword: string, startFrom: number, flags: string, lastKey = 0, keyStep = 1, limit = 0): KeySpec {
  return { flags: parseKeyFlags(flags), beginSearch: { type: 'keyword', keyword, startFrom }, findKeys: { type: 'range', lastKey, keyStep, limit } };
}

/** unknown / unknown (SORT's BY, GET and STORE keys). */
export function unknownKeys(flags: string): KeySpec {
  return { flags: parseKeyFlags(flags), beginSearch: { type: 'unknown' }, findKeys: { type: 'unknown' } };
}

/** A spec with Redis's explanatory note. */
export function noted(notes: string, spec: KeySpec): KeySpec {
  return { ...spec, notes };
}
