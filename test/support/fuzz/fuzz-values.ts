/**
 * The argument vocabulary of the random differential generator: a few keys
 * per data type (so commands meet each other's values and the wrong type),
 * members, integers, floats, score and lex bounds, with the odd arguments
 * (negative, huge, non-numeric, empty, binary) mixed in at a fixed rate.
 * Everything is drawn from a SeededRandom, so a seed is a whole script.
 */
import type { SeededRandom } from '../seeded-random';

export type Arg = string | Buffer;

export type KeyType = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream' | 'hll' | 'geo' | 'bits';

/**
 * Sorted sets whose members all score 0, the only ones lex ranges are
 * defined on (with mixed scores the answer depends on the layout). No other
 * command writes them: they are not in ALL_KEYS.
 */
export const LEX_KEYS: ReadonlyArray<string> = ['zl1', 'zl2'];

const KEYS: Record<KeyType, ReadonlyArray<string>> = {
  string: ['s1', 's2', 's3'],
  list: ['l1', 'l2', 'l3'],
  hash: ['h1', 'h2'],
  set: ['S1', 'S2', 'S3'],
  zset: ['z1', 'z2', 'z3'],
  stream: ['x1', 'x2'],
  hll: ['p1', 'p2'],
  geo: ['g1', 'g2'],
  bits: ['b1', 'b2'],
};

export const ALL_KEYS: ReadonlyArray<string> = [...Object.values(KEYS).flat(), 'missing'];

/** Bytes that test binary safety: NUL, CR LF, high bytes, an invalid UTF-8 sequence. */
export const BINARY = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x80, 0xc3]);
const LONG = 'v'.repeat(70);

const MEMBERS: ReadonlyArray<Arg> = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '1', '2', '10', '-1', '3.5', 'A', 'aa', 'ab'];
const ODD_MEMBERS: ReadonlyArray<Arg> = ['', LONG, BINARY, '9223372036854775807', ' ', 'nan'];
const SMALL_INTS: ReadonlyArray<string> = ['0', '1', '2', '3', '4', '5', '-1', '-2', '-3', '7', '10', '100', '-100'];
const ODD_INTS: ReadonlyArray<string> = ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '1.5', 'abc', '', ' 1', '+1', '01', '0x1', '1e3', '-0', '4294967296', '2147483648', '-2147483649'];
const FLOATS: ReadonlyArray<string> = ['0', '1', '-1', '1.5', '-2.25', '2', '3', '0.1', '10', '1e3', '-0', '5.', '.5', '3.0', '1e-5', '123456789.123'];
// No overflowing or subnormal decimals ('1e400', '1e-320'): strtod leaves ERANGE in
// errno, and redis-server's SORT reads that stale errno later as a conversion error.
const ODD_FLOATS: ReadonlyArray<string> = ['inf', '-inf', '+inf', 'nan', 'abc', '', '0x10', ' 1', '1,5', '17976931348623157e292', '1e', '--1'];

export class FuzzValues {
  constructor(readonly rng: SeededRandom) {}

  chance(p: number): boolean {
    return this.rng.next() < p;
  }

  pick<T>(items: ReadonlyArray<T>): T {
    return this.rng.pick(items);
  }

  int(n: number): number {
    return this.rng.int(n);
  }

  /** A key of this type most of the time, any key (wrong type, missing) sometimes. */
  key(type: KeyType): string {
    if (this.chance(0.1)) return this.pick(ALL_KEYS);
    return this.pick(KEYS[type]);
  }

  /** A lex-only sorted set (any other key may be a sorted set with mixed scores by now). */
  lexKey(): string {
    return this.pick(LEX_KEYS);
  }

  keysOf(type: KeyType, min: number, max: number): string[] {
    const count = min + this.int(max - min + 1);
    return Array.from({ length: count }, () => this.key(type));
  }

  member(): Arg {
    return this.chance(0.08) ? this.pick(ODD_MEMBERS) : this.pick(MEMBERS);
  }

  members(min: number, max: number): Arg[] {
    const count = min + this.int(max - min + 1);
    return Array.from({ length: count }, () => this.member());
  }

  /** A value for a string: words, integers (so INCR works), floats, the odd ones. */
  value(): Arg {
    const roll = this.rng.next();
    if (roll < 0.35) return this.pick(SMALL_INTS);
    if (roll < 0.5) return this.pick(FLOATS);
    if (roll < 0.9) return this.pick(MEMBERS);
    return this.pick([...ODD_MEMBERS, ...ODD_INTS]);
  }

  integer(odd = 0.1): string {
    return this.chance(odd) ? this.pick(ODD_INTS) : this.pick(SMALL_INTS);
  }

  float(odd = 0.12): string {
    return this.chance(odd) ? this.pick(ODD_FLOATS) : this.pick(FLOATS);
  }

  /** A non-negative count, sometimes odd. */
  count(odd = 0.1): string {
    return this.chance(odd) ? this.pick([...ODD_INTS, '-1', '-5']) : String(this.int(6));
  }

  scoreBound(): string {
    if (this.chance(0.1)) return this.pick(['(', 'x', '(-inf', '(+inf', 'nan', '((1', '']);
    const base = this.pick(['-inf', '+inf', '0', '1', '2', '2.5', '3', '5', '10', '-1', 'inf']);
    return this.chance(0.3) && !base.includes('inf') ? `(${base}` : base;
  }

  lexBound(): string {
    if (this.chance(0.1)) return this.pick(['a', '', '[', '(', '-a', 'x']);
    if (this.chance(0.2)) return this.pick(['-', '+']);
    return `${this.pick(['[', '('])}${this.pick(['a', 'b', 'c', 'd', 'aa', 'h', '1', ''])}`;
  }

  /**
   * A time to live, used in seconds and in milliseconds alike: at least
   * 100 s either way, so nothing expires during a run (timings excluded).
   */
  seconds(): string {
    if (this.chance(0.1)) return this.pick(['-1', '0', 'abc', '9223372036854775807', '9223372036854775', '1.5', '']);
    return this.pick(['100000', '500000', '1000000', '20000000']);
  }
}
