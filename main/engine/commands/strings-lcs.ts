/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] (t_string.c
 * lcsCommand): the longest common subsequence of two strings, its length,
 * or the matching ranges.
 *
 * The table and the backtrack follow Redis step by step, so the LCS string
 * and the ranges are the ones Redis picks among equally long answers: on a
 * tie the walk moves along key2 (j) first, ranges come from the end of the
 * strings towards the start, and a range is emitted when the walk leaves
 * it or reaches the first byte of either string. Missing keys are empty
 * strings.
 */
import { defineCommand, isOption } from './define';
import type { CommandContext } from './command-context';
import * as errors from '../resp/errors';
import { array, bulk, error, integer, mapOf, type Reply } from '../resp/reply';
import { parseInt64 } from '../util/integers';

const NOT_STRINGS = error('ERR The specified keys must contain string values');
const LEN_AND_IDX = error('ERR If you want both the length and indexes, please just use IDX.');
const TOO_MUCH_MEMORY = error('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');

function lcs(ctx: CommandContext): Reply {
  const first = ctx.read(ctx.arg(1));
  const second = ctx.read(ctx.arg(2));
  if ((first !== undefined && typeof first !== 'string') || (second !== undefined && typeof second !== 'string')) return NOT_STRINGS;
  const a = first ?? '';
  const b = second ?? '';
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < ctx.argc; j++) {
    const option = ctx.argv[j];
    if (isOption(option, 'idx')) getIdx = true;
    else if (isOption(option, 'len')) getLen = true;
    else if (isOption(option, 'withmatchlen')) withMatchLen = true;
    else if (isOption(option, 'minmatchlen') && j + 1 < ctx.argc) {
      const parsed = parseInt64(ctx.arg(++j));
      if (parsed === null) return errors.NOT_INTEGER;
      minMatchLen = parsed < 0 ? 0 : Number(parsed);
    } else return errors.SYNTAX;
  }
  if (getLen && getIdx) return LEN_AND_IDX;

  const width = b.length + 1;
  if ((a.length + 1) * width * 4 > ctx.node.config.int('proto-max-bulk-len')) return TOO_MUCH_MEMORY;
  // table[j + width * i]: the LCS length of a[0..i-1] and b[0..j-1].
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const at = j + width * i;
      if (ai === b.charCodeAt(j - 1)) table[at] = table[at - width - 1]! + 1;
      else table[at] = Math.max(table[at - width]!, table[at - 1]!);
    }
  }
  const length = table[b.length + width * a.length]!;
  if (getLen) return integer(length);

  const chars: string[] = new Array<string>(length);
  const ranges: Reply[] = [];
  let idx = length;
  // aStart === a.length: no range open.
  let aStart = a.length;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a[i - 1]!;
      if (aStart === a.length) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[j + width * (i - 1)]! > table[j - 1 + width * i]!) i--;
      else j--;
      if (aStart !== a.length) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || matchLen >= minMatchLen)) {
        const range: Reply[] = [array([integer(aStart), integer(aEnd)]), array([integer(bStart), integer(bEnd)])];
        if (withMatchLen) range.push(integer(matchLen));
        ranges.push(array(range));
      }
      aStart = a.length;
    }
  }
  if (getIdx) return mapOf([['matches', array(ranges)], ['len', integer(length)]]);
  return bulk(chars.join(''));
}

export const lcsCommand = defineCommand({
  name: 'lcs', arity: -3, flags: ['readonly'], acl: ['read', 'string', 'slow'], keys: [1, 2, 1],
  doc: { summary: 'Find longest common substring', since: '7.0.0', group: 'string' },
  handler: lcs,
});
