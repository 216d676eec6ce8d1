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
