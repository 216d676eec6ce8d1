/**
 * Finds the bridge the renderer talks to: the preload's `window.replscope`
 * in Electron, or a WebSocketBridge built from the page's origin and token
 * in web mode. Anything else is a readable error, shown instead of the app.
 */
import type { ReplscopeBridge } from './contract';
import { WebSocketBridge } from './web-socket-bridge';
import { resolveWebToken, webSocketUrl } from './web-token';

export const BRIDGE_GLOBAL = 'replscope';

export type BridgeResolution =
  | { readonly ok: true; readonly bridge: ReplscopeBridge; readonly socket: WebSocketBridge | null }
  | { readonly ok: false; readonly message: string };

function isBridge(value: unknown): value is ReplscopeBridge {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ReplscopeBridge, unknown>>;
  return typeof candidate.call === 'function' && typeof candidate.onPush === 'function';
}

export function resolveBridge(win: Window): BridgeResolution {
  const exposed: unknown = Reflect.get(win, BRIDGE_GLOBAL);
  if (isBridge(exposed)) return { ok: true, bridge: exposed, socket: null };
  const { protocol } = win.location;
  if (protocol !== 'http:' && protocol !== 'https:') {
    return { ok: false, message: 'Replscope could not find its bridge to the main process. Start the app with `npm start`.' };
  }
  let storage: Storage | null = null;
  try {
    storage = win.sessionStorage;
  } catch {
    storage = null;
  }
  const token = resolveWebToken(win.location, storage);
  if (token === null) {
    return {
      ok: false,
      message: 'This page needs its access token. Open the full link that `npm run web` printed (it ends in ?token=…).',
    };
  }
  const socket = new WebSocketBridge({ url: webSocketUrl(win.location, token) });
  return { ok: true, bridge: socket, socket };
}
