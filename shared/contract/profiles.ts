/**
 * Connection profiles: how to reach a Redis deployment (seeds, kind, auth,
 * TLS, SSH), how it is tagged, and what the console may do to it.
 *
 * Secrets (password, sentinel password, SSH password/passphrase) travel only
 * renderer -> main when saving; profiles sent to the renderer carry
 * `secrets` as booleans saying which are stored, never their values.
 */
import { z } from 'zod';

export const HostPort = z.object({
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535),
});
export type HostPort = z.infer<typeof HostPort>;

export const DeploymentKind = z.enum(['standalone', 'sentinel', 'cluster']);
export type DeploymentKind = z.infer<typeof DeploymentKind>;

export const EnvironmentTag = z.enum(['prod', 'staging', 'dev', 'demo']);
export type EnvironmentTag = z.infer<typeof EnvironmentTag>;

/**
 * monitor-only: only read-only commands (from the server's COMMAND flags) plus
 *   an explicit deny list of replication-changing admin commands;
 * ops: actions allowed, prod profiles need the node name typed to confirm;
 * demo: chaos allowed, embedded nodes only.
 */
export const SafetyMode = z.enum(['monitor-only', 'ops', 'demo']);
export type SafetyMode = z.infer<typeof SafetyMode>;

export const TlsSettings = z.object({
  enabled: z.boolean(),
  caFile: z.string().max(4096).optional(),
  certFile: z.string().max(4096).optional(),
  keyFile: z.string().max(4096).optional(),
  servername: z.string().max(255).optional(),
  /** Verification is on by default; turning it off is loudly flagged in the UI. */
  insecureSkipVerify: z.boolean().default(false),
});
export type TlsSettings = z.infer<typeof TlsSettings>;

export const SshAuth = z.enum(['key', 'password', 'agent']);

export const SshSettings = z.object({
  enabled: z.boolean(),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).max(255),
  auth: SshAuth,
  keyFile: z.string().max(4096).optional(),
  /** Expected host key fingerprint (SHA256:...); unset = trust on first use, reported. */
  hostKeyFingerprint: z.string().max(200).optional(),
});
export type SshSettings = z.infer<typeof SshSettings>;

/** Secret values, only ever sent renderer -> main. */
export const ProfileSecrets = z.object({
  password: z.string().max(4096).optional(),
  sentinelPassword: z.string().max(4096).optional(),
  sshPassword: z.string().max(4096).optional(),
  sshKeyPassphrase: z.string().max(4096).optional(),
});
export type ProfileSecrets = z.infer<typeof ProfileSecrets>;

/** Which secrets are stored (what the renderer may know). */
export const StoredSecrets = z.object({
  password: z.boolean(),
  sentinelPassword: z.boolean(),
  sshPassword: z.boolean(),
  sshKeyPassphrase: z.boolean(),
});
export type StoredSecrets = z.infer<typeof StoredSecrets>;

export const ProfileFields = z.object({
  name: z.string().min(1).max(120),
  kind: DeploymentKind,
  seeds: z.array(HostPort).min(1).max(64),
  /** Sentinel: the monitored master group name. */
  sentinelMasterName: z.string().max(255).optional(),
  username: z.string().max(255).optional(),
  sentinelUsername: z.string().max(255).optional(),
  tls: TlsSettings.optional(),
  ssh: SshSettings.optional(),
  environment: EnvironmentTag,
  safetyMode: SafetyMode,
  /** Free text shown in the list. */
  notes: z.string().max(2000).optional(),
  /**
   * Allow the replication-stream tap (a lightweight replica of a master, see
   * tap.ts). Off unless set: it shows in the master's INFO and counts for
   * WAIT and min-replicas, so someone must decide it is fine here.
   */
  streamTap: z.boolean().optional(),
});
export type ProfileFields = z.infer<typeof ProfileFields>;

/** A profile as the renderer sees it. */
export const ConnectionProfile = ProfileFields.extend({
  id: z.string().min(1).max(64),
  secrets: StoredSecrets,
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;

/** Save request: new (no id) or update; secrets omitted = keep the stored ones, null = clear. */
export const SaveProfileRequest = z.object({
  id: z.string().min(1).max(64).optional(),
  fields: ProfileFields,
  secrets: ProfileSecrets.optional(),
  clearSecrets: z.array(z.enum(['password', 'sentinelPassword', 'sshPassword', 'sshKeyPassphrase'])).optional(),
});
export type SaveProfileRequest = z.infer<typeof SaveProfileRequest>;

/** Where secrets are kept (so the UI can warn in web mode). */
export const SecretStorage = z.enum(['os-keychain', 'memory-only']);
export type SecretStorage = z.infer<typeof SecretStorage>;
