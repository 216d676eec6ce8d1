/** Small guards for rebuilding typed values from `unknown` (persisted data, payloads). */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number within [min, max], else the fallback. */
export function toNumber(value: unknown, fallback: number, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  if (value < min || value > max) return fallback;
  return value;
}

export function toInteger(value: unknown, fallback: number, min = -Infinity, max = Infinity): number {
  const number = toNumber(value, fallback, min, max);
  return Number.isInteger(number) ? number : fallback;
}

export function toBoolean(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function toStringValue(value: unknown, fallback: string, maxLength = 1000): string {
  return typeof value === 'string' && value.length <= maxLength ? value : fallback;
}

export function toEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function toStringArray(value: unknown, maxItems = 1000): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === 'string').slice(0, maxItems);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'Unknown error';
}
