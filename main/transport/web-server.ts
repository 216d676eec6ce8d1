/**
 * Web mode: the built renderer (out/renderer) and the console API over one
 * WebSocket, on 127.0.0.1 only, behind a random token.
 *
 * Security rules (the page is as powerful as the desktop app, so it must
 * only be reachable by the person who started it):
 *  - binds 127.0.0.1, never another interface;
 *  - the Host header must name that address (DNS-rebinding defence): else 403;
 *  - a request carrying an Origin must come from this origin: else 403;
 *  - every HTTP request needs the token, as `?token=` (the printed link) or the
 *    HttpOnly SameSite=Strict cookie set when the page is first opened with
 *    it (so the page's own assets load): else 401;
 *  - the WebSocket upgrade at /ws needs `?token=` and the same Origin/Host
 *    checks; frames above WEB_MAX_FRAME_BYTES close the socket;
 *  - every request frame is validated (shape here, payload by the handler)
 *    and answered with an Envelope, never an exception;
 *  - responses carry the renderer CSP, nosniff and no-referrer (the token is
 *    in the URL and must not leak through Referer).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { isApiMethod } from '../../shared/contract/api';
import { fail } from '../../shared/contract/envelope';
import { WEB_MAX_FRAME_BYTES, WebRequestFrame } from '../../shared/contract/web-protocol';
import type { ApiHandler } from './api-handler';

export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const COOKIE = 'replscope_token';

export interface WebServerOptions {
  readonly handler: ApiHandler;
  /** Directory of the built renderer (index.html and assets). */
  readonly staticDir: string;
  readonly port?: number;
  /** Defaults to 32 random bytes, hex. */
  readonly token?: string;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The link to open: http://127.0.0.1:<port>/?token=<token>. */
  readonly url: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const expected = Buffer.from(token);
  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  let port = 0;
  const allowedHosts = (): Set<string> => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> => new Set([`http://${HOST}:${port}`, `http://localhost:${port}`]);

  /** null when allowed, else [status, reason]. */
  const refuse = (request: IncomingMessage, url: URL): [number, string] | null => {
    if (!allowedHosts().has(request.headers.host ?? '')) return [403, 'forbidden host'];
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) return [403, 'forbidden origin'];
    const cookieToken = /(?:^|;\s*)replscope_token=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
    if (!tokenMatches(url.searchParams.get('token')) && !tokenMatches(cookieToken)) return [401, 'this page needs the access token: open the full link that was printed (it ends in ?token=...)'];
    return null;
  };

  const server = createServer((request, response) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  const serveHttp = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
    const common = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' };
    const refused = refuse(request, url);
    if (refused) {
      response.writeHead(refused[0], { ...common, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`${refused[1]}\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...common, Allow: 'GET, HEAD' });
      response.end();
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // The renderer declares no icon; answer the browser's probe without an error.
      response.writeHead(204, common);
      response.end();
      return;
    }
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(options.staticDir, `.${relative}`);
    if (!file.startsWith(path.resolve(options.staticDir) + path.sep)) {
      response.writeHead(404, common);
      response.end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      response.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(relative === '/index.html' ? 'the renderer is not built: run `npm run build:renderer`\n' : 'not found\n');
      return;
    }
    const headers: Record<string, string> = { ...common, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' };
    if (tokenMatches(url.searchParams.get('token'))) headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  };

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: WEB_MAX_FRAME_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://${HOST}:${port}`);
    const refused = url.pathname !== '/ws' ? ([404, 'not found'] as [number, string]) : refuse(request, url);
    if (refused) {
      socket.end(`HTTP/1.1 ${refused[0]} ${refused[0] === 401 ? 'Unauthorized' : refused[0] === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  const unsubscribe = options.handler.onPush((message) => {
    const frame = JSON.stringify({ kind: 'push', message });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  const serveSocket = (ws: WebSocket): void => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let id = -1;
        let result: unknown;
        try {
          if (isBinary) throw new Error('binary frames are not part of the protocol');
          const frame = WebRequestFrame.safeParse(JSON.parse(String(data)));
          if (!frame.success) throw new Error(`not a request frame: ${frame.error.issues[0]?.message ?? 'invalid'}`);
          id = frame.data.id;
          result = isApiMethod(frame.data.method)
            ? await options.handler.call(frame.data.method, frame.data.payload)
            : fail('unknown-method', `unknown method ${frame.data.method.slice(0, 100)}`);
        } catch (failure) {
          result = fail('invalid-request', failure instanceof Error ? failure.message : String(failure));
        }
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ kind: 'response', id, result }));
      })();
    });
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
