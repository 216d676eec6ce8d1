/**
 * MEMORY against a real redis-server 7.0: HELP, errors and replies that do
 * not depend on the allocator byte for byte; sizes and reports by shape
 * (an integer, a text, a map with the same fields for the same databases).
 */
import { describe, expect, it } from 'vitest';
import { shape, step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

const script: Step[] = [
  step('FLUSHALL'),
  step('SET', 's', 'value'), step('RPUSH', 'l', 'a', 'b', 'c'), step('HSET', 'h', 'f', 'v'), step('SELECT', '3'), step('SET', 'other', 'db'), step('SELECT', '0'),
  step('MEMORY', 'HELP'), step('MEMORY'), step('MEMORY', 'FOO'), step('MEMORY', 'USAGE'),
  step('MEMORY', 'USAGE', 'missing'),
  shape('MEMORY', 'USAGE', 's'), shape('MEMORY', 'USAGE', 'l'), shape('MEMORY', 'USAGE', 'h', 'SAMPLES', '0'), shape('MEMORY', 'USAGE', 'l', 'samples', '2'),
  step('MEMORY', 'USAGE', 's', 'SAMPLES'), step('MEMORY', 'USAGE', 's', 'SAMPLES', '-1'), step('MEMORY', 'USAGE', 's', 'SAMPLES', 'x'),
  step('MEMORY', 'USAGE', 's', 'SAMPLES', '99999999999999999999'), step('MEMORY', 'USAGE', 's', 'COUNT', '1'),
  step('MEMORY', 'USAGE', 'missing', 'SAMPLES', '-1'),
  step('MEMORY', 'PURGE'), step('MEMORY', 'PURGE', 'now'),
  shape('MEMORY', 'DOCTOR'), shape('MEMORY', 'STATS'), step('MEMORY', 'STATS', 'x'),
];

/**
 * MALLOC-STATS: a jemalloc build of Redis answers its statistics (verbatim
 * text in RESP3), a build without jemalloc, like ours, a bulk string saying
 * so; in RESP2 both are bulk strings.
 */
const mallocStats: Step[] = [shape('MEMORY', 'MALLOC-STATS'), step('MEMORY', 'MALLOC-STATS', 'x')];

describe('MEMORY', () => {
  it('answers like redis-server (RESP2 and RESP3)', async () => {
    expect(await peers.compare([...script, ...mallocStats])).toEqual([]);
    expect(await peers.compare(script, 3)).toEqual([]);
    expect(await peers.ours.call('MEMORY', 'MALLOC-STATS')).toBe('Stats not supported for the current allocator');
  });

  it('STATS names the same fields in the same order, with a db.N entry per database holding keys', async () => {
    const fieldsOf = async (port: number): Promise<string[]> => {
      const connection = new RespConnection('127.0.0.1', port);
      try {
        const flat = (await connection.call('MEMORY', 'STATS')) as unknown[];
        return flat.filter((_, index) => index % 2 === 0).map(String);
      } finally {
        connection.close();
      }
    };
    const theirs = await fieldsOf(peers.redis.port);
    expect(theirs).toContain('db.3');
    expect(await fieldsOf(peers.ours.port)).toEqual(theirs);
  });

  it('USAGE of compact encodings is redis-server\'s figure (robj, key sds and dictEntry, the encoding as jemalloc sizes it)', async () => {
    const setup: string[][] = [
      ['FLUSHALL'], ['RPUSH', 'l', 'a', 'b', 'c'], ['RPUSH', 'mixed-list', '1', '2', '3', 'hello', '1000', '100000', '-5000000', 'x'.repeat(70)],
      ['HSET', 'h', 'f', 'v', 'f2', 'v2'], ['HSET', 'longer-hash-key-name-over-32-bytes', 'field', 'x'.repeat(60), 'n', '12345678901'],
      ['SADD', 'si', '1', '2', '3'], ['SADD', 'si32', '1', '100000'], ['SADD', 'si64', '1', '10000000000'],
      ['ZADD', 'z', '1', 'a', '2', 'b'], ['ZADD', 'zf', '1.5', 'a', '0.1', 'b', '-3', 'c'],
      ['SET', 's1', '5'], ['SET', 's2', 'hello'], ['SET', 's3', 'x'.repeat(44)], ['SET', 's4', 'x'.repeat(45)], ['SET', 's5', 'x'.repeat(200)],
      ['SET', 's6', '123456789012345678901'], ['SET', 's7', 'y'.repeat(5000)],
    ];
    const keys = ['l', 'mixed-list', 'h', 'longer-hash-key-name-over-32-bytes', 'si', 'si32', 'si64', 'z', 'zf', 's1', 's2', 's3', 's4', 's5', 's6', 's7'];
    const usage = async (peer: { call(...args: string[]): Promise<unknown> }): Promise<Record<string, unknown>> => {
      for (const command of setup) await peer.call(...command);
      const out: Record<string, unknown> = {};
      for (const key of keys) out[key] = [await peer.call('OBJECT', 'ENCODING', key), await peer.call('MEMORY', 'USAGE', key)];
      return out;
    };
    expect(await usage(peers.ours)).toEqual(await usage(peers.redis));
  });

  it('USAGE and DUMP of an intset keep the width it grew to after SREM, COPY and DEBUG RELOAD (intsets never narrow)', async () => {
    const observe = async (peer: { call(...args: string[]): Promise<unknown> }): Promise<unknown[]> => {
      await peer.call('FLUSHALL');
      await peer.call('SADD', 's32', '1', '100000');
      await peer.call('SREM', 's32', '100000');
      await peer.call('SADD', 's64', '1', '10000000000', '100');
      await peer.call('SREM', 's64', '10000000000');
      await peer.call('SADD', 's64', '-7');
      const out: unknown[] = [];
      for (const key of ['s32', 's64']) out.push(await peer.call('MEMORY', 'USAGE', key), await peer.call('DUMP', key));
      await peer.call('COPY', 's64', 'copy');
      await peer.call('DEBUG', 'RELOAD');
      for (const key of ['s32', 's64', 'copy']) out.push(await peer.call('OBJECT', 'ENCODING', key), await peer.call('MEMORY', 'USAGE', key));
      return out;
    };
    expect(await observe(peers.ours)).toEqual(await observe(peers.redis));
  });

  it('USAGE grows with the value and sees loaded keys', async () => {
    await peers.ours.call('SET', 'small', 'x');
    await peers.ours.call('SET', 'large', 'x'.repeat(10_000));
    const small = Number(await peers.ours.call('MEMORY', 'USAGE', 'small'));
    const large = Number(await peers.ours.call('MEMORY', 'USAGE', 'large'));
    expect(large - small).toBeGreaterThanOrEqual(9_999);
    await peers.ours.call('DEBUG', 'RELOAD');
    expect(Number(await peers.ours.call('MEMORY', 'USAGE', 'large'))).toBe(large);
  });
});
