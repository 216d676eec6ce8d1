/**
 * Issue 18 part 3: a deployment's figures outlive the console. A
 * redis-server pair is watched, the console is closed and started again on
 * the same data directory, the profile reconnected: history.range returns
 * the seconds recorded before the restart (1-second tier) and the new ones
 * after it, and history.csv exports that range with one column per series.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createConsoleService } from '../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleService } from '../../main/console/service-types';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../shared/contract/api';
import { nodeSeriesId } from '../../shared/contract/series';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { sleep, waitFor } from '../support/wait';
import { startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();
const dataDirs: string[] = [];
afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const logger = { info: () => {}, warn: () => {}, error: () => {} };
async function call<M extends ApiMethod>(service: ConsoleService, method: M, payload: ApiRequest<M>): Promise<ApiResponse<M>> {
  const envelope = await service.call(method, payload);
  if (!envelope.ok) throw new Error(`${method}: ${envelope.code} ${envelope.message}`);
  return envelope.data;
}

it('history written before a restart of the console is read back after it, and exported as CSV', async () => {
  const group = await startGroup('redis', { shape: 'pair' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-history-'));
  dataDirs.push(dataDir);
  const first = await createConsoleService({ dataDir, mode: 'web', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger });
  await call(first, 'settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: 500 });
  const profile = await call(first, 'profiles.save', { fields: { name: 'history pair', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: group.master.port }], environment: 'staging', safetyMode: 'ops' } });
  const before = await call(first, 'sessions.connect', { profileId: profile.id });
  const startedAt = Date.now();
  await sleep(4000);
  const memorySeries = nodeSeriesId(group.master.id, 'usedMemory');
  const seen = await call(first, 'history.range', { sessionId: before.sessionId, fromMs: startedAt - 1000, toMs: Date.now(), series: [memorySeries] });
  expect(seen.resolution).toBe('second');
  expect(seen.times.length).toBeGreaterThanOrEqual(3);
  // At most one row a second, though the poll runs at 2 Hz.
  for (let index = 1; index < seen.times.length; index++) expect(seen.times[index]! - seen.times[index - 1]!).toBeGreaterThanOrEqual(1000);
  const closedAt = Date.now();
  await first.close();
  expect(readdirSync(path.join(dataDir, 'history', profile.id)).some((name) => /^s-\d+\.jsonl$/.test(name))).toBe(true);

  const second = await createConsoleService({ dataDir, mode: 'web', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger });
  try {
    const after = await call(second, 'sessions.connect', { profileId: profile.id });
    expect(after.sessionId).not.toBe(before.sessionId);
    await sleep(2500);
    const range = await call(second, 'history.range', { sessionId: after.sessionId, fromMs: startedAt - 1000, toMs: Date.now(), series: [memorySeries] });
    const old = range.times.filter((time) => time <= closedAt);
    const fresh = range.times.filter((time) => time > closedAt);
    expect(old.length).toBeGreaterThanOrEqual(seen.times.length);
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    const memory = range.series[memorySeries]!;
    expect(memory.filter((value) => value !== null).every((value) => value! > 100_000)).toBe(true);

    const csv = await call(second, 'history.csv', { sessionId: after.sessionId, fromMs: startedAt - 1000, toMs: Date.now(), series: [memorySeries] });
    const lines = csv.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(`time,unix_ms,${memorySeries}`);
    expect(lines).toHaveLength(csv.rows + 1);
    expect(csv.rows).toBe(range.times.length);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z,\d+,\d*$/);
    expect(csv.fileName).toMatch(/^replscope-history_pair-.*\.csv$/);

    // Settings → History on disk: the profile's directory by name, its files' bytes, the bound in force.
    const usage = await call(second, 'history.usage', {});
    expect(usage.maxMegabytes).toBe(256);
    const ours = usage.deployments.find((deployment) => deployment.key === profile.id);
    expect(ours).toMatchObject({ name: 'history pair' });
    expect(ours!.bytes).toBeGreaterThan(0);
    expect(ours!.files).toBeGreaterThanOrEqual(2);
    expect(usage.totalBytes).toBe(usage.deployments.reduce((sum, deployment) => sum + deployment.bytes, 0));

    const refused = await second.call('history.range', { sessionId: after.sessionId, fromMs: 10, toMs: 5 });
    expect(refused.ok).toBe(false);
    await waitFor(async () => (await second.call('history.range', { sessionId: 'nope', fromMs: 0, toMs: 1 })).ok === false, { what: 'an unknown session refused' });
  } finally {
    await second.close();
  }
}, 60_000);
