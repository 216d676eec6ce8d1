/**
 * redisLrand48 / redisSrand48 (rand.c): the 48-bit linear congruential
 * generator Redis gives Lua's math.random, x = (0x5DEECE66D * x + 0xB) mod
 * 2^48, returning the top 31 bits. It starts from the same state as
 * Redis's (0x1234ABCD330E) and is seeded the same way, so a script draws
 * the same numbers here as on redis-server. The state is kept in two
 * 24-bit halves so every product stays exact in a double.
 */
const A_HIGH = 0x5de;
const A_LOW = 0xece66d;
const C = 0xb;
const HALF = 0x1000000;

export class Rand48 {
  private high = 0x1234ab;
  private low = 0xcd330e;

  /** redisSrand48: the 32-bit seed in the high bits, 0x330E below. */
  seed(seed: number): void {
    const value = seed >>> 0;
    this.high = value >>> 8;
    this.low = ((value & 0xff) << 16) | 0x330e;
  }

  /** redisLrand48: the next value in [0, 2^31). */
  next(): number {
    const lowProduct = A_LOW * this.low + C;
    const carry = Math.floor(lowProduct / HALF);
    const low = lowProduct - carry * HALF;
    const high = (A_LOW * this.high + A_HIGH * this.low + carry) % HALF;
    this.low = low;
    this.high = high;
    return Math.floor(high * 128 + low / 131072);
  }
}
