/**
 * The live topology of the session on screen.
 *
 * Pushes are the normal path (one TopologySnapshot per poll). topology.get is
 * used when a session comes on screen and as a fallback poll while pushes are
 * late, under a version counter: a result for a session no longer on screen,
 * or older than a snapshot already shown, is dropped. The snapshot is held in
 * a shallowRef and replaced whole: nothing in it is deep-reactive, and every
 * derived index is rebuilt once per snapshot.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { LinkSnapshot, NodeSnapshot, TopologySnapshot } from '../api/contract';
import { createPoller } from '../composables/poller';
import { assessLink, assessNode, type Assessment } from '../utils/thresholds';
import { useBridgeStore } from './bridge';
import { useHistoryStore } from './history';
import { useNavigationStore } from './navigation';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';
import { useSettingsStore } from './settings';

/** Pushes later than this many poll intervals trigger a topology.get. */
const LATE_PUSH_FACTOR = 3;

export const useTopologyStore = defineStore('topology', () => {
  const snapshot = shallowRef<TopologySnapshot | null>(null);
  const lastReceivedAt = ref(0);
  const loading = ref(false);
  /** A bundle is replayed (stores/replay.ts): `snapshot` is its frame, and live pushes do not replace it. */
  const replaying = ref(false);
  /** Latest snapshot of every session, including those not on screen (not reactive). */
  const latestBySession = new Map<string, TopologySnapshot>();
  const sessions = useSessionsStore();
  const history = useHistoryStore();
  const settings = useSettingsStore();

  const nodeById = computed(() => new Map<string, NodeSnapshot>((snapshot.value?.nodes ?? []).map((node) => [node.id, node])));
  const linkById = computed(() => new Map<string, LinkSnapshot>((snapshot.value?.links ?? []).map((link) => [link.id, link])));
  const linkByReplica = computed(() => new Map<string, LinkSnapshot>((snapshot.value?.links ?? []).map((link) => [link.replicaId, link])));
  const linksByMaster = computed(() => {
    const map = new Map<string, LinkSnapshot[]>();
    for (const link of snapshot.value?.links ?? []) {
      const list = map.get(link.masterId) ?? [];
      list.push(link);
      map.set(link.masterId, list);
    }
    return map;
  });

  /** Level and reasons of every link and node, against the user's thresholds (once per snapshot). */
  const linkAssessments = computed(() => {
    const thresholds = settings.settings.thresholds;
    const map = new Map<string, Assessment>();
    for (const link of snapshot.value?.links ?? []) {
      const backlog = nodeById.value.get(link.masterId)?.backlog ?? null;
      map.set(link.id, assessLink(link, thresholds, backlog?.sizeBytes ?? null));
    }
    return map;
  });
  const nodeAssessments = computed(() => new Map<string, Assessment>((snapshot.value?.nodes ?? []).map((node) => [node.id, assessNode(node)])));

  /** Accepts a snapshot unless an equal or newer one for its session is already known. */
  function ingest(next: TopologySnapshot): boolean {
    const previous = latestBySession.get(next.sessionId);
    if (previous !== undefined && next.time <= previous.time) return false;
    latestBySession.set(next.sessionId, next);
    if (next.sessionId !== sessions.activeSessionId || replaying.value) return true;
    snapshot.value = next;
    lastReceivedAt.value = Date.now();
    history.append(next);
    return true;
  }

  const pollIntervalMs = (): number => snapshot.value?.pollIntervalMs ?? settings.settings.pollIntervalMs;

  const poller = createPoller({
    intervalMs: pollIntervalMs,
    run: async (isCurrent) => {
      const sessionId = sessions.activeSessionId;
      if (sessionId === null) return;
      const late = Date.now() - lastReceivedAt.value > LATE_PUSH_FACTOR * pollIntervalMs();
      if (snapshot.value !== null && !late) return;
      loading.value = snapshot.value === null;
      try {
        const fetched = await useBridgeStore().call('topology.get', { sessionId });
        if (!isCurrent() || sessionId !== sessions.activeSessionId) return;
        ingest(fetched);
      } catch (error) {
        if (isCurrent()) useNotificationsStore().reportError(error, 'Reading the topology');
      } finally {
        if (isCurrent()) loading.value = false;
      }
    },
  });

  function show(sessionId: string | null): void {
    // A selected node or link belongs to the session it was picked in.
    useNavigationStore().select(null);
    snapshot.value = sessionId === null ? null : (latestBySession.get(sessionId) ?? null);
    lastReceivedAt.value = snapshot.value === null ? 0 : Date.now();
    history.reset(sessionId, pollIntervalMs());
    if (snapshot.value !== null) history.append(snapshot.value);
    if (sessionId === null) poller.stop();
    else poller.restart();
  }

  watch(() => sessions.activeSessionId, (sessionId) => {
    if (!replaying.value) show(sessionId);
  });

  /** Shows a replayed frame instead of the live topology (no polling while replaying). */
  function showReplay(frame: TopologySnapshot): void {
    if (!replaying.value) {
      replaying.value = true;
      poller.stop();
      useNavigationStore().select(null);
    }
    snapshot.value = frame;
  }

  /** Back to the live topology of the session on screen. */
  function endReplay(): void {
    if (!replaying.value) return;
    replaying.value = false;
    show(sessions.activeSessionId);
  }

  /** Forget sessions that ended. */
  watch(
    () => sessions.sessions,
    (list) => {
      const alive = new Set(list.map((session) => session.sessionId));
      for (const id of latestBySession.keys()) if (!alive.has(id)) latestBySession.delete(id);
    },
  );

  return { snapshot, lastReceivedAt, loading, replaying, showReplay, endReplay, nodeById, linkById, linkByReplica, linksByMaster, linkAssessments, nodeAssessments, ingest, show, poller };
});
