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
/** Streams the load appends to (few, so their consumer group always has entries to read). */
const STREAM_KEYS = 16;
const STREAM_MAXLEN = 1000;
/**
 * A consumer of group 'demo' reads up to 10 new entries of a stream (KEYS[1])
 * and acknowledges them, or with ARGV[2] 'noack' reads them NOACK; the group
 * is created at the first read (a failed CREATE, the group being there, is
 * ignored). Replicas receive XCLAIM for each entry read, XACK, and with
 * NOACK XGROUP SETID: the consumer-group propagation Redis does. A script,
 * so the acknowledged IDs come from the read and the reply is an integer.
 */
const STREAM_READ_SCRIPT = `if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.pcall('xgroup', 'create', KEYS[1], 'demo', '0')
if ARGV[2] == 'noack' then
  local read = redis.call('xreadgroup', 'group', 'demo', ARGV[1], 'count', '10', 'noack', 'streams', KEYS[1], '>')
  if not read then return 0 end
  return #read[1][2]
end
local read = redis.call('xreadgroup', 'group', 'demo', ARGV[1], 'count', '10', 'streams', KEYS[1], '>')
if not read then return 0 end
local ids = {}
for i, entry in ipairs(read[1][2]) do ids[i] = entry[1] end
return redis.call('xack', KEYS[1], 'demo', unpack(ids))`;

/** XADD capped with MAXLEN ~ (propagated with its ID and an exact trim), and one time in four a group read. */
function streamCommands(keySpace: number, value: string, random: Xorshift): string[][] {
  const key = `demo:stream:${random.below(Math.min(keySpace, STREAM_KEYS))}`;
  const commands = [['XADD', key, 'MAXLEN', '~', String(STREAM_MAXLEN), '*', 'payload', value]];
  const roll = random.below(8);
  if (roll < 2) commands.push(['EVAL', STREAM_READ_SCRIPT, '1', key, `consumer:${random.below(4)}`, roll === 0 ? 'noack' : 'ack']);
  return commands;
}

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

/** The argv of one write operation, or two for a list (push then trim) and sometimes for a stream (append then a group read). */
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
    case 'stream':
      return streamCommands(keySpace, value, random);
  }
}

/** A value of the requested size (printable, so redis-cli shows it readably). */
export function makeValue(size: number, random: Xorshift): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < size; i++) out += alphabet[random.below(alphabet.length)];
  return out;
}
