/**
 * ASCII sparklines (Redis's sparkline.c), for LATENCY GRAPH: samples drawn
 * as columns `rows` characters high, each character cell worth three steps
 * ("_", "o", "#" when filled, a "|" below a full cell), then each sample's
 * label written vertically under its column after one blank line. A
 * sequence longer than `columns` wraps into several blocks.
 */

interface Sample {
  readonly value: number;
  readonly label: string | null;
}

const CHARSET_FILL = '_o#';
const CHARSET = '_-`';
const LABEL_MARGIN_TOP = 1;

export class SparklineSequence {
  readonly samples: Sample[] = [];
  min = 0;
  max = 0;
  labels = 0;

  add(value: number, label: string | null): void {
    const text = label === null || label === '' ? null : label;
    if (this.samples.length === 0) {
      this.min = this.max = value;
    } else if (value < this.min) this.min = value;
    else if (value > this.max) this.max = value;
    this.samples.push({ value, label: text });
    if (text !== null) this.labels++;
  }
}

/** One block of at most `columns` samples starting at `offset`. */
function renderRange(sequence: SparklineSequence, rows: number, offset: number, length: number, fill: boolean): string {
  const charset = fill ? CHARSET_FILL : CHARSET;
  const steps = charset.length * rows;
  const range = sequence.max - sequence.min;
  const relativeMax = range === 0 ? 1 : range;
  let output = '';
  for (let row = 0; ; row++) {
    let more = false;
    const chars: string[] = new Array<string>(length).fill(' ');
    for (let j = 0; j < length; j++) {
      const sample = sequence.samples[j + offset]!;
      const relative = sample.value - sequence.min;
      // (int)(relval*steps) / relmax, truncated again into an int.
      let step = Math.trunc(Math.trunc(relative * steps) / relativeMax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < rows) {
        more = true;
        const charIndex = step - (rows - row - 1) * charset.length;
        if (charIndex >= 0 && charIndex < charset.length) chars[j] = charset[charIndex]!;
        else if (fill && charIndex >= charset.length) chars[j] = '|';
      } else {
        if (sequence.labels > 0 && row - rows < LABEL_MARGIN_TOP) {
          more = true;
          break;
        }
        const label = sample.label;
        const labelChar = row - rows - LABEL_MARGIN_TOP;
        if (label !== null && label.length > labelChar) {
          more = true;
          chars[j] = label[labelChar]!;
        }
      }
    }
    if (!more) return output;
    output += `${chars.join('')}\n`;
  }
}

/** sparklineRender with SPARKLINE_FILL (the only mode LATENCY GRAPH uses). */
export function renderSparkline(sequence: SparklineSequence, columns: number, rows: number): string {
  let output = '';
  for (let j = 0; j < sequence.samples.length; j += columns) {
    const length = Math.min(columns, sequence.samples.length - j);
    if (j !== 0) output += '\n';
    output += renderRange(sequence, rows, j, length, true);
  }
  return output;
}
