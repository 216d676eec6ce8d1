/**
 * HSCAN and HRANDFIELD (t_hash.c). HSCAN follows the SCAN-family rules shared
 * with SSCAN/ZSCAN (sets-scan.ts): a listpack hash comes back whole with
 * cursor 0, a hashtable one is walked with live cursors. HRANDFIELD: a
 * positive count gives distinct fields, a negative one may repeat;
 * WITHVALUES pairs are flat in RESP2 and nested in RESP3.
 */
import { defineCommand, isOption } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, EMPTY_ARRAY, error, NULL, type Reply } from '../resp/reply';
import { HashValue } from '../keyspace/values';
import { parseInt64 } from '../util/integers';
import { EMPTY_SCAN, matches, parseScanCursorArg, parseScanOptions, scanReply } from './sets-scan';

function hashFor(ctx: CommandContext, key: string): HashValue | undefined | Reply {
  const value = ctx.read(key);
  if (value === undefined) return undefined;
  return value instanceof HashValue ? value : errors.WRONGTYPE;
}

export const hscan = defineCommand({
  name: 'hscan', arity: -3, flags: ['readonly'], acl: ['read', 'hash', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Incrementally iterate hash fields and associated values', since: '2.8.0', group: 'hash' },
  handler: (ctx) => {
    const cursor = parseScanCursorArg(ctx);
    if (typeof cursor !== 'number') return cursor;
    const hash = hashFor(ctx, ctx.arg(1));
    if (hash === undefined) return EMPTY_SCAN;
    if (!(hash instanceof HashValue)) return hash;
    const options = parseScanOptions(ctx);
    if ('kind' in options) return options;
    const table = hash.hashtable();
    const step = table === null
      ? { cursor: 0, items: hash.fieldList() }
      : ctx.node.scanCursors.next(table, cursor, options.count, () => table.keys());
    const out: string[] = [];
    for (const field of step.items) {
      const value = hash.get(field);
      if (value !== undefined && matches(options, field)) out.push(field, value);
    }
    return scanReply(step.cursor, out);
  },
});

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const hrandfield = defineCommand({
  name: 'hrandfield', arity: -2, flags: ['readonly'], acl: ['read', 'hash', 'slow'], keys: [1, 1, 1],
  doc: { summary: 'Get one or multiple random fields from a hash', since: '6.2.0', group: 'hash' },
  handler: (ctx) => {
    let count: number | null = null;
    let withValues = false;
    if (ctx.argc >= 3) {
      // getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX), then the syntax, then
      // WITHVALUES's own bound (the reply would hold 2 * count elements).
      const parsed = parseInt64(ctx.arg(2));
      if (parsed === null) return errors.NOT_INTEGER;
      if (parsed === -(2n ** 63n)) return error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
      if (ctx.argc > 4 || (ctx.argc === 4 && !isOption(ctx.arg(3), 'withvalues'))) return errors.SYNTAX;
      if (ctx.argc === 4) {
        withValues = true;
        if (parsed < -(2n ** 62n) || parsed > 2n ** 62n - 1n) return error('ERR value is out of range');
      }
      if (typeof parsed === 'bigint') {
        // Past 2^53: all of the hash when positive; a negative count that large
        // would have Redis produce ~2^53 replies, which we refuse instead.
        if (parsed < 0n) return error('ERR value is out of range');
        count = Number.MAX_SAFE_INTEGER;
      } else count = parsed;
    }
    const hash = hashFor(ctx, ctx.arg(1));
    if (hash !== undefined && !(hash instanceof HashValue)) return hash;
    if (count === null) {
      if (!hash) return NULL;
      const fields = hash.fieldList();
      return bulk(fields[Math.floor(Math.random() * fields.length)]!);
    }
    if (!hash || count === 0) return EMPTY_ARRAY;
    const entries = [...hash.entries()];
    const picked = count > 0
      ? shuffled(entries).slice(0, count)
      : Array.from({ length: -count }, () => entries[Math.floor(Math.random() * entries.length)]!);
    if (!withValues) return bulkArray(picked.map(([field]) => field));
    if (ctx.client.protocol === 3) return array(picked.map(([field, value]) => array([bulk(field), bulk(value)])));
    return bulkArray(picked.flat());
  },
});

export const MORE_HASH_COMMANDS = [hscan, hrandfield];
