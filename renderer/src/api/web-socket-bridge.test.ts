/// <reference types="node" />
/**
 * The web-mode bridge against a real WebSocket server on loopback (the `ws`
 * package, the same one web mode serves with), through the WebSocket the
 * page itself uses. The server checks the token on upgrade like web mode
 * does, answers requests, pushes, and drops connections on demand.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import type { PushMessage } from './contract';
import { WebSocketBridge, type BridgeStatus } from './web-socket-bridge';
import { resolveWebToken, TOKEN_STORAGE_KEY, webSocketUrl } from './web-token';

const TOKEN = 'test-token-0123456789';

interface TestServer {
  readonly port: number;
  readonly sockets: Set<ServerSocket>;
  readonly received: unknown[];
  upgrades: number;
  /** How to answer a request frame; null = never answer. */
  reply: (frame: { id: number; method: string; payload: unknown }) => unknown;
  push(message: PushMessage): void;
  dropAll(): void;
  close(): Promise<void>;
}

async function startServer(): Promise<TestServer> {
  const http: Server = createServer((_request, response) => {
    response.statusCode = 404;
    response.end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const state: TestServer = {
    port: 0,
    sockets: new Set(),
    received: [],
    upgrades: 0,
    reply: (frame) => ({ ok: true, data: { echo: frame.method, payload: frame.payload } }),
    push: (message) => {
      for (const socket of state.sockets) socket.send(JSON.stringify({ kind: 'push', message }));
    },
    dropAll: () => {
      for (const socket of state.sockets) socket.terminate();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of state.sockets) socket.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' || url.searchParams.get('token') !== TOKEN) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    state.upgrades += 1;
    wss.handleUpgrade(request, socket, head, (client) => {
      state.sockets.add(client);
      client.on('close', () => state.sockets.delete(client));
      client.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { kind: string; id: number; method: string; payload: unknown };
        state.received.push(frame);
        const result = state.reply(frame);
        if (result !== null) client.send(JSON.stringify({ kind: 'response', id: frame.id, result }));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { port: (http.address() as AddressInfo).port });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let server: TestServer;
let bridge: WebSocketBridge | null = null;

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  bridge?.close();
  bridge = null;
  await server.close();
});

function connect(token = TOKEN, options: { requestTimeoutMs?: number; onListenerError?: (error: unknown) => void } = {}): { bridge: WebSocketBridge; statuses: BridgeStatus[] } {
  const created = new WebSocketBridge({ url: webSocketUrl({ protocol: 'http:', host: `127.0.0.1:${server.port}` }, token), initialRetryDelayMs: 20, maxRetryDelayMs: 100, ...options });
  bridge = created;
  const statuses: BridgeStatus[] = [];
  created.onStatus((status) => statuses.push(status));
  return { bridge: created, statuses };
}

describe('WebSocketBridge', () => {
  it('sends request frames and resolves with the envelope of the matching response', async () => {
    const { bridge } = connect();
    const [first, second] = await Promise.all([bridge.call('sessions.list', {}), bridge.call('topology.get', { sessionId: 'demo' })]);
    expect(first).toEqual({ ok: true, data: { echo: 'sessions.list', payload: {} } });
    expect(second).toEqual({ ok: true, data: { echo: 'topology.get', payload: { sessionId: 'demo' } } });
    expect(server.received).toEqual([
      { kind: 'request', id: 1, method: 'sessions.list', payload: {} },
      { kind: 'request', id: 2, method: 'topology.get', payload: { sessionId: 'demo' } },
    ]);
    expect(bridge.status.state).toBe('open');
  });

  it('passes failures through as envelopes and turns malformed answers into internal errors', async () => {
    const { bridge } = connect();
    server.reply = (frame) => (frame.method === 'demo.stop' ? { ok: false, code: 'conflict', message: 'demo not running' } : { nonsense: true });
    expect(await bridge.call('demo.stop', {})).toEqual({ ok: false, code: 'conflict', message: 'demo not running' });
    const malformed = await bridge.call('demo.status', {});
    expect(malformed.ok).toBe(false);
    expect(!malformed.ok && malformed.code).toBe('internal');
  });

  it('delivers pushes to every listener even when one throws', async () => {
    const errors: unknown[] = [];
    const { bridge } = connect(TOKEN, { onListenerError: (error) => errors.push(error) });
    await bridge.call('app.info', {});
    const received: PushMessage[] = [];
    bridge.onPush(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = bridge.onPush((message) => received.push(message));
    const message: PushMessage = { type: 'log', sessionId: null, nodeId: null, line: 'hello' };
    server.push(message);
    await until(() => received.length === 1, 'the push');
    expect(received).toEqual([message]);
    expect(errors.map((error) => (error as Error).message)).toEqual(['listener bug']);
    unsubscribe();
    server.push(message);
    await until(() => errors.length === 2, 'the second push');
    expect(received).toHaveLength(1);
  });

  it('fails a request already sent when the socket drops, reconnects, and sends queued requests', async () => {
    const { bridge, statuses } = connect();
    await bridge.call('app.info', {});
    server.reply = () => null;
    const inFlight = bridge.call('actions.run', { token: 't' });
    await until(() => server.received.length === 2, 'the in-flight request');
    server.dropAll();
    const lost = await inFlight;
    expect(lost.ok).toBe(false);
    expect(!lost.ok && lost.code).toBe('unreachable');
    expect(!lost.ok && lost.message).toContain('may or may not have run');
    // Made while down: queued, then sent once the socket is back.
    server.reply = (frame) => ({ ok: true, data: frame.method });
    const queued = bridge.call('sessions.list', {});
    expect(await queued).toEqual({ ok: true, data: 'sessions.list' });
    expect(server.upgrades).toBe(2);
    expect(statuses.map((status) => status.state)).toEqual(['open', 'reconnecting', 'open']);
    // The lost request was not re-sent.
    expect(server.received.filter((frame) => (frame as { method: string }).method === 'actions.run')).toHaveLength(1);
  });

  it('keeps retrying with a readable reason when the token is refused, never showing the token', async () => {
    const { bridge, statuses } = connect('wrong-token-0000000');
    await until(() => statuses.length >= 2, 'two failed attempts');
    expect(bridge.status.state).toBe('connecting');
    expect(bridge.status.everOpened).toBe(false);
    expect(bridge.status.lastError).toContain('access token');
    expect(bridge.status.lastError).not.toContain('wrong-token');
    expect(server.upgrades).toBe(0);
  });

  it('times out a request that gets no answer', async () => {
    const { bridge } = connect(TOKEN, { requestTimeoutMs: 100 });
    server.reply = () => null;
    const result = await bridge.call('history.get', { sessionId: 's' });
    expect(result).toMatchObject({ ok: false, code: 'timeout' });
  });

  it('close() fails outstanding requests and stops reconnecting', async () => {
    const { bridge } = connect();
    await bridge.call('app.info', {});
    server.reply = () => null;
    const pending = bridge.call('demo.status', {});
    await until(() => server.received.length === 2, 'the request');
    bridge.close();
    expect(await pending).toMatchObject({ ok: false, code: 'unreachable' });
    expect(await bridge.call('demo.status', {})).toMatchObject({ ok: false, code: 'unreachable' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.upgrades).toBe(1);
    expect(bridge.status.state).toBe('closed');
  });
});

describe('web token', () => {
  function memoryStorage(): Storage {
    const values = new Map<string, string>();
    return {
      get length() {
        return values.size;
      },
      clear: () => values.clear(),
      getItem: (key) => values.get(key) ?? null,
      key: (index) => [...values.keys()][index] ?? null,
      removeItem: (key) => values.delete(key),
      setItem: (key, value) => values.set(key, value),
    };
  }

  it('reads ?token= on first load, keeps it in sessionStorage, and uses it after the query is gone', () => {
    const storage = memoryStorage();
    expect(resolveWebToken({ search: `?token=${TOKEN}` }, storage)).toBe(TOKEN);
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe(TOKEN);
    expect(resolveWebToken({ search: '' }, storage)).toBe(TOKEN);
  });

  it('a new token in the URL replaces the stored one; malformed tokens are ignored', () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, 'old-token-aaaaaaaa');
    expect(resolveWebToken({ search: '?token=new-token-bbbbbbbb' }, storage)).toBe('new-token-bbbbbbbb');
    expect(resolveWebToken({ search: '?token=<script>' }, storage)).toBe('new-token-bbbbbbbb');
    expect(resolveWebToken({ search: '' }, memoryStorage())).toBeNull();
    expect(resolveWebToken({ search: `?token=${TOKEN}` }, null)).toBe(TOKEN);
  });

  it('builds the socket URL on the page origin', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:4000' }, 'a b')).toBe('ws://127.0.0.1:4000/ws?token=a%20b');
    expect(webSocketUrl({ protocol: 'https:', host: 'console.local' }, 't')).toBe('wss://console.local/ws?token=t');
  });
});

