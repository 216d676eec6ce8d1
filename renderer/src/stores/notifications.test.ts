import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import NotificationList from '../components/common/NotificationList.vue';
import { ERROR_FADE_MS, MAX_NOTICES, useNotificationsStore } from './notifications';

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
});

afterEach(() => {
  vi.useRealTimers();
});

describe('notifications', () => {
  it('an error fades by itself, later than information', () => {
    const store = useNotificationsStore();
    store.notify('error', 'Reading the topology: Not reachable', 'no reply');
    store.notify('success', 'Profile saved', 'staging');
    vi.advanceTimersByTime(6_000);
    expect(store.notices.map((notice) => notice.title)).toEqual(['Reading the topology: Not reachable']);
    vi.advanceTimersByTime(ERROR_FADE_MS);
    expect(store.notices).toEqual([]);
  });

  it('keeps at most a few on screen, the newest ones', () => {
    const store = useNotificationsStore();
    for (let index = 1; index <= MAX_NOTICES + 4; index += 1) store.notify('error', `failure ${index}`);
    expect(MAX_NOTICES).toBeLessThanOrEqual(3);
    expect(store.notices.map((notice) => notice.title)).toEqual(Array.from({ length: MAX_NOTICES }, (_, index) => `failure ${index + 5}`));
    // Dropped notices leave no timer behind that could remove a newer one.
    vi.advanceTimersByTime(ERROR_FADE_MS + 1);
    expect(store.notices).toEqual([]);
  });

  it('a repeat counts up and restarts its fade instead of stacking', () => {
    const store = useNotificationsStore();
    store.notify('error', 'Polling', 'timed out');
    vi.advanceTimersByTime(ERROR_FADE_MS - 1000);
    store.notify('error', 'Polling', 'timed out');
    vi.advanceTimersByTime(2000);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.count).toBe(2);
  });

  it('a notice the pointer rests on does not fade until the pointer leaves', () => {
    const store = useNotificationsStore();
    const id = store.notify('error', 'Connecting: Not reachable');
    store.hold(id);
    vi.advanceTimersByTime(ERROR_FADE_MS * 2);
    expect(store.notices).toHaveLength(1);
    store.release(id);
    vi.advanceTimersByTime(ERROR_FADE_MS);
    expect(store.notices).toEqual([]);
  });

  it('the list has a dismiss button per notice and one to dismiss them all', async () => {
    const store = useNotificationsStore();
    store.notify('error', 'first');
    store.notify('warn', 'second');
    const wrapper = mount(NotificationList);
    await wrapper.vm.$nextTick();
    expect(wrapper.findAll('[data-testid="notice"]')).toHaveLength(2);
    await wrapper.get('button[aria-label="Dismiss: first"]').trigger('click');
    expect(store.notices.map((notice) => notice.title)).toEqual(['second']);
    store.notify('error', 'third');
    await wrapper.vm.$nextTick();
    await wrapper.get('[data-testid="dismiss-all"]').trigger('click');
    expect(store.notices).toEqual([]);
  });
});
