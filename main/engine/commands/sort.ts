/**
 * SORT and SORT_RO (sort.c): sort a list, set or sorted set by its elements
 * or by external keys (BY pattern, `*` replaced by the element, `->field`
 * for a hash field), numerically or ALPHA, ASC/DESC, LIMIT, GET patterns
 * (`#` is the element itself), and STORE into a list.
 *
 * Redis's rules kept here:
 *  - BY without `*` means "don't sort": a list keeps its order (DESC walks
 *    it backwards), a sorted set its score order, a set its own iteration
 *    order. A set with "don't sort" and STORE, or called from a script, is
 *    sorted ALPHA instead, so a replica computing the same command stores
 *    the same list and a script's effects do not depend on the order.
 *  - Numeric weights are parsed like strtod over the whole string (an empty
 *    string is 0); anything else fails the command with Redis's error. A
 *    missing BY key weighs 0 (ALPHA: sorts first).
 *  - Equal numeric weights fall back to comparing the elements as bytes, so
 *    the output is deterministic. ALPHA compares bytes (Redis's strcoll in
 *    the C locale).
 *  - LIMIT offset count is clamped like Redis (negative count: to the end).
 *  - STORE replaces the destination with a list (GET values missing become
 *    empty strings); an empty result deletes it. The reply is the count.
 */
import { defineCommand, isOption } from './define';
import { longArg } from './sets-access';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, bulk, error, integer, NULL, type Reply } from '../resp/reply';
import { HashValue, ListValue, SetValue, ZSetValue, type RedisValue } from '../keyspace/values';
import { NotifyType } from '../pubsub/keyspace-events';
import { KEY_ACCESS } from './meta/key-spec';

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  store: string | null;
  by: string | null;
  dontSort: boolean;
  gets: string[];
}

interface Weighted {
  readonly element: string;
  score: number;
  /** ALPHA with BY: the BY value, null when its key is missing. */
  compareTo: string | null;
}

const SCORE_ERROR = error("ERR One or more scores can't be converted into double");

function parseOptions(ctx: CommandContext, readonly: boolean): SortOptions | Reply {
  const options: SortOptions = { desc: false, alpha: false, limitStart: 0, limitCount: -1, store: null, by: null, dontSort: false, gets: [] };
  // BY and GET read keys no key spec names: only a user who may read every key may use them.
  const user = ctx.client.user;
  const fullKeyAccess = user === null || user.unrestricted || user.allowsWithUnrestrictedKeyAccess(ctx.command, ctx.argv, KEY_ACCESS);
  for (let j = 2; j < ctx.argc; j++) {
    const left = ctx.argc - j - 1;
    const word = ctx.argv[j];
    if (isOption(word, 'asc')) options.desc = false;
    else if (isOption(word, 'desc')) options.desc = true;
    else if (isOption(word, 'alpha')) options.alpha = true;
    else if (isOption(word, 'limit') && left >= 2) {
      const start = longArg(ctx.arg(j + 1));
      const count = longArg(ctx.arg(j + 2));
      if (start === null || count === null) return errors.NOT_INTEGER;
      options.limitStart = start;
      options.limitCount = count;
      j += 2;
    } else if (!readonly && isOption(word, 'store') && left >= 1) {
      options.store = ctx.arg(++j);
    } else if (isOption(word, 'by') && left >= 1) {
      options.by = ctx.arg(++j);
      // A pattern without '*' names no per-element key: nothing to sort by.
      options.dontSort = !beforeNul(options.by).includes('*');
      if (!options.dontSort && !fullKeyAccess) return error('ERR BY option of SORT denied due to insufficient ACL permissions.');
    } else if (isOption(word, 'get') && left >= 1) {
      if (!fullKeyAccess) return error('ERR GET option of SORT denied due to insufficient ACL permissions.');
      options.gets.push(ctx.arg(++j));
    } else {
      return errors.SYNTAX;
    }
  }
  return options;
}

/** C string functions stop at the first NUL byte. */
function beforeNul(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

/**
 * lookupKeyByPattern: the string at the pattern with its first `*`
 * replaced by `element`, or the field after `->` of the hash there; `#`
 * alone is the element itself. Null when missing or of another type.
 */
function lookupByPattern(ctx: CommandContext, pattern: string, element: string): string | null {
  if (pattern === '#') return element;
  const cPattern = beforeNul(pattern);
  const star = cPattern.indexOf('*');
  if (star < 0) return null;
  const arrow = cPattern.indexOf('->', star + 1);
  const field = arrow >= 0 && arrow + 2 < cPattern.length ? pattern.slice(arrow + 2) : null;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, field === null ? pattern.length : arrow);
  const value = ctx.read(key);
  if (value === undefined) return null;
  if (field !== null) return value instanceof HashValue ? (value.get(field) ?? null) : null;
  return typeof value === 'string' ? value : null;
}

/**
 * strtod over the whole string, as SORT checks it: leading spaces, decimal,
 * hexadecimal (0x1.8p3) or inf; no NaN, no overflow or underflow.
 */
function parseWeight(weight: string): number | null {
  // strtod reads a C string: a weight ends at its first NUL ("\0x" weighs 0).
  const nul = weight.indexOf('\u0000');
  const text = nul < 0 ? weight : weight.slice(0, nul);
  if (text.length === 0) return 0;
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, '');
  const infinity = /^([+-]?)inf(inity)?$/i.exec(trimmed);
  if (infinity) return infinity[1] === '-' ? -Infinity : Infinity;
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(trimmed);
  if (hex && (hex[2]! + hex[3]!).length > 0) {
    let mantissa = 0;
    for (const digit of hex[2]! + hex[3]!) mantissa = mantissa * 16 + parseInt(digit, 16);
    const value = mantissa * 2 ** (Number(hex[4] ?? 0) - 4 * hex[3]!.length);
    return Number.isFinite(value) ? (hex[1] === '-' ? -value : value) : null;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return null; // ERANGE: overflow
  if (Math.abs(value) < 2.2250738585072014e-308 && /[1-9]/.test(trimmed.replace(/[eE].*$/, ''))) return null; // ERANGE: underflow
  return value;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The elements in the order a "don't sort" reads them, already limited for lists and sorted sets. */
function elementsOf(value: RedisValue, options: SortOptions, start: number, end: number, ranged: boolean): string[] {
  if (value instanceof ListValue) {
    const all = value.toArray();
    if (options.dontSort && options.desc) all.reverse();
    return ranged ? all.slice(start, end + 1) : all;
  }
  if (value instanceof ZSetValue) {
    const all = Array.from(value.entries(), ([member]) => member);
    if (options.dontSort && options.desc) all.reverse();
    return ranged ? all.slice(start, end + 1) : all;
  }
  return (value as SetValue).members(); // an intset in ascending order, as BY nosort reads it
}

function sortGeneric(ctx: CommandContext, readonly: boolean): Reply {
  const parsed = parseOptions(ctx, readonly);
  if ('kind' in parsed) return parsed;
  const options = parsed;
  const write = options.store !== null;
  // lookupKeyRead even with STORE, as Redis (stats, "keymiss", a writable replica's expired key left alone).
  const found = ctx.read(ctx.arg(1));
  const value = found ?? new ListValue();
  if (!(value instanceof ListValue || value instanceof SetValue || value instanceof ZSetValue)) return errors.WRONGTYPE;
  // sort.c converts a listpack sorted set to a skiplist, for good, before it
  // reads it (SORT_RO too): OBJECT ENCODING and DUMP show it afterwards.
  if (value instanceof ZSetValue) value.convertToSkiplist();
  if (options.dontSort && value instanceof SetValue && (write || ctx.client === ctx.node.scripting.scriptClient)) {
    // Sets iterate in no defined order: a stored result, or one a script
    // sees (it may write it somewhere), must not depend on it.
    options.dontSort = false;
    options.alpha = true;
    options.by = null;
  }

  const length = value instanceof ListValue ? value.length : value.size;
  let start = options.limitStart < 0 ? 0 : options.limitStart;
  let end = options.limitCount < 0 ? length - 1 : start + options.limitCount - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  // Lists and sorted sets read in their own order need only the requested range.
  const ranged = options.dontSort && !(value instanceof SetValue) && (start !== 0 || end !== length - 1);
  const elements = elementsOf(value, options, start, end, ranged);
  if (ranged) {
    end -= start;
    start = 0;
  }

  let vector: Weighted[] = elements.map((element) => ({ element, score: 0, compareTo: null }));
  if (!options.dontSort) {
    for (const item of vector) {
      let by: string | null = item.element;
      if (options.by !== null) {
        by = lookupByPattern(ctx, options.by, item.element);
        if (by === null) continue;
      }
      if (options.alpha) {
        if (options.by !== null) item.compareTo = by;
      } else {
        const score = parseWeight(by);
        if (score === null) return SCORE_ERROR;
        item.score = score;
      }
    }
    vector = vector.sort(comparator(options));
  }

  const picked = end >= start ? vector.slice(start, end + 1) : [];
  if (options.store === null) {
    if (options.gets.length === 0) return array(picked.map((item) => bulk(item.element)));
    const out: Reply[] = [];
    for (const item of picked) {
      for (const get of options.gets) {
        const got = lookupByPattern(ctx, get, item.element);
        out.push(got === null ? NULL : bulk(got));
      }
    }
    return array(out);
  }

  const stored: string[] = [];
  for (const item of picked) {
    if (options.gets.length === 0) stored.push(item.element);
    else for (const get of options.gets) stored.push(lookupByPattern(ctx, get, item.element) ?? '');
  }
  if (stored.length > 0) {
    // setKey's lookupKeyWrite: a destination whose time has passed expires first ("expired" before this command's event).
    ctx.write(options.store);
    ctx.keyspace.setKey(ctx.db, options.store, ListValue.from(stored));
    ctx.notifyKeyspaceEvent(NotifyType.LIST, 'sortstore', options.store);
    ctx.addDirty(stored.length);
  } else if (ctx.keyspace.deleteKey(ctx.db, options.store)) {
    ctx.notifyKeyspaceEvent(NotifyType.GENERIC, 'del', options.store);
    ctx.addDirty();
  }
  return integer(stored.length);
}

function comparator(options: SortOptions): (a: Weighted, b: Weighted) => number {
  const sign = options.desc ? -1 : 1;
  if (!options.alpha) return (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : byteCompare(a.element, b.element));
  if (options.by !== null) {
    return (a, b) => {
      if (a.compareTo === null || b.compareTo === null) return sign * (a.compareTo === b.compareTo ? 0 : a.compareTo === null ? -1 : 1);
      return sign * byteCompare(a.compareTo, b.compareTo);
    };
  }
  return (a, b) => sign * byteCompare(a.element, b.element);
}

export const sortCommand = defineCommand({
  name: 'sort', arity: -2, flags: ['write', 'denyoom'], acl: ['write', 'set', 'sortedset', 'list', 'dangerous'], keys: [1, 1, 1],
  doc: { summary: 'Sort the elements in a list, set or sorted set', since: '1.0.0', group: 'generic' },
  handler: (ctx) => sortGeneric(ctx, false),
});

export const sortRoCommand = defineCommand({
  name: 'sort_ro', arity: -2, flags: ['readonly'], acl: ['read', 'set', 'sortedset', 'list', 'dangerous'], keys: [1, 1, 1],
  doc: { summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', since: '7.0.0', group: 'generic' },
  handler: (ctx) => sortGeneric(ctx, true),
});
