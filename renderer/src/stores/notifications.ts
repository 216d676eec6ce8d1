/**
 * Readable notifications: every failed call and every unexpected error ends
 * up here, never in a silent console line. Errors stay until dismissed;
 * information fades. A repeat of a visible notice bumps its count instead of
 * stacking (a poll failing every second is one notice, "×12").
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { ApiError, errorTitle } from '../api/api-error';
import { describeError } from '../utils/guards';

export type NoticeLevel = 'error' | 'warn' | 'info' | 'success';

export interface Notice {
  readonly id: number;
  readonly level: NoticeLevel;
  readonly title: string;
  readonly message: string;
  readonly count: number;
  readonly time: number;
}

const FADE_MS: Record<NoticeLevel, number | null> = { error: null, warn: 12_000, info: 5_000, success: 5_000 };
const MAX_NOTICES = 6;

export const useNotificationsStore = defineStore('notifications', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id);
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
  }

  function schedule(id: number, level: NoticeLevel): void {
    const fade = FADE_MS[level];
    if (fade === null) return;
    const previous = timers.get(id);
    if (previous !== undefined) clearTimeout(previous);
    timers.set(id, setTimeout(() => dismiss(id), fade));
  }

  function notify(level: NoticeLevel, title: string, message = ''): number {
    const existing = notices.value.find((notice) => notice.level === level && notice.title === title && notice.message === message);
    if (existing !== undefined) {
      notices.value = notices.value.map((notice) => (notice.id === existing.id ? { ...notice, count: notice.count + 1, time: Date.now() } : notice));
      schedule(existing.id, level);
      return existing.id;
    }
    const id = nextId++;
    const next = [...notices.value, { id, level, title, message, count: 1, time: Date.now() }];
    while (next.length > MAX_NOTICES) {
      const dropped = next.shift();
      if (dropped !== undefined) timers.delete(dropped.id);
    }
    notices.value = next;
    schedule(id, level);
    return id;
  }

  /** Turns any failure into a notice; `context` says what the user was doing. */
  function reportError(error: unknown, context?: string): void {
    if (error instanceof ApiError) {
      notify('error', context !== undefined ? `${context}: ${errorTitle(error.code)}` : errorTitle(error.code), error.message);
      return;
    }
    notify('error', context ?? 'Something went wrong', describeError(error));
  }

  return { notices, notify, reportError, dismiss };
});
