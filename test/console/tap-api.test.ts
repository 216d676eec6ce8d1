/**
 * The stream tap through the console API (schema-checked, enveloped, as the
 * renderer calls it): on the embedded demo (its master's own engine in a
 * worker thread, with the load generator writing) and on a real
 * redis-server profile that has not opted in, then has. Reports are pushed
 * while the tap streams; stop and disconnect free the master's replica slot.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleService } from '../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleService } from '../../main/console/service-types';
import type { ApiMethod, PushMessage } from '../../shared/contract/api';
import type { DemoStatus } from '../../shared/contract/demo';
import type { TapPreflight, TapReport } from '../../shared/contract/tap';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, info, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const services: ConsoleService[] = [];
const dirs: string[] = [];
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await stopAllRedisServers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(): Promise<{ service: ConsoleService; reports: TapReport[] }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-tap-api-'));
  dirs.push(dataDir);
  const service = await createConsoleService({ dataDir, mode: 'web', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger: quiet });
  services.push(service);
  const reports: TapReport[] = [];
  service.onPush((message: PushMessage) => {
    if (message.type === 'tap') reports.push(message.report);
  });
  return { service, reports };
}

async function call<T>(service: ConsoleService, method: ApiMethod, payload: unknown): Promise<T> {
  const answer = await service.call(method, payload);
  if (!answer.ok) throw new Error(`${method}: ${answer.code}: ${answer.message}`);
  return answer.data as T;
}

describe('tap API', () => {
  it('taps the demo master while the load generator writes, pushes reports, stops cleanly', async () => {
    const { service, reports } = await open();
    const demo = await call<DemoStatus>(service, 'demo.start', { topology: 'pair' });
    const sessionId = demo.sessionId!;
    const master = demo.nodes.find((node) => node.role === 'master')!;
    const nodeId = `127.0.0.1:${master.port}`;
    await call(service, 'demo.load', { ...demo.load, running: true, opsPerSec: 200 });
    const preflight = await call<TapPreflight>(service, 'tap.preflight', { sessionId, nodeId });
    expect(preflight.allowed).toBe(true);
    expect(preflight.keyNames).toBe('shown');
    const started = await call<TapReport>(service, 'tap.start', { sessionId, nodeId, options: { separator: ':', depth: 2, topN: 5 } });
    expect(started.state).toBe('streaming');
    await waitFor(() => reports.some((report) => report.state === 'streaming' && report.totalCommands > 50), { what: 'a pushed report with commands', timeoutMs: 15_000 });
    const live = (await call<TapReport[]>(service, 'tap.list', { sessionId }))[0]!;
    expect(live.byCommand.length).toBeGreaterThan(0);
    expect(live.byPrefix.length).toBeLessThanOrEqual(6); // top 5 + other
    // The load generator's keys are demo:<type>:<n>: two segments group them by type.
    expect(live.byPrefix.some((row) => /^demo:[a-z]+:$/.test(row.label))).toBe(true);
    const again = await service.call('tap.start', { sessionId, nodeId });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.message).toContain('already tapped');
    const invalid = await service.call('tap.configure', { sessionId, nodeId, options: { separator: 'a b', topN: 5 } });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.code).toBe('invalid-request');
    const stopped = await call<TapReport>(service, 'tap.stop', { sessionId, nodeId });
    expect(stopped.state).toBe('stopped');
    await waitFor(async () => !(await command({ port: master.port }, 'INFO', 'replication') as string).includes('replscope-tap'), { what: 'the demo master to free the tap' });
  });

  it('refuses a profile that has not opted in; after opting in, disconnect closes the tap', async () => {
    const { service } = await open();
    const master = await startRedisServer();
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    const fields = { name: 'staging', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: master.port }], environment: 'staging', safetyMode: 'monitor-only' };
    const saved = await call<{ id: string }>(service, 'profiles.save', { fields });
    const { sessionId } = await call<{ sessionId: string }>(service, 'sessions.connect', { profileId: saved.id });
    const nodeId = `127.0.0.1:${master.port}`;
    const refused = await service.call('tap.start', { sessionId, nodeId });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toContain('The stream tap is off for this profile');
    await call(service, 'sessions.disconnect', { sessionId });

    await call(service, 'profiles.save', { id: saved.id, fields: { ...fields, streamTap: true } });
    const session = await call<{ sessionId: string }>(service, 'sessions.connect', { profileId: saved.id });
    const preflight = await call<TapPreflight>(service, 'tap.preflight', { sessionId: session.sessionId, nodeId });
    expect(preflight.keyNames).toBe('hashed');
    const started = await call<TapReport>(service, 'tap.start', { sessionId: session.sessionId, nodeId });
    expect(started.state).toBe('streaming');
    expect(Number((await info(master, 'replication')).get('connected_slaves'))).toBe(2);
    // The master lists the tap as a replica; the console draws no node or link for it.
    const polled = (await call<{ time: number }>(service, 'topology.get', { sessionId: session.sessionId })).time;
    await waitFor(async () => (await call<{ time: number }>(service, 'topology.get', { sessionId: session.sessionId })).time > polled + 1000, { what: 'two polls with the tap attached' });
    const topology = await call<{ nodes: Array<{ id: string }>; links: Array<{ replicaId: string }> }>(service, 'topology.get', { sessionId: session.sessionId });
    expect(topology.nodes.map((node) => node.id).sort()).toEqual([nodeId, `127.0.0.1:${replica.port}`].sort());
    expect(topology.links.map((link) => link.replicaId)).toEqual([`127.0.0.1:${replica.port}`]);
    await call(service, 'sessions.disconnect', { sessionId: session.sessionId });
    await waitFor(async () => Number((await info(master, 'replication')).get('connected_slaves')) === 1, { what: 'the tap freed on disconnect' });
  });
});
