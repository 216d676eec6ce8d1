/**
 * Parsing stream IDs from command arguments exactly as Redis 7.0
 * (streamGenericParseIDOrReply over string2ull):
 *
 *   "-" / "+"       the minimum / maximum ID (refused when strict)
 *   "<ms>"          seq = the caller's missing-seq (0 for starts, 2^64-1 for ends)
 *   "<ms>-<seq>"    split at the FIRST '-'
 *   "<ms>-*"        XADD only: the sequence is to be generated
 *
 * Each half goes through string2ull: a canonical int64 that is not
 * negative, or else whatever strtoull(…, 10) takes whole: leading
 * whitespace, a '+' or '-' sign (negated modulo 2^64, so "-0" is 0 and
 * "-18446744073709551615" is 1), leading zeros, up to 2^64 - 1. The
 * argument is a C string there: it ends at its first NUL byte, and more
 * than 127 bytes is invalid.
 */
import { parseInt64 } from '../../util/integers';
import { MAX_ID, MIN_ID, u64, U64_MAX, type StreamId, type U64 } from './stream-id';

export interface ParsedId {
  readonly id: StreamId;
  /** False only for XADD's "<ms>-*" form. */
  readonly seqGiven: boolean;
}

export interface IdParseOptions {
  /** The sequence of an ID given as just "<ms>". */
  readonly missingSeq: U64;
  /** Refuse "-" and "+" (streamParseStrictIDOrReply). */
  readonly strict: boolean;
  /** Accept "<ms>-*" (XADD). */
  readonly allowSeqStar?: boolean;
}

const MAX_ID_TEXT = 127;

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** string2ull: null when it would fail. */
export function parseUll(text: string): U64 | null {
  const canonical = parseInt64(text);
  if (canonical !== null) return canonical < 0 ? null : canonical;
  // strtoull(s, &end, 10) must consume the whole non-empty string without ERANGE.
  let pos = 0;
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  let negative = false;
  const sign = text.charCodeAt(pos);
  if (sign === 43 || sign === 45) {
    negative = sign === 45;
    pos++;
  }
  const digitsFrom = pos;
  while (pos < text.length) {
    const code = text.charCodeAt(pos);
    if (code < 48 || code > 57) return null;
    pos++;
  }
  if (pos === digitsFrom) return null;
  let value = BigInt(text.slice(digitsFrom));
  if (value > U64_MAX) return null;
  if (negative && value !== 0n) value = 2n ** 64n - value;
  return u64(value);
}

/** streamGenericParseIDOrReply without the reply: null when invalid. */
export function parseStreamId(arg: string, options: IdParseOptions): ParsedId | null {
  if (arg.length > MAX_ID_TEXT) return null;
  const nul = arg.indexOf('\u0000');
  const text = nul >= 0 ? arg.slice(0, nul) : arg;
  if (text === '-' || text === '+') {
    if (options.strict) return null;
    return { id: text === '-' ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = text.indexOf('-');
  const ms = parseUll(dash >= 0 ? text.slice(0, dash) : text);
  if (ms === null) return null;
  if (dash < 0) return { id: { ms, seq: options.missingSeq }, seqGiven: true };
  const seqText = text.slice(dash + 1);
  if (options.allowSeqStar && seqText === '*') return { id: { ms, seq: 0 }, seqGiven: false };
  const seq = parseUll(seqText);
  if (seq === null) return null;
  return { id: { ms, seq }, seqGiven: true };
}
