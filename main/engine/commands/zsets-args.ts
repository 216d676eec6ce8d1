/**
 * Argument parsing of sorted-set commands with Redis's rules.
 *
 * Score bounds (zslParseRange) use plain strtod, unlike scores (ZADD), which
 * use string2d: a bound may overflow to +-inf ("1e400"), may have leading
 * spaces, and the empty text (as in "(") reads as 0; only leftovers and NaN
 * are refused. Lex bounds (zslParseLexRangeItem): "-" and "+" alone are the
 * minimum and maximum strings, "(" and "[" prefix exclusive and inclusive
 * members, anything else is invalid.
 */
import { parseRedisDouble } from '../util/floats';

export { longArg } from './sets-access';

export interface ScoreBound {
  readonly value: number;
  readonly exclusive: boolean;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** strtod over the whole text (NaN refused), as zslParseRange reads it. */
export function parseStrtod(text: string): number | null {
  if (text === '') return 0;
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, '');
  if (trimmed === '') return null;
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const value = parseRedisDouble(trimmed);
  return value === null || Number.isNaN(value) ? null : value;
}

export function parseScoreBound(text: string): ScoreBound | null {
  const exclusive = text.startsWith('(');
  const value = parseStrtod(exclusive ? text.slice(1) : text);
  return value === null ? null : { value, exclusive };
}

export interface ScoreRange {
  readonly min: ScoreBound;
  readonly max: ScoreBound;
}

export function scoreGteMin(score: number, range: ScoreRange): boolean {
  return range.min.exclusive ? score > range.min.value : score >= range.min.value;
}

export function scoreLteMax(score: number, range: ScoreRange): boolean {
  return range.max.exclusive ? score < range.max.value : score <= range.max.value;
}

/** zslIsInRange's first test: can anything be in this range at all? */
export function scoreRangeIsEmpty(range: ScoreRange): boolean {
  return range.min.value > range.max.value || (range.min.value === range.max.value && (range.min.exclusive || range.max.exclusive));
}

/** '-' and '+' are the smallest and largest strings. */
export type LexBound = { readonly kind: 'min' } | { readonly kind: 'max' } | { readonly kind: 'value'; readonly value: string; readonly exclusive: boolean };

export function parseLexBound(text: string): LexBound | null {
  switch (text[0]) {
    case '+': return text.length === 1 ? { kind: 'max' } : null;
    case '-': return text.length === 1 ? { kind: 'min' } : null;
    case '(': return { kind: 'value', value: text.slice(1), exclusive: true };
    case '[': return { kind: 'value', value: text.slice(1), exclusive: false };
    default: return null;
  }
}

export interface LexRange {
  readonly min: LexBound;
  readonly max: LexBound;
}

/** sdscmplex: minstring < every string < maxstring; latin1 strings compare like memcmp. */
function compareLex(a: LexBound, b: LexBound): number {
  const rank = (bound: LexBound) => (bound.kind === 'min' ? 0 : bound.kind === 'max' ? 2 : 1);
  if (rank(a) !== rank(b) || a.kind !== 'value' || b.kind !== 'value') return rank(a) - rank(b);
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

export function lexGteMin(member: string, range: LexRange): boolean {
  const min = range.min;
  if (min.kind !== 'value') return min.kind === 'min';
  return min.exclusive ? member > min.value : member >= min.value;
}

export function lexLteMax(member: string, range: LexRange): boolean {
  const max = range.max;
  if (max.kind !== 'value') return max.kind === 'max';
  return max.exclusive ? member < max.value : member <= max.value;
}

/** zslIsInLexRange's first test. Exclusivity of '-'/'+' counts, as in Redis (they are flagged exclusive). */
export function lexRangeIsEmpty(range: LexRange): boolean {
  const cmp = compareLex(range.min, range.max);
  const exclusive = (bound: LexBound) => bound.kind !== 'value' || bound.exclusive;
  return cmp > 0 || (cmp === 0 && (exclusive(range.min) || exclusive(range.max)));
}
