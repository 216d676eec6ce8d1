/**
 * ZSCAN (t_zset.c zscanCommand over db.c scanGenericCommand). A listpack
 * sorted set replies whole with cursor 0 in rank order, as Redis does; a
 * skiplist one is walked with a live cursor over its member map. Scores are
 * strings: a listpack's as it holds them (an integral score within +-2^62 as
 * an integer, listpackScoreText), a skiplist's as %.17g.
 */
import { formatDouble17g, listpackScoreText } from '../resp/format-double';
import { EMPTY_SCAN, matches, parseScanCursorArg, parseScanOptions, scanReply } from './sets-scan';
import { defineZsetCommand, isZset, zsetFor } from './zsets-access';

export const zscan = defineZsetCommand({
  name: 'zscan', arity: -3, flags: ['readonly'], summary: 'Incrementally iterate sorted sets elements and associated scores', since: '2.8.0',
  handler: (ctx) => {
    const cursor = parseScanCursorArg(ctx);
    if (typeof cursor !== 'number') return cursor;
    const zset = zsetFor(ctx, ctx.arg(1), false);
    if (zset === undefined) return EMPTY_SCAN;
    if (!isZset(zset)) return zset;
    const options = parseScanOptions(ctx);
    if ('kind' in options) return options;
    const flatten = (entries: Iterable<[string, number]>, scoreText: (score: number) => string): string[] => {
      const out: string[] = [];
      for (const [member, score] of entries) if (matches(options, member)) out.push(member, scoreText(score));
      return out;
    };
    const scores = zset.scoreMap();
    if (scores === null) return scanReply(0, flatten(zset.entries(), listpackScoreText));
    const step = ctx.node.scanCursors.next(scores, cursor, options.count, () => scores.entries());
    return scanReply(step.cursor, flatten(step.items, formatDouble17g));
  },
});
