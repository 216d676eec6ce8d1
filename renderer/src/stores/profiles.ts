/** Connection profiles: list, save, delete, test, import and export. */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ConnectionProfile, SaveProfileRequest, TestConnectionResult } from '../api/contract';
import { downloadText } from '../utils/download';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';

export const useProfilesStore = defineStore('profiles', () => {
  const profiles = shallowRef<ConnectionProfile[]>([]);
  const loaded = ref(false);
  const testing = ref(false);
  const lastTest = shallowRef<TestConnectionResult | null>(null);
  let listVersion = 0;

  async function refresh(): Promise<void> {
    const version = ++listVersion;
    try {
      const list = await useBridgeStore().call('profiles.list', {});
      if (version !== listVersion) return;
      profiles.value = [...list].sort((a, b) => a.name.localeCompare(b.name));
      loaded.value = true;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Listing profiles');
    }
  }

  async function save(request: SaveProfileRequest): Promise<ConnectionProfile | null> {
    try {
      const saved = await useBridgeStore().call('profiles.save', request);
      await refresh();
      useNotificationsStore().notify('success', 'Profile saved', saved.name);
      return saved;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Saving the profile');
      return null;
    }
  }

  async function remove(profile: ConnectionProfile): Promise<boolean> {
    try {
      const { deleted } = await useBridgeStore().call('profiles.delete', { id: profile.id });
      await refresh();
      if (deleted) useNotificationsStore().notify('success', 'Profile deleted', profile.name);
      return deleted;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Deleting the profile');
      return false;
    }
  }

  async function test(request: SaveProfileRequest): Promise<TestConnectionResult | null> {
    testing.value = true;
    lastTest.value = null;
    try {
      lastTest.value = await useBridgeStore().call('profiles.test', request);
      return lastTest.value;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Testing the connection');
      return null;
    } finally {
      testing.value = false;
    }
  }

  async function exportProfiles(includeSecrets: boolean): Promise<void> {
    try {
      const { json } = await useBridgeStore().call('profiles.export', { includeSecrets });
      downloadText(includeSecrets ? 'replscope-profiles-with-secrets.json' : 'replscope-profiles.json', json);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Exporting profiles');
    }
  }

  async function importProfiles(json: string): Promise<void> {
    try {
      const { imported, warnings } = await useBridgeStore().call('profiles.import', { json });
      await refresh();
      useNotificationsStore().notify('success', 'Profiles imported', `${imported} imported`);
      for (const warning of warnings) useNotificationsStore().notify('warn', 'Import', warning);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Importing profiles');
    }
  }

  return { profiles, loaded, testing, lastTest, refresh, save, remove, test, exportProfiles, importProfiles };
});
