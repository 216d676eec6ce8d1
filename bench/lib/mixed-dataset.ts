/**
 * The rdb section's mixed dataset of 1,000,000 keys, as commands: 70%
 * strings (integers, short strings, LZF-compressible ones; every 50th
 * with a TTL), 10% small hashes, 10% small lists, 5% small sets (half
 * intsets), 5% small sorted sets. bench/rdb.ts builds its dump.rdb from
 * these; bench/loaded-access.ts reads its string keys back.
 */
export const KEYS = 1_000_000;

/** Keys 0..KEYS-1 whose bucket (i % 20) is below this hold strings. */
const STRING_BUCKETS = 14;

/** The mixed dataset as commands: 70% strings, 10% hashes, 10% lists, 5% sets, 5% zsets. */
export function* datasetArgv(): Generator<string[]> {
  for (let i = 0; i < KEYS; i++) {
    const bucket = i % 20;
    const key = keyName(i);
    if (bucket < STRING_BUCKETS) {
      const value = bucket % 3 === 0 ? String(i * 7) : bucket % 3 === 1 ? `value-${i}-0123456` : `compressible:${'ab'.repeat(40)}:${i}`;
      yield ['SET', key, value];
      if (i % 50 === 0) yield ['EXPIRE', key, '100000'];
    } else if (bucket < 16) {
      yield ['HSET', key, 'name', `n${i}`, 'count', String(i), 'city', 'Paris', 'flag', '1', 'note', `note ${i}`];
    } else if (bucket < 18) {
      yield ['RPUSH', key, 'a', 'bb', String(i), 'dddd', 'eeeee'];
    } else if (bucket === 18) {
      yield i % 2 ? ['SADD', key, '1', '2', '3', String(i)] : ['SADD', key, 'red', 'green', `blue${i}`];
    } else {
      yield ['ZADD', key, '1', 'one', '2.5', 'two', String(i), `m${i}`];
    }
  }
}

/** The numbers of the dataset's string keys (every encoding: integers, short strings, LZF-compressed ones). */
export function stringKeys(): Int32Array {
  const keys: number[] = [];
  for (let i = 0; i < KEYS; i++) if (i % 20 < STRING_BUCKETS) keys.push(i);
  return Int32Array.from(keys);
}

export const keyName = (n: number): string => `k:${n}`;
