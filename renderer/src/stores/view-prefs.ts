/** View preferences persisted in localStorage (graph or table, chart window, last session). */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { loadViewPrefs, saveViewPrefs, type ViewPrefs } from '../utils/local-prefs';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export const useViewPrefsStore = defineStore('view-prefs', () => {
  const prefs = shallowRef<ViewPrefs>(loadViewPrefs(storage()));

  function update(patch: Partial<ViewPrefs>): void {
    prefs.value = { ...prefs.value, ...patch };
    saveViewPrefs(storage(), prefs.value);
  }

  return { prefs, update };
});
