import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './latency-histogram';

/** Expected figures are what Redis 7.0's bundled hdr_histogram (1 ns..1 s, 2 digits) gives for the same samples. */
function histogramOf(micros: ReadonlyArray<number>): LatencyHistogram {
  const histogram = new LatencyHistogram();
  for (const value of micros) histogram.recordMicros(value);
  return histogram;
}

describe('LatencyHistogram', () => {
  it('reports the cumulative power-of-two buckets LATENCY HISTOGRAM prints, the clamps included', () => {
    const histogram = histogramOf([1, 3, 5, 1, 250, 7000, 1_000_000, 2_000_000, 0]);
    expect(histogram.totalCount).toBe(9);
    expect(histogram.cumulativeBuckets()).toEqual([[1, 3], [4, 4], [8, 5], [264, 6], [8454, 7], [1073741, 9]]);
    expect(histogramOf([1, 2, 3, 4, 33, 34, 100, 999]).cumulativeBuckets()).toEqual([[1, 1], [2, 2], [4, 4], [33, 5], [66, 6], [132, 7], [1056, 8]]);
  });

  it('answers percentiles as hdr_value_at_percentile does (highest equivalent value; lowest for p0)', () => {
    const histogram = histogramOf([1, 2, 3, 4, 33, 34, 100, 999]);
    expect([0, 50, 99, 99.9, 100].map((p) => histogram.valueAtPercentile(p) / 1000)).toEqual([1, 4.015, 999.423, 999.423, 999.423]);
    const clamped = histogramOf([1, 3, 5, 1, 250, 7000, 1_000_000, 2_000_000, 0]);
    expect(clamped.valueAtPercentile(50) / 1000).toBe(5.023);
    expect(clamped.valueAtPercentile(0) / 1000).toBe(0.001);
    expect(clamped.valueAtPercentile(100) / 1000).toBe(1002438.655);
  });

  it('is empty until the first sample', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.cumulativeBuckets()).toEqual([]);
  });
});
