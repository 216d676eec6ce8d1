/**
 * Geo commands against redis-server 7.0, byte for byte in RESP2 and RESP3:
 * scores (the 52-bit interleaving), GEOHASH strings, GEOPOS coordinates
 * (the 17-decimal long double text), distances in every unit, every error
 * in Redis's order; a fixed-seed random workload of points over the whole
 * map (poles' limits and the antimeridian included) searched by radius and
 * box, sorted or in Redis's cell order, COUNT with and without ANY, STORE
 * and STOREDIST read back; keyspace notifications; COMMAND INFO/GETKEYS;
 * and the replication stream (GEOADD travels as ZADD, the STORE forms
 * verbatim), compared command by command.
 */
import { describe, expect, it } from 'vitest';
import { step, type Normalizer, type Step } from '../support/differential';
import { parseReply } from '../support/resp-reply-parser';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { eventTranscripts, transcriptDifferences, type Command } from '../support/keyspace-events';
import { seededRandom, type SeededRandom } from '../support/seeded-random';
import { recordReplicationStream } from '../support/replication-stream';
import { startEngine } from '../support/engine';
import { startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';

const peers = differentialPair();

const SICILY = ['13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'];

const basics: Step[] = [
  step('FLUSHALL'),
  step('GEOADD', 'Sicily', ...SICILY), step('ZRANGE', 'Sicily', 0, -1, 'WITHSCORES'), step('OBJECT', 'ENCODING', 'Sicily'),
  step('GEODIST', 'Sicily', 'Palermo', 'Catania'), ...['m', 'km', 'FT', 'mi'].map((unit) => step('GEODIST', 'Sicily', 'Palermo', 'Catania', unit)),
  step('GEODIST', 'Sicily', 'Palermo', 'Catania', 'ly'), step('GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'x'), step('GEODIST', 'nokey', 'a', 'b'), step('GEODIST', 'Sicily', 'Palermo', 'nope'),
  step('GEOHASH', 'Sicily', 'Palermo', 'Catania', 'nope'), step('GEOHASH', 'nokey', 'a'), step('GEOPOS', 'Sicily', 'Palermo', 'nope', 'Catania'), step('GEOPOS', 'nokey', 'a', 'b'), step('GEOPOS', 'Sicily'),
  // Options, ranges, the top edges of both ranges, scores that are no geohash.
  step('GEOADD', 'Sicily', 'XX', 'CH', '13.361389', '38.115556', 'Palermo', '15', '37', 'Catania', '1', '1', 'new'), step('GEOADD', 'Sicily', 'NX', 'CH', '1', '1', 'Palermo', '2', '2', 'new'),
  step('GEOADD', 'Sicily', 'ch', '1', '1', 'x', '1', '1', 'x'), step('ZRANGE', 'Sicily', 0, -1, 'WITHSCORES'),
  step('GEOADD', 'edges', '180', '85.05112878', 'a', '-180', '-85.05112878', 'b', '0', '0', 'c', '180', '0', 'd', '-180', '85.05112878', 'e'),
  step('ZRANGE', 'edges', 0, -1, 'WITHSCORES'), step('GEOPOS', 'edges', 'a', 'b', 'c', 'd', 'e'), step('GEOHASH', 'edges', 'a', 'b', 'c', 'd', 'e'),
  step('GEOSEARCH', 'edges', 'FROMLONLAT', '180', '85.05112878', 'BYRADIUS', '0', 'm', 'WITHHASH'), step('GEOSEARCH', 'edges', 'FROMMEMBER', 'a', 'BYBOX', '50000', '50000', 'km', 'ASC', 'WITHDIST'),
  step('ZADD', 'odd', '-1', 'a', 'inf', 'b', '-inf', 'c', '1e300', 'd', '18446744073709551616', 'e', '9007199254740993', 'f', '0.5', 'g'),
  step('GEOPOS', 'odd', 'a', 'b', 'c', 'd', 'e', 'f', 'g'), step('GEOHASH', 'odd', 'a', 'b', 'c', 'd', 'e', 'f', 'g'), step('GEODIST', 'odd', 'a', 'g'), step('GEORADIUS', 'odd', '0', '0', '500', 'km', 'WITHHASH'),
  // Errors, in Redis's order.
  step('GEOADD', 'k', '200', '100', 'x'), step('GEOADD', 'k', 'inf', '1e30', 'x'), step('GEOADD', 'k', '1', '85.06', 'x'), step('GEOADD', 'k', '-180.0000001', '0', 'x'), step('GEOADD', 'k', 'a', '1', 'x'), step('GEOADD', 'k', '1', 'b', 'x'),
  // The range error prints both with %f: 180.0000065 is just above the tie (180.000007), 0.0078125 exactly on it (0.007812, to even).
  step('GEOADD', 'k', '180.0000065', '0.0078125', 'x'), step('GEOADD', 'k', '-180.0000085', '-85.0511290', 'x'), step('GEOADD', 'k', '0.5', '-90.0000105', 'x'),
  step('GEOADD', 'k', '1', '1'), step('GEOADD', 'k', 'xx', 'nx', '1', '1', 'a'), step('GEOADD', 'k', 'ch', 'ch', 'ch'), step('GEOADD', 'k', 'gt', '1', '1', 'a'), step('EXISTS', 'k'),
  step('SET', 'str', 'x'), step('GEOADD', 'str', '1', '1', 'a'), step('GEOADD', 'str', '1', '100', 'a'), step('GEOPOS', 'str', 'a'), step('GEOHASH', 'str', 'a'), step('GEODIST', 'str', 'a', 'b'), step('GEODIST', 'str', 'a', 'b', 'ly'),
  step('GEORADIUS', 'str', '1', '1', '1', 'km'), step('GEOSEARCH', 'str', 'FROMLONLAT', '1', '1'), step('GEOSEARCHSTORE', 'd', 'str', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km'),
  step('GEORADIUS', 'Sicily', '15', '37', '-1', 'km'), step('GEORADIUS', 'Sicily', '15', '37', 'x', 'km'), step('GEORADIUS', 'Sicily', '15', '37', '1', 'ly'), step('GEORADIUS', 'Sicily', '15', '91', '1', 'km'),
  step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', '0'), step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT', 'x'), step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'COUNT'),
  step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'ANY'), step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x', 'WITHDIST'), step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'BYBOX', '1', '1', 'km'),
  step('GEORADIUS_RO', 'Sicily', '15', '37', '200', 'km', 'STORE', 'x'), step('GEORADIUSBYMEMBER_RO', 'Sicily', 'Palermo', '200', 'km', 'STOREDIST', 'x'),
  step('GEORADIUSBYMEMBER', 'Sicily', 'nope', '200', 'km'), step('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '-2', 'km'), step('GEORADIUSBYMEMBER', 'nokey', 'nope', '-2', 'km'),
  step('GEORADIUSBYMEMBER', 'nokey', 'nope', '2', 'km', 'BADOPT'), step('GEORADIUSBYMEMBER', 'nokey', 'nope', '2', 'km', 'STORE', 'd2'),
  step('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', '10', 'km'), step('GEOSEARCH', 'nokey', 'FROMMEMBER', 'nope', 'BYRADIUS', '10', 'km'), step('GEOSEARCH', 'nokey', 'FROMMEMBER', 'nope'),
  step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'FROMMEMBER', 'Palermo', 'BYRADIUS', '10', 'km'), step('GeoSearch', 'Sicily', 'BYRADIUS', '10', 'km'), step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'ASC'),
  step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYRADIUS', '10', 'km', 'BYBOX', '1', '1', 'km'), step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYBOX', '1', 'x', 'km'),
  step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYBOX', 'x', '1', 'km'), step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYBOX', '1', '-1', 'km'), step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYBOX', '1', '1', 'ly'),
  step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYRADIUS', '1', 'km', 'STORE', 'x'), step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '1', '2', 'BYRADIUS', '1', 'km', 'STOREDIST'),
  step('GEOSEARCHSTORE', 'x', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'km', 'WITHDIST'), step('GEOSEARCHSTORE', 'x', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '1', '1', 'km', 'ANY'),
  step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '200'), step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', 'BYRADIUS', '200', 'km'),
  // Searches and stores.
  step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH'), step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'WITHDIST', 'DESC'),
  step('GEORADIUS', 'Sicily', '15', '37', '20000', 'km', 'COUNT', '1', 'ANY', 'DESC', 'WITHDIST'), step('GEORADIUS', 'Sicily', '15', '37', '20000', 'km', 'COUNT', '2', 'WITHCOORD'),
  step('GEORADIUS', 'Sicily', '15', '37', '1', 'm'), step('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '100', 'mi', 'WITHDIST', 'ASC'),
  step('GEOSEARCH', 'Sicily', 'FROMLONLAT', '15', '37', 'BYBOX', '400', '400', 'km', 'ASC', 'WITHCOORD', 'WITHDIST'), step('GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Catania', 'BYBOX', '300', '100', 'km', 'DESC', 'WITHHASH'),
  step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STORE', 'st'), step('ZRANGE', 'st', 0, -1, 'WITHSCORES'), step('OBJECT', 'ENCODING', 'st'),
  step('GEORADIUS', 'Sicily', '15', '37', '200', 'km', 'STOREDIST', 'st', 'COUNT', '1'), step('ZRANGE', 'st', 0, -1, 'WITHSCORES'),
  step('GEORADIUSBYMEMBER', 'Sicily', 'Palermo', '500', 'ft', 'STORE', 'st2'), step('ZRANGE', 'st2', 0, -1, 'WITHSCORES'),
  step('GEOSEARCHSTORE', 'st3', 'Sicily', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km', 'STOREDIST', 'DESC'), step('ZRANGE', 'st3', 0, -1, 'WITHSCORES'),
  step('GEOSEARCHSTORE', 'st3', 'Sicily', 'FROMLONLAT', '-100', '-40', 'BYRADIUS', '3', 'km'), step('EXISTS', 'st3'), step('GEOSEARCHSTORE', 'st', 'nokey', 'FROMLONLAT', '0', '0', 'BYRADIUS', '3', 'km'), step('EXISTS', 'st'),
  step('GEORADIUS', 'nokey', '1', '1', '1', 'km'), step('GEORADIUS', 'nokey', '1', '1', '1', 'km', 'STORE', 'st2'), step('EXISTS', 'st2'),
];

/** A point anywhere Redis can index, a fifth of them on the latitude limits or the antimeridian. */
function randomPoint(random: SeededRandom): [string, string] {
  const edge = random.int(10);
  const lon = edge === 0 ? random.pick(['180', '-180', '179.9999999', '-179.9999999']) : random.between(-180, 180).toFixed(random.int(9));
  const lat = edge === 1 ? random.pick(['85.05112878', '-85.05112878', '85.05112877', '-85.0511287']) : random.between(-85.05112878, 85.05112878).toFixed(random.int(9));
  return [lon, lat];
}

function randomUnit(random: SeededRandom): string {
  return random.pick(['m', 'km', 'mi', 'ft', 'KM']);
}

/** A radius in meters spread over eight orders of magnitude, sometimes 0. */
function randomRadius(random: SeededRandom): string {
  return random.int(12) === 0 ? '0' : (10 ** random.between(1, 7.3)).toFixed(random.int(4));
}

const KEYS = ['small', 'big', 'cluster'];

/**
 * STOREDIST scores are full-precision haversine distances, four libm calls
 * each. Ours are correctly rounded (rounded-trig.ts); glibc's, which
 * redis-server uses, miss the nearest double for ~0.1% of arguments, so a
 * stored distance may still differ in its last bit (2 read-backs of the
 * three seeds below when compared exactly, against 30 with V8's Math.sin/
 * cos/asin). The members, their order, and the distances to 12 significant
 * digits must agree (WITHDIST's four decimals are compared exactly
 * everywhere else). Integral scores (geohashes) stay exact.
 */
const storedDistances: Normalizer = (raw) => {
  const parsed = parseReply(raw)?.value;
  if (!Array.isArray(parsed)) return raw.toString('latin1');
  const flat = parsed.flatMap((item: unknown) => (Array.isArray(item) ? item : [item]));
  // Geohash scores are integers and stay exact; distances have a fraction.
  const score = (text: string): string => (/^\d+$/.test(text) ? text : Number(text).toPrecision(12));
  return flat.map((item: unknown, i) => (i % 2 === 1 ? score(String(item)) : String(item))).join(' ');
};

/**
 * Fixed-seed points added to three keys ('small' stays a listpack, 'big'
 * turns skiplist, 'cluster' packs points around a few places so searches
 * find many), then searches of every form with random centres, radii,
 * boxes, units and options, STORE results read back.
 */
function randomWorkload(seed: number, searches: number): Step[] {
  // A failed store leaves the destination as it was (maybe distances): every read back allows for them.
  const readBack = (key: string): Step => ({ cmd: ['ZRANGE', key, 0, -1, 'WITHSCORES'], compare: storedDistances });
  const random = seededRandom(seed);
  const script: Step[] = [step('FLUSHALL')];
  for (let i = 0; i < 60; i++) {
    const key = KEYS[random.int(2)]!;
    const triples: string[] = [];
    for (let j = 0; j < 1 + random.int(key === 'small' ? 3 : 12); j++) triples.push(...randomPoint(random), `p${random.int(400)}`);
    script.push(step('GEOADD', key, ...triples));
  }
  const places = Array.from({ length: 4 }, () => randomPoint(random).map(Number) as [number, number]);
  for (let i = 0; i < 30; i++) {
    const [lon, lat] = random.pick(places);
    const triples: string[] = [];
    for (let j = 0; j < 10; j++) {
      triples.push(String(Math.max(-180, Math.min(180, lon + random.between(-2, 2)))), String(Math.max(-85.05112878, Math.min(85.05112878, lat + random.between(-1, 1)))), `c${i}-${j}`);
    }
    script.push(step('GEOADD', 'cluster', ...triples));
  }
  script.push(...KEYS.map((key) => step('ZRANGE', key, 0, -1, 'WITHSCORES')), ...KEYS.map((key) => step('OBJECT', 'ENCODING', key)));
  for (let i = 0; i < searches; i++) {
    const key = KEYS[random.int(3)]!;
    const options: string[] = [];
    if (random.int(2) === 0) options.push('WITHDIST');
    if (random.int(3) === 0) options.push('WITHHASH');
    if (random.int(3) === 0) options.push('WITHCOORD');
    const sort = random.int(3);
    if (sort > 0) options.push(sort === 1 ? 'ASC' : 'DESC');
    if (random.int(3) === 0) options.push('COUNT', String(1 + random.int(8)), ...(random.int(2) === 0 ? ['ANY'] : []));
    const byMember = random.int(3) === 0;
    const member = random.int(2) === 0 ? `p${random.int(400)}` : `c${random.int(30)}-${random.int(10)}`;
    const centre = random.int(2) === 0 ? randomPoint(random) : random.pick(places).map((value) => value.toFixed(5));
    const form = random.int(4);
    if (form === 0) {
      script.push(byMember
        ? step('GEORADIUSBYMEMBER', key, member, randomRadius(random), 'm', ...options)
        : step('GEORADIUS', key, ...centre, randomRadius(random), 'm', ...options));
    } else {
      const from = byMember ? ['FROMMEMBER', member] : ['FROMLONLAT', ...centre];
      const area = random.int(2) === 0 ? ['BYRADIUS', randomRadius(random), 'm'] : ['BYBOX', randomRadius(random), randomRadius(random), 'm'];
      if (form === 3) {
        const storeOptions = options.filter((option) => !option.startsWith('WITH'));
        const storeDist = random.int(2) === 0;
        script.push(step('GEOSEARCHSTORE', 'dest', key, ...from, ...area, ...storeOptions, ...(storeDist ? ['STOREDIST'] : [])), readBack('dest'));
      } else {
        script.push(step('GEOSEARCH', key, ...from, ...area, ...options));
      }
    }
    if (random.int(4) === 0) {
      const unit = randomUnit(random);
      script.push(step('GEODIST', key, `p${random.int(400)}`, `p${random.int(400)}`, unit), step('GEOPOS', key, member, `p${random.int(400)}`), step('GEOHASH', key, member, `c${random.int(30)}-${random.int(10)}`));
    }
    if (random.int(6) === 0) {
      const storeDist = random.int(2) === 0;
      script.push(step('GEORADIUS', key, ...centre, randomRadius(random), randomUnit(random), storeDist ? 'STOREDIST' : 'STORE', 'dest2', 'ASC'), readBack('dest2'));
    }
  }
  return script;
}

describe('geo commands match redis-server', () => {
  it.each([2, 3] as const)('scores, hashes, positions, distances, searches, stores and every error; RESP%i', async (protocol) => {
    expect(await peers.compare(basics, protocol)).toEqual([]);
  });

  it.each([[1, 2], [2, 3], [3, 2]] as const)('random points and searches (fixed seed %i), RESP%i', async (seed, protocol) => {
    const script = randomWorkload(seed, 250);
    expect(await peers.compare(script, protocol)).toEqual([]);
  });

  it('COUNT cuts among equidistant members (the same points under many names) as Redis\'s partial quicksort does', async () => {
    const random = seededRandom(7);
    const spots = [['10', '10'], ['10.001', '10'], ['10', '10.002'], ['9.999', '9.999'], ['10.003', '10'], ['10', '9.997']];
    const script: Step[] = [step('FLUSHALL')];
    for (const size of [9, 30, 90]) {
      const triples: string[] = [];
      for (let i = 0; i < size; i++) triples.push(...random.pick(spots), `m${size}-${i}`);
      script.push(step('GEOADD', `same${size}`, ...triples));
      for (let count = 1; count <= size; count += 1 + random.int(7)) {
        for (const order of ['ASC', 'DESC']) {
          script.push(step('GEORADIUS', `same${size}`, '10', '10', '5', 'km', 'COUNT', count, order, 'WITHDIST'), step('GEOSEARCH', `same${size}`, 'FROMMEMBER', `m${size}-0`, 'BYBOX', '3', '3', 'km', 'COUNT', count, order));
        }
        script.push(step('GEORADIUS', `same${size}`, '10', '10', '5', 'km', 'COUNT', count, 'STORE', 'cut'), step('ZRANGE', 'cut', 0, -1));
      }
    }
    expect(await peers.compare(script)).toEqual([]);
  });

  it('the random searches find points: the comparison is not between empty replies', async () => {
    const redis = new RespConnection('127.0.0.1', peers.redis.port);
    try {
      await peers.compare(randomWorkload(1, 0));
      const found = await redis.call('GEOSEARCH', 'cluster', 'FROMMEMBER', 'c0-0', 'BYRADIUS', '300', 'km');
      expect(Array.isArray(found) && found.length).toBeGreaterThan(5);
    } finally {
      redis.close();
    }
  });

  it('keyspace notifications: the same events, names and order as redis-server', async () => {
    const script: Command[] = [
      ['GEOADD', 'g', ...SICILY], ['GEOADD', 'g', 'NX', ...SICILY], ['GEOADD', 'g', '1', '1', 'x'], ['GEOADD', 'g', '1', '100', 'y'],
      ['GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 's1'], ['GEORADIUS', 'g', '15', '37', '1', 'm', 'STORE', 's1'], ['GEORADIUSBYMEMBER', 'g', 'Palermo', '500', 'km', 'STOREDIST', 's2'],
      ['GEOSEARCHSTORE', 's3', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km'], ['GEOSEARCHSTORE', 's3', 'nokey', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km'],
      ['GEOSEARCH', 'g', 'FROMLONLAT', '15', '37', 'BYRADIUS', '300', 'km'], ['GEOPOS', 'nokey', 'a'], ['GEODIST', 'nokey', 'a', 'b'], ['DEL', 'g'],
    ];
    const transcripts = await eventTranscripts([peers.redis.port, peers.ours.port], 'AKEmz', script);
    expect(transcriptDifferences(transcripts[0]!, transcripts[1]!)).toEqual([]);
    const events = transcripts[0]!.flatMap((entry) => entry.events);
    expect(events.some((event) => event.endsWith(' georadiusstore'))).toBe(true);
    expect(events.some((event) => event.endsWith(' geosearchstore'))).toBe(true);
  });

  it('COMMAND INFO and COMMAND GETKEYS match redis-server', async () => {
    const redis = new RespConnection('127.0.0.1', peers.redis.port);
    const ours = new RespConnection('127.0.0.1', peers.ours.port);
    try {
      for (const name of ['geoadd', 'geodist', 'geohash', 'geopos', 'georadius', 'georadius_ro', 'georadiusbymember', 'georadiusbymember_ro', 'geosearch', 'geosearchstore']) {
        expect(await ours.call('COMMAND', 'INFO', name), name).toEqual(await redis.call('COMMAND', 'INFO', name));
      }
      for (const args of [['georadius', 'k', '1', '1', '1', 'km', 'STORE', 'a', 'STOREDIST', 'b'], ['georadiusbymember', 'k', 'm', '1', 'km', 'STORE', 'a'], ['geosearchstore', 'd', 's', 'FROMLONLAT', '1', '1', 'BYRADIUS', '1', 'km']]) {
        expect(await ours.call('COMMAND', 'GETKEYS', ...args), args[0]).toEqual(await redis.call('COMMAND', 'GETKEYS', ...args));
      }
    } finally {
      redis.close();
      ours.close();
    }
  });
});

describe('geo commands in the replication stream', () => {
  it('GEOADD is propagated as ZADD with the computed scores, the STORE forms verbatim: the same stream as redis-server', async () => {
    const streams: string[][][] = [];
    for (const master of [await startRedisServer(), await startEngine()]) {
      try {
        const recorder = await recordReplicationStream(master);
        const c = new RespConnection('127.0.0.1', master.port);
        try {
          await c.call('GEOADD', 'g', ...SICILY);
          await c.call('GEOADD', 'g', 'xx', 'CH', '13.361389', '38.115556', 'Palermo', '15', '37', 'Catania', '180', '85.05112878', 'edge');
          await c.call('GEOADD', 'g', 'NX', ...SICILY);
          await c.call('GEORADIUS', 'g', '15', '37', '200', 'km', 'STORE', 's1');
          await c.call('GEORADIUS', 'g', '15', '37', '200', 'km');
          await c.call('GEORADIUSBYMEMBER', 'g', 'Palermo', '500', 'km', 'STOREDIST', 's2', 'COUNT', '1');
          await c.call('GEOSEARCHSTORE', 's3', 'g', 'FROMLONLAT', '15', '37', 'BYBOX', '600', '600', 'km', 'STOREDIST');
          await c.call('GEOSEARCHSTORE', 's3', 'g', 'FROMLONLAT', '-15', '-37', 'BYBOX', '6', '6', 'km');
          await c.call('GEOSEARCHSTORE', 'never', 'g', 'FROMLONLAT', '-15', '-37', 'BYBOX', '6', '6', 'km');
          // From a script: the effects (ZADD, the GEORADIUS STORE) wrapped in MULTI/EXEC.
          await c.call('EVAL', "redis.call('geoadd', KEYS[1], '13.361389', '38.115556', 'Palermo') return redis.call('georadius', KEYS[1], '15', '37', '200', 'km', 'STORE', KEYS[2])", '2', 'g1', 'g2');
          await c.call('SET', 'end-marker', '1');
          await waitFor(() => recorder.commands.some((argv) => argv[1] === 'end-marker'), { what: 'the end of the workload in the stream' });
        } finally {
          c.close();
          recorder.close();
        }
        streams.push(recorder.commands);
      } finally {
        await master.stop();
      }
    }
    const [theirs, ours] = streams;
    expect(ours).toEqual(theirs);
    expect(theirs!.some((argv) => argv[0]!.toLowerCase() === 'geoadd')).toBe(false);
    expect(theirs!.filter((argv) => argv[0]!.toLowerCase() === 'zadd').length).toBe(3);
    expect(theirs!.some((argv) => argv[0]!.toLowerCase() === 'multi')).toBe(true);
  });
});
