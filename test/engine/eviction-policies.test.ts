/**
 * maxmemory eviction picks by the keys' access data (evict.c's eviction
 * pool), not at random. With a limit nothing fits under, every candidate
 * goes, and the order of the "evicted" keyspace events shows the choice:
 * allkeys-lru evicts the keys idle the longest first, allkeys-lfu the keys
 * read the fewest times, volatile-ttl the keys that expire soonest, and
 * volatile-* never touches keys without a TTL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines, type EngineHandle } from '../support/engine';
import { RespConnection } from '../support/resp-connection';
import { sleep, waitFor } from '../support/wait';

const PAIRS = 600;
const VALUE = 'x'.repeat(200);

afterEach(async () => {
  await stopAllEngines();
});

/**
 * Writes cold:i and hot:i keys (interleaved, so insertion order says
 * nothing), lets `warm` favour the hot ones, then sets maxmemory to 1 and
 * returns the keys in the order they were evicted.
 */
async function evictionOrder(policy: string, warm: (engine: EngineHandle) => Promise<void>, ttl = false): Promise<string[]> {
  const engine = await startEngine([['notify-keyspace-events', 'Ee']]);
  const subscriber = new RespConnection('127.0.0.1', engine.port);
  try {
    await subscriber.call('HELLO', '3');
    await subscriber.call('SUBSCRIBE', '__keyevent@0__:evicted');
    await engine.call('CONFIG', 'SET', 'maxmemory-policy', policy);
    for (let i = 0; i < PAIRS; i++) {
      await engine.call('SET', `cold:${i}`, VALUE, ...(ttl ? ['EX', '1000'] : []));
      await engine.call('SET', `hot:${i}`, VALUE, ...(ttl ? ['EX', '100000'] : []));
    }
    await warm(engine);
    await engine.call('CONFIG', 'SET', 'maxmemory', '1');
    await engine.call('SET', 'trigger', '1').catch(() => undefined);
    const evicted: string[] = [];
    await waitFor(() => {
      for (const push of subscriber.takePushes()) evicted.push(String(push.items[2]));
      return evicted.length >= 2 * PAIRS;
    });
    await engine.call('CONFIG', 'SET', 'maxmemory', '0');
    return evicted;
  } finally {
    subscriber.close();
  }
}

/** Share of cold keys among the first half of the evictions. */
function coldFirst(evicted: ReadonlyArray<string>): number {
  const firstHalf = evicted.slice(0, PAIRS);
  return firstHalf.filter((key) => key.startsWith('cold:')).length / firstHalf.length;
}

describe('maxmemory eviction policies', () => {
  it('allkeys-lru evicts the keys idle the longest first', async () => {
    const evicted = await evictionOrder('allkeys-lru', async (engine) => {
      await sleep(2100); // the LRU clock has a one-second resolution
      for (let i = 0; i < PAIRS; i++) await engine.call('GET', `hot:${i}`);
    });
    expect(coldFirst(evicted)).toBeGreaterThan(0.9);
  });

  it('allkeys-lfu evicts the keys read the fewest times first', async () => {
    const evicted = await evictionOrder('allkeys-lfu', async (engine) => {
      for (let round = 0; round < 20; round++) for (let i = 0; i < PAIRS; i++) await engine.call('GET', `hot:${i}`);
    });
    expect(coldFirst(evicted)).toBeGreaterThan(0.9);
  });

  it('volatile-ttl evicts the keys that expire soonest first', async () => {
    const evicted = await evictionOrder('volatile-ttl', async () => {}, true);
    expect(coldFirst(evicted)).toBeGreaterThan(0.9);
  });

  it('volatile-lru never evicts a key without a TTL, and refuses writes once only such keys are left', async () => {
    const engine = await startEngine();
    await engine.call('CONFIG', 'SET', 'maxmemory-policy', 'volatile-lru');
    for (let i = 0; i < 200; i++) await engine.call('SET', `persistent:${i}`, VALUE);
    for (let i = 0; i < 200; i++) await engine.call('SET', `volatile:${i}`, VALUE, 'EX', '1000');
    await engine.call('CONFIG', 'SET', 'maxmemory', '1');
    expect(String(await engine.call('SET', 'more', VALUE))).toMatch(/OOM command not allowed/);
    expect(await engine.call('EXISTS', ...Array.from({ length: 200 }, (_, i) => `persistent:${i}`))).toBe(200);
    expect(await engine.call('EXISTS', ...Array.from({ length: 200 }, (_, i) => `volatile:${i}`))).toBe(0);
    await engine.call('CONFIG', 'SET', 'maxmemory', '0');
  });

  it('takes maxmemory-samples up to INT_MAX as redis-server does, sampling at most every key of a database', async () => {
    const engine = await startEngine();
    expect(await engine.call('CONFIG', 'SET', 'maxmemory-samples', '2147483647')).toBe('OK');
    for (const policy of ['allkeys-lru', 'volatile-lfu']) {
      await engine.call('CONFIG', 'SET', 'maxmemory-policy', policy);
      for (let i = 0; i < 100; i++) await engine.call('SET', `key:${i}`, VALUE, 'EX', '1000');
      await engine.call('CONFIG', 'SET', 'maxmemory', '1');
      await engine.call('SET', 'trigger', '1').catch(() => undefined);
      expect(await engine.call('EXISTS', ...Array.from({ length: 100 }, (_, i) => `key:${i}`))).toBe(0);
      await engine.call('CONFIG', 'SET', 'maxmemory', '0');
    }
  });
});
