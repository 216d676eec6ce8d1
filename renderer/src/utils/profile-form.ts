/**
 * The connection form's model: plain strings and booleans while editing,
 * turned into a SaveProfileRequest (with optional fields omitted, never
 * undefined) or readable errors, each tied to the form field it is about:
 * the form's own checks first (a name, seeds as host:port, a Sentinel group
 * name), then the shared schema's limits (profile-validation.ts), so the
 * form refuses what main would refuse. Secrets typed into the form go only
 * into `secrets`; an empty secret field keeps the stored one.
 */
import type { ConnectionProfile, DeploymentKind, EnvironmentTag, HostPort, ProfileFieldName, ProfileFields, ProfileSecrets, SafetyMode, SaveProfileRequest } from '../api/contract';
import { validateAgainstSchema, type FieldError } from './profile-validation';

/** Every place in the form a message can be shown next to ('form': the form as a whole). */
export type FormField = ProfileFieldName | 'sshHost' | 'sshPort' | 'sshUser' | 'sshKeyFile' | 'sshHostKeyFingerprint' | 'sshPassword' | 'sshKeyPassphrase' | 'notes' | 'form';

/** The seed a new profile starts with, per kind: Redis's and Sentinel's default ports. */
export function defaultSeeds(kind: DeploymentKind): string {
  return kind === 'sentinel' ? '127.0.0.1:26379' : '127.0.0.1:6379';
}

/**
 * The kind changed: a seed list still at the previous kind's default follows
 * the new kind (6379 <-> 26379); one the user edited is left alone.
 */
export function switchKind(draft: ProfileDraft, previous: DeploymentKind): ProfileDraft {
  if (draft.seedsText.trim() !== defaultSeeds(previous)) return draft;
  return { ...draft, seedsText: defaultSeeds(draft.kind) };
}

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
  /** The replication-stream tap may attach to this profile's masters. */
  streamTap: boolean;
  notes: string;
}

export function emptyDraft(): ProfileDraft {
  return {
    name: '',
    kind: 'standalone',
    seedsText: defaultSeeds('standalone'),
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
    streamTap: false,
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
    streamTap: profile.streamTap ?? false,
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

export function draftToRequest(draft: ProfileDraft, id: string | null): { ok: true; request: SaveProfileRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (draft.name.trim() === '') errors.push({ field: 'name', message: 'Give the profile a name.' });
  const { seeds, errors: seedErrors } = parseSeeds(draft.seedsText);
  if (seedErrors.length > 0) errors.push({ field: 'seeds', message: seedErrors.join(' ') });
  if (draft.kind === 'sentinel' && draft.sentinelMasterName.trim() === '') errors.push({ field: 'sentinelMasterName', message: 'A Sentinel profile needs the monitored master group name.' });
  if (draft.sshEnabled && draft.sshHost.trim() === '') errors.push({ field: 'sshHost', message: 'SSH needs the bastion host.' });
  if (draft.sshEnabled && draft.sshUser.trim() === '') errors.push({ field: 'sshUser', message: 'SSH needs a user.' });
  if (draft.sshEnabled && !(Number.isInteger(draft.sshPort) && draft.sshPort >= 1 && draft.sshPort <= 65535)) errors.push({ field: 'sshPort', message: 'The SSH port must be a whole number from 1 to 65535.' });

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
    ...(draft.streamTap ? { streamTap: true } : {}),
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
  // The schema's limits, for the fields the form's own checks passed.
  for (const error of validateAgainstSchema(request)) if (!errors.some((known) => known.field === error.field)) errors.push(error);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, request };
}
