/**
 * Applies the theme setting: "system" follows prefers-color-scheme live;
 * "light"/"dark" force it. Sets data-theme on <html> (CSS reads it) and
 * returns the resolved theme (charts re-read their colours when it changes).
 */
import { computed, onBeforeUnmount, ref, watchEffect, type ComputedRef } from 'vue';
import type { Settings } from '../api/contract';

export type ResolvedTheme = 'light' | 'dark';

export function useTheme(setting: () => Settings['theme']): ComputedRef<ResolvedTheme> {
  const query = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const systemDark = ref(query?.matches ?? false);
  const onChange = (event: MediaQueryListEvent): void => {
    systemDark.value = event.matches;
  };
  query?.addEventListener('change', onChange);
  onBeforeUnmount(() => query?.removeEventListener('change', onChange));

  const resolved = computed<ResolvedTheme>(() => {
    const chosen = setting();
    if (chosen === 'system') return systemDark.value ? 'dark' : 'light';
    return chosen;
  });
  watchEffect(() => {
    const chosen = setting();
    if (chosen === 'system') delete document.documentElement.dataset['theme'];
    else document.documentElement.dataset['theme'] = chosen;
  });
  return resolved;
}
