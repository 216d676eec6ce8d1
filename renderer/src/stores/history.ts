/**
 * Chart history of the session on screen: backfilled once from history.get,
 * then appended from every topology push. The buffer is a plain object
 * (markRaw); components watch `revision`, bumped on each change, and read
 * the arrays directly. Switching sessions drops any backfill still in flight.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import { seriesValuesOf, type TopologySnapshot } from '../api/contract';
import { SeriesBuffer } from '../utils/series-buffer';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';

export const HISTORY_WINDOW_MS = 60 * 60 * 1000;
const MAX_POINTS = 18_000;

export function capacityFor(pollIntervalMs: number): number {
  return Math.min(MAX_POINTS, Math.ceil(HISTORY_WINDOW_MS / Math.max(200, pollIntervalMs)) + 60);
}

export const useHistoryStore = defineStore('history', () => {
  const buffer = shallowRef(markRaw(new SeriesBuffer(capacityFor(1000))));
  const sessionId = ref<string | null>(null);
  const revision = ref(0);
  const backfilling = ref(false);
  let loadVersion = 0;

  function reset(nextSessionId: string | null, pollIntervalMs: number): void {
    loadVersion += 1;
    sessionId.value = nextSessionId;
    buffer.value = markRaw(new SeriesBuffer(capacityFor(pollIntervalMs)));
    revision.value += 1;
    if (nextSessionId !== null) void backfill(nextSessionId);
  }

  function append(snapshot: TopologySnapshot): void {
    if (snapshot.sessionId !== sessionId.value) return;
    if (buffer.value.append(snapshot.time, seriesValuesOf(snapshot))) revision.value += 1;
  }

  async function backfill(forSession: string): Promise<void> {
    const version = ++loadVersion;
    backfilling.value = true;
    try {
      const block = await useBridgeStore().call('history.get', { sessionId: forSession, sinceMs: Date.now() - HISTORY_WINDOW_MS });
      if (version !== loadVersion || forSession !== sessionId.value) return;
      if (buffer.value.prepend(block) > 0) revision.value += 1;
    } catch (error) {
      if (version === loadVersion) useNotificationsStore().reportError(error, 'Loading chart history');
    } finally {
      if (version === loadVersion) backfilling.value = false;
    }
  }

  return { buffer, sessionId, revision, backfilling, reset, append };
});
