/**
 * The one seam between the console service and its transports. The console
 * service implements ApiHandler; Electron IPC (main/app) and web mode
 * (main/transport/web-server) both serve it. A transport validates the
 * method name and payload against shared/contract/api.ts before calling
 * `call`, and forwards every push message to its renderer(s).
 */
import type { ApiMethod, ApiResponse, Envelope, PushMessage } from '../../shared/contract';

export interface ApiHandler {
  /** Runs one validated request. Never throws: failures come back as { ok: false }. */
  call<M extends ApiMethod>(method: M, payload: unknown): Promise<Envelope<ApiResponse<M>>>;
  /** Subscribes to pushed snapshots and events; returns the unsubscribe function. */
  onPush(listener: (message: PushMessage) => void): () => void;
}
