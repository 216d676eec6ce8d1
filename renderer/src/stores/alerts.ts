/**
 * Alerts of every live session (the bell): alerts.list once, then pushes,
 * merged by id (a push can overtake the list it belongs to). Unread are the
 * alerts neither acknowledged nor silenced, firing or cleared.
 *
 * Notifications outside the page: in web mode, a pushed alert marked
 * `notify` (it just fired, no silence covers it: the service sends that once
 * per rule and subject until it clears) becomes a browser notification when
 * the user granted them. The desktop app notifies from its main process.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Alert, AlertRuleKind, AlertSilence } from '../api/contract';
import { askBrowserNotificationPermission, browserNotificationState, showBrowserNotification, type BrowserNotificationState } from '../utils/browser-notifications';
import { useAppInfoStore } from './app-info';
import { useBridgeStore } from './bridge';
import { useNavigationStore } from './navigation';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';

export const SILENCE_CHOICES = [
  { minutes: 15, label: '15 min' },
  { minutes: 60, label: '1 h' },
  { minutes: 240, label: '4 h' },
  { minutes: 1440, label: '24 h' },
] as const;

/** Newest first; the stored copy of an alert is replaced by a later push of it. */
export function mergeAlerts(current: readonly Alert[], incoming: readonly Alert[]): Alert[] {
  const byId = new Map(current.map((alert) => [alert.id, alert]));
  for (const alert of incoming) byId.set(alert.id, alert);
  return [...byId.values()].sort((a, b) => b.firedAt - a.firedAt || a.id.localeCompare(b.id));
}

export const isUnread = (alert: Alert): boolean => alert.acknowledgedAt === null && !alert.silenced;

/** Silence on the alert's own node (its subject), or on every node of its session (subject null). */
export type SilenceScope = 'node' | 'all';
export const SILENCE_SCOPES: ReadonlyArray<{ scope: SilenceScope; label: string }> = [
  { scope: 'node', label: 'this node' },
  { scope: 'all', label: 'all nodes' },
];

export const useAlertsStore = defineStore('alerts', () => {
  const alerts = shallowRef<Alert[]>([]);
  /** Silences running, as alerts.silences last said (reloaded when the list opens and after a change). */
  const silences = shallowRef<AlertSilence[]>([]);
  const open = ref(false);
  const permission = ref<BrowserNotificationState>(browserNotificationState());
  const sessions = useSessionsStore();
  let loadVersion = 0;
  let silencesVersion = 0;

  /** Only alerts of sessions still attached (a closed session's alerts go with it). */
  const live = computed(() => {
    const ids = new Set(sessions.sessions.map((session) => session.sessionId));
    return alerts.value.filter((alert) => ids.has(alert.sessionId));
  });
  const unread = computed(() => live.value.filter(isUnread).length);
  const firing = computed(() => live.value.filter((alert) => alert.clearedAt === null).length);
  /** Per session: alerts firing now and unread ones (what a fleet row shows; the service's alerts.summary says the same). */
  const bySession = computed(() => {
    const counts = new Map<string, { firing: number; unread: number }>();
    for (const alert of live.value) {
      const count = counts.get(alert.sessionId) ?? { firing: 0, unread: 0 };
      counts.set(alert.sessionId, { firing: count.firing + (alert.clearedAt === null ? 1 : 0), unread: count.unread + (isUnread(alert) ? 1 : 0) });
    }
    return counts;
  });
  const webMode = computed(() => useAppInfoStore().info?.mode === 'web');
  const liveSilences = computed(() => {
    const ids = new Set(sessions.sessions.map((session) => session.sessionId));
    return silences.value.filter((silence) => ids.has(silence.sessionId));
  });

  async function load(): Promise<void> {
    const version = ++loadVersion;
    try {
      const list = await useBridgeStore().call('alerts.list', {});
      if (version === loadVersion) alerts.value = mergeAlerts([], list);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Loading alerts');
    }
  }

  async function loadSilences(): Promise<void> {
    const version = ++silencesVersion;
    try {
      const list = await useBridgeStore().call('alerts.silences', {});
      if (version === silencesVersion) silences.value = list;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Loading silences');
    }
  }

  /** The title alerts of this rule carry ("Link down"), for a silence's line. */
  function ruleTitle(rule: AlertRuleKind): string {
    return alerts.value.find((alert) => alert.rule === rule)?.title ?? rule;
  }

  function receive(alert: Alert, notify: boolean): void {
    alerts.value = mergeAlerts(alerts.value, [alert]);
    if (notify && webMode.value) showBrowserNotification(`${alert.title} · ${sessionName(alert.sessionId)}`, alert.message, alert.id, () => reveal(alert));
  }

  function sessionName(sessionId: string): string {
    return sessions.sessions.find((session) => session.sessionId === sessionId)?.name ?? sessionId;
  }

  /** Shows the alert's node in its session. */
  function reveal(alert: Alert): void {
    open.value = false;
    sessions.select(alert.sessionId);
    if (alert.nodeId !== null) useNavigationStore().inspect({ kind: 'node', id: alert.nodeId });
    else useNavigationStore().go('topology');
  }

  async function acknowledge(alert: Alert): Promise<void> {
    try {
      await useBridgeStore().call('alerts.acknowledge', { sessionId: alert.sessionId, alertIds: [alert.id] });
    } catch (error) {
      useNotificationsStore().reportError(error, 'Acknowledging the alert');
    }
  }

  async function acknowledgeAll(): Promise<void> {
    const sessionIds = [...new Set(live.value.filter(isUnread).map((alert) => alert.sessionId))];
    try {
      for (const sessionId of sessionIds) await useBridgeStore().call('alerts.acknowledge', { sessionId });
    } catch (error) {
      useNotificationsStore().reportError(error, 'Acknowledging the alerts');
    }
  }

  async function silence(alert: Alert, minutes: number, scope: SilenceScope = 'node'): Promise<void> {
    try {
      await useBridgeStore().call('alerts.silence', { sessionId: alert.sessionId, rule: alert.rule, subject: scope === 'all' ? null : alert.subject, minutes });
      const where = scope === 'all' ? `all nodes of ${sessionName(alert.sessionId)}` : alert.subject;
      useNotificationsStore().notify('info', 'Silenced', `${alert.title} on ${where} for ${SILENCE_CHOICES.find((choice) => choice.minutes === minutes)?.label ?? `${minutes} min`}.`);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Silencing the alert');
    }
    await loadSilences();
  }

  async function lift(running: AlertSilence): Promise<void> {
    try {
      await useBridgeStore().call('alerts.unsilence', { sessionId: running.sessionId, rule: running.rule, subject: running.subject });
    } catch (error) {
      useNotificationsStore().reportError(error, 'Lifting the silence');
    }
    await loadSilences();
  }

  async function askPermission(): Promise<void> {
    permission.value = await askBrowserNotificationPermission();
  }

  return {
    alerts, silences, live, liveSilences, unread, firing, bySession, open, permission, webMode,
    load, loadSilences, receive, reveal, acknowledge, acknowledgeAll, silence, lift, askPermission, sessionName, ruleTitle,
  };
});
