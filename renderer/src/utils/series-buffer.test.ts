import { describe, expect, it } from 'vitest';
import { chartData } from './chart-data';
import { decimate } from './chart-decimation';
import { SeriesBuffer } from './series-buffer';

const row = (entries: Record<string, number | null>): Map<string, number | null> => new Map(Object.entries(entries));

describe('SeriesBuffer', () => {
  it('keeps columns aligned with times, padding series that appear or vanish', () => {
    const buffer = new SeriesBuffer(100);
    buffer.append(1000, row({ a: 1 }));
    buffer.append(2000, row({ a: 2, b: 20 }));
    buffer.append(3000, row({ b: 30 }));
    expect(buffer.times).toEqual([1000, 2000, 3000]);
    expect(buffer.column('a')).toEqual([1, 2, null]);
    expect(buffer.column('b')).toEqual([null, 20, 30]);
  });
  it('drops a row that is not newer than the last (late or duplicated push)', () => {
    const buffer = new SeriesBuffer(100);
    expect(buffer.append(2000, row({ a: 2 }))).toBe(true);
    expect(buffer.append(2000, row({ a: 99 }))).toBe(false);
    expect(buffer.append(1000, row({ a: 1 }))).toBe(false);
    expect(buffer.column('a')).toEqual([2]);
  });
  it('trims old rows in batches, keeping capacity rows', () => {
    const buffer = new SeriesBuffer(80);
    // Up to capacity + capacity/8 rows are kept before one batch trim.
    for (let index = 0; index < 90; index += 1) buffer.append(index, row({ a: index }));
    expect(buffer.length).toBe(90);
    buffer.append(90, row({ a: 90 }));
    expect(buffer.length).toBe(80);
    expect(buffer.times[0]).toBe(11);
    expect(buffer.column('a')?.[0]).toBe(11);
    expect(buffer.column('a')?.length).toBe(80);
  });
  it.each([
    [16, 500],
    [600, 1500], // columns grow 256 -> 512 -> 676 rows before the first trim
  ])('matches a plain-array model over many pushes, trims and series coming and going (capacity %i, %i pushes)', (capacity, pushes) => {
    const buffer = new SeriesBuffer(capacity);
    const model = { times: [] as number[], columns: new Map<string, (number | null)[]>() };
    for (let tick = 1; tick <= pushes; tick += 1) {
      const values = new Map<string, number | null>();
      if (tick % 3 !== 0) values.set('a', tick);
      if (tick > 100 && tick < 300) values.set('b', tick % 7 === 0 ? null : -tick / 2);
      if (tick > 400) values.set('c', tick * 1.5);
      buffer.append(tick * 1000, values);
      model.times.push(tick * 1000);
      for (const [id, column] of model.columns) column.push(values.get(id) ?? null);
      for (const [id, value] of values) if (!model.columns.has(id)) model.columns.set(id, [...new Array<null>(model.times.length - 1).fill(null), value]);
      const keep = model.times.length - capacity > Math.floor(capacity / 8) ? model.times.length - capacity : 0;
      if (keep > 0) {
        model.times.splice(0, keep);
        for (const column of model.columns.values()) column.splice(0, keep);
      }
      expect(buffer.times).toEqual(model.times);
      for (const [id, column] of model.columns) expect({ tick, id, column: buffer.column(id) }).toEqual({ tick, id, column });
    }
  });
  it('merges a history block fetched after pushes began: older rows prepended, live rows kept', () => {
    const buffer = new SeriesBuffer(100);
    buffer.append(3000, row({ a: 3, live: 1 }));
    buffer.append(4000, row({ a: 4, live: 1 }));
    const used = buffer.merge({ sessionId: 's', times: [1000, 2000, 3000, 4000], series: { a: [1, 2, 33, 44], old: [7, 8, 9, 10] } });
    expect(used).toBe(4);
    expect(buffer.times).toEqual([1000, 2000, 3000, 4000]);
    // Live values win; a series only the block has fills the live rows too.
    expect(buffer.column('a')).toEqual([1, 2, 3, 4]);
    expect(buffer.column('old')).toEqual([7, 8, 9, 10]);
    expect(buffer.column('live')).toEqual([null, null, 1, 1]);
  });
  it('a second block for other series fills their gaps at known times and ignores unknown ones', () => {
    const buffer = new SeriesBuffer(100);
    buffer.merge({ sessionId: 's', times: [1000, 2000], series: { a: [1, 2] } });
    buffer.append(3000, row({ a: 3 }));
    const used = buffer.merge({ sessionId: 's', times: [500, 1000, 2500, 3000], series: { b: [0, 10, 25, 30] } });
    expect(used).toBe(3);
    expect(buffer.times).toEqual([500, 1000, 2000, 3000]);
    expect(buffer.column('a')).toEqual([null, 1, 2, 3]);
    expect(buffer.column('b')).toEqual([0, 10, null, 30]);
  });
  it('merges into an empty buffer and pads short columns', () => {
    const buffer = new SeriesBuffer(100);
    expect(buffer.merge({ sessionId: 's', times: [1, 2, 3], series: { a: [1] } })).toBe(3);
    expect(buffer.column('a')).toEqual([1, null, null]);
  });
  it('finds window starts by binary search', () => {
    const buffer = new SeriesBuffer(100);
    for (const time of [10, 20, 30, 40]) buffer.append(time, row({}));
    expect(buffer.indexAtOrAfter(0)).toBe(0);
    expect(buffer.indexAtOrAfter(25)).toBe(2);
    expect(buffer.indexAtOrAfter(30)).toBe(2);
    expect(buffer.indexAtOrAfter(99)).toBe(4);
  });
});

describe('chartData', () => {
  it('slices the window, converts times to seconds and computes ratios', () => {
    const buffer = new SeriesBuffer(100);
    buffer.append(1000, row({ lag: 10, hist: 50, size: 100 }));
    buffer.append(2000, row({ lag: 20, hist: 100, size: 100 }));
    buffer.append(3000, row({ lag: null, hist: 100, size: 0 }));
    const [times, lag, fill] = chartData(buffer, [{ column: 'lag' }, { numerator: 'hist', denominator: 'size' }], 2000);
    expect(times).toEqual([2, 3]);
    expect(lag).toEqual([20, null]);
    expect(fill).toEqual([1, null]);
  });
  it('decimating while reading the buffer equals decimating the full copy', () => {
    const buffer = new SeriesBuffer(5000);
    for (let index = 0; index < 3600; index += 1) {
      const lag = index % 97 === 0 ? null : (index * 7919) % 1000;
      buffer.append(1000 * (index + 1), row({ lag, hist: index % 13, size: index % 5 === 0 ? 0 : 10 }));
    }
    const sources = [{ column: 'lag', scale: 2 }, { numerator: 'hist', denominator: 'size' }, { column: 'missing' }];
    for (const [since, buckets] of [[0, 100], [600_000, 333], [3_000_000, 700], [0, 5000]] as const) {
      expect(chartData(buffer, sources, since, buckets)).toEqual(decimate(chartData(buffer, sources, since), buckets));
    }
  });
  it('gives an all-null column for an unknown series', () => {
    const buffer = new SeriesBuffer(100);
    buffer.append(1000, row({ a: 1 }));
    expect(chartData(buffer, [{ column: 'missing' }], 0)[1]).toEqual([null]);
  });
});
