/**
 * Readable notifications: every failed call and every unexpected error that
 * has no place of its own on screen ends up here, never in a silent console
 * line. (Failures of something the user is doing in a form or on a card are
 * shown there, inline, not here.)
 *
 * Every notice fades by itself (errors after ERROR_FADE_MS, the rest
 * sooner), except while the pointer rests on it; at most MAX_NOTICES are on
 * screen, the newest, so notices never pile up over the controls. A repeat
 * of a visible notice bumps its count and restarts its fade instead of
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

export const ERROR_FADE_MS = 20_000;
const FADE_MS: Record<NoticeLevel, number> = { error: ERROR_FADE_MS, warn: 12_000, info: 5_000, success: 5_000 };
export const MAX_NOTICES = 3;

export const useNotificationsStore = defineStore('notifications', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const held = new Set<number>();

  function forget(id: number): void {
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
    held.delete(id);
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id);
    forget(id);
  }

  function dismissAll(): void {
    for (const notice of notices.value) forget(notice.id);
    notices.value = [];
  }

  function schedule(id: number, level: NoticeLevel): void {
    const previous = timers.get(id);
    if (previous !== undefined) clearTimeout(previous);
    timers.delete(id);
    if (held.has(id)) return;
    timers.set(id, setTimeout(() => dismiss(id), FADE_MS[level]));
  }

  /** The pointer (or focus) is on this notice: it stays until release(). */
  function hold(id: number): void {
    held.add(id);
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
  }

  /** The pointer left: the notice fades after its full time from now. */
  function release(id: number): void {
    held.delete(id);
    const notice = notices.value.find((candidate) => candidate.id === id);
    if (notice !== undefined) schedule(id, notice.level);
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
      if (dropped !== undefined) forget(dropped.id);
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

  return { notices, notify, reportError, dismiss, dismissAll, hold, release };
});
