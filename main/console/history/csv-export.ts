/**
 * A chart's range as CSV (RFC 4180): one row per time, `time` in ISO 8601
 * UTC and `unix_ms` beside it, then one column per series id; a missing
 * value is an empty field (not 0: no figure is not a zero figure).
 */
import type { ArchivedRange } from './series-archive';

export function rangeToCsv(range: ArchivedRange, seriesIds: readonly string[]): string {
  const lines = [['time', 'unix_ms', ...seriesIds].map(csvField).join(',')];
  for (let row = 0; row < range.times.length; row++) {
    const time = range.times[row]!;
    const values = seriesIds.map((id) => {
      const value = range.series[id]?.[row] ?? null;
      return value === null ? '' : String(value);
    });
    lines.push([new Date(time).toISOString(), String(time), ...values].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
