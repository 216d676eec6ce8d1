/**
 * The scaling bench's own parts, against the real things they drive: the
 * redis-benchmark CSV read back with its latency columns from a real
 * redis-server run, the plot's panels built from a set of figures, and the
 * PNG rasterised by real Chromium.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisBenchmarkResults } from '../../bench/lib/redis-benchmark';
import { smallMultiplesSvg } from '../../bench/lib/svg-chart';
import { renderScalingPlot, scalingPanels, type ScalingFigures } from '../../bench/scaling-plot';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';

afterAll(async () => {
  await stopAllRedisServers();
});

const FIGURES: ScalingFigures = {
  time: '2026-12-03T20:00:00.000Z',
  loadBefore: '0.50 0.40 0.30',
  loadAfter: '0.60 0.45 0.32',
  seconds: 300,
  series: [
    { axis: 'connections', metric: 'SET req/s', unit: 'req/s', oursLabel: 'ours SET', redisLabel: 'redis SET', points: [{ size: 10, ours: 50_000, redis: 100_000 }, { size: 1000, ours: 90_000, redis: 100_000 }] },
    { axis: 'connections', metric: 'SET p99', unit: 'ms', oursLabel: 'ours SET', redisLabel: 'redis SET', points: [{ size: 10, ours: 2, redis: 0.5 }, { size: 1000, ours: 30, redis: 20 }] },
    { axis: 'sync', metric: 'full sync ours->ours', unit: 's', oursLabel: 'ours->ours', redisLabel: 'redis->redis', points: [{ size: 100_000, ours: 0.3, redis: 0.2 }] },
    { axis: 'sync', metric: 'full sync ours->real', unit: 's', oursLabel: 'ours->real', redisLabel: 'redis->redis', points: [{ size: 100_000, ours: 0.1, redis: 0.2 }] },
  ],
  skipped: ['memory (left out by the filter)'],
};

describe('scaling bench', () => {
  it('reads requests/s, p50 and p99 per test from a real redis-benchmark run', async () => {
    const redis = await startRedisServer();
    const results = await redisBenchmarkResults(redis.port, { tests: 'set,get', requests: 2000, clients: 5 });
    expect([...results.keys()].sort()).toEqual(['GET', 'SET']);
    for (const result of results.values()) {
      expect(result.rps).toBeGreaterThan(0);
      expect(result.p50Ms).toBeGreaterThan(0);
      expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
    }
  });

  it('draws each axis absolute on the top row and ours/redis on the bottom row, a missing axis said so', () => {
    const panels = scalingPanels(FIGURES);
    expect(panels.map((panel) => panel.title)).toEqual([
      'Throughput vs connections', 'p99 latency vs connections', 'Memory per key vs keys', 'Full sync time vs keys',
      'Throughput, ours/redis (higher is better)', 'p99, ours/redis (lower is better)', 'Memory per key, ours/redis', 'Full sync, ours/redis->redis',
    ]);
    const [throughput, , memory, sync, throughputRatio, , memoryRatio, syncRatio] = panels;
    expect(throughput!.series.map((series) => series.label)).toEqual(['ours SET', 'redis SET']);
    expect(throughputRatio!.series[0]!.points).toEqual([{ x: 10, y: 0.5 }, { x: 1000, y: 0.9 }]);
    expect(throughputRatio!.referenceY).toBe(1);
    // Two pairs measured against one baseline: the redis->redis line is drawn once.
    expect(sync!.series.map((series) => series.label)).toEqual(['ours->ours', 'redis->redis', 'ours->real']);
    const [oursToOurs, oursToReal] = syncRatio!.series.map((series) => series.points[0]!.y);
    expect(oursToOurs).toBeCloseTo(1.5, 9);
    expect(oursToReal).toBeCloseTo(0.5, 9);
    expect(memory!.series).toEqual([]);
    expect(memoryRatio!.emptyText).toContain('memory not measured');
    const { svg } = smallMultiplesSvg({ title: 't', notes: [], columns: 4, panels });
    expect(svg).toContain('0.50x');
    expect(svg).toContain('memory not measured (scaling=memory)');
  });

  it('rasterises the plot in real Chromium at twice the SVG size', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-scaling-plot-'));
    try {
      const file = path.join(dir, 'scaling.png');
      await renderScalingPlot(FIGURES, file);
      const png = readFileSync(file);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // renderScalingPlot writes two lines of notes and one per skipped axis.
      const { width, height } = smallMultiplesSvg({ title: 't', notes: ['a', 'b', 'Not measured: memory (left out by the filter)'], columns: 4, panels: scalingPanels(FIGURES) });
      // IHDR: width and height as big-endian 32-bit integers at bytes 16 and 20.
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width * 2, height * 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
