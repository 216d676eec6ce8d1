/**
 * Alert rules through the service API: defaults, a profile's own rules and
 * back to the defaults, kept across a restart of the service in
 * alert-rules.json; a bad value is refused by the shared schema with the
 * field named and changes nothing; a bad entry in the file falls back to the
 * defaults for that profile only (reported), and a deleted profile's rules go.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createConsoleService } from '../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS, type ConsoleService } from '../../main/console/service-types';
import { DEFAULT_ALERT_RULES, type AlertRulesAnswer } from '../../shared/contract/alerts';
import type { ApiMethod } from '../../shared/contract/api';

const services: ConsoleService[] = [];
const dirs: string[] = [];
const warnings: string[] = [];
const logger = { info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} };

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  warnings.length = 0;
});

async function start(dataDir: string): Promise<ConsoleService> {
  const service = await createConsoleService({ dataDir, mode: 'web', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger });
  services.push(service);
  return service;
}

async function call<T>(service: ConsoleService, method: ApiMethod, payload: unknown): Promise<T> {
  const envelope = await service.call(method, payload);
  if (!envelope.ok) throw new Error(`${envelope.code}: ${envelope.message}`);
  return envelope.data as T;
}

function newDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-alert-rules-'));
  dirs.push(dir);
  return dir;
}

it('defaults, a profile\'s own rules, back to the defaults; kept across a restart', async () => {
  const dataDir = newDir();
  const service = await start(dataDir);
  const profile = await call<{ id: string }>(service, 'profiles.save', { fields: { name: 'staging', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: 6379 }], environment: 'staging', safetyMode: 'monitor-only' } });
  expect(await call(service, 'alerts.rules.get', { profileId: profile.id })).toEqual({ profileId: profile.id, rules: DEFAULT_ALERT_RULES, custom: false });

  const own = { ...DEFAULT_ALERT_RULES, linkDown: { enabled: true, forSeconds: 3 }, fullResync: { enabled: false } };
  expect(await call(service, 'alerts.rules.set', { profileId: profile.id, rules: own })).toEqual({ profileId: profile.id, rules: own, custom: true });
  const defaults = { ...DEFAULT_ALERT_RULES, quietSeconds: 30 };
  await call(service, 'alerts.rules.set', { profileId: null, rules: defaults });

  await service.close();
  services.length = 0;
  const again = await start(dataDir);
  expect(await call<AlertRulesAnswer>(again, 'alerts.rules.get', { profileId: profile.id })).toEqual({ profileId: profile.id, rules: own, custom: true });
  expect((await call<AlertRulesAnswer>(again, 'alerts.rules.get', { profileId: null })).rules).toEqual(defaults);

  expect(await call(again, 'alerts.rules.set', { profileId: profile.id, rules: null })).toEqual({ profileId: profile.id, rules: defaults, custom: false });
  await call(again, 'alerts.rules.set', { profileId: profile.id, rules: own });
  await call(again, 'profiles.delete', { id: profile.id });
  expect(JSON.parse(readFileSync(path.join(dataDir, 'alert-rules.json'), 'utf8')).profiles).toEqual({});
});

it('a bad value is refused by the schema, naming the field, and changes nothing', async () => {
  const service = await start(newDir());
  const envelope = await service.call('alerts.rules.set', { profileId: null, rules: { ...DEFAULT_ALERT_RULES, lagBytes: { enabled: true, bytes: 0, forSeconds: 10 } } });
  expect(envelope).toMatchObject({ ok: false, code: 'invalid-request' });
  expect(envelope.ok ? '' : envelope.message).toContain('rules.lagBytes.bytes');
  expect((await call<AlertRulesAnswer>(service, 'alerts.rules.get', { profileId: null })).rules).toEqual(DEFAULT_ALERT_RULES);
  expect(await service.call('alerts.rules.get', { profileId: 'no-such-profile' })).toMatchObject({ ok: false, code: 'not-found' });
});

it('a bad entry in alert-rules.json: that profile follows the defaults, the others keep theirs, and it is reported', async () => {
  const dataDir = newDir();
  const first = await start(dataDir);
  const fields = { kind: 'standalone', seeds: [{ host: '127.0.0.1', port: 6379 }], environment: 'staging', safetyMode: 'monitor-only' };
  const good = await call<{ id: string }>(first, 'profiles.save', { fields: { ...fields, name: 'good' } });
  const bad = await call<{ id: string }>(first, 'profiles.save', { fields: { ...fields, name: 'bad' } });
  await first.close();
  services.length = 0;
  const own = { ...DEFAULT_ALERT_RULES, nodeDown: { enabled: false, forSeconds: 10 } };
  writeFileSync(path.join(dataDir, 'alert-rules.json'), JSON.stringify({ version: 1, defaults: DEFAULT_ALERT_RULES, profiles: { [good.id]: own, [bad.id]: { linkDown: 'soon' } } }));

  const service = await start(dataDir);
  expect(await call(service, 'alerts.rules.get', { profileId: good.id })).toEqual({ profileId: good.id, rules: own, custom: true });
  expect(await call(service, 'alerts.rules.get', { profileId: bad.id })).toEqual({ profileId: bad.id, rules: DEFAULT_ALERT_RULES, custom: false });
  expect(warnings).toContain(`alert-rules.json: the rules of profile ${bad.id} are not valid; it follows the defaults`);
});
