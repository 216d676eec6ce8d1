/**
 * Wires pushes to stores and loads the first state. Called once the bridge
 * is installed; on a web-mode reconnect everything that may have changed
 * while the socket was down is fetched again.
 */
import { useActionsStore } from './actions';
import { useAlertsStore } from './alerts';
import { useAppInfoStore } from './app-info';
import { useBridgeStore } from './bridge';
import { useDemoStore } from './demo';
import { useEventsStore } from './events';
import { useLogsStore } from './logs';
import { useNavigationStore } from './navigation';
import { useProfilesStore } from './profiles';
import { useSessionsStore } from './sessions';
import { useSettingsStore } from './settings';
import { useTopologyStore } from './topology';

export async function bootConsole(): Promise<void> {
  const bridge = useBridgeStore();
  const sessions = useSessionsStore();
  const topology = useTopologyStore();
  const events = useEventsStore();
  const demo = useDemoStore();
  const actions = useActionsStore();
  const logs = useLogsStore();
  const profiles = useProfilesStore();
  const settings = useSettingsStore();

  bridge.onPush('topology', (message) => topology.ingest(message.snapshot));
  bridge.onPush('event', (message) => events.receive(message.event));
  bridge.onPush('sessions', (message) => sessions.receive(message.sessions));
  bridge.onPush('demo', (message) => demo.receive(message.status));
  bridge.onPush('action', (message) => actions.receive(message.result));
  bridge.onPush('log', (message) => logs.receive(message.sessionId, message.nodeId, message.line));
  const alerts = useAlertsStore();
  bridge.onPush('alert', (message) => alerts.receive(message.alert, message.notify));
  bridge.onReconnect(() => {
    void sessions.refresh();
    void demo.refresh();
    void events.load(sessions.activeSessionId);
    void alerts.load();
    topology.show(sessions.activeSessionId);
  });

  await Promise.all([useAppInfoStore().load(), settings.load(), sessions.refresh(), demo.refresh(), profiles.refresh(), alerts.load()]);
  // No session to look at: open the demo panel, where one is a click away
  // (unless the user already switched views while this loaded).
  if (sessions.activeSessionId === null) useNavigationStore().land('demo');
}
