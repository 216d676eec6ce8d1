import { describe, expect, it } from 'vitest';
import type { ConnectionProfile } from '../api/contract';
import { defaultSeeds, draftFromProfile, draftToRequest, emptyDraft, parseSeeds, switchKind } from './profile-form';

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
  it('collects readable errors, each tied to its field', () => {
    const result = draftToRequest({ ...emptyDraft(), name: '', kind: 'sentinel', sshEnabled: true }, null);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        { field: 'name', message: 'Give the profile a name.' },
        { field: 'sentinelMasterName', message: 'A Sentinel profile needs the monitored master group name.' },
        { field: 'sshHost', message: 'SSH needs the bastion host.' },
        { field: 'sshUser', message: 'SSH needs a user.' },
      ]);
    }
  });
  it('enforces the shared schema\'s limits before anything is sent', () => {
    const base = { ...emptyDraft(), name: 'x', seedsText: 'h:1' };
    const tooLong = (length: number): string => 'n'.repeat(length);
    const errorsOf = (draft: typeof base): unknown => {
      const result = draftToRequest(draft, null);
      return result.ok ? [] : result.errors;
    };
    expect(errorsOf({ ...base, name: tooLong(121) })).toEqual([{ field: 'name', message: 'The name is at most 120 characters (this one has 121).' }]);
    expect(errorsOf({ ...base, name: tooLong(120) })).toEqual([]);
    expect(errorsOf({ ...base, tlsEnabled: true, tlsCaFile: `/${tooLong(4096)}` })).toEqual([{ field: 'tlsCaFile', message: 'The CA file path is at most 4096 characters (this one has 4097).' }]);
    expect(errorsOf({ ...base, seedsText: `${tooLong(256)}:6379` })).toEqual([{ field: 'seeds', message: 'A seed\'s host is at most 255 characters (this one has 256).' }]);
    expect(errorsOf({ ...base, seedsText: Array.from({ length: 65 }, (_, index) => `h${index}:6379`).join('\n') })).toEqual([{ field: 'seeds', message: 'The seed list holds at most 64 entries (this one has 65).' }]);
    expect(errorsOf({ ...base, notes: tooLong(2001) })).toEqual([{ field: 'notes', message: 'The notes field is at most 2000 characters (this one has 2001).' }]);
    expect(errorsOf({ ...base, password: tooLong(4097) })).toEqual([{ field: 'password', message: 'The password is at most 4096 characters (this one has 4097).' }]);
    expect(errorsOf({ ...base, sshEnabled: true, sshHost: 'b', sshUser: 'u', sshPort: 70000 })).toEqual([{ field: 'sshPort', message: 'The SSH port must be a whole number from 1 to 65535.' }]);
  });
  it('the Sentinel kind moves an untouched default seed to 26379, and back; an edited seed stays', () => {
    const sentinel = switchKind({ ...emptyDraft(), kind: 'sentinel' }, 'standalone');
    expect(sentinel.seedsText).toBe('127.0.0.1:26379');
    expect(defaultSeeds('sentinel')).toBe('127.0.0.1:26379');
    expect(switchKind({ ...sentinel, kind: 'standalone' }, 'sentinel').seedsText).toBe('127.0.0.1:6379');
    expect(switchKind({ ...sentinel, kind: 'cluster' }, 'sentinel').seedsText).toBe('127.0.0.1:6379');
    const edited = { ...emptyDraft(), seedsText: '10.0.0.5:6379', kind: 'sentinel' as const };
    expect(switchKind(edited, 'standalone').seedsText).toBe('10.0.0.5:6379');
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
