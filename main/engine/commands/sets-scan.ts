/**
 * SSCAN, and the SCAN-family walk over a collection that ZSCAN shares
 * (db.c scanGenericCommand with a key).
 *
 * Compact encodings (intset sets, listpack sorted sets) are not hash
 * tables in Redis, so a scan of them returns every element at once with
 * cursor 0, in their stored order; we do the same. Hash tables are walked
 * with the node's live cursors (scan-cursor.ts). Argument rules: the cursor
 * is parsed first ("ERR invalid cursor"), then the key (missing: ["0", []],
 * wrong type: WRONGTYPE), then COUNT (integer, >= 1, else syntax error) and
 * MATCH; TYPE is SCAN-only here (syntax error).
 */
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, type Reply } from '../resp/reply';
import { stringMatch } from '../util/glob';
import type { CommandContext } from './command-context';
import { isOption } from './define';
import { parseCursor } from './scan-cursor';
import { defineSetCommand, isSet, longArg, setFor } from './sets-access';

const INVALID_CURSOR = error('ERR invalid cursor');

export interface ScanOptions {
  readonly count: number;
  readonly pattern: string | null;
}

/** COUNT and MATCH after `cursor` (argv index 3 on). */
export function parseScanOptions(ctx: CommandContext): ScanOptions | Reply {
  let count = 10;
  let pattern: string | null = null;
  for (let i = 3; i < ctx.argc; i += 2) {
    if (i + 1 >= ctx.argc) return errors.SYNTAX;
    if (isOption(ctx.argv[i], 'count')) {
      const parsed = longArg(ctx.arg(i + 1));
      if (parsed === null) return errors.NOT_INTEGER;
      if (parsed < 1) return errors.SYNTAX;
      count = parsed;
    } else if (isOption(ctx.argv[i], 'match')) {
      pattern = ctx.arg(i + 1) === '*' ? null : ctx.arg(i + 1);
    } else {
      return errors.SYNTAX;
    }
  }
  return { count, pattern };
}

/** The SCAN-family cursor argument (scan-cursor.ts parseCursor), or the error reply. */
export function parseScanCursorArg(ctx: CommandContext): number | Reply {
  return parseCursor(ctx.arg(2)) ?? INVALID_CURSOR;
}

export const EMPTY_SCAN: Reply = array([bulk('0'), bulkArray([])]);

export function scanReply(cursor: number, items: ReadonlyArray<string>): Reply {
  return array([bulk(String(cursor)), bulkArray(items)]);
}

export function matches(options: ScanOptions, member: string): boolean {
  return options.pattern === null || stringMatch(options.pattern, member, false);
}

export const sscan = defineSetCommand({
  name: 'sscan', arity: -3, flags: ['readonly'], summary: 'Incrementally iterate Set elements', since: '2.8.0',
  handler: (ctx) => {
    const cursor = parseScanCursorArg(ctx);
    if (typeof cursor !== 'number') return cursor;
    const target = setFor(ctx, ctx.arg(1), false);
    if (target === undefined) return EMPTY_SCAN;
    if (!isSet(target)) return target;
    const options = parseScanOptions(ctx);
    if ('kind' in options) return options;
    if (target.encoding === 'intset') return scanReply(0, target.members().filter((member) => matches(options, member)));
    const step = ctx.node.scanCursors.next(target.items, cursor, options.count, () => target.items.values());
    return scanReply(step.cursor, step.items.filter((member) => matches(options, member)));
  },
});
