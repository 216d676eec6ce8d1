/**
 * The fleet view's rows (fleet.get), read at the poll interval while the
 * view is on screen (a cold view: polled, not pushed). A result that comes
 * back after the view closed is dropped (poller ticket).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { FleetRow } from '../api/contract';
import { createPoller } from '../composables/poller';
import { describeError } from '../utils/guards';
import { useBridgeStore } from './bridge';
import { useSettingsStore } from './settings';

export const useFleetStore = defineStore('fleet', () => {
  const rows = shallowRef<FleetRow[]>([]);
  const loaded = ref(false);
  const failure = ref<string | null>(null);

  const poller = createPoller({
    intervalMs: () => Math.max(1000, useSettingsStore().settings.pollIntervalMs),
    run: async (isCurrent) => {
      try {
        const next = await useBridgeStore().call('fleet.get', {});
        if (!isCurrent()) return;
        rows.value = next;
        loaded.value = true;
        failure.value = null;
      } catch (error) {
        if (isCurrent()) failure.value = describeError(error);
      }
    },
  });

  return { rows, loaded, failure, watch: () => poller.restart(), unwatch: () => poller.stop() };
});
