/**
 * Connection profiles: list, save, delete, test, import and export. Saving
 * and testing answer the form that asked (it shows the outcome next to its
 * fields); the other calls report failures as notifications.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import { ApiError, errorTitle } from '../api/api-error';
import type { ConnectionProfile, SaveProfileRequest, TestConnectionResult } from '../api/contract';
import { describeError } from '../utils/guards';
import { downloadText } from '../utils/download';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';

/** A call that failed before any answer about the deployment (the console refused it, or it broke). */
function requestProblem(error: unknown): TestConnectionResult {
  const message = error instanceof ApiError ? `${errorTitle(error.code)}: ${error.message}` : describeError(error);
  return { reachable: false, message, problem: { kind: 'request', summary: message, fix: null, field: null, detail: message }, role: null, version: null, latencyMs: null, capabilities: null };
}

export const useProfilesStore = defineStore('profiles', () => {
  const profiles = shallowRef<ConnectionProfile[]>([]);
  const loaded = ref(false);
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

  /** Saves; a refusal comes back as its message for the form to show. */
  async function save(request: SaveProfileRequest): Promise<{ ok: true; profile: ConnectionProfile } | { ok: false; message: string }> {
    try {
      const saved = await useBridgeStore().call('profiles.save', request);
      await refresh();
      // An explanation of the last failed connect is about the profile as it was.
      useSessionsStore().setConnectFailure(saved.id, null);
      useNotificationsStore().notify('success', 'Profile saved', saved.name);
      return { ok: true, profile: saved };
    } catch (error) {
      return { ok: false, message: error instanceof ApiError ? `${errorTitle(error.code)}: ${error.message}` : describeError(error) };
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

  /** Tests a profile as drafted; the result (or why the test could not run) belongs to the form that asked. */
  async function test(request: SaveProfileRequest): Promise<TestConnectionResult> {
    try {
      return await useBridgeStore().call('profiles.test', request);
    } catch (error) {
      return requestProblem(error);
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

  return { profiles, loaded, refresh, save, remove, test, exportProfiles, importProfiles };
});
