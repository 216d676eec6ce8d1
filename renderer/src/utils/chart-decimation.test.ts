import { describe, expect, it } from 'vitest';
import type { AlignedSeries } from './chart-data';
import { decimate } from './chart-decimation';

function series(values: (number | null)[]): AlignedSeries {
  return [values.map((_, index) => index), values];
}

describe('min/max decimation', () => {
  it('leaves small data untouched', () => {
    const data = series([1, 2, 3, 4]);
    expect(decimate(data, 2)).toBe(data);
  });

  it('keeps each bucket\'s extremes in the order they happened, at the bucket\'s first and last time', () => {
    const [times, values] = decimate(series([5, 9, 1, 7, 2, 3, 8, 0, 4]), 3) as [number[], (number | null)[]];
    expect(times).toEqual([0, 2, 3, 5, 6, 8]);
    // bucket 0 = 5 9 1 (max 9 before min 1), bucket 1 = 7 2 3 (max 7 before min 2), bucket 2 = 8 0 4.
    expect(values).toEqual([9, 1, 7, 2, 8, 0]);
  });

  it('a spike of one row survives an hour squeezed into 100 buckets', () => {
    const values: (number | null)[] = Array.from({ length: 3600 }, () => 10);
    values[1234] = 5000;
    const [times, decimated] = decimate(series(values), 100) as [number[], (number | null)[]];
    expect(times.length).toBe(200);
    expect(Math.max(...decimated.map((value) => value ?? 0))).toBe(5000);
    expect(times[0]).toBe(0);
    expect(times[times.length - 1]).toBe(3599);
  });

  it('gaps stay gaps; series are decimated independently', () => {
    const times = Array.from({ length: 8 }, (_, index) => index);
    const data: AlignedSeries = [times, [null, null, null, null, 1, 2, 3, 4], [4, 3, 2, 1, 0, 1, 2, 3]];
    const [, first, second] = decimate(data, 2) as [number[], (number | null)[], (number | null)[]];
    expect(first).toEqual([null, null, 1, 4]);
    expect(second).toEqual([4, 1, 0, 3]);
  });
});
