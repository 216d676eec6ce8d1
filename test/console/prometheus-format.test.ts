/**
 * The exposition writer (main/console/metrics/prometheus-format.ts) read
 * back by the strict parser of the tests: escapes, special values, empty
 * families, duplicate series, bad names.
 */
import { describe, expect, it } from 'vitest';
import { formatExposition } from '../../main/console/metrics/prometheus-format';
import { parsePrometheusText, sampleOf } from '../support/prometheus-text';

describe('Prometheus text exposition', () => {
  it('escapes label values and HELP so the parser reads back exactly what was given', () => {
    const nasty = 'a "quoted" back\\slash\nand a line feed';
    const text = formatExposition([
      { name: 'x_bytes', help: 'help with \\ and\na line feed', type: 'gauge', samples: [{ labels: { node: nasty, other: '' }, value: 12 }] },
      { name: 'y_total', help: 'a counter', type: 'counter', samples: [{ labels: {}, value: 3 }] },
    ]);
    expect(text).toBe('# HELP x_bytes help with \\\\ and\\na line feed\n# TYPE x_bytes gauge\nx_bytes{node="a \\"quoted\\" back\\\\slash\\nand a line feed",other=""} 12\n# HELP y_total a counter\n# TYPE y_total counter\ny_total 3\n');
    const families = parsePrometheusText(text);
    expect(families.get('x_bytes')!.help).toBe('help with \\ and\na line feed');
    expect(sampleOf(families, 'x_bytes', { node: nasty }).value).toBe(12);
    expect(families.get('y_total')!.type).toBe('counter');
  });

  it('spells NaN and infinities as Go does, leaves out empty families and repeated series', () => {
    const text = formatExposition([
      { name: 'empty', help: 'nothing', type: 'gauge', samples: [] },
      { name: 'v', help: 'values', type: 'gauge', samples: [{ labels: { k: 'a' }, value: NaN }, { labels: { k: 'b' }, value: Infinity }, { labels: { k: 'c' }, value: -Infinity }, { labels: { k: 'a' }, value: 1 }, { labels: { k: 'd' }, value: 0.25 }] },
    ]);
    expect(text).not.toContain('empty');
    expect(text.split('\n').filter((line) => line.startsWith('v{'))).toEqual(['v{k="a"} NaN', 'v{k="b"} +Inf', 'v{k="c"} -Inf', 'v{k="d"} 0.25']);
    const families = parsePrometheusText(text);
    expect(families.get('v')!.samples).toHaveLength(4);
    expect(formatExposition([])).toBe('');
  });

  it('refuses invalid metric and label names and a family given twice', () => {
    expect(() => formatExposition([{ name: 'bad-name', help: '', type: 'gauge', samples: [{ labels: {}, value: 1 }] }])).toThrow(/invalid Prometheus metric name/);
    expect(() => formatExposition([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }])).toThrow(/invalid Prometheus label name/);
    expect(() => formatExposition([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { __reserved: 'x' }, value: 1 }] }])).toThrow(/invalid Prometheus label name/);
    const twice = { name: 'ok', help: '', type: 'gauge' as const, samples: [{ labels: {}, value: 1 }] };
    expect(() => formatExposition([twice, twice])).toThrow(/given twice/);
  });

  it('the parser refuses what the format does not allow', () => {
    expect(() => parsePrometheusText('x 1\n')).toThrow(/before its HELP and TYPE/);
    expect(() => parsePrometheusText('# HELP x h\n# TYPE x gauge\nx 1')).toThrow(/line feed/);
    expect(() => parsePrometheusText('# HELP x h\n# TYPE x gauge\nx{a="\\t"} 1\n')).toThrow(/invalid escape/);
    expect(() => parsePrometheusText('# HELP x h\n# TYPE x gauge\nx 1\n# HELP y h\n# TYPE y gauge\ny 1\nx{a="b"} 2\n')).toThrow(/not contiguous/);
    expect(() => parsePrometheusText('# HELP x h\n# TYPE x gauge\nx 1\nx 2\n')).toThrow(/repeated/);
    expect(() => parsePrometheusText('# HELP x h\n# TYPE x counter\nx 1\n')).toThrow(/_total/);
    expect(() => parsePrometheusText('# HELP x h\n# TYPE x gauge\nx one\n')).toThrow(/not a float/);
  });
});
