import { describe, expect, it } from 'vitest';
import { CounterRates, keyCount } from './counter-rates';

const reading = (time: number, value: number | null, epoch: string | null = 'run-a', stale = false) => ({ time, value, epoch, stale });

describe('CounterRates', () => {
  it('gives the per-second delta between two answers, none on the first', () => {
    const rates = new CounterRates();
    expect(rates.rate('n', 'c', reading(1000, 100))).toBeNull();
    expect(rates.rate('n', 'c', reading(1500, 600))).toBe(1000);
    expect(rates.rate('n', 'c', reading(2500, 600))).toBe(0);
  });

  it('a smaller value (CONFIG RESETSTAT) gives null and becomes the baseline', () => {
    const rates = new CounterRates();
    rates.rate('n', 'c', reading(0, 5000));
    expect(rates.rate('n', 'c', reading(1000, 40))).toBeNull();
    expect(rates.rate('n', 'c', reading(2000, 140))).toBe(100);
  });

  it('a new run_id (restart) gives null even when the new value is larger', () => {
    const rates = new CounterRates();
    rates.rate('n', 'c', reading(0, 10, 'run-a'));
    expect(rates.rate('n', 'c', reading(1000, 900, 'run-b'))).toBeNull();
    expect(rates.rate('n', 'c', reading(2000, 1000, 'run-b'))).toBe(100);
  });

  it('stale readings neither give a rate nor move the baseline; nodes and counters are apart', () => {
    const rates = new CounterRates();
    rates.rate('n', 'c', reading(0, 0));
    rates.rate('m', 'c', reading(0, 1_000_000));
    expect(rates.rate('n', 'c', reading(500, 999, 'run-a', true))).toBeNull();
    expect(rates.rate('n', 'c', reading(1000, 50))).toBe(50);
    expect(rates.rate('n', 'd', reading(1000, 50))).toBeNull();
    rates.forget('n');
    expect(rates.rate('n', 'c', reading(2000, 60))).toBeNull();
    expect(rates.rate('m', 'c', reading(1000, 1_000_010))).toBe(10);
  });
});

describe('keyCount', () => {
  it('sums keys= of every dbN line, 0 for an empty keyspace, null without INFO', () => {
    expect(keyCount(new Map([['redis_version', '7.0.15'], ['db0', 'keys=3,expires=1,avg_ttl=0'], ['db9', 'keys=40,expires=0,avg_ttl=0']]))).toBe(43);
    expect(keyCount(new Map([['redis_version', '7.0.15']]))).toBe(0);
    expect(keyCount(new Map())).toBeNull();
  });
});
