/**
 * Holds the ReplscopeBridge (IPC or WebSocket) and turns its envelopes into
 * values or ApiErrors. Push messages are routed by type to the stores that
 * registered for them; `onReconnect` listeners run when a web-mode socket
 * comes back after a drop, so stores refetch what they missed.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, shallowRef } from 'vue';
import { ApiError } from '../api/api-error';
import type { ApiMethod, ApiRequest, ApiResponse, PushMessage, ReplscopeBridge } from '../api/contract';
import type { BridgeStatus, WebSocketBridge } from '../api/web-socket-bridge';

type PushType = PushMessage['type'];
type PushOf<T extends PushType> = Extract<PushMessage, { type: T }>;

export const useBridgeStore = defineStore('bridge', () => {
  const bridge = shallowRef<ReplscopeBridge | null>(null);
  /** WebSocket status in web mode; null over IPC (always connected). */
  const socketStatus = shallowRef<BridgeStatus | null>(null);
  const handlers = new Map<PushType, Set<(message: PushMessage) => void>>();
  const reconnectListeners = new Set<() => void>();
  const disposers: Array<() => void> = [];

  const transport = computed(() => bridge.value?.transport ?? null);
  const connected = computed(() => bridge.value !== null && (socketStatus.value === null || socketStatus.value.state === 'open'));

  function dispatch(message: PushMessage): void {
    const listeners = handlers.get(message.type);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) listener(message);
  }

  function install(next: ReplscopeBridge, socket: WebSocketBridge | null = null): void {
    for (const dispose of disposers.splice(0)) dispose();
    bridge.value = markRaw(next);
    disposers.push(next.onPush(dispatch));
    if (socket !== null) {
      socketStatus.value = socket.status;
      disposers.push(
        socket.onStatus((status) => {
          const reopened = status.state === 'open' && socketStatus.value !== null && socketStatus.value.state !== 'open' && socketStatus.value.everOpened;
          socketStatus.value = status;
          if (reopened) for (const listener of [...reconnectListeners]) listener();
        }),
      );
    } else {
      socketStatus.value = null;
    }
  }

  async function call<M extends ApiMethod>(method: M, payload: ApiRequest<M>): Promise<ApiResponse<M>> {
    const current = bridge.value;
    if (current === null) throw new ApiError(method, 'unreachable', 'Not connected to the console.');
    const result = await current.call(method, payload);
    if (result.ok) return result.data;
    throw new ApiError(method, result.code, result.message);
  }

  function onPush<T extends PushType>(type: T, handler: (message: PushOf<T>) => void): () => void {
    const set = handlers.get(type) ?? new Set();
    const listener = handler as (message: PushMessage) => void;
    set.add(listener);
    handlers.set(type, set);
    return () => set.delete(listener);
  }

  function onReconnect(listener: () => void): () => void {
    reconnectListeners.add(listener);
    return () => reconnectListeners.delete(listener);
  }

  return { bridge, socketStatus, transport, connected, install, call, onPush, onReconnect };
});
