/**
 * Renderer entry: find the bridge (preload IPC or web-mode WebSocket), route
 * every unexpected error into a readable notification, mount, then boot the
 * stores. Without a bridge, a full-page explanation instead of a blank window.
 */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import '@vue-flow/core/dist/style.css';
import 'uplot/dist/uPlot.min.css';
import './styles/tokens.css';
import './styles/base.css';
import App from './App.vue';
import { resolveBridge } from './api/resolve-bridge';
import { useBridgeStore } from './stores/bridge';
import { bootConsole } from './stores/boot';
import { useNotificationsStore } from './stores/notifications';
import BridgeMissing from './views/BridgeMissing.vue';

const resolution = resolveBridge(window);
if (!resolution.ok) {
  createApp(BridgeMissing, { message: resolution.message }).mount('#app');
} else {
  const pinia = createPinia();
  const app = createApp(App);
  app.use(pinia);
  const notifications = useNotificationsStore(pinia);
  app.config.errorHandler = (error, _instance, info) => {
    notifications.reportError(error, 'Unexpected error');
    console.error(`[replscope] ${info}`, error);
  };
  window.addEventListener('unhandledrejection', (event) => notifications.reportError(event.reason, 'Unexpected error'));
  window.addEventListener('error', (event) => notifications.reportError(event.error ?? event.message, 'Unexpected error'));
  useBridgeStore(pinia).install(resolution.bridge, resolution.socket);
  app.mount('#app');
  void bootConsole();
}
