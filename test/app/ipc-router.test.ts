/**
 * The IPC wiring of the desktop shell, with a fake ipcMain/webContents (the
 * Electron binary is not available here) around the REAL console service:
 * requests from a foreign frame are refused, unknown methods and invalid
 * payloads get clear envelopes, valid ones reach the service, and pushes go
 * to every live window on the push channel (a session on a real redis-server
 * produces them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_INVOKE_CHANNEL, IPC_PUSH_CHANNEL } from '../../shared/contract/ipc-channels';
import { createConsoleService } from '../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleService } from '../../main/console/service-types';
import { registerIpc, trustedFrameMatcher, type InvokeEvent } from '../../main/transport/ipc-router';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitFor } from '../support/wait';

const PAGE = 'file:///opt/Replscope/resources/app.asar/out/renderer/index.html';

class FakeIpcMain {
  readonly handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    return this.handlers.get(IPC_INVOKE_CHANNEL)!({ senderFrame: frameUrl === null ? null : { url: frameUrl } }, ...args);
  }
}

class FakeWebContents {
  readonly sent: Array<[string, unknown]> = [];
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, message: unknown): void {
    this.sent.push([channel, message]);
  }
}

let service: ConsoleService;
let dataDir: string;
let redis: RedisProcess;
const ipcMain = new FakeIpcMain();
const live = new FakeWebContents();
const closed = new FakeWebContents();
let unregister: () => void;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-ipc-test-'));
  redis = await startRedisServer();
  service = await createConsoleService({ dataDir, mode: 'electron', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger: { info: () => {}, warn: () => {}, error: () => {} } });
  closed.destroyed = true;
  unregister = registerIpc({ ipcMain, handler: service, isTrustedFrame: trustedFrameMatcher(PAGE, null), targets: () => [live, closed] });
});

afterAll(async () => {
  unregister();
  await service.close();
  await stopAllRedisServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('IPC router', () => {
  it('refuses requests from any frame but our page', async () => {
    for (const url of [null, 'https://evil.example/', 'file:///tmp/other.html', 'devtools://devtools/bundled/inspector.html', 'not a url']) {
      expect(await ipcMain.invoke(url, 'app.info', {})).toMatchObject({ ok: false, code: 'permission-denied' });
    }
  });

  it('validates the method and the payload', async () => {
    expect(await ipcMain.invoke(PAGE, 'fs.readFile', {})).toMatchObject({ ok: false, code: 'unknown-method' });
    expect(await ipcMain.invoke(PAGE, 'profiles.delete', { id: 5 })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await ipcMain.invoke(PAGE, 'settings.set', { pollIntervalMs: 1 })).toMatchObject({ ok: false, code: 'invalid-request' });
    // Still refused, in a sentence that names the form's field and its range (not zod's "Too big: expected number to be <=10000").
    expect(await ipcMain.invoke(PAGE, 'demo.chaos', { kind: 'latency', replicaId: 'r', ms: 20000 })).toEqual({ ok: false, code: 'invalid-request', message: 'Latency (ms) must be from 0 to 10000 (a whole number); 20000 was given.' });
    expect(await ipcMain.invoke(PAGE, 'app.info', { extra: true })).toMatchObject({ ok: false, code: 'invalid-request' });
    // The stream tap's channels are checked like the others: a separator with a space, a top N past 50, an unknown field.
    expect(await ipcMain.invoke(PAGE, 'tap.configure', { sessionId: 's', nodeId: 'n', options: { separator: 'a b', topN: 5 } })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await ipcMain.invoke(PAGE, 'tap.start', { sessionId: 's', nodeId: 'n', options: { separator: ':', topN: 51 } })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await ipcMain.invoke(PAGE, 'tap.stop', { sessionId: 's', nodeId: 'n', force: true })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await ipcMain.invoke(PAGE, 'tap.preflight', { sessionId: 'no-such-session', nodeId: 'n' })).toMatchObject({ ok: false, code: 'not-found' });
    // Incident bundles: the page cannot name a file for main to read (only the dialog chooses one), and an upload is bounded.
    expect(await ipcMain.invoke(PAGE, 'incident.choose', { path: '/etc/passwd' })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await ipcMain.invoke(PAGE, 'incident.open', { fileName: 'b.json' })).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(await ipcMain.invoke(PAGE, 'incident.open', { fileName: 'b.json', text: ' '.repeat(5 * 1024 * 1024 + 1) })).toMatchObject({ ok: false, code: 'invalid-request', message: expect.stringContaining('larger than the 5 MB a bundle may have') });
    expect(await ipcMain.invoke(PAGE, 'incident.open', { fileName: 'b.json', text: '{}' })).toMatchObject({ ok: false, code: 'invalid-request', message: 'b.json is not a Replscope incident bundle (it has no "format": "replscope-incident")' });
  });

  it('serves valid requests from the real service', async () => {
    expect(await ipcMain.invoke(PAGE, 'app.info', {})).toMatchObject({ ok: true, data: { mode: 'electron', version: 'test' } });
    const saved = await ipcMain.invoke(PAGE, 'profiles.save', {
      fields: { name: 'local', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: redis.port }], environment: 'dev', safetyMode: 'ops' },
      secrets: { password: 'not-stored-on-disk' },
    }) as { ok: boolean; data: { id: string; secrets: { password: boolean } } };
    expect(saved).toMatchObject({ ok: true, data: { secrets: { password: true } } });
    const listed = await ipcMain.invoke(PAGE, 'profiles.list', {});
    expect(JSON.stringify(listed)).not.toContain('not-stored-on-disk');
  });

  it('pushes snapshots and session lists to live windows only', async () => {
    const profiles = await ipcMain.invoke(PAGE, 'profiles.list', {}) as { data: Array<{ id: string }> };
    const connected = await ipcMain.invoke(PAGE, 'sessions.connect', { profileId: profiles.data[0]!.id });
    expect(connected).toMatchObject({ ok: true, data: { kind: 'standalone' } });
    await waitFor(async () => live.sent.some(([, message]) => (message as { type: string }).type === 'topology'), { what: 'a topology push' });
    expect(live.sent.every(([channel]) => channel === IPC_PUSH_CHANNEL)).toBe(true);
    expect(live.sent.some(([, message]) => (message as { type: string }).type === 'sessions')).toBe(true);
    expect(closed.sent).toEqual([]);
  });
});
