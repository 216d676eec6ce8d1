import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { IdleCollector } from './idle-collector';

describe('IdleCollector', () => {
  it('collects once the node is quiet after the heap grew, and not while commands keep coming', async () => {
    const collector = new IdleCollector();
    let retained: Array<{ n: number; text: string }> | null = Array.from({ length: 600_000 }, (_, n) => ({ n, text: `value:${n}` }));
    expect(retained.length).toBe(600_000);
    collector.cron(10, 0);
    collector.cron(11, 900);
    collector.cron(12, 1800);
    expect(collector.collections).toBe(0);
    collector.cron(12, 2500);
    expect(collector.collections).toBe(0);
    retained = null;
    const before = getHeapStatistics().used_heap_size;
    collector.cron(12, 2900);
    expect(collector.collections).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The 600k objects no longer referenced are gone (they were tens of MB).
    expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 20 * 1024 * 1024);
    // Nothing grew since: quiet ticks start no second collection.
    collector.cron(12, 5000);
    expect(collector.collections).toBe(1);
  });
});
