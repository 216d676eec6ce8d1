/**
 * Replay of an incident bundle, read-only. A bundle comes from main already
 * validated (incident.choose in Electron: the native dialog; incident.open
 * in web mode: the file uploaded through the socket, after a size check
 * here). While a bundle is open the app shows the replay view only (no
 * actions, no controls), and the topology store shows the frame at the
 * cursor (replay-frame.ts) instead of live polls. A file that is refused
 * leaves everything as it was: live view, or the bundle already open.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { OpenedBundle } from '../api/contract';
import { describeError } from '../utils/guards';
import { eventsUntil, frameAt } from '../utils/replay-frame';
import { useAppInfoStore } from './app-info';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';
import { useTopologyStore } from './topology';

/** Mirrors BUNDLE_MAX_BYTES in shared/contract/incident-bundle.ts (which sits next to zod). */
export const BUNDLE_MAX_BYTES = 5 * 1024 * 1024;

export const useReplayStore = defineStore('replay', () => {
  const opened = shallowRef<OpenedBundle | null>(null);
  const cursorMs = ref(0);
  const opening = ref(false);
  /** Why the last file was refused (shown next to the button that chose it). */
  const lastError = ref<string | null>(null);

  const active = computed(() => opened.value !== null);
  const bundle = computed(() => opened.value?.bundle ?? null);
  const frame = computed(() => (bundle.value === null ? null : frameAt(bundle.value, cursorMs.value)));
  const events = computed(() => (bundle.value === null ? [] : eventsUntil(bundle.value, cursorMs.value)));
  /** Electron opens bundles through its own dialog; web mode by upload. */
  const usesDialog = computed(() => useAppInfoStore().info?.mode === 'electron');

  function start(next: OpenedBundle): void {
    lastError.value = null;
    opened.value = next;
    // Open on the end of the range: the state the colleague exported.
    cursorMs.value = next.bundle.range.toMs;
  }

  function refuse(error: unknown): void {
    lastError.value = describeError(error);
    useNotificationsStore().reportError(error, 'Opening the incident bundle');
  }

  /** Electron: main shows the open dialog and validates the chosen file. */
  async function choose(): Promise<void> {
    opening.value = true;
    try {
      const chosen = await useBridgeStore().call('incident.choose', {});
      if (chosen !== null) start(chosen);
    } catch (error) {
      refuse(error);
    } finally {
      opening.value = false;
    }
  }

  /** Web mode: the chosen file is checked for size, read, and uploaded for main to validate. */
  async function upload(file: File): Promise<void> {
    if (file.size > BUNDLE_MAX_BYTES) {
      refuse(new Error(`${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB: an incident bundle may have at most ${BUNDLE_MAX_BYTES / 1024 / 1024} MB`));
      return;
    }
    opening.value = true;
    try {
      start(await useBridgeStore().call('incident.open', { fileName: file.name, text: await file.text() }));
    } catch (error) {
      refuse(error);
    } finally {
      opening.value = false;
    }
  }

  function seek(time: number): void {
    const range = bundle.value?.range;
    if (range === undefined) return;
    cursorMs.value = Math.min(range.toMs, Math.max(range.fromMs, time));
  }

  function close(): void {
    opened.value = null;
    lastError.value = null;
  }

  const topology = useTopologyStore();
  watch(frame, (next) => {
    if (next === null) topology.endReplay();
    else topology.showReplay(next);
  });

  return { opened, bundle, cursorMs, opening, lastError, active, frame, events, usesDialog, choose, upload, seek, close };
});
