/**
 * Replication test helpers in the spirit of Redis's own test suite
 * (wait_for_sync, wait_for_ofs_sync, DEBUG DIGEST comparisons): they work
 * on anything that answers RESP commands, real redis-server or our engine.
 */
import { RespConnection, RespError } from './resp-connection';
import { waitFor } from './wait';

export interface Peer {
  readonly port: number;
  readonly host?: string;
}

/** Runs one command on a fresh connection. */
export async function command(peer: Peer, ...args: Array<string | number | Buffer>): Promise<unknown> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    return await connection.call(...args);
  } finally {
    connection.close();
  }
}

/** Parses an INFO reply into field -> value. */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

export async function info(peer: Peer, section = 'everything'): Promise<Map<string, string>> {
  const reply = await command(peer, 'INFO', section);
  if (reply instanceof RespError) throw reply;
  return parseInfo(String(reply));
}

export async function infoNumber(peer: Peer, field: string, section = 'everything'): Promise<number> {
  const value = (await info(peer, section)).get(field);
  if (value === undefined) throw new Error(`INFO has no field ${field}`);
  return Number(value);
}

/** wait_for_sync: the replica's link to its master is up. */
export async function waitForSync(replica: Peer, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => (await info(replica, 'replication')).get('master_link_status') === 'up', { timeoutMs, what: `replica ${replica.port} to sync` });
}

/** wait_for_ofs_sync: master and replica report the same master_repl_offset. */
export async function waitForOffsets(master: Peer, replica: Peer, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    const [a, b] = await Promise.all([infoNumber(master, 'master_repl_offset', 'replication'), infoNumber(replica, 'master_repl_offset', 'replication')]);
    return a === b && a > 0;
  }, { timeoutMs, what: `offsets of ${master.port} and ${replica.port} to match` });
}

export async function digest(peer: Peer): Promise<string> {
  const reply = await command(peer, 'DEBUG', 'DIGEST');
  if (reply instanceof RespError) throw reply;
  return String(reply);
}

/** Waits until every peer has the same DEBUG DIGEST (and it is not the empty one unless allowed). */
export async function waitForEqualDigests(peers: ReadonlyArray<Peer>, { timeoutMs = 30_000, allowEmpty = false } = {}): Promise<string> {
  let last: string[] = [];
  try {
    await waitFor(async () => {
      last = await Promise.all(peers.map((peer) => digest(peer)));
      const first = last[0]!;
      return last.every((d) => d === first) && (allowEmpty || first !== '0'.repeat(40));
    }, { timeoutMs, what: 'equal digests' });
  } catch (failure) {
    throw new Error(`${(failure as Error).message}; last digests: ${last.join(', ')}`);
  }
  return last[0]!;
}

/**
 * Stream commands whose propagation Redis rewrites: XADD "*" with "~"
 * MAXLEN/MINID trimming, XTRIM "~", XREADGROUP (-> XCLAIM, and with NOACK
 * XGROUP SETID / CREATECONSUMER), XAUTOCLAIM (-> XCLAIM); the group is
 * created on first use.
 */
function streamCommand(j: number, prefix: string): string[] {
  const i = j * 7;
  const key = `${prefix}:x:${j % 7}`;
  switch (Math.floor(j / 7) % 8) {
    case 0: return ['XGROUP', 'CREATE', key, 'g', '0', 'MKSTREAM'];
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
 * HyperLogLog and geo commands whose propagation matters: PFADD, PFMERGE,
 * PFCOUNT (propagated when it refreshes the cached cardinality), GEOADD
 * (propagated as ZADD with the computed scores), GEORADIUS STORE and
 * GEOSEARCHSTORE (propagated verbatim, searched again by the replica).
 * Stores keep geohash scores: STOREDIST's distances follow each server's
 * libm in their last bit (glibc misses the nearest double for ~0.1% of
 * arguments), so they are left out of a digest comparison.
 */
function hllGeoCommand(j: number, prefix: string): string[] {
  const hll = `${prefix}:hll:${j % 5}`;
  const geo = `${prefix}:geo:${j % 3}`;
  // Points spread over the map from j alone (deterministic), the antimeridian and the latitude limits included.
  const lon = String(((j * 47.123) % 360) - 180);
  const lat = String(((j * 13.777) % 170.1) - 85.05);
  switch (j % 8) {
    case 0: return ['PFADD', hll, `e${j}`, `e${j + 1}`, `e${j * 7}`];
    case 1: return ['PFCOUNT', hll];
    case 2: return ['PFMERGE', `${prefix}:hllm`, hll, `${prefix}:hll:${(j + 1) % 5}`];
    case 3: return ['GEOADD', geo, lon, lat, `p${j}`, '180', '85.05112878', 'edge'];
    case 4: return ['GEOADD', geo, 'CH', lon, lat, `p${j % 40}`];
    case 5: return ['GEOSEARCHSTORE', `${prefix}:geos`, geo, 'FROMLONLAT', lon, lat, 'BYRADIUS', '3000', 'km', 'COUNT', '5'];
    case 6: return ['GEORADIUS', geo, lon, lat, '5000', 'km', 'STORE', `${prefix}:geor`];
    default: return ['GEOSEARCHSTORE', `${prefix}:geob`, geo, 'FROMMEMBER', 'edge', 'BYBOX', '8000', '4000', 'km', 'DESC'];
  }
}

/** The library writeMixedDataset's FCALLs run (loaded, or replaced, first). */
export const MIXED_DATASET_LIBRARY = "#!lua name=mixed\nredis.register_function('mixed_push', function(keys, args) redis.call('lpush', keys[1], args[1]) return redis.call('ltrim', keys[1], 0, 49) end)";

/**
 * A small writer of every data type, for loads during replication tests;
 * scripts included (EVAL writing two keys, propagated as MULTI/EXEC, and
 * FCALL of MIXED_DATASET_LIBRARY, which it loads first), streams with
 * consumer groups (streamCommand), HyperLogLog and geo (hllGeoCommand).
 */
export async function writeMixedDataset(peer: Peer, count: number, prefix = 'k'): Promise<void> {
  const connection = new RespConnection(peer.host ?? '127.0.0.1', peer.port);
  try {
    await connection.call('FUNCTION', 'LOAD', 'REPLACE', MIXED_DATASET_LIBRARY);
    const pending: Array<Promise<unknown>> = [];
    for (let i = 0; i < count; i++) {
      switch (i % 9) {
        case 0: pending.push(connection.call('SET', `${prefix}:s:${i}`, `value-${i}`)); break;
        case 1: pending.push(connection.call('RPUSH', `${prefix}:l:${i % 50}`, `item-${i}`)); break;
        case 2: pending.push(connection.call('HSET', `${prefix}:h:${i % 50}`, `f${i}`, `v${i}`)); break;
        case 3: pending.push(connection.call('SADD', `${prefix}:set:${i % 50}`, `m${i}`)); break;
        case 4: pending.push(connection.call('ZADD', `${prefix}:z:${i % 50}`, String(i * 1.5), `m${i}`)); break;
        case 5: pending.push(connection.call('INCRBY', `${prefix}:n:${i % 20}`, String(i))); break;
        case 6: pending.push(connection.call('EVAL', "redis.call('incr', KEYS[1]) return redis.call('hset', KEYS[2], ARGV[1], ARGV[2])", '2', `${prefix}:e:${i % 20}`, `${prefix}:eh:${i % 10}`, `f${i}`, `v${i}`)); break;
        case 7: pending.push(connection.call('FCALL', 'mixed_push', '1', `${prefix}:fl:${i % 10}`, `item-${i}`)); break;
        case 8: pending.push(connection.call(...streamCommand(Math.floor(i / 9), prefix))); break;
      }
      if (i % 7 === 3) pending.push(connection.call(...hllGeoCommand(Math.floor(i / 7), prefix)));
      if (pending.length >= 200) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  } finally {
    connection.close();
  }
}

/**
 * FUNCTION LIST WITHCODE in a comparable form: libraries sorted by name and
 * each library's functions by name (redis-server lists them in its hash
 * tables' order).
 */
export async function functionLibraries(peer: Peer): Promise<unknown[]> {
  const reply = await command(peer, 'FUNCTION', 'LIST', 'WITHCODE');
  if (!Array.isArray(reply)) throw new Error(`FUNCTION LIST answered ${String(reply)}`);
  const byName = (a: unknown, b: unknown): number => String((a as unknown[])[1]).localeCompare(String((b as unknown[])[1]));
  return reply.map((library) => {
    const fields = [...(library as unknown[])];
    const at = fields.indexOf('functions');
    if (at >= 0) fields[at + 1] = [...(fields[at + 1] as unknown[])].sort(byName);
    return fields;
  }).sort(byName);
}

/**
 * Every stream of database 0 as XINFO STREAM FULL shows it (entries, node
 * counts, IDs, counters, each group's PEL with owners, delivery times and
 * counts, and its consumers), with the consumers' seen-time left out: a
 * replica sets it when it applies the command, not from the master.
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
