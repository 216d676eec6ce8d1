/**
 * HyperLogLog commands against redis-server 7.0, byte for byte in RESP2 and
 * RESP3, the value itself included (GET after each change): the sparse
 * opcodes, the promotion to dense at hll-sparse-max-bytes, the cached
 * cardinality and its stale bit, PFMERGE of mixed encodings, PFDEBUG, the
 * WRONGTYPE / INVALIDOBJ errors on foreign and corrupt values; a fixed-seed
 * random workload of growing element sets; DUMP payloads of one server
 * RESTOREd into the other and counted there; keyspace notifications;
 * COMMAND INFO. Dense HLLs that PF commands edit in place (held as bytes,
 * main/engine/keyspace/held-bytes.ts) are read back by every kind of string
 * command, and a BGSAVE during such edits keeps the value of its start.
 */
import { describe, expect, it } from 'vitest';
import { step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';
import { eventTranscripts, transcriptDifferences, type Command } from '../support/keyspace-events';
import { seededRandom, type SeededRandom } from '../support/seeded-random';
import { waitFor } from '../support/wait';

const peers = differentialPair();

/** A sparse header (stale cache) followed by `payload`. */
const sparse = (payload: number[], cacheByte = 0x80): Buffer => Buffer.from([...Buffer.from('HYLL'), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, cacheByte, ...payload]);

const basics: Step[] = [
  step('FLUSHALL'),
  step('PFADD', 'h'), step('GET', 'h'), step('PFCOUNT', 'h'), step('GET', 'h'), step('PFADD', 'h'), step('EXISTS', 'h'),
  step('PFADD', 'h', 'a', 'b', 'c'), step('PFADD', 'h', 'a', 'b', 'c'), step('PFADD', 'h', ''), step('GET', 'h'), step('PFCOUNT', 'h'), step('GET', 'h'), step('PFCOUNT', 'h'),
  step('PFADD', 'h', Buffer.from([0, 255, 13, 10]), 'x'.repeat(1000)), step('GET', 'h'), step('PFCOUNT', 'h'),
  step('PFCOUNT', 'nope'), step('PFCOUNT', 'nope', 'nope2'), step('PFCOUNT', 'h', 'nope'), step('PFMERGE', 'dst', 'nope'), step('GET', 'dst'), step('PFCOUNT', 'dst'),
  step('PFMERGE', 'dst'), step('PFMERGE', 'dst', 'h', 'dst'), step('GET', 'dst'), step('PFCOUNT', 'dst', 'h'),
  step('PFADD'), step('PFCOUNT'), step('PFMERGE'), step('PFDEBUG', 'ENCODING'), step('PFSELFTEST', 'x'),
  // Types and headers.
  step('SET', 'str', 'hello'), step('PFADD', 'str', 'a'), step('PFCOUNT', 'str'), step('PFCOUNT', 'h', 'str'), step('PFMERGE', 'x', 'str'), step('EXISTS', 'x'), step('PFMERGE', 'str', 'h'),
  step('PFDEBUG', 'ENCODING', 'str'), step('RPUSH', 'list', 'a'), step('PFADD', 'list', 'a'), step('PFCOUNT', 'list'), step('PFCOUNT', 'h', 'list'), step('PFMERGE', 'list', 'h'), step('PFDEBUG', 'GETREG', 'list'),
  step('SET', 'int', '1234567890123456789'), step('PFADD', 'int', 'a'), step('SET', 'short', 'HYLL\x01'), step('PFCOUNT', 'short'),
  step('SET', 'enc2', Buffer.from([...Buffer.from('HYLL'), 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x7f, 0xff])), step('PFCOUNT', 'enc2'),
  step('SET', 'dense20', Buffer.concat([Buffer.from('HYLL'), Buffer.alloc(16)])), step('PFCOUNT', 'dense20'), step('PFADD', 'dense20', 'a'),
  // Corrupt sparse payloads: detected, never trusted.
  step('PFADD', 'c', 'a', 'b', 'c'), step('APPEND', 'c', 'hello'), step('PFCOUNT', 'c'), step('PFADD', 'c', 'q'), step('PFDEBUG', 'TODENSE', 'c'), step('PFDEBUG', 'DECODE', 'c'), step('PFMERGE', 'm', 'c'), step('EXISTS', 'm'),
  step('SET', 'few', sparse([0x7f, 0xfe])), step('PFCOUNT', 'few'), step('PFADD', 'few', 'a', 'b'), step('GET', 'few'), step('PFDEBUG', 'DECODE', 'few'), step('PFDEBUG', 'GETREG', 'few'), step('PFCOUNT', 'h', 'few'),
  step('SET', 'many', sparse([0x7f, 0xff, 0x80])), step('PFCOUNT', 'many'), step('PFADD', 'many', 'a', 'b', 'c', 'd'), step('GET', 'many'), step('PFCOUNT', 'many'),
  step('SET', 'valrun', sparse([0x7f, 0xfc, 0x8f, 0x8f])), step('PFCOUNT', 'valrun'), step('PFDEBUG', 'TODENSE', 'valrun'), step('GET', 'valrun'),
  step('SET', 'cached', sparse([0x7f, 0xfe], 0x00)), step('SETRANGE', 'cached', 8, Buffer.from([42])), step('PFCOUNT', 'cached'), step('PFADD', 'cached', 'zz'), step('GET', 'cached'),
  step('SET', 'trunc', sparse([0x40])), step('PFCOUNT', 'trunc'), step('PFADD', 'trunc', 'a'), step('GET', 'trunc'),
  // PFDEBUG.
  step('PFDEBUG', 'ENCODING', 'h'), step('PFDEBUG', 'DECODE', 'h'), step('PFDEBUG', 'GETREG', 'nope'), step('PFDEBUG', 'FOO', 'h'), step('PFDEBUG', 'FOO', 'nope'),
  step('PFDEBUG', 'todense', 'h'), step('PFDEBUG', 'TODENSE', 'h'), step('PFDEBUG', 'DECODE', 'h'), step('PFDEBUG', 'encoding', 'h'), step('GET', 'h'), step('PFCOUNT', 'h'), step('PFADD', 'h', 'd', 'e'),
  step('PFADD', 'g', 'a', 'b', 'c'), step('PFDEBUG', 'GETREG', 'g'), step('PFDEBUG', 'ENCODING', 'g'), step('GET', 'g'),
  // PFMERGE of sparse and dense sources; the destination's TTL stays.
  step('PFADD', 's1', 'a', 'b', 'c', 'd'), step('PFADD', 's2', 'c', 'd', 'e', 'f'), step('PFMERGE', 'm2', 's1', 's2'), step('GET', 'm2'), step('PFDEBUG', 'ENCODING', 'm2'), step('PFCOUNT', 'm2'),
  step('PFMERGE', 'm3', 's1', 'h'), step('PFDEBUG', 'ENCODING', 'm3'), step('GET', 'm3'), step('PFCOUNT', 's1', 's2', 'h'),
  step('EXPIRE', 's1', '1000'), step('PFMERGE', 's1', 's2'), step('TTL', 's1'), step('PFADD', 's1', 'zzz'), step('TTL', 's1'), step('PFCOUNT', 's1'), step('TTL', 's1'),
  // A dense register above the sparse maximum (32) reaches a sparse destination only densely.
  step('PFADD', 'big', 'x'), step('PFDEBUG', 'TODENSE', 'big'), step('SETRANGE', 'big', 16, Buffer.from([40])), step('PFCOUNT', 'big'), step('PFMERGE', 'sm', 'big'), step('PFDEBUG', 'ENCODING', 'sm'), step('GET', 'sm'),
  // Promotion threshold.
  step('CONFIG', 'GET', 'hll-sparse-max-bytes'), step('CONFIG', 'SET', 'hll-sparse-max-bytes', '40'),
  step('PFADD', 'p', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), step('PFDEBUG', 'ENCODING', 'p'), step('PFADD', 'p2', 'a'), step('PFMERGE', 'p3', 'p2', 's2'), step('PFDEBUG', 'ENCODING', 'p3'), step('GET', 'p3'),
  step('CONFIG', 'SET', 'hll-sparse-max-bytes', '0'), step('PFADD', 'p4', 'a'), step('PFDEBUG', 'ENCODING', 'p4'), step('CONFIG', 'SET', 'hll-sparse-max-bytes', '3000'),
  // Encodings: a new HLL is a raw sds; one SET short is embstr until a PF command unshares it.
  step('OBJECT', 'ENCODING', 'h'), step('OBJECT', 'ENCODING', 's2'), step('SET', 'e18', sparse([0x7f, 0xff])), step('OBJECT', 'ENCODING', 'e18'), step('PFADD', 'e18'), step('OBJECT', 'ENCODING', 'e18'),
  step('SET', 'e18', sparse([0x7f, 0xff])), step('PFCOUNT', 'e18', 'h'), step('OBJECT', 'ENCODING', 'e18'), step('PFCOUNT', 'e18'), step('OBJECT', 'ENCODING', 'e18'),
  step('SET', 'e18', sparse([0x7f, 0xff])), step('PFDEBUG', 'ENCODING', 'e18'), step('OBJECT', 'ENCODING', 'e18'), step('SET', 'e18', sparse([0x7f, 0xff])), step('PFMERGE', 'e18'), step('OBJECT', 'ENCODING', 'e18'),
  step('DEBUG', 'DIGEST-VALUE', 'h', 'm2', 's1'), step('STRLEN', 'm3'), step('TYPE', 'h'),
];

const many = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/**
 * Runs of PF commands on dense HLLs with no string read between them (so
 * the engine edits the held bytes in place), each run ended by a command
 * that reads or writes the value as a string, then PF commands again.
 */
const denseInPlace: Step[] = [
  step('FLUSHALL'),
  step('PFADD', 'd', ...many('a', 3000)), step('PFADD', 'd2', ...many('b', 200)), step('PFDEBUG', 'TODENSE', 'd2'),
  step('PFADD', 'd', 'x1', 'x2', 'x3'), step('PFADD', 'd', 'x1'), step('PFCOUNT', 'd'), step('PFCOUNT', 'd'), step('PFADD', 'd', 'x4', 'x5'), step('PFCOUNT', 'd', 'd2'),
  step('PFMERGE', 'd', 'd2'), step('PFMERGE', 'm', 'd', 'd2'), step('PFADD', 'm', 'y1'), step('PFDEBUG', 'ENCODING', 'd'), step('PFDEBUG', 'GETREG', 'm'),
  step('STRLEN', 'd'), step('GETRANGE', 'd', 0, 40), step('GET', 'd'), step('OBJECT', 'ENCODING', 'd'), step('DEBUG', 'DIGEST-VALUE', 'd', 'm', 'd2'), step('TYPE', 'm'), step('GET', 'm'), step('GET', 'd2'),
  step('PFADD', 'd', 'z1', 'z2'), step('SETRANGE', 'd', 16, 'abc'), step('PFCOUNT', 'd'), step('PFADD', 'd', 'z3', 'z4', 'z5'), step('GET', 'd'),
  step('PFADD', 'd', 'z6', 'z7'), step('SUBSTR', 'd', 8, 15), step('PFADD', 'd', 'z8', 'z9'), step('APPEND', 'd', 'tail'), step('PFADD', 'd', 'z10'), step('STRLEN', 'd'),
  step('PFADD', 'm', 'w1', 'w2'), step('COPY', 'm', 'mc'), step('PFADD', 'm', 'w3', 'w4'), step('GET', 'mc'), step('GET', 'm'),
  step('PFADD', 'm', 'w5', 'w6'), step('RENAME', 'm', 'mr'), step('PFADD', 'mr', 'w7', 'w8'), step('GETEX', 'mr'), step('PFADD', 'mr', 'w9'), step('GETDEL', 'mr'), step('EXISTS', 'mr'),
  step('PFADD', 'd2', 'v1', 'v2'), step('EXPIRE', 'd2', 100), step('PFADD', 'd2', 'v3', 'v4'), step('TTL', 'd2'), step('DEBUG', 'DIGEST'),
  step('PFADD', 'd2', 'v5', 'v6'), step('EVAL', "redis.call('pfadd', KEYS[1], 'v7', 'v8'); return redis.call('getrange', KEYS[1], 0, 15)", 1, 'd2'),
  step('MULTI'), step('PFADD', 'd2', 'v9', 'v10'), step('STRLEN', 'd2'), step('PFADD', 'd2', 'v11'), step('PFCOUNT', 'd2'), step('EXEC'), step('GET', 'd2'),
  step('PFADD', 'd2', 'v12', 'v13'), step('SET', 'd2', 'plain'), step('PFADD', 'd2', 'v14'), step('GET', 'd2'),
];

/** `count` random elements drawn from a pool with repeats: short texts, numbers and binary strings. */
function elements(random: SeededRandom, count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const kind = random.int(3);
    if (kind === 0) out.push(Buffer.from(`e${random.int(20_000)}`));
    else if (kind === 1) out.push(Buffer.from(String(random.int(1_000_000))));
    else out.push(Buffer.from(Array.from({ length: random.int(40) }, () => random.int(256))));
  }
  return out;
}

const KEYS = ['r0', 'r1', 'r2', 'r3', 'r4'];

/**
 * Element sets growing at different rates on five keys (r0 stays small, r4
 * turns dense early), merges into other keys and across encodings,
 * everything read back exactly. `encodings` collects every PFDEBUG ENCODING
 * answer, to show what the run went through.
 */
function randomWorkload(seed: number, steps: number, encodings: Set<string>): Step[] {
  const random = seededRandom(seed);
  const encodingOf = (key: string): Step => ({ cmd: ['PFDEBUG', 'ENCODING', key], compare: (raw) => { encodings.add(raw.toString('latin1').trim()); return raw.toString('latin1'); } });
  const script: Step[] = [step('FLUSHALL')];
  for (let i = 0; i < steps; i++) {
    const k = random.int(KEYS.length);
    const key = KEYS[k]!;
    const action = random.int(10);
    if (action < 6) {
      const batch = 1 + Math.floor(random.int(4 << k) * (1 + i / 60));
      script.push(step('PFADD', key, ...elements(random, batch)), step('GET', key), encodingOf(key));
      if (random.int(3) === 0) script.push(step('PFCOUNT', key), step('GET', key));
    } else if (action < 8) {
      // Mostly into separate keys, sometimes into one of the growing ones.
      const target = random.int(4) === 0 ? key : `m${random.int(3)}`;
      script.push(step('PFMERGE', target, ...KEYS.filter(() => random.int(2) === 0)), step('GET', target), step('PFCOUNT', target), encodingOf(target));
    } else if (action === 8) {
      script.push(step('PFCOUNT', ...KEYS.filter(() => random.int(2) === 0), key));
    } else {
      script.push(random.int(4) === 0 ? step('PFDEBUG', 'TODENSE', key) : step('PFCOUNT', key), step('GET', key));
    }
  }
  return script;
}

describe('HyperLogLog commands match redis-server', () => {
  it.each([2, 3] as const)('basics, errors, corrupt values, PFDEBUG, promotion; RESP%i', async (protocol) => {
    expect(await peers.compare(basics, protocol)).toEqual([]);
  });

  it.each([2, 3] as const)('dense HLLs edited in place, then read and written as strings; RESP%i', async (protocol) => {
    expect(await peers.compare(denseInPlace, protocol)).toEqual([]);
  });

  it('a BGSAVE writes a dense HLL as it was at its start while PFADD and PFCOUNT edit it (both servers)', async () => {
    for (const port of [peers.redis.port, peers.ours.port]) {
      const client = new RespConnection('127.0.0.1', port);
      try {
        await client.call('FLUSHALL');
        for (let i = 0; i < 100; i++) await client.call('SET', `filler:${i}`, 'x');
        // Two keys made by the same commands hold the same bytes; "hll" is edited during the save, "copy" is not.
        for (const key of ['copy', 'hll']) {
          await client.call('PFADD', key, ...many('e', 3000));
          expect(await client.call('PFADD', key, ...many('last', 20))).toBe(1);
        }
        // 10 ms per key: the save reaches the HLLs after about a second.
        await client.call('CONFIG', 'SET', 'rdb-key-save-delay', '10000');
        expect(await client.call('BGSAVE')).toBe('Background saving started');
        let raised = 0;
        for (let i = 0; i < 100; i++) raised += (await client.call('PFADD', 'hll', `during${i}`)) as number;
        expect(raised).toBeGreaterThan(0);
        await client.call('PFCOUNT', 'hll');
        const edited = (await client.callRaw('GET', 'hll')).raw;
        await client.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
        await waitFor(async () => String(await client.call('INFO', 'persistence')).includes('rdb_bgsave_in_progress:0'), { what: `BGSAVE on port ${port}` });
        await client.call('DEBUG', 'RELOAD', 'NOSAVE');
        const reloaded = (await client.callRaw('GET', 'hll')).raw;
        expect(reloaded).toEqual((await client.callRaw('GET', 'copy')).raw);
        expect(reloaded).not.toEqual(edited);
      } finally {
        await client.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
        client.close();
      }
    }
  });

  it.each([[3000, 1], [600, 2], [9000, 3]] as const)('random workload with hll-sparse-max-bytes %i (fixed seed %i): same replies and same bytes', async (maxBytes, seed) => {
    const encodings = new Set<string>();
    const script = [step('CONFIG', 'SET', 'hll-sparse-max-bytes', maxBytes), ...randomWorkload(seed, 220, encodings), step('CONFIG', 'SET', 'hll-sparse-max-bytes', 3000)];
    expect(await peers.compare(script)).toEqual([]);
    // What the comparison stood on: both encodings were met.
    expect([...encodings].sort()).toEqual(['+dense', '+sparse']);
  });

  it('DUMP of every HLL on one server RESTOREs on the other with the same bytes and the same count, both ways', async () => {
    const script = randomWorkload(4, 160, new Set());
    expect(await peers.compare(script)).toEqual([]);
    const redis = new RespConnection('127.0.0.1', peers.redis.port);
    const ours = new RespConnection('127.0.0.1', peers.ours.port);
    try {
      for (const [from, to] of [[redis, ours], [ours, redis]] as const) {
        for (const key of KEYS) {
          const payload = (await from.callRaw('DUMP', key)).raw;
          const body = payload.subarray(payload.indexOf('\r\n') + 2, payload.length - 2);
          await to.call('DEL', `copy:${key}`);
          expect(await to.call('RESTORE', `copy:${key}`, '0', body)).toBe('OK');
          expect((await to.callRaw('GET', `copy:${key}`)).raw).toEqual((await from.callRaw('GET', key)).raw);
          expect(await to.call('PFCOUNT', `copy:${key}`)).toEqual(await from.call('PFCOUNT', key));
          expect(await to.call('PFCOUNT', `copy:${key}`, key)).toEqual(await from.call('PFCOUNT', key, key));
        }
      }
    } finally {
      redis.close();
      ours.close();
    }
  });

  it('keyspace notifications: the same events, names and order as redis-server', async () => {
    const script: Command[] = [
      ['PFADD', 'n'], ['PFADD', 'n', 'a'], ['PFADD', 'n', 'a'], ['PFCOUNT', 'n'], ['PFCOUNT', 'n'], ['PFMERGE', 'm', 'n'], ['PFMERGE', 'm'], ['PFMERGE', 'fresh', 'nope'],
      ['PFDEBUG', 'TODENSE', 'n'], ['PFADD', 'n', 'b', 'c'], ['SET', 's', 'x'], ['PFADD', 's', 'a'], ['PFCOUNT', 'nope'], ['PFMERGE', 'z', 'nope1', 'nope2'], ['DEL', 'n'],
    ];
    const transcripts = await eventTranscripts([peers.redis.port, peers.ours.port], 'AKEmn', script);
    expect(transcriptDifferences(transcripts[0]!, transcripts[1]!)).toEqual([]);
    expect(transcripts[0]!.filter((entry) => entry.events.some((event) => event.endsWith(' pfadd'))).length).toBeGreaterThanOrEqual(5);
  });

  it('COMMAND INFO (classic fields) and COMMAND GETKEYS match redis-server', async () => {
    const redis = new RespConnection('127.0.0.1', peers.redis.port);
    const ours = new RespConnection('127.0.0.1', peers.ours.port);
    try {
      for (const name of ['pfadd', 'pfcount', 'pfmerge', 'pfdebug', 'pfselftest']) {
        expect(await ours.call('COMMAND', 'INFO', name), name).toEqual(await redis.call('COMMAND', 'INFO', name));
      }
      for (const args of [['pfcount', 'a', 'b', 'c'], ['pfmerge', 'd', 's1', 's2'], ['pfdebug', 'getreg', 'k']]) {
        expect(await ours.call('COMMAND', 'GETKEYS', ...args), args[0]).toEqual(await redis.call('COMMAND', 'GETKEYS', ...args));
      }
    } finally {
      redis.close();
      ours.close();
    }
  });
});
