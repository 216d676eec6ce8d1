/**
 * What the demo's write-load generator sends: a mix of data types over a
 * bounded key space, each collection bounded too (lists trimmed, hash fields
 * and set members drawn from small ranges), so a long run reaches a steady
 * dataset size instead of growing forever.
 */
import type { LoadMix } from '../../../shared/contract/demo';

export type LoadType = keyof LoadMix;

const LIST_MAX = 100;
const FIELDS_PER_KEY = 50;
const MEMBERS_PER_KEY = 1000;
/** The load's script: two writes to one hash, so replicas see its effects as MULTI/EXEC. */
const DEMO_SCRIPT = "redis.call('hincrby', KEYS[1], 'runs', 1) return redis.call('hset', KEYS[1], 'last', ARGV[1])";

/** A deterministic xorshift PRNG (no Math.random in the hot loop, and reproducible runs). */
export class Xorshift {
  private state: number;
  constructor(seed = 0x9e3779b9) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
  below(n: number): number {
    return this.next() % n;
  }
}

/** Picks a type according to the mix weights (all-zero weights mean strings only). */
export function pickType(mix: LoadMix, random: Xorshift): LoadType {
  const entries = Object.entries(mix) as Array<[LoadType, number]>;
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total <= 0) return 'string';
  let point = random.below(1_000_000) / 1_000_000 * total;
  for (const [type, weight] of entries) {
    if (point < weight) return type;
    point -= weight;
  }
  return 'string';
}

/** The argv of one write operation, or two for a list (push then trim). Every reply is a simple one (the worker counts lines). */
export function commandsFor(type: LoadType, keySpace: number, value: string, random: Xorshift): string[][] {
  const n = random.below(keySpace);
  switch (type) {
    case 'string':
      return [['SET', `demo:string:${n}`, value]];
    case 'list':
      return [['LPUSH', `demo:list:${n}`, value], ['LTRIM', `demo:list:${n}`, '0', String(LIST_MAX - 1)]];
    case 'hash':
      return [['HSET', `demo:hash:${n}`, `field:${random.below(FIELDS_PER_KEY)}`, value]];
    case 'set':
      return [['SADD', `demo:set:${n}`, `member:${random.below(MEMBERS_PER_KEY)}`]];
    case 'zset':
      return [['ZADD', `demo:zset:${n}`, String(random.below(1_000_000)), `member:${random.below(MEMBERS_PER_KEY)}`]];
    case 'script':
      return [['EVAL', DEMO_SCRIPT, '1', `demo:script:${n}`, value]];
  }
}

/** A value of the requested size (printable, so redis-cli shows it readably). */
export function makeValue(size: number, random: Xorshift): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < size; i++) out += alphabet[random.below(alphabet.length)];
  return out;
}
