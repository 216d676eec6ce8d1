/**
 * Memory values as redis.conf writes them (memtoull): a number with an
 * optional unit, case-insensitive: b, k = 1000, kb = 1024, m = 1000^2,
 * mb = 1024^2, g = 1000^3, gb = 1024^3.
 */
const UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['k', 1000],
  ['kb', 1024],
  ['m', 1000 * 1000],
  ['mb', 1024 * 1024],
  ['g', 1000 * 1000 * 1000],
  ['gb', 1024 * 1024 * 1024],
]);

export function parseMemory(text: string): number | null {
  // memtoull: no sign; "-1" is not a memory value.
  const match = /^(\d+)([a-zA-Z]*)$/.exec(text);
  if (!match) return null;
  const multiplier = UNITS.get(match[2]!.toLowerCase());
  if (multiplier === undefined) return null;
  const value = Number(match[1]) * multiplier;
  return Number.isSafeInteger(value) ? value : null;
}
