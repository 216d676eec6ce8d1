/**
 * The connection form's model: plain strings and booleans while editing,
 * turned into a SaveProfileRequest (with optional fields omitted, never
 * undefined) or a list of readable errors. Secrets typed into the form go
 * only into `secrets`; an empty secret field keeps the stored one.
 */
import type { ConnectionProfile, DeploymentKind, EnvironmentTag, HostPort, ProfileFields, ProfileSecrets, SafetyMode, SaveProfileRequest } from '../api/contract';

export interface ProfileDraft {
  name: string;
  kind: DeploymentKind;
  seedsText: string;
  sentinelMasterName: string;
  username: string;
  password: string;
  clearPassword: boolean;
  sentinelUsername: string;
  sentinelPassword: string;
  tlsEnabled: boolean;
  tlsCaFile: string;
  tlsCertFile: string;
  tlsKeyFile: string;
  tlsServername: string;
  tlsInsecureSkipVerify: boolean;
  sshEnabled: boolean;
  sshHost: string;
  sshPort: number;
  sshUser: string;
  sshAuth: 'key' | 'password' | 'agent';
  sshKeyFile: string;
  sshHostKeyFingerprint: string;
  sshPassword: string;
  sshKeyPassphrase: string;
  environment: EnvironmentTag;
  safetyMode: SafetyMode;
  notes: string;
}

export function emptyDraft(): ProfileDraft {
  return {
    name: '',
    kind: 'standalone',
    seedsText: '127.0.0.1:6379',
    sentinelMasterName: '',
    username: '',
    password: '',
    clearPassword: false,
    sentinelUsername: '',
    sentinelPassword: '',
    tlsEnabled: false,
    tlsCaFile: '',
    tlsCertFile: '',
    tlsKeyFile: '',
    tlsServername: '',
    tlsInsecureSkipVerify: false,
    sshEnabled: false,
    sshHost: '',
    sshPort: 22,
    sshUser: '',
    sshAuth: 'agent',
    sshKeyFile: '',
    sshHostKeyFingerprint: '',
    sshPassword: '',
    sshKeyPassphrase: '',
    environment: 'dev',
    // New profiles start safe: monitor-only until someone decides otherwise.
    safetyMode: 'monitor-only',
    notes: '',
  };
}

export function draftFromProfile(profile: ConnectionProfile): ProfileDraft {
  return {
    ...emptyDraft(),
    name: profile.name,
    kind: profile.kind,
    seedsText: profile.seeds.map((seed) => `${seed.host}:${seed.port}`).join('\n'),
    sentinelMasterName: profile.sentinelMasterName ?? '',
    username: profile.username ?? '',
    sentinelUsername: profile.sentinelUsername ?? '',
    tlsEnabled: profile.tls?.enabled ?? false,
    tlsCaFile: profile.tls?.caFile ?? '',
    tlsCertFile: profile.tls?.certFile ?? '',
    tlsKeyFile: profile.tls?.keyFile ?? '',
    tlsServername: profile.tls?.servername ?? '',
    tlsInsecureSkipVerify: profile.tls?.insecureSkipVerify ?? false,
    sshEnabled: profile.ssh?.enabled ?? false,
    sshHost: profile.ssh?.host ?? '',
    sshPort: profile.ssh?.port ?? 22,
    sshUser: profile.ssh?.user ?? '',
    sshAuth: profile.ssh?.auth ?? 'agent',
    sshKeyFile: profile.ssh?.keyFile ?? '',
    sshHostKeyFingerprint: profile.ssh?.hostKeyFingerprint ?? '',
    environment: profile.environment,
    safetyMode: profile.safetyMode,
    notes: profile.notes ?? '',
  };
}

/** "host:port" per line or comma; IPv6 as [::1]:6379. */
export function parseSeeds(text: string): { seeds: HostPort[]; errors: string[] } {
  const seeds: HostPort[] = [];
  const errors: string[] = [];
  for (const entry of text.split(/[\n,]/).map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^\[?([^\]\s]+?)\]?:(\d{1,5})$/.exec(entry);
    const port = match === null ? NaN : Number(match[2]);
    if (match === null || match[1] === undefined || !(port >= 1 && port <= 65535)) errors.push(`"${entry}" is not host:port`);
    else seeds.push({ host: match[1], port });
  }
  if (seeds.length === 0 && errors.length === 0) errors.push('Add at least one seed (host:port).');
  return { seeds, errors };
}

const optional = <K extends string>(key: K, value: string): { [P in K]?: string } => (value.trim() === '' ? {} : ({ [key]: value.trim() } as { [P in K]: string }));

export function draftToRequest(draft: ProfileDraft, id: string | null): { ok: true; request: SaveProfileRequest } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (draft.name.trim() === '') errors.push('Give the profile a name.');
  const { seeds, errors: seedErrors } = parseSeeds(draft.seedsText);
  errors.push(...seedErrors);
  if (draft.kind === 'sentinel' && draft.sentinelMasterName.trim() === '') errors.push('A Sentinel profile needs the monitored master name.');
  if (draft.sshEnabled && (draft.sshHost.trim() === '' || draft.sshUser.trim() === '')) errors.push('SSH needs a host and a user.');
  if (draft.sshEnabled && !(draft.sshPort >= 1 && draft.sshPort <= 65535)) errors.push('The SSH port must be 1-65535.');
  if (errors.length > 0) return { ok: false, errors };

  const fields: ProfileFields = {
    name: draft.name.trim(),
    kind: draft.kind,
    seeds,
    environment: draft.environment,
    safetyMode: draft.safetyMode,
    ...(draft.kind === 'sentinel' ? optional('sentinelMasterName', draft.sentinelMasterName) : {}),
    ...optional('username', draft.username),
    ...(draft.kind === 'sentinel' ? optional('sentinelUsername', draft.sentinelUsername) : {}),
    ...optional('notes', draft.notes),
    ...(draft.tlsEnabled
      ? {
          tls: {
            enabled: true,
            insecureSkipVerify: draft.tlsInsecureSkipVerify,
            ...optional('caFile', draft.tlsCaFile),
            ...optional('certFile', draft.tlsCertFile),
            ...optional('keyFile', draft.tlsKeyFile),
            ...optional('servername', draft.tlsServername),
          },
        }
      : {}),
    ...(draft.sshEnabled
      ? {
          ssh: {
            enabled: true,
            host: draft.sshHost.trim(),
            port: draft.sshPort,
            user: draft.sshUser.trim(),
            auth: draft.sshAuth,
            ...(draft.sshAuth === 'key' ? optional('keyFile', draft.sshKeyFile) : {}),
            ...optional('hostKeyFingerprint', draft.sshHostKeyFingerprint),
          },
        }
      : {}),
  };
  const secrets: ProfileSecrets = {
    ...(draft.password !== '' ? { password: draft.password } : {}),
    ...(draft.kind === 'sentinel' && draft.sentinelPassword !== '' ? { sentinelPassword: draft.sentinelPassword } : {}),
    ...(draft.sshEnabled && draft.sshAuth === 'password' && draft.sshPassword !== '' ? { sshPassword: draft.sshPassword } : {}),
    ...(draft.sshEnabled && draft.sshAuth === 'key' && draft.sshKeyPassphrase !== '' ? { sshKeyPassphrase: draft.sshKeyPassphrase } : {}),
  };
  const request: SaveProfileRequest = {
    fields,
    ...(id !== null ? { id } : {}),
    ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
    ...(draft.clearPassword && draft.password === '' ? { clearSecrets: ['password' as const] } : {}),
  };
  return { ok: true, request };
}
