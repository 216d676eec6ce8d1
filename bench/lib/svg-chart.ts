/**
 * Small-multiple line charts as one SVG document, for benchmark figures
 * that grow along an axis spanning decades (connections, keys): every
 * panel's x axis is logarithmic with a tick at each measured size, its y
 * axis linear from zero (a ratio or a size read against zero, never against
 * a truncated axis). Panels are laid out in a grid, row by row. The SVG is
 * self-contained (no external fonts, styles or scripts), so any browser
 * rasterises it the same way (svg-to-png.ts).
 */

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** Print each point's value in a row under the x axis, aligned with its tick, formatted so (e.g. `0.92x`). */
  readonly valueLabel?: (y: number) => string;
  readonly points: ReadonlyArray<ChartPoint>;
}

export interface ChartPanel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** The x values to mark (the measured sizes), with their labels. */
  readonly xTicks: ReadonlyArray<{ readonly value: number; readonly label: string }>;
  readonly series: ReadonlyArray<ChartSeries>;
  /** A horizontal reference line (1.0 on a ratio panel). */
  readonly referenceY?: number;
  /** Shown in place of the plot when the panel has no points (its axis was not measured). */
  readonly emptyText?: string;
}

export interface SmallMultiples {
  readonly title: string;
  /** Lines under the title (what was measured, when, under what load). */
  readonly notes: ReadonlyArray<string>;
  readonly columns: number;
  readonly panels: ReadonlyArray<ChartPanel>;
}

const PANEL_WIDTH = 330;
const PANEL_HEIGHT = 270;
const MARGIN = { left: 58, right: 14, top: 58, bottom: 42 };
/** Height of one row of values under a panel's x axis. */
const VALUE_ROW = 13;
const GAP = 18;
const PAGE_PADDING = 20;
const LINE_HEIGHT = 17;
const FONT = 'font-family="DejaVu Sans, Arial, sans-serif"';

export function smallMultiplesSvg(chart: SmallMultiples): { svg: string; width: number; height: number } {
  const rows = Math.ceil(chart.panels.length / chart.columns);
  const header = PAGE_PADDING + 24 + chart.notes.length * LINE_HEIGHT + 8;
  const width = PAGE_PADDING * 2 + chart.columns * PANEL_WIDTH + (chart.columns - 1) * GAP;
  const height = header + rows * PANEL_HEIGHT + (rows - 1) * GAP + PAGE_PADDING;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${PAGE_PADDING}" y="${PAGE_PADDING + 16}" font-size="18" font-weight="bold" fill="#111">${escape(chart.title)}</text>`,
    ...chart.notes.map((note, index) => `<text x="${PAGE_PADDING}" y="${PAGE_PADDING + 24 + (index + 1) * LINE_HEIGHT - 4}" font-size="12" fill="#444">${escape(note)}</text>`),
  ];
  chart.panels.forEach((panel, index) => {
    const left = PAGE_PADDING + (index % chart.columns) * (PANEL_WIDTH + GAP);
    const top = header + Math.floor(index / chart.columns) * (PANEL_HEIGHT + GAP);
    parts.push(`<g transform="translate(${left},${top})">${panelSvg(panel)}</g>`);
  });
  parts.push('</svg>');
  return { svg: parts.join('\n'), width, height };
}

function panelSvg(panel: ChartPanel): string {
  const valueRows = panel.series.filter((series) => series.valueLabel && series.points.length > 0);
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom - valueRows.length * VALUE_ROW;
  const parts: string[] = [
    `<rect width="${PANEL_WIDTH}" height="${PANEL_HEIGHT}" fill="#fafafa" stroke="#ddd"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold" fill="#111">${escape(panel.title)}</text>`,
  ];
  const points = panel.series.flatMap((series) => series.points);
  if (points.length === 0) {
    parts.push(`<text x="${PANEL_WIDTH / 2}" y="${PANEL_HEIGHT / 2}" font-size="12" fill="#888" text-anchor="middle">${escape(panel.emptyText ?? 'not measured')}</text>`);
    return parts.join('');
  }
  const xs = panel.xTicks.map((tick) => Math.log10(tick.value));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  // Half a decade of padding at each end when there is more than one size, so end points and their labels stay inside.
  const xPad = xMax > xMin ? (xMax - xMin) * 0.08 : 0.5;
  const yTicks = niceTicks(Math.max(panel.referenceY ?? 0, ...points.map((point) => point.y)) * 1.12);
  const yMax = yTicks[yTicks.length - 1]!;
  const px = (x: number): number => MARGIN.left + ((Math.log10(x) - xMin + xPad) / (xMax - xMin + 2 * xPad)) * plotWidth;
  const py = (y: number): number => MARGIN.top + plotHeight - (y / yMax) * plotHeight;

  for (const tick of yTicks) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${py(tick)}" y2="${py(tick)}" stroke="#e4e4e4"/>`);
    parts.push(`<text x="${MARGIN.left - 5}" y="${py(tick) + 4}" font-size="10" fill="#555" text-anchor="end">${escape(formatTick(tick))}</text>`);
  }
  for (const tick of panel.xTicks) {
    parts.push(`<line x1="${px(tick.value)}" x2="${px(tick.value)}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#eeeeee"/>`);
    parts.push(`<text x="${px(tick.value)}" y="${MARGIN.top + plotHeight + 14}" font-size="10" fill="#555" text-anchor="middle">${escape(tick.label)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`);
  if (panel.referenceY !== undefined) {
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${py(panel.referenceY)}" y2="${py(panel.referenceY)}" stroke="#444" stroke-dasharray="2 3"/>`);
  }
  parts.push(`<text x="${MARGIN.left + plotWidth / 2}" y="${PANEL_HEIGHT - 8}" font-size="11" fill="#333" text-anchor="middle">${escape(panel.xLabel)}</text>`);
  parts.push(`<text transform="translate(13,${MARGIN.top + plotHeight / 2}) rotate(-90)" font-size="11" fill="#333" text-anchor="middle">${escape(panel.yLabel)}</text>`);

  panel.series.forEach((series, index) => {
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    const path = sorted.map((point, at) => `${at === 0 ? 'M' : 'L'}${px(point.x).toFixed(1)},${py(point.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const point of sorted) {
      parts.push(`<circle cx="${px(point.x).toFixed(1)}" cy="${py(point.y).toFixed(1)}" r="3" fill="${series.color}"/>`);
    }
    // Legend: one line per series under the panel title.
    const legendX = 10 + (index % 2) * ((PANEL_WIDTH - 20) / 2);
    const legendY = 31 + Math.floor(index / 2) * 12;
    parts.push(`<line x1="${legendX}" x2="${legendX + 18}" y1="${legendY - 3}" y2="${legendY - 3}" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${legendX + 22}" y="${legendY}" font-size="10" fill="#333">${escape(series.label)}</text>`);
  });
  // Values as rows under the x tick labels (beside the points, several series' labels collide).
  valueRows.forEach((series, row) => {
    const y = MARGIN.top + plotHeight + 28 + row * VALUE_ROW;
    for (const point of series.points) {
      parts.push(`<text x="${px(point.x).toFixed(1)}" y="${y}" font-size="10" font-weight="bold" fill="${series.color}" text-anchor="middle">${escape(series.valueLabel!(point.y))}</text>`);
    }
  });
  return parts.join('');
}

/** Ticks from 0 to at least `max` with a 1, 2 or 5 × 10^n step, at most 6 intervals. */
function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step * 1e-9; tick += step) ticks.push(Number(tick.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function formatTick(value: number): string {
  if (value >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (value >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
