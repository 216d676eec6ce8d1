/**
 * The replication timeline of the session on screen: events.list once, then
 * pushes. Kept sorted by time, de-duplicated by id (a push can overtake the
 * list request it belongs to). The filter is view state, applied in a computed.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import { compareEventTimes, type ReplicationEvent } from '../api/contract';
import { downloadText } from '../utils/download';
import { EVENT_CATEGORIES, EVENT_META, type EventCategory } from '../utils/event-kinds';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';

const MAX_EVENTS = 5000;

export function mergeEvents(current: readonly ReplicationEvent[], incoming: readonly ReplicationEvent[]): ReplicationEvent[] {
  const byId = new Map(current.map((event) => [event.id, event]));
  for (const event of incoming) byId.set(event.id, event);
  const merged = [...byId.values()].sort((a, b) => compareEventTimes(a, b) || a.id.localeCompare(b.id));
  return merged.length > MAX_EVENTS ? merged.slice(merged.length - MAX_EVENTS) : merged;
}

export interface EventFilterState {
  categories: EventCategory[];
  nodeId: string;
  origin: 'all' | 'exact' | 'inferred';
  text: string;
}

export const useEventsStore = defineStore('events', () => {
  const events = shallowRef<ReplicationEvent[]>([]);
  const loading = ref(false);
  const exporting = ref(false);
  const filter = ref<EventFilterState>({ categories: [...EVENT_CATEGORIES], nodeId: '', origin: 'all', text: '' });
  const sessions = useSessionsStore();
  let loadVersion = 0;

  const filtered = computed(() => {
    const { categories, nodeId, origin, text } = filter.value;
    const wanted = new Set(categories);
    const needle = text.trim().toLowerCase();
    return events.value
      .filter((event) => {
        if (!wanted.has(EVENT_META[event.kind].category)) return false;
        if (nodeId !== '' && event.nodeId !== nodeId && event.peerId !== nodeId) return false;
        if (origin === 'exact' && event.inferred) return false;
        if (origin === 'inferred' && !event.inferred) return false;
        return needle === '' || event.message.toLowerCase().includes(needle) || event.nodeId.toLowerCase().includes(needle);
      })
      .reverse();
  });

  async function load(sessionId: string | null): Promise<void> {
    const version = ++loadVersion;
    events.value = [];
    if (sessionId === null) return;
    loading.value = true;
    try {
      const list = await useBridgeStore().call('events.list', { sessionId, limit: MAX_EVENTS });
      if (version !== loadVersion) return;
      events.value = mergeEvents(events.value, list);
    } catch (error) {
      if (version === loadVersion) useNotificationsStore().reportError(error, 'Loading events');
    } finally {
      if (version === loadVersion) loading.value = false;
    }
  }

  function receive(event: ReplicationEvent): void {
    if (event.sessionId !== sessions.activeSessionId) return;
    events.value = mergeEvents(events.value, [event]);
  }

  /** The bundle of the last `minutes` of the session on screen (its events, topology states and series). */
  async function exportIncident(minutes = 15): Promise<void> {
    const sessionId = sessions.activeSessionId;
    if (sessionId === null) return;
    exporting.value = true;
    try {
      const toMs = Date.now();
      const bundle = await useBridgeStore().call('incident.export', { sessionId, fromMs: toMs - minutes * 60_000, toMs });
      downloadText(bundle.fileName, bundle.json);
      useNotificationsStore().notify('success', 'Incident bundle exported', bundle.fileName);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Exporting the incident bundle');
    } finally {
      exporting.value = false;
    }
  }

  watch(() => sessions.activeSessionId, (id) => void load(id));

  return { events, filtered, filter, loading, exporting, load, receive, exportIncident };
});
