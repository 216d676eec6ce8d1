/**
 * Display formatting for replication figures. Byte sizes use binary units
 * (Redis's "1mb" is 1048576 bytes) and say so: KiB, MiB, GiB. Offsets are
 * exact integers with digit grouping: they are compared by eye across nodes.
 * Every formatter shows "—" for a value the node did not report (null).
 */
export const MISSING = '—';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return MISSING;
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  if (value < 1024) return `${sign}${Math.round(value)} B`;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal below 10 (1.5 MiB), none above (128 KiB); never "1024 KiB".
  let text = value < 10 ? value.toFixed(1) : String(Math.round(value));
  if (text === '1024' && unit < BYTE_UNITS.length - 1) {
    text = '1.0';
    unit += 1;
  }
  return `${sign}${text.replace(/\.0$/, '')} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return MISSING;
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Durations: 0.4 s, 12 s, 3 min 05 s, 2 h 03 min, 3 d 4 h; a whole unit alone: 1 min, 2 h, 1 d (never "1 min 00 s"). */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return MISSING;
  if (!Number.isFinite(seconds)) return '∞';
  // Some time, too little to show in tenths: not "0 s", which reads as none
  // (a 16 KiB backlog at 840 KiB/s of stream lasts 0.019 s).
  if (seconds > 0 && seconds < 0.05) return '< 0.1 s';
  const sign = seconds < 0 ? '-' : '';
  const value = Math.abs(seconds);
  if (value < 10) return `${sign}${(Math.round(value * 10) / 10).toString()} s`;
  if (Math.round(value) < 60) return `${sign}${Math.round(value)} s`;
  const whole = Math.round(value);
  if (whole < 3600) return `${sign}${twoUnits(Math.floor(whole / 60), 'min', whole % 60, 's')}`;
  if (whole < 86_400) return `${sign}${twoUnits(Math.floor(whole / 3600), 'h', Math.floor((whole % 3600) / 60), 'min')}`;
  return `${sign}${twoUnits(Math.floor(whole / 86_400), 'd', Math.floor((whole % 86_400) / 3600), 'h', false)}`;
}

/** "3 min 05 s", or "3 min" when the smaller unit is zero. */
function twoUnits(major: number, majorUnit: string, minor: number, minorUnit: string, padMinor = true): string {
  if (minor === 0) return `${major} ${majorUnit}`;
  return `${major} ${majorUnit} ${padMinor ? pad2(minor) : String(minor)} ${minorUnit}`;
}

const groupedInteger = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Replication offsets: exact, grouped (12,345,678). */
export function formatOffset(offset: number | null | undefined): string {
  if (offset === null || offset === undefined || !Number.isFinite(offset)) return MISSING;
  return groupedInteger.format(offset);
}

export function formatCount(count: number | null | undefined): string {
  return formatOffset(count);
}

/** A count per second (ops/s, evictions/s): one decimal under 10, whole numbers above. */
export function formatPerSecond(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return '—';
  return `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond))}/s`;
}

/** A fraction (0..1) as a percentage. */
export function formatPercent(fraction: number | null | undefined, digits = 0): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return MISSING;
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function formatClock(timeMs: number): string {
  const date = new Date(timeMs);
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

export function formatDateTime(timeMs: number): string {
  const date = new Date(timeMs);
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())} ${formatClock(timeMs)}`;
}

/** "5 s ago", "3 min 05 s ago"; "just now" under a second. */
export function formatAgo(timeMs: number, nowMs: number): string {
  const seconds = (nowMs - timeMs) / 1000;
  if (seconds < 1) return 'just now';
  return `${formatSeconds(Math.round(seconds))} ago`;
}

function pad2(value: number): string {
  return value.toString().padStart(2, '0');
}

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i;
const SIZE_FACTORS: Record<string, number> = { b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses "1mb", "512 KiB", "1048576" the way redis.conf reads sizes (binary units). */
export function parseByteSize(text: string): number | null {
  const match = SIZE_PATTERN.exec(text);
  if (match === null) return null;
  const amount = Number(match[1]);
  const factor = SIZE_FACTORS[(match[2] ?? 'b').toLowerCase()] ?? 1;
  const bytes = Math.round(amount * factor);
  return Number.isFinite(bytes) ? bytes : null;
}
