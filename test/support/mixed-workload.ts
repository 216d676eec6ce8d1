/**
 * The mixed write workload the replication interop tests run under (issue
 * 17: every data type, consumer groups and scripts, in both directions and
 * through chains), and what they compare beyond DEBUG DIGEST.
 *
 * A family is one small entry of WORKLOAD_FAMILIES: its n-th command, and
 * commands to run once per connection first. writeMixedWorkload() sends the
 * families round robin, pipelined, and fails on any error reply, so a
 * command the engine lacks cannot pass unseen (an error changes nothing on
 * either side, which would leave the digests equal).
 *
 * Commands are chosen for the rewrites Redis makes when it propagates
 * them: EVAL/FCALL become their effects in MULTI/EXEC, XADD "*" and "~"
 * trims become explicit IDs and exact trims, XREADGROUP/XAUTOCLAIM become
 * XCLAIM (and XGROUP SETID / CREATECONSUMER with NOACK), a PFCOUNT that
 * rewrites the cached cardinality is propagated itself, GEOADD becomes
 * ZADD.
 */
import { RespConnection, RespError } from './resp-connection';
import type { Peer } from './replication';

export interface WorkloadFamily {
  readonly name: string;
  /** Sent once per connection before the workload (loads what the commands call). */
  readonly setup?: ReadonlyArray<ReadonlyArray<string>>;
  /** The family's n-th command (n counts this family's commands, from 0), on keys under `prefix`. */
  command(n: number, prefix: string): string[];
}

/** The library the fcall family runs (loaded, or replaced, by its setup). */
export const WORKLOAD_LIBRARY = "#!lua name=mixed\nredis.register_function('mixed_push', function(keys, args) redis.call('lpush', keys[1], args[1]) return redis.call('ltrim', keys[1], 0, 49) end)";

/**
 * Seven streams, each going through a cycle of eight commands: the group
 * is created at the first cycle (later cycles add a consumer instead, since
 * a second CREATE would fail BUSYGROUP).
 */
function streamCommand(n: number, prefix: string): string[] {
  const i = n * 7;
  const key = `${prefix}:x:${n % 7}`;
  const cycle = Math.floor(n / 56);
  switch (Math.floor(n / 7) % 8) {
    case 0: return cycle === 0 ? ['XGROUP', 'CREATE', key, 'g', '0', 'MKSTREAM'] : ['XGROUP', 'CREATECONSUMER', key, 'g', `late${cycle}`];
    case 1: return ['XADD', key, 'MAXLEN', '~', '40', '*', 'n', String(i), 'pad', 'p'.repeat(i % 30)];
    case 2: return ['XREADGROUP', 'GROUP', 'g', `c${i % 3}`, 'COUNT', '3', 'STREAMS', key, '>'];
    case 3: return ['XADD', key, '*', 'n', String(i)];
    case 4: return ['XREADGROUP', 'GROUP', 'g', 'quiet', 'COUNT', '2', 'NOACK', 'STREAMS', key, '>'];
    case 5: return ['XAUTOCLAIM', key, 'g', `c${(i + 1) % 3}`, '0', '0', 'COUNT', '2'];
    case 6: return ['XADD', key, 'MINID', '~', '0', '*', 'n', String(i)];
    default: return ['XTRIM', key, 'MAXLEN', '~', '30'];
  }
}

/**
 * HyperLogLog: PFADD, PFCOUNT (propagated when it refreshes the cached
 * cardinality, which the digest sees: the cache is in the string's bytes),
 * PFMERGE, over five keys.
 */
function hyperLogLogCommand(n: number, prefix: string): string[] {
  const key = `${prefix}:hll:${n % 5}`;
  switch (Math.floor(n / 5) % 3) {
    case 0: return ['PFADD', key, `e${n}`, `e${n + 1}`, `e${n * 7}`];
    case 1: return ['PFCOUNT', key];
    default: return ['PFMERGE', `${prefix}:hllm`, key, `${prefix}:hll:${(n + 1) % 5}`];
  }
}

/**
 * Geo over three keys, each going through GEOADD (with a point on the top
 * edge, 'edge', whose score is past 2^53) first: GEOADD is propagated as
 * ZADD with the computed scores; GEORADIUS STORE and GEOSEARCHSTORE are
 * propagated verbatim and searched again by the replica. Stores keep
 * geohash scores: STOREDIST's distances follow each server's libm in their
 * last bit (glibc misses the nearest double for ~0.1% of arguments).
 */
function geoCommand(n: number, prefix: string): string[] {
  const key = `${prefix}:geo:${n % 3}`;
  // Points spread over the map from n alone, the antimeridian and the latitude limits included.
  const lon = String(((n * 47.123) % 360) - 180);
  const lat = String(((n * 13.777) % 170.1) - 85.05);
  switch (Math.floor(n / 3) % 5) {
    case 0: return ['GEOADD', key, lon, lat, `p${n}`, '180', '85.05112878', 'edge'];
    case 1: return ['GEOADD', key, 'CH', lon, lat, `p${n % 40}`];
    case 2: return ['GEOSEARCHSTORE', `${prefix}:geos`, key, 'FROMLONLAT', lon, lat, 'BYRADIUS', '3000', 'km', 'COUNT', '5'];
    case 3: return ['GEORADIUS', key, lon, lat, '5000', 'km', 'STORE', `${prefix}:geor`];
    default: return ['GEOSEARCHSTORE', `${prefix}:geob`, key, 'FROMMEMBER', 'edge', 'BYBOX', '8000', '4000', 'km', 'DESC'];
  }
}

export const WORKLOAD_FAMILIES: ReadonlyArray<WorkloadFamily> = [
  { name: 'string', command: (n, prefix) => ['SET', `${prefix}:s:${n}`, `value-${n}`] },
  { name: 'list', command: (n, prefix) => ['RPUSH', `${prefix}:l:${n % 50}`, `item-${n}`] },
  { name: 'hash', command: (n, prefix) => ['HSET', `${prefix}:h:${n % 50}`, `f${n}`, `v${n}`] },
  { name: 'set', command: (n, prefix) => ['SADD', `${prefix}:set:${n % 50}`, `m${n}`] },
  { name: 'zset', command: (n, prefix) => ['ZADD', `${prefix}:z:${n % 50}`, String(n * 1.5), `m${n}`] },
  { name: 'counter', command: (n, prefix) => ['INCRBY', `${prefix}:n:${n % 20}`, String(n)] },
  {
    name: 'eval',
    command: (n, prefix) => ['EVAL', "redis.call('incr', KEYS[1]) return redis.call('hset', KEYS[2], ARGV[1], ARGV[2])", '2', `${prefix}:e:${n % 20}`, `${prefix}:eh:${n % 10}`, `f${n}`, `v${n}`],
  },
  {
    name: 'fcall',
    setup: [['FUNCTION', 'LOAD', 'REPLACE', WORKLOAD_LIBRARY]],
    command: (n, prefix) => ['FCALL', 'mixed_push', '1', `${prefix}:fl:${n % 10}`, `item-${n}`],
  },
  { name: 'stream', command: streamCommand },
  { name: 'hyperloglog', command: hyperLogLogCommand },
  { name: 'geo', command: geoCommand },
];

/**
 * Sends `count` commands, the families taking turns, pipelined 200 at a
 * time; throws on the first error reply, naming the family and command.
 */
export async function writeMixedWorkload(peer: Peer, count: number, prefix = 'k', families: ReadonlyArray<WorkloadFamily> = WORKLOAD_FAMILIES): Promise<void> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    for (const family of families) {
      for (const setup of family.setup ?? []) await connection.ok(...setup);
    }
    let pending: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      const family = families[i % families.length]!;
      const argv = family.command(Math.floor(i / families.length), prefix);
      pending.push(connection.call(...argv).then((reply) => {
        if (reply instanceof RespError) throw new Error(`workload family ${family.name}: ${argv.join(' ').slice(0, 120)} answered ${reply.message}`);
      }));
      if (pending.length >= 200) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    connection.close();
  }
}

/** Keys per TYPE in database 0: shows every family left data behind. */
export async function keyTypes(peer: Peer): Promise<Record<string, number>> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    const types: Record<string, number> = {};
    for (const key of (await connection.call('KEYS', '*')) as string[]) {
      const type = String(await connection.call('TYPE', key));
      types[type] = (types[type] ?? 0) + 1;
    }
    return types;
  } finally {
    connection.close();
  }
}

/**
 * Every stream of database 0 as XINFO STREAM FULL shows it (entries, node
 * counts, IDs, counters, each group's PEL with owners, delivery times and
 * counts, and its consumers), with the consumers' seen-time left out: a
 * replica sets it when it applies the command, not from the master. DEBUG
 * DIGEST covers stream entries only, so this is how groups are compared.
 */
export async function streamsState(peer: Peer): Promise<Record<string, unknown>> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    const state: Record<string, unknown> = {};
    const keys = ((await connection.call('KEYS', '*')) as string[]).sort();
    for (const key of keys) {
      if ((await connection.call('TYPE', key)) !== 'stream') continue;
      const full = (await connection.call('XINFO', 'STREAM', key, 'FULL', 'COUNT', '0')) as unknown[];
      state[key] = JSON.stringify(full, (_name, value: unknown) => {
        if (Array.isArray(value) && value[0] === 'name' && value.includes('seen-time')) {
          const copy = [...value];
          copy.splice(copy.indexOf('seen-time'), 2);
          return copy;
        }
        return value;
      });
    }
    return state;
  } finally {
    connection.close();
  }
}
