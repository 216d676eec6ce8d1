/** The resolved theme, provided by App so canvas-drawn charts can re-read their colours. */
import type { ComputedRef, InjectionKey } from 'vue';
import type { ResolvedTheme } from './use-theme';

export const THEME_KEY: InjectionKey<ComputedRef<ResolvedTheme>> = Symbol('replscope-theme');
