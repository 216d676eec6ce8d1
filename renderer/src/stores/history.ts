/**
 * Chart history of the session on screen. Every topology push appends a row
 * for every series (cheap: plain arrays, markRaw). The hour before the page
 * opened is fetched on demand, only for the series a chart shows
 * (history.get with `series`), so opening a 60-node session never pulls
 * every series of the last hour at once. Components watch `revision`,
 * bumped on each change. Switching sessions drops fetches still in flight.
 */
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import { seriesValuesOf, type TopologySnapshot } from '../api/contract';
import { SeriesBuffer } from '../utils/series-buffer';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';

export const HISTORY_WINDOW_MS = 60 * 60 * 1000;
const MAX_POINTS = 18_000;
/** The contract caps `series` per history.get. */
const MAX_SERIES_PER_REQUEST = 500;

export function capacityFor(pollIntervalMs: number): number {
  return Math.min(MAX_POINTS, Math.ceil(HISTORY_WINDOW_MS / Math.max(200, pollIntervalMs)) + 60);
}

export const useHistoryStore = defineStore('history', () => {
  const buffer = shallowRef(markRaw(new SeriesBuffer(capacityFor(1000))));
  const sessionId = ref<string | null>(null);
  const revision = ref(0);
  const backfilling = ref(0);
  /** Series whose past hour was fetched (or is being fetched) for this session. */
  let requested = new Set<string>();
  let version = 0;

  function reset(nextSessionId: string | null, pollIntervalMs: number): void {
    version += 1;
    requested = new Set();
    backfilling.value = 0;
    sessionId.value = nextSessionId;
    buffer.value = markRaw(new SeriesBuffer(capacityFor(pollIntervalMs)));
    revision.value += 1;
  }

  function append(snapshot: TopologySnapshot): void {
    if (snapshot.sessionId !== sessionId.value) return;
    if (buffer.value.append(snapshot.time, seriesValuesOf(snapshot))) revision.value += 1;
  }

  /** Fetches the past hour of these series, once per session. */
  async function ensure(seriesIds: readonly string[]): Promise<void> {
    const forSession = sessionId.value;
    const missing = [...new Set(seriesIds)].filter((id) => !requested.has(id)).slice(0, MAX_SERIES_PER_REQUEST);
    if (forSession === null || missing.length === 0) return;
    for (const id of missing) requested.add(id);
    const ticket = version;
    backfilling.value += 1;
    try {
      const block = await useBridgeStore().call('history.get', { sessionId: forSession, sinceMs: Date.now() - HISTORY_WINDOW_MS, series: missing });
      if (ticket !== version) return;
      if (buffer.value.merge(block) > 0) revision.value += 1;
    } catch (error) {
      if (ticket !== version) return;
      for (const id of missing) requested.delete(id);
      useNotificationsStore().reportError(error, 'Loading chart history');
    } finally {
      if (ticket === version) backfilling.value -= 1;
    }
  }

  /**
   * Day and week windows: the minute tier of the on-disk history
   * (history.range), for these series since `fromMs`, in a buffer of their
   * own (the live one holds an hour). Replaced whole at each load.
   */
  const archived = shallowRef(markRaw(new SeriesBuffer(1)));
  async function loadArchived(seriesIds: readonly string[], fromMs: number): Promise<void> {
    const forSession = sessionId.value;
    if (forSession === null || seriesIds.length === 0) return;
    const ticket = version;
    try {
      const range = await useBridgeStore().call('history.range', { sessionId: forSession, fromMs, toMs: Date.now(), series: [...seriesIds].slice(0, MAX_SERIES_PER_REQUEST), resolution: 'minute' });
      if (ticket !== version) return;
      const next = new SeriesBuffer(Math.max(1, range.times.length));
      next.merge({ sessionId: range.sessionId, times: range.times, series: range.series });
      archived.value = markRaw(next);
      revision.value += 1;
    } catch (error) {
      if (ticket === version) useNotificationsStore().reportError(error, 'Loading the on-disk history');
    }
  }

  return { buffer, archived, sessionId, revision, backfilling, reset, append, ensure, loadArchived };
});
