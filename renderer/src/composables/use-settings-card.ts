/**
 * A card of Settings saved on its own (History on disk, Prometheus
 * exposition): Apply saves the settings with the card's fields changed (the
 * rest as they are saved, so the card never resets the form above it), then
 * reads again what the card shows next to them (its status or usage), which
 * it also reads when it appears. `busy` while a save runs.
 */
import { onMounted, ref } from 'vue';
import type { Settings } from '../api/contract';
import { useSettingsStore } from '../stores/settings';

export function useSettingsCard(refresh: () => Promise<void>) {
  const store = useSettingsStore();
  const busy = ref(false);

  async function save(changes: Partial<Settings>): Promise<void> {
    busy.value = true;
    try {
      if (await store.save({ ...store.settings, ...changes })) await refresh();
    } finally {
      busy.value = false;
    }
  }

  onMounted(refresh);
  return { store, busy, save };
}
