/**
 * The one API object the renderer talks to. In Electron the preload exposes
 * it as `window.replscope` through contextBridge; in web mode the renderer
 * builds the same object over the WebSocket protocol (web-protocol.ts). The
 * renderer never knows which one it has.
 */
import type { ApiMethod, ApiRequest, ApiResponse, PushMessage } from './api';
import type { Envelope } from './envelope';

export interface ReplscopeBridge {
  call<M extends ApiMethod>(method: M, payload: ApiRequest<M>): Promise<Envelope<ApiResponse<M>>>;
  onPush(listener: (message: PushMessage) => void): () => void;
  readonly transport: 'ipc' | 'websocket';
}

/** The global name the preload exposes the bridge under. */
export const BRIDGE_GLOBAL = 'replscope';
