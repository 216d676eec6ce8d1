/**
 * OBJECT ENCODING as Redis 7.0 reports it. Strings: "int" for the canonical
 * decimal form of an int64 of at most 20 chars, "embstr" up to 44 bytes,
 * "raw" beyond (Redis also reports "raw" for short strings modified in
 * place by APPEND/SETRANGE; we derive the encoding from the content alone).
 * Lists are always "quicklist" in 7.0 and streams always "stream"; the
 * others follow the value's tracked encoding.
 */
import { isCanonicalInt64 } from '../util/integers';
import { HashValue, ListValue, SetValue, StreamValue, type RedisValue } from './values';

const EMBSTR_SIZE_LIMIT = 44;

export function objectEncoding(value: RedisValue): string {
  if (typeof value === 'string') {
    if (value.length <= 20 && isCanonicalInt64(value)) return 'int';
    return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }
  if (value instanceof ListValue) return 'quicklist';
  if (value instanceof HashValue) return value.encoding;
  if (value instanceof SetValue) return value.encoding;
  if (value instanceof StreamValue) return 'stream';
  return value.encoding;
}
