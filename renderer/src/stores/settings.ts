/**
 * Console settings (persisted by main). Whatever comes back from
 * settings.get/set is rebuilt field by field (parseSettings), so a settings
 * file written by an older or newer version never breaks the views.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Settings } from '../api/contract';
import { DEFAULT_SETTINGS, parseSettings } from '../utils/settings-parse';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';

export const useSettingsStore = defineStore('settings', () => {
  const settings = shallowRef<Settings>(DEFAULT_SETTINGS);
  const loaded = ref(false);
  const saving = ref(false);
  let loadVersion = 0;

  async function load(): Promise<void> {
    const version = ++loadVersion;
    try {
      const raw: unknown = await useBridgeStore().call('settings.get', {});
      if (version !== loadVersion) return;
      settings.value = parseSettings(raw);
      loaded.value = true;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Loading settings');
    }
  }

  async function save(next: Settings): Promise<boolean> {
    const clean = parseSettings(next, settings.value);
    saving.value = true;
    // A save supersedes any load still in flight.
    const version = ++loadVersion;
    try {
      const raw: unknown = await useBridgeStore().call('settings.set', clean);
      if (version === loadVersion) settings.value = parseSettings(raw, clean);
      useNotificationsStore().notify('success', 'Settings saved');
      return true;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Saving settings');
      return false;
    } finally {
      saving.value = false;
    }
  }

  return { settings, loaded, saving, load, save };
});
