/**
 * A computed that hands back its previous value when the new one has the
 * same key. Vue then does not notify dependents (a computed whose value is
 * Object.is-equal triggers nothing), so derived lists rebuilt at every poll
 * with equal content (a chart's series, its markers) do not re-render or
 * re-run watchers downstream.
 */
import { computed, type ComputedRef } from 'vue';

export function stableComputed<T>(build: () => T, keyOf: (value: T) => string): ComputedRef<T> {
  let previous: { key: string; value: T } | null = null;
  return computed(() => {
    const value = build();
    const key = keyOf(value);
    if (previous !== null && previous.key === key) return previous.value;
    previous = { key, value };
    return value;
  });
}
