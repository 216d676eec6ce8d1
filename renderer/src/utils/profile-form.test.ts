import { describe, expect, it } from 'vitest';
import type { ConnectionProfile } from '../api/contract';
import { draftFromProfile, draftToRequest, emptyDraft, parseSeeds } from './profile-form';

describe('profile form', () => {
  it('parses seeds, including IPv6, and reports bad ones', () => {
    expect(parseSeeds('127.0.0.1:6379\n[::1]:6380, redis.local:7000')).toEqual({
      seeds: [{ host: '127.0.0.1', port: 6379 }, { host: '::1', port: 6380 }, { host: 'redis.local', port: 7000 }],
      errors: [],
    });
    expect(parseSeeds('nohost\nh:99999').errors).toEqual(['"nohost" is not host:port', '"h:99999" is not host:port']);
    expect(parseSeeds('  ').errors).toEqual(['Add at least one seed (host:port).']);
  });
  it('new profiles start monitor-only', () => {
    expect(emptyDraft().safetyMode).toBe('monitor-only');
  });
  it('builds a request with optional fields omitted, not undefined', () => {
    const result = draftToRequest({ ...emptyDraft(), name: ' cache ', seedsText: 'h:1', password: 's3cret' }, null);
    expect(result).toEqual({
      ok: true,
      request: { fields: { name: 'cache', kind: 'standalone', seeds: [{ host: 'h', port: 1 }], environment: 'dev', safetyMode: 'monitor-only' }, secrets: { password: 's3cret' } },
    });
  });
  it('collects readable errors', () => {
    const result = draftToRequest({ ...emptyDraft(), name: '', kind: 'sentinel', sshEnabled: true }, null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual(['Give the profile a name.', 'A Sentinel profile needs the monitored master name.', 'SSH needs a host and a user.']);
  });
  it('an empty password keeps the stored one unless asked to forget it', () => {
    const base = { ...emptyDraft(), name: 'x', seedsText: 'h:1' };
    const keep = draftToRequest(base, 'id1');
    expect(keep.ok && keep.request.secrets).toBeUndefined();
    expect(keep.ok && keep.request.id).toBe('id1');
    const forget = draftToRequest({ ...base, clearPassword: true }, 'id1');
    expect(forget.ok && forget.request.clearSecrets).toEqual(['password']);
  });
  it('round-trips a stored profile through the form', () => {
    const profile: ConnectionProfile = {
      id: 'p',
      name: 'prod-eu',
      kind: 'sentinel',
      seeds: [{ host: 's1', port: 26379 }],
      sentinelMasterName: 'mymaster',
      tls: { enabled: true, insecureSkipVerify: true, caFile: '/ca.pem' },
      ssh: { enabled: true, host: 'bastion', port: 2222, user: 'ops', auth: 'key', keyFile: '~/.ssh/id' },
      environment: 'prod',
      safetyMode: 'ops',
      secrets: { password: true, sentinelPassword: false, sshPassword: false, sshKeyPassphrase: false },
      createdAt: 0,
      updatedAt: 0,
    };
    const result = draftToRequest(draftFromProfile(profile), profile.id);
    expect(result.ok && result.request.fields).toEqual({
      name: 'prod-eu',
      kind: 'sentinel',
      seeds: [{ host: 's1', port: 26379 }],
      sentinelMasterName: 'mymaster',
      tls: { enabled: true, insecureSkipVerify: true, caFile: '/ca.pem' },
      ssh: { enabled: true, host: 'bastion', port: 2222, user: 'ops', auth: 'key', keyFile: '~/.ssh/id' },
      environment: 'prod',
      safetyMode: 'ops',
    });
  });
});
