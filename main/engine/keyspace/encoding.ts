/**
 * OBJECT ENCODING as Redis 7.0 reports it. Strings: "int" for the canonical
 * decimal form of an int64 of at most 20 chars, "embstr" up to 44 bytes,
 * "raw" beyond, unless the key's meta says how the string was made (raw
 * for strings written in place by APPEND, SETRANGE, SETBIT..., embstr for
 * INCRBYFLOAT's results; see key-entry.ts).
 * Lists are always "quicklist" in 7.0 and streams always "stream"; the
 * others follow the value's tracked encoding.
 */
import { isCanonicalInt64 } from '../util/integers';
import { HashValue, ListValue, SetValue, StreamValue, type RedisValue } from './values';
import { ENCODING_EMBSTR, ENCODING_RAW, encodingOverride } from './key-entry';

const EMBSTR_SIZE_LIMIT = 44;

export function objectEncoding(value: RedisValue, meta = 0): string {
  if (typeof value === 'string') {
    const override = encodingOverride(meta);
    if (override === ENCODING_RAW) return 'raw';
    if (override === ENCODING_EMBSTR) return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
    if (value.length <= 20 && isCanonicalInt64(value)) return 'int';
    return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  }
  if (value instanceof ListValue) return 'quicklist';
  if (value instanceof HashValue) return value.encoding;
  if (value instanceof SetValue) return value.encoding;
  if (value instanceof StreamValue) return 'stream';
  return value.encoding;
}
