/**
 * Attached deployments (profiles and the demo) and which one is on screen.
 * The app opens on the demo when a demo session exists; otherwise on the
 * session last viewed, or the first one.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SessionInfo } from '../api/contract';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';
import { useViewPrefsStore } from './view-prefs';

export function pickDefaultSession(sessions: readonly SessionInfo[], preferredId: string, preferDemo: boolean): string | null {
  const demo = sessions.find((session) => session.kind === 'demo');
  if (preferDemo && demo !== undefined) return demo.sessionId;
  const preferred = sessions.find((session) => session.sessionId === preferredId);
  return preferred?.sessionId ?? demo?.sessionId ?? sessions[0]?.sessionId ?? null;
}

export const useSessionsStore = defineStore('sessions', () => {
  const sessions = shallowRef<SessionInfo[]>([]);
  const activeSessionId = ref<string | null>(null);
  const loaded = ref(false);
  const connecting = ref<string | null>(null);
  let listVersion = 0;
  let firstChoiceMade = false;

  const active = computed(() => sessions.value.find((session) => session.sessionId === activeSessionId.value) ?? null);

  function apply(list: SessionInfo[]): void {
    sessions.value = list;
    loaded.value = true;
    const current = activeSessionId.value;
    if (!firstChoiceMade || !list.some((session) => session.sessionId === current)) {
      const choice = pickDefaultSession(list, useViewPrefsStore().prefs.lastSessionId, !firstChoiceMade);
      activeSessionId.value = choice;
      if (choice !== null) firstChoiceMade = true;
    }
  }

  async function refresh(): Promise<void> {
    const version = ++listVersion;
    try {
      const list = await useBridgeStore().call('sessions.list', {});
      if (version !== listVersion) return;
      apply(list);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Listing sessions');
    }
  }

  /** A pushed list is newer than any list request still in flight: drop those. */
  function receive(list: SessionInfo[]): void {
    listVersion += 1;
    apply(list);
  }

  function select(sessionId: string): void {
    if (!sessions.value.some((session) => session.sessionId === sessionId)) return;
    activeSessionId.value = sessionId;
    firstChoiceMade = true;
    useViewPrefsStore().update({ lastSessionId: sessionId });
  }

  async function connect(profileId: string): Promise<SessionInfo | null> {
    connecting.value = profileId;
    try {
      const session = await useBridgeStore().call('sessions.connect', { profileId });
      if (!sessions.value.some((existing) => existing.sessionId === session.sessionId)) receive([...sessions.value, session]);
      select(session.sessionId);
      for (const warning of session.warnings) useNotificationsStore().notify('warn', `${session.name}`, warning);
      return session;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Connecting');
      return null;
    } finally {
      connecting.value = null;
    }
  }

  async function disconnect(sessionId: string): Promise<void> {
    try {
      await useBridgeStore().call('sessions.disconnect', { sessionId });
      receive(sessions.value.filter((session) => session.sessionId !== sessionId));
    } catch (error) {
      useNotificationsStore().reportError(error, 'Disconnecting');
    }
  }

  function sessionForProfile(profileId: string): SessionInfo | null {
    return sessions.value.find((session) => session.profileId === profileId) ?? null;
  }

  return { sessions, activeSessionId, active, loaded, connecting, refresh, receive, select, connect, disconnect, sessionForProfile };
});
