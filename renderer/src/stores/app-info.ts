/** app.info: version, electron or web, and where secrets live (web mode: memory only). */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { ApiResponse } from '../api/contract';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';

export const useAppInfoStore = defineStore('app-info', () => {
  const info = shallowRef<ApiResponse<'app.info'> | null>(null);
  const secretsInMemoryOnly = computed(() => info.value?.secretStorage === 'memory-only');

  async function load(): Promise<void> {
    try {
      info.value = await useBridgeStore().call('app.info', {});
    } catch (error) {
      useNotificationsStore().reportError(error, 'Reading the console version');
    }
  }

  return { info, secretsInMemoryOnly, load };
});
