/**
 * Attached deployments (profiles and the demo) and which one is on screen.
 * The app opens on the demo when a demo session exists; otherwise on the
 * session last viewed, or the first one.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SessionInfo } from '../api/contract';
import { describeError } from '../utils/guards';
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
  /** Profiles with a connect in flight: each card has its own state, one slow profile blocks no other. */
  const connecting = shallowRef<ReadonlySet<string>>(new Set());
  /** Why the last connect of a profile failed, shown on its card (cleared by the next attempt). */
  const connectFailures = shallowRef<ReadonlyMap<string, string>>(new Map());
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

  function setConnecting(profileId: string, on: boolean): void {
    const next = new Set(connecting.value);
    if (on) next.add(profileId);
    else next.delete(profileId);
    connecting.value = next;
  }

  function setConnectFailure(profileId: string, message: string | null): void {
    const next = new Map(connectFailures.value);
    if (message === null) next.delete(profileId);
    else next.set(profileId, message);
    connectFailures.value = next;
  }

  /**
   * Connects a profile. A failure is returned to the card that asked (and
   * kept in connectFailures), not sent to the notifications: the
   * explanation belongs next to the button that was pressed.
   */
  async function connect(profileId: string): Promise<SessionInfo | null> {
    setConnecting(profileId, true);
    setConnectFailure(profileId, null);
    try {
      const session = await useBridgeStore().call('sessions.connect', { profileId });
      if (!sessions.value.some((existing) => existing.sessionId === session.sessionId)) receive([...sessions.value, session]);
      select(session.sessionId);
      // The session's warnings are shown in its header, where they apply: no notification on top.
      return session;
    } catch (error) {
      setConnectFailure(profileId, describeError(error));
      return null;
    } finally {
      setConnecting(profileId, false);
    }
  }

  function isConnecting(profileId: string): boolean {
    return connecting.value.has(profileId);
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

  return { sessions, activeSessionId, active, loaded, connecting, connectFailures, refresh, receive, select, connect, isConnecting, disconnect, sessionForProfile, setConnectFailure };
});
