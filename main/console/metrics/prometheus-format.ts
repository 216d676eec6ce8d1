/**
 * The Prometheus text exposition format, version 0.0.4 (what every
 * Prometheus server scrapes): per metric family one `# HELP` line, one
 * `# TYPE` line, then one line per sample:
 *
 *   # HELP replscope_link_lag_bytes Bytes the replica is behind ...
 *   # TYPE replscope_link_lag_bytes gauge
 *   replscope_link_lag_bytes{session="s-1",master="10.0.0.1:6379",replica="10.0.0.2:6379"} 1234
 *
 * Invariants kept here so callers cannot break them:
 *  - metric and label names match [a-zA-Z_:][a-zA-Z0-9_:]* and
 *    [a-zA-Z_][a-zA-Z0-9_]* (checked; a bad name throws, it is a bug);
 *  - label values escape backslash, double quote and line feed; HELP text
 *    escapes backslash and line feed;
 *  - a family's samples are contiguous and no label set appears twice in a
 *    family (the second one is dropped: Prometheus rejects the whole scrape);
 *  - values are Go-style floats: NaN, +Inf, -Inf spelled that way;
 *  - a family with no samples is left out entirely.
 */

export type MetricType = 'gauge' | 'counter';

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: ReadonlyArray<Sample>;
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelBlock(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  const parts = names.map((name) => {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`invalid Prometheus label name ${JSON.stringify(name)}`);
    return `${name}="${escapeLabelValue(labels[name]!)}"`;
  });
  return `{${parts.join(',')}}`;
}

/** The exposition of these families, in the order given (one trailing line feed). */
export function formatExposition(families: ReadonlyArray<MetricFamily>): string {
  const lines: string[] = [];
  const seenFamilies = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid Prometheus metric name ${JSON.stringify(family.name)}`);
    if (seenFamilies.has(family.name)) throw new Error(`metric family ${family.name} given twice`);
    seenFamilies.add(family.name);
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    const seenLabels = new Set<string>();
    for (const sample of family.samples) {
      const labels = labelBlock(sample.labels);
      if (seenLabels.has(labels)) continue;
      seenLabels.add(labels);
      lines.push(`${family.name}${labels} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
