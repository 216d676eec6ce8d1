/**
 * The value types of the keyspace. A string value is a plain latin1 JS string
 * (one char per byte): the most compact representation V8 has, and binary
 * safe. Collections are small classes that also track the encoding Redis 7.0
 * would report, which the RDB writer uses to pick compact encodings. A
 * stream is listpack nodes in an ordered tree plus its consumer groups
 * (stream-value.ts).
 */
import { HashValue } from './hash-value';
import { ListValue } from './list-value';
import { SetValue } from './set-value';
import { StreamValue } from './stream-value';
import { ZSetValue } from './zset-value';

export { HashValue, ListValue, SetValue, StreamValue, ZSetValue };

export type RedisValue = string | ListValue | HashValue | SetValue | ZSetValue | StreamValue;

export type RedisType = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export function typeOf(value: RedisValue): RedisType {
  if (typeof value === 'string') return 'string';
  if (value instanceof ListValue) return 'list';
  if (value instanceof HashValue) return 'hash';
  if (value instanceof SetValue) return 'set';
  if (value instanceof StreamValue) return 'stream';
  return 'zset';
}

/** A deep copy (COPY, snapshots that must not see later mutations). Strings are immutable. */
export function cloneValue(value: RedisValue): RedisValue {
  return typeof value === 'string' ? value : value.clone();
}
