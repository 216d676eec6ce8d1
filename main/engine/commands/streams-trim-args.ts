/**
 * XADD's and XTRIM's options (streamParseAddOrTrimArgsOrReply), parsed
 * left to right with Redis's errors:
 *
 *   MAXLEN [~|=] <count>     MINID [~|=] <id>     LIMIT <n>     (both)
 *   NOMKSTREAM, then the ID or * (XADD: the first other word is the ID)
 *
 * `~` without LIMIT limits the work to 100 x stream-node-max-entries
 * entries (10000 when that is 0, at most 1000000). LIMIT needs `~` and a
 * strategy. Our master's stream obeys unconditionally: its trim arguments
 * were rewritten to exact ones (MAXLEN = <len> / MINID = <id>), so no limit
 * applies and a LIMIT left in them is accepted.
 */
import type { CommandContext } from './command-context';
import { cString, isOption } from './define';
import * as errors from '../resp/errors';
import { error, type Reply } from '../resp/reply';
import { parseStreamId } from '../keyspace/values/stream-id-parse';
import type { StreamId } from '../keyspace/values/stream-id';
import type { TrimStrategy } from '../keyspace/values/stream-trim';
import { parseInt64 } from '../util/integers';
import { INVALID_ID } from './streams-access';

const BOTH_STRATEGIES = error('ERR syntax error, MAXLEN and MINID options at the same time are not compatible');
const MAXLEN_NEGATIVE = error('ERR The MAXLEN argument must be >= 0.');
const LIMIT_NEGATIVE = error('ERR The LIMIT argument must be >= 0.');
const LIMIT_WITHOUT_STRATEGY = error('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
const XTRIM_WITHOUT_STRATEGY = error('ERR syntax error, XTRIM must be called with a trimming strategy');
const LIMIT_WITHOUT_TILDE = error('ERR syntax error, LIMIT cannot be used without the special ~ option');

export interface AddTrimArgs {
  readonly strategy: TrimStrategy | null;
  readonly approx: boolean;
  /** Entries the trimming may delete (0: unlimited). */
  readonly limit: number;
  /** Index of the MAXLEN count / MINID id (rewritten for propagation). */
  readonly trimArgIndex: number;
  /** XADD: index of the ID argument. */
  readonly idIndex: number;
  /** XADD: the ID given, or null for "*". */
  readonly id: StreamId | null;
  /** XADD: false for the "<ms>-*" form. */
  readonly seqGiven: boolean;
  readonly noMkstream: boolean;
}

/** A long long argument as a JS number (huge counts only compare against lengths). */
function longLong(text: string): number | null {
  const value = parseInt64(text);
  return value === null ? null : Number(value);
}

/** `XADD key * field value ...`: no option, the ID generated (what the loop below makes of it, shared). */
const AUTO_ID_NO_OPTIONS: AddTrimArgs = Object.freeze({
  strategy: null, approx: false, limit: 0, trimArgIndex: 0, idIndex: 2, id: null, seqGiven: true, noMkstream: false,
});

export function parseAddOrTrimArgs(ctx: CommandContext, xadd: boolean): AddTrimArgs | Reply {
  const argv = ctx.argv;
  if (xadd && argv[2] === '*') return AUTO_ID_NO_OPTIONS;
  let strategy: TrimStrategy | null = null;
  let approx = false;
  let limit = 0;
  let limitGiven = false;
  let trimArgIndex = 0;
  let id: StreamId | null = null;
  let seqGiven = true;
  let noMkstream = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const option = argv[i]!;
    // opt[0] == '*' && opt[1] == '\0', and likewise '~' and '=': C strings, so "*\0x" is '*'.
    if (xadd && cString(option) === '*') break;
    if ((isOption(option, 'maxlen') || isOption(option, 'minid')) && moreArgs > 0) {
      if (strategy !== null) return BOTH_STRATEGIES;
      approx = false;
      const next = argv[i + 1]!;
      if (moreArgs >= 2 && cString(next) === '~') {
        approx = true;
        i++;
      } else if (moreArgs >= 2 && cString(next) === '=') {
        i++;
      }
      if (isOption(option, 'maxlen')) {
        const maxlen = longLong(argv[i + 1]!);
        if (maxlen === null) return errors.NOT_INTEGER;
        if (maxlen < 0) return MAXLEN_NEGATIVE;
        strategy = { kind: 'maxlen', maxlen };
      } else {
        const minid = parseStreamId(argv[i + 1]!, { missingSeq: 0, strict: true });
        if (minid === null) return INVALID_ID;
        strategy = { kind: 'minid', minid: minid.id };
      }
      i++;
      trimArgIndex = i;
    } else if (isOption(option, 'limit') && moreArgs > 0) {
      const parsed = longLong(argv[i + 1]!);
      if (parsed === null) return errors.NOT_INTEGER;
      if (parsed < 0) return LIMIT_NEGATIVE;
      limit = parsed;
      limitGiven = true;
      i++;
    } else if (xadd && isOption(option, 'nomkstream')) {
      noMkstream = true;
    } else if (xadd) {
      const parsed = parseStreamId(option, { missingSeq: 0, strict: true, allowSeqStar: true });
      if (parsed === null) return INVALID_ID;
      id = parsed.id;
      seqGiven = parsed.seqGiven;
      break;
    } else {
      return errors.SYNTAX;
    }
  }
  if (limit !== 0 && strategy === null) return LIMIT_WITHOUT_STRATEGY;
  if (!xadd && strategy === null) return XTRIM_WITHOUT_STRATEGY;
  if (ctx.isMasterClient) limit = 0;
  else if (limitGiven) {
    if (!approx) return LIMIT_WITHOUT_TILDE;
  } else if (approx) {
    limit = 100 * ctx.node.hot.streamNodeMaxEntries;
    if (limit <= 0) limit = 10_000;
    if (limit > 1_000_000) limit = 1_000_000;
  } else {
    limit = 0;
  }
  return { strategy, approx, limit, trimArgIndex, idIndex: i, id, seqGiven, noMkstream };
}

export function isAddTrimArgs(value: AddTrimArgs | Reply): value is AddTrimArgs {
  return 'idIndex' in value;
}
