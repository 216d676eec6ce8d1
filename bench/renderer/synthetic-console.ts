/**
 * A console stand-in for the renderer benchmark: serves the built renderer
 * (out/renderer) over HTTP and speaks the web-mode protocol on /ws?token=,
 * answering from synthetic topologies. Every answer and push is validated
 * against the contract's zod schemas before it is sent, so the renderer
 * sees exactly the shapes the real console sends. Pushes are driven by the
 * caller (`pushTick`) so the benchmark controls the timing.
 *
 * This is a load generator for measuring the renderer, not a replacement for
 * web mode: the end-to-end tests run against the real console.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { API, isApiMethod, PushMessage, seriesValuesOf, type ApiMethod, type ReplicationEvent, type TopologySnapshot } from '../../shared/contract';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { syntheticSession, syntheticSnapshot, type SyntheticShape } from '../../renderer/test-support/synthetic-topology';

export interface SyntheticConsole {
  readonly url: string;
  readonly shape: SyntheticShape;
  /** Pushes the next snapshot to every page; returns its time. */
  pushTick(): number;
  close(): Promise<void>;
}

export interface SyntheticConsoleOptions {
  readonly rendererDir: string;
  readonly shape: SyntheticShape;
  /** Rows of history available before the first push (one per poll interval). */
  readonly historyRows: number;
  readonly token?: string;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function startSyntheticConsole(options: SyntheticConsoleOptions): Promise<SyntheticConsole> {
  const token = options.token ?? 'bench-token-0123456789';
  const shape = options.shape;
  const session = syntheticSession({ sessionId: shape.sessionId, name: 'synthetic-60', environment: 'staging', safetyMode: 'monitor-only', kind: shape.kind === 'demo' ? 'standalone' : (shape.kind ?? 'standalone') });
  // Tick 0 is historyRows polls ago; live pushes continue from there.
  let tick = options.historyRows;
  const startTime = shape.startTime ?? Date.now() - options.historyRows * (shape.pollIntervalMs ?? 1000);
  const snapshotAt = (at: number): TopologySnapshot => syntheticSnapshot({ ...shape, startTime }, at);
  const first = snapshotAt(0);
  const events = syntheticEvents(first, options.historyRows, shape.pollIntervalMs ?? 1000);

  const answer = (method: ApiMethod, payload: unknown): unknown => {
    switch (method) {
      case 'app.info':
        return { version: '0.1.0-bench', mode: 'web', secretStorage: 'memory-only', platform: 'linux' };
      case 'settings.get':
      case 'settings.set':
        return DEFAULT_SETTINGS;
      case 'sessions.list':
        return [session];
      case 'profiles.list':
        return [];
      case 'demo.status':
        return { running: false, sessionId: null, spec: null, nodes: [], load: { running: false, opsPerSec: 1000, valueBytes: 256, keySpace: 10000, mix: { string: 60, list: 10, hash: 15, set: 10, zset: 5, script: 0, stream: 0 } }, loadOpsPerSec: 0, loadErrors: 0, activeFaults: [], streamRateBytesPerSec: null, streamRateNodeId: null };
      case 'topology.get':
        return snapshotAt(tick);
      case 'events.list':
        return events;
      case 'history.get': {
        const request = payload as { series?: string[] };
        const wanted = new Set(request.series ?? []);
        const times: number[] = [];
        const series: Record<string, (number | null)[]> = {};
        for (const id of wanted) series[id] = [];
        for (let at = 0; at < tick; at += 1) {
          const snapshot = snapshotAt(at);
          times.push(snapshot.time);
          const values = seriesValuesOf(snapshot);
          for (const id of wanted) series[id]?.push(values.get(id) ?? null);
        }
        return { sessionId: shape.sessionId, times, series };
      }
      default:
        throw new Error(`${method} is not part of the benchmark`);
    }
  };

  const http: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = path.resolve(options.rendererDir, relative);
      if (!file.startsWith(path.resolve(options.rendererDir))) {
        response.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        response.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  http.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' || url.searchParams.get('token') !== token) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { id: number; method: string; payload: unknown };
        let result: unknown;
        if (!isApiMethod(frame.method)) {
          result = { ok: false, code: 'unknown-method', message: frame.method };
        } else {
          try {
            result = { ok: true, data: API[frame.method].response.parse(answer(frame.method, frame.payload)) };
          } catch (error) {
            result = { ok: false, code: 'internal', message: error instanceof Error ? error.message : String(error) };
          }
        }
        client.send(JSON.stringify({ kind: 'response', id: frame.id, result }));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    shape,
    pushTick: () => {
      tick += 1;
      // Live pushes carry the wall-clock time, as a real poll does (the
      // synthetic clock falls behind while the bench sets up, and the page
      // would rightly call the data stale).
      const synthetic = snapshotAt(tick);
      const snapshot = { ...synthetic, time: Math.max(synthetic.time, Date.now()) };
      const text = JSON.stringify({ kind: 'push', message: PushMessage.parse({ type: 'topology', snapshot }) });
      for (const socket of sockets) socket.send(text);
      return snapshot.time;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.terminate();
        wss.close();
        http.close(() => resolve());
      }),
  };
}

/** A plausible hour of events: link drops followed by partial resyncs, and one full resync out of backlog. */
function syntheticEvents(snapshot: TopologySnapshot, rows: number, pollMs: number): ReplicationEvent[] {
  const events: ReplicationEvent[] = [];
  snapshot.links.slice(0, 6).forEach((link, index) => {
    const at = snapshot.time + Math.floor(((index + 1) * rows) / 8) * pollMs;
    const base = { sessionId: snapshot.sessionId, nodeId: link.replicaId, peerId: link.masterId, inferred: true, numbers: { lagBytes: 4096 * (index + 1) } };
    events.push({ ...base, id: `e${index}-down`, time: at, kind: 'link-down', cause: 'network', message: `${link.replicaId} lost its link to ${link.masterId}` });
    if (index === 2) {
      events.push({ ...base, id: `e${index}-full`, time: at + 20 * pollMs, kind: 'full-resync', cause: 'out-of-backlog', message: `${link.replicaId} full resync: its offset fell out of the backlog` });
    } else {
      events.push({ ...base, id: `e${index}-partial`, time: at + 5 * pollMs, kind: 'partial-resync', cause: 'network', message: `${link.replicaId} resumed with a partial resync` });
    }
  });
  return events;
}
