/**
 * Web mode end to end, as `npm run web` runs it: the real console service
 * with the embedded demo (two engines in worker threads, a chaos proxy on the
 * link), served on 127.0.0.1 behind a token. Checks the security rules
 * (token, Origin, Host), the request/response protocol with its errors, and
 * that the demo replicates: topology pushes show the master and the replica
 * with the link online, and cutting the link yields a link-down and an exact
 * partial-resync event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PushMessage, type TopologySnapshot } from '../../shared/contract';
import { waitFor } from '../support/wait';
import { startWebConsole, type WebConsoleProcess } from '../support/web-console';

let consoleProcess: WebConsoleProcess;
let url: URL;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-web-test-'));
  consoleProcess = await startWebConsole(['--import', 'tsx', 'main/web/cli.ts', '--data-dir', dataDir, '--renderer-dir', path.join(dataDir, 'no-renderer')], { timeoutMs: 45_000 });
  url = consoleProcess.url;
}, 60_000);

afterAll(async () => {
  await consoleProcess?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function httpStatus(pathAndQuery: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path: pathAndQuery, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

class Client {
  private nextId = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();
  readonly pushes: PushMessage[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { kind: string; id?: number; result?: unknown; message?: unknown };
      if (frame.kind === 'response') this.waiting.get(frame.id!)?.(frame.result);
      else if (frame.kind === 'push') this.pushes.push(PushMessage.parse(frame.message));
    });
  }
  static async open(token: string, headers: Record<string, string> = {}): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/ws?token=${token}`, { headers });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    return new Client(ws);
  }
  call(method: string, payload: unknown): Promise<{ ok: boolean; data?: unknown; code?: string; message?: string }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (result) => resolve(result as { ok: boolean }));
      this.ws.send(JSON.stringify({ kind: 'request', id, method, payload }));
    });
  }
  latestTopology(): TopologySnapshot | null {
    for (let i = this.pushes.length - 1; i >= 0; i--) {
      const push = this.pushes[i]!;
      if (push.type === 'topology' && push.snapshot.kind === 'demo') return push.snapshot;
    }
    return null;
  }
}

describe('web mode security', () => {
  it('HTTP needs the token, the right Host and no foreign Origin', async () => {
    const token = url.searchParams.get('token')!;
    const host = { Host: `127.0.0.1:${url.port}` };
    expect(await httpStatus('/', host)).toBe(401);
    expect(await httpStatus('/?token=wrong', host)).toBe(401);
    expect(await httpStatus(`/?token=${token}`, { ...host, Origin: 'http://evil.example' })).toBe(403);
    expect(await httpStatus(`/?token=${token}`, { Host: `evil.example:${url.port}` })).toBe(403);
    // The renderer directory given to this run does not exist: an authorised request reaches the file lookup.
    expect(await httpStatus(`/?token=${token}`, host)).toBe(404);
    expect(await httpStatus(`/../../etc/passwd?token=${token}`, host)).toBe(404);
  });

  it('the WebSocket refuses a missing token and a foreign Origin', async () => {
    await expect(Client.open('wrong')).rejects.toThrow('HTTP 401');
    await expect(Client.open(url.searchParams.get('token')!, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });
});

describe('web mode API on the embedded demo', () => {
  let client: Client;
  beforeAll(async () => {
    client = await Client.open(url.searchParams.get('token')!);
  });
  afterAll(() => client.ws.close());

  it('answers requests and refuses malformed ones with clear errors', async () => {
    const info = await client.call('app.info', {});
    expect(info).toMatchObject({ ok: true, data: { mode: 'web', secretStorage: 'memory-only' } });
    expect(await client.call('no.such.method', {})).toMatchObject({ ok: false, code: 'unknown-method' });
    expect(await client.call('topology.get', { sessionId: 42 })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await client.call('topology.get', { sessionId: 'nope' })).toMatchObject({ ok: false, code: 'not-found' });
    // Garbage is answered (id -1, invalid-request) and the connection stays usable.
    client.ws.send('{not json');
    expect(await client.call('app.info', {})).toMatchObject({ ok: true });
  });

  it('the demo runs: a master and a replica in sync, pushed every poll', async () => {
    const status = await client.call('demo.status', {});
    expect(status).toMatchObject({ ok: true, data: { running: true, sessionId: expect.stringMatching(/^demo-/) } });
    const nodes = (status.data as { nodes: Array<{ role: string }> }).nodes;
    expect(nodes.map((node) => node.role).sort()).toEqual(['master', 'replica']);
    await waitFor(async () => {
      const snapshot = client.latestTopology();
      return snapshot !== null && snapshot.links.length === 1 && snapshot.links[0]!.state === 'online' && snapshot.nodes.every((node) => node.health === 'up');
    }, { timeoutMs: 20_000, what: 'a topology push with the link online' });
    const snapshot = client.latestTopology()!;
    const master = snapshot.nodes.find((node) => node.role === 'master')!;
    const link = snapshot.links[0]!;
    expect(link.masterId).toBe(master.id);
    expect(master.backlog?.replicas.map((marker) => marker.replicaId)).toEqual([link.replicaId]);
  });

  it('cutting the link produces a link-down and an exact partial resync', async () => {
    const snapshot = client.latestTopology()!;
    const replicaId = snapshot.links[0]!.replicaId;
    const chaos = await client.call('demo.chaos', { kind: 'cut-link', replicaId, seconds: 0.5 });
    expect(chaos.ok).toBe(true);
    await waitFor(async () => client.pushes.some((push) => push.type === 'event' && push.event.kind === 'partial-resync' && !push.event.inferred), { timeoutMs: 20_000, what: 'a partial-resync event' });
    const kinds = client.pushes.filter((push) => push.type === 'event').map((push) => (push as Extract<PushMessage, { type: 'event' }>).event.kind);
    expect(kinds).toContain('chaos');
    expect(kinds).toContain('link-down');
    const sessionId = (await client.call('demo.status', {})).data as { sessionId: string };
    const listed = await client.call('events.list', { sessionId: sessionId.sessionId });
    expect((listed.data as Array<{ kind: string }>).some((event) => event.kind === 'partial-resync')).toBe(true);
  });
});
