/**
 * The console service through its API on real redis-server nodes: profile
 * files that are corrupt or from another version are read with a warning and
 * kept as a backup; actions are guarded (a preflight token runs once, a node
 * that changed role since its preflight is refused, monitor-only refuses,
 * prod needs the node name typed); the persisted event log survives a
 * restart of the service.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleService } from '../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleService } from '../../main/console/service-types';
import type { ApiMethod } from '../../shared/contract';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const services: ConsoleService[] = [];
const dirs: string[] = [];
const warnings: string[] = [];
const logger = { info: () => {}, warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await stopAllRedisServers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  warnings.length = 0;
});

async function service(dataDir?: string): Promise<{ service: ConsoleService; dataDir: string }> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'replscope-service-'));
  if (!dataDir) dirs.push(dir);
  const created = await createConsoleService({ dataDir: dir, mode: 'web', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger });
  services.push(created);
  return { service: created, dataDir: dir };
}

async function call<T = unknown>(target: ConsoleService, method: ApiMethod, payload: unknown): Promise<{ ok: boolean; data?: T; code?: string; message?: string }> {
  return (await target.call(method, payload)) as { ok: boolean; data?: T; code?: string; message?: string };
}

async function connectedPair(target: ConsoleService, extra: object = {}): Promise<{ master: RedisProcess; replica: RedisProcess; sessionId: string }> {
  const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
  const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
  await waitForSync(replica);
  await master.call('SET', 'some', 'data'); // so the replica has a non-zero offset to acknowledge
  const saved = await call<{ id: string }>(target, 'profiles.save', { fields: { name: 'pair', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: master.port }], environment: 'dev', safetyMode: 'ops', ...extra } });
  const session = await call<{ sessionId: string }>(target, 'sessions.connect', { profileId: saved.data!.id });
  expect(session.ok).toBe(true);
  const sessionId = session.data!.sessionId;
  await waitFor(async () => {
    const topology = await call<{ links: Array<{ state: string; replicaOffset: number | null }> }>(target, 'topology.get', { sessionId });
    return topology.data!.links.length === 1 && topology.data!.links[0]!.state === 'online' && (topology.data!.links[0]!.replicaOffset ?? 0) > 0;
  }, { what: 'the link online and acknowledged' });
  return { master, replica, sessionId };
}

describe('profile files', () => {
  it('a corrupt profiles.json is kept as a backup, reported, and the list starts empty', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-service-'));
    dirs.push(dataDir);
    writeFileSync(path.join(dataDir, 'profiles.json'), '{ "version": 1, "profiles": [ {oops');
    const { service: target } = await service(dataDir);
    expect(await call(target, 'profiles.list', {})).toMatchObject({ ok: true, data: [] });
    const backup = readdirSync(dataDir).find((name) => name.startsWith('profiles.json.corrupt-'));
    expect(backup).toBeDefined();
    expect(readFileSync(path.join(dataDir, backup!), 'utf8')).toContain('{oops');
    expect(warnings.some((warning) => warning.includes('profiles.json could not be read'))).toBe(true);
  });

  it('profiles that no longer validate are skipped with a warning and the original file is kept', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-service-'));
    dirs.push(dataDir);
    const good = { name: 'ok', kind: 'standalone', seeds: [{ host: 'h', port: 1 }], environment: 'dev', safetyMode: 'ops', id: 'a1', secrets: { password: false, sentinelPassword: false, sshPassword: false, sshKeyPassphrase: false }, createdAt: 1, updatedAt: 1 };
    writeFileSync(path.join(dataDir, 'profiles.json'), JSON.stringify({ version: 0, profiles: [good, { name: 'old', seeds: 'h:1' }] }));
    const { service: target } = await service(dataDir);
    const listed = await call<Array<{ name: string }>>(target, 'profiles.list', {});
    expect(listed.data!.map((profile) => profile.name)).toEqual(['ok']);
    expect(existsSync(path.join(dataDir, 'profiles.json.before-upgrade'))).toBe(true);
    expect(warnings.some((warning) => warning.includes('did not validate'))).toBe(true);
  });

  it('export without secrets, import under a new name, secrets never in the file in web mode', async () => {
    const { service: target, dataDir } = await service();
    await call(target, 'profiles.save', { fields: { name: 'p', kind: 'standalone', seeds: [{ host: 'h', port: 6379 }], environment: 'staging', safetyMode: 'ops' }, secrets: { password: 'hunter2' } });
    expect(readFileSync(path.join(dataDir, 'profiles.json'), 'utf8')).not.toContain('hunter2');
    const exported = await call<{ json: string }>(target, 'profiles.export', { includeSecrets: false });
    expect(exported.data!.json).not.toContain('hunter2');
    const imported = await call<{ imported: number; warnings: string[] }>(target, 'profiles.import', { json: exported.data!.json });
    expect(imported.data).toMatchObject({ imported: 1 });
    const names = (await call<Array<{ name: string }>>(target, 'profiles.list', {})).data!.map((profile) => profile.name);
    expect(names).toEqual(['p', 'p (imported)']);
    expect(await call(target, 'profiles.import', { json: '{"nope": 1}' })).toMatchObject({ ok: false, code: 'internal' });
  });
});

describe('guarded actions', () => {
  it('a preflight token runs once: the second run is refused', async () => {
    const { service: target } = await service();
    const { replica, sessionId } = await connectedPair(target);
    const preflight = await call<{ token: string; allowed: boolean; prediction: string }>(target, 'actions.preflight', { sessionId, kind: 'disconnect-link', replicaId: `127.0.0.1:${replica.port}`, side: 'replica' });
    expect(preflight.data).toMatchObject({ allowed: true, prediction: 'partial' });
    const first = await call<{ outcome: string; predictionHeld: boolean }>(target, 'actions.run', { token: preflight.data!.token });
    expect(first.data).toMatchObject({ outcome: 'partial-resync', predictionHeld: true });
    expect(await call(target, 'actions.run', { token: preflight.data!.token })).toMatchObject({ ok: false, code: 'stale-preflight' });
  });

  it('a node that changed role since its preflight is refused with the reason', async () => {
    const { service: target } = await service();
    const { replica, sessionId } = await connectedPair(target);
    const preflight = await call<{ token: string }>(target, 'actions.preflight', { sessionId, kind: 'promote', nodeId: `127.0.0.1:${replica.port}`, method: 'replicaof-no-one' });
    await replica.call('REPLICAOF', 'NO', 'ONE');
    const run = await call(target, 'actions.run', { token: preflight.data!.token });
    expect(run).toMatchObject({ ok: false, code: 'conflict' });
    expect(run.message).toMatch(/is now master \(it was replica at preflight\)/);
  });

  it('promote (auto) on a reachable master is a coordinated FAILOVER TO: roles swap and the old master follows', async () => {
    const { service: target } = await service();
    const { master, replica, sessionId } = await connectedPair(target);
    const replicaId = `127.0.0.1:${replica.port}`;
    const preflight = await call<{ token: string; commands: string[]; prediction: string }>(target, 'actions.preflight', { sessionId, kind: 'promote', nodeId: replicaId, method: 'auto' });
    expect(preflight.data).toMatchObject({ commands: [`FAILOVER TO 127.0.0.1 ${replica.port} TIMEOUT 10000 (on 127.0.0.1:${master.port})`], prediction: 'partial' });
    const run = await call<{ outcome: string }>(target, 'actions.run', { token: preflight.data!.token });
    expect(run.data).toMatchObject({ outcome: 'promoted' });
    const role = (await master.call('ROLE')) as unknown[];
    expect(role.slice(0, 3)).toEqual(['slave', '127.0.0.1', replica.port]);
  });

  it('monitor-only refuses; prod needs the node name typed', async () => {
    const { service: target } = await service();
    const monitorOnly = await connectedPair(target, { safetyMode: 'monitor-only' });
    const denied = await call<{ allowed: boolean; deniedReason: string }>(target, 'actions.preflight', { sessionId: monitorOnly.sessionId, kind: 'set-backlog-size', nodeId: `127.0.0.1:${monitorOnly.master.port}`, bytes: 2 * 1024 * 1024 });
    expect(denied.data).toMatchObject({ allowed: false, deniedReason: expect.stringContaining('monitor-only') });
    const prod = await connectedPair(target, { environment: 'prod', name: 'prod-pair' });
    const nodeId = `127.0.0.1:${prod.master.port}`;
    const preflight = await call<{ token: string; confirmationText: string }>(target, 'actions.preflight', { sessionId: prod.sessionId, kind: 'set-backlog-size', nodeId, bytes: 2 * 1024 * 1024 });
    expect(preflight.data!.confirmationText).toBe(nodeId);
    expect(await call(target, 'actions.run', { token: preflight.data!.token, confirmation: 'wrong' })).toMatchObject({ ok: false, code: 'confirmation-required' });
    const again = await call<{ token: string }>(target, 'actions.preflight', { sessionId: prod.sessionId, kind: 'set-backlog-size', nodeId, bytes: 2 * 1024 * 1024 });
    const run = await call<{ outcome: string }>(target, 'actions.run', { token: again.data!.token, confirmation: nodeId });
    expect(run.data).toMatchObject({ outcome: 'config-changed' });
    expect(await prod.master.call('CONFIG', 'GET', 'repl-backlog-size')).toEqual(['repl-backlog-size', String(2 * 1024 * 1024)]);
  });
});

describe('event log', () => {
  it('survives a restart of the service', async () => {
    const first = await service();
    const { replica, sessionId } = await connectedPair(first.service);
    await replica.call('CLIENT', 'KILL', 'TYPE', 'master');
    await waitFor(async () => ((await call<unknown[]>(first.service, 'events.list', { sessionId })).data ?? []).length > 0, { what: 'an event' });
    const before = (await call<unknown[]>(first.service, 'events.list', { sessionId })).data!.length;
    await first.service.close();
    services.splice(services.indexOf(first.service), 1);
    const second = await service(first.dataDir);
    const after = await call<unknown[]>(second.service, 'events.list', { sessionId });
    expect(after.data!.length).toBeGreaterThanOrEqual(before);
  });
});
