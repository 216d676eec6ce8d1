/**
 * The web-mode access token. Web mode prints a URL with `?token=`; the page
 * reads it on first load and keeps it in sessionStorage, so a reload or a
 * navigation that drops the query string still reaches the WebSocket. The
 * token never goes to localStorage: it dies with the tab.
 */
export const TOKEN_STORAGE_KEY = 'replscope.webToken';
const TOKEN_PATTERN = /^[A-Za-z0-9._~-]{8,512}$/;

export interface TokenLocation {
  readonly search: string;
}

/** Reads the token from the URL (and stores it), or falls back to the stored one. */
export function resolveWebToken(location: TokenLocation, storage: Pick<Storage, 'getItem' | 'setItem'> | null): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl !== null && TOKEN_PATTERN.test(fromUrl)) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the URL token still works for this load.
    }
    return fromUrl;
  }
  let stored: string | null = null;
  try {
    stored = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    stored = null;
  }
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
}

export interface SocketLocation {
  readonly protocol: string;
  readonly host: string;
}

/** ws://<same origin>/ws?token=<token> (wss when the page is https). */
export function webSocketUrl(location: SocketLocation, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
}
