/**
 * The emulated x87 long double arithmetic (util/long-double.ts) against a
 * real redis-server's INCRBYFLOAT: same digits, same errors, for values where
 * a double-based implementation would print other digits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { addLongDouble } from '../../main/engine/util/long-double';

let redis: RedisProcess;
beforeAll(async () => { redis = await startRedisServer(); });
afterAll(async () => { await stopAllRedisServers(); });

async function redisIncrByFloat(current: string, increment: string): Promise<{ value: string } | { error: string }> {
  await redis.call('SET', 'k', current);
  const reply = await redis.call('INCRBYFLOAT', 'k', increment);
  return reply instanceof Error ? { error: reply.message } : { value: String(reply) };
}

const TABLE: Array<[string, string]> = [
  ['10.50', '0.1'], ['0', '0.1'], ['1', '-1'], ['-0', '0'], ['3.0e3', '200'], ['5.0e3', '2.0e2'],
  ['1.5', '1e-20'], ['0.1', '0.2'], ['1e308', '1e308'], ['1', 'inf'], ['inf', '1'], ['1', 'nan'], ['abc', '1'],
  ['1', ' 1'], ['1', '1 '], ['0x10', '0x1p-3'], ['123456789012345678', '1'], ['1e-400', '1'], ['4e-320', '0'],
  ['17179869184', '0.0000001'], ['-1.23456789e-5', '1.23456789e-5'], ['99999999999999999999', '0.5'],
];

describe('INCRBYFLOAT arithmetic matches redis-server', () => {
  it('a table of awkward cases', async () => {
    for (const [current, increment] of TABLE) {
      expect({ current, increment, result: addLongDouble(current, increment) })
        .toEqual({ current, increment, result: await redisIncrByFloat(current, increment) });
    }
  });

  it('random decimal operands (fixed seed)', async () => {
    const decimal = fc.tuple(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.integer({ min: 0, max: 12 }))
      .map(([digits, scale]) => (digits / 10 ** scale).toString());
    const samples = fc.sample(fc.tuple(decimal, decimal), { seed: 7, numRuns: 300 });
    for (const [current, increment] of samples) {
      expect({ current, increment, result: addLongDouble(current, increment) })
        .toEqual({ current, increment, result: await redisIncrByFloat(current, increment) });
    }
  });
});
