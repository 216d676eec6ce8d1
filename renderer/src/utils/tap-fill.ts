/**
 * "What would fill a backlog of N MiB in how long": the tap's measured rate
 * against a size the operator types (the master's repl-backlog-size to
 * begin with). A rate of 0 fills nothing: null, shown as "never at this rate".
 */
import { parseByteSize } from './format';

export interface BacklogFill {
  readonly bytes: number;
  readonly seconds: number | null;
  readonly secondsAtPeak: number | null;
}

export function backlogFill(sizeText: string, bytesPerSec: number, peakBytesPerSec: number): BacklogFill | null {
  // A bare number is MiB here (the field says so); units may be typed too ("512kb", "2gb").
  const bytes = /^\s*\d+(\.\d+)?\s*$/.test(sizeText) ? parseByteSize(`${sizeText.trim()}mb`) : parseByteSize(sizeText);
  if (bytes === null || bytes <= 0) return null;
  return {
    bytes,
    seconds: bytesPerSec > 0 ? bytes / bytesPerSec : null,
    secondsAtPeak: peakBytesPerSec > 0 ? bytes / peakBytesPerSec : null,
  };
}

/** The size field's first value: the master's backlog in MiB (as typed: "1", "0.5"). */
export function backlogSizeText(bytes: number | null): string {
  if (bytes === null || bytes <= 0) return '1';
  const mib = bytes / 1024 / 1024;
  return String(Number.isInteger(mib) ? mib : Number(mib.toFixed(3)));
}
