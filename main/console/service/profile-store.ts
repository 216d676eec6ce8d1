/**
 * Connection profiles in `<dataDir>/profiles.json`. Secrets never go to the
 * renderer (it sees which ones are stored) and go to disk only encrypted by
 * the SecretStore (Electron safeStorage); without one they live in memory
 * for this run only, and the session says so. A corrupt file, or a profile
 * that no longer validates, is kept aside as a backup and reported.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { ConnectionProfile, ProfileFields, ProfileSecrets, type SaveProfileRequest, type StoredSecrets } from '../../../shared/contract/profiles';
import type { ConsoleLogger, SecretStore } from '../service-types';
import { keepBackup, readJson, writeJsonAtomic } from './json-file';

const FILE_VERSION = 1;
type SecretName = keyof ProfileSecrets;
const SECRET_NAMES: SecretName[] = ['password', 'sentinelPassword', 'sshPassword', 'sshKeyPassphrase'];

const StoredProfile = ConnectionProfile.extend({ encryptedSecrets: z.record(z.string(), z.string()).optional() });
type StoredProfile = z.infer<typeof StoredProfile>;

const ExportFile = z.object({
  replscopeProfiles: z.literal(1),
  profiles: z.array(z.object({ fields: ProfileFields, secrets: ProfileSecrets.optional() })),
});

export class ProfileStore {
  private profiles: StoredProfile[] = [];
  /** Secrets kept in memory (always for this run; the only copy when no SecretStore). */
  private readonly secrets = new Map<string, ProfileSecrets>();
  readonly warnings: string[] = [];
  private readonly file: string;

  constructor(dataDir: string, private readonly secretStore: SecretStore, private readonly logger: ConsoleLogger) {
    this.file = path.join(dataDir, 'profiles.json');
    this.load();
  }

  list(): ConnectionProfile[] {
    return this.profiles.map((profile) => this.public(profile));
  }

  get(id: string): ConnectionProfile | undefined {
    const profile = this.profiles.find((candidate) => candidate.id === id);
    return profile ? this.public(profile) : undefined;
  }

  secretsOf(id: string): ProfileSecrets {
    return this.secrets.get(id) ?? {};
  }

  save(request: SaveProfileRequest): ConnectionProfile {
    const now = Date.now();
    const existing = request.id ? this.profiles.find((profile) => profile.id === request.id) : undefined;
    if (request.id && !existing) throw new Error(`no profile with id ${request.id}`);
    const id = existing?.id ?? randomUUID();
    const secrets: ProfileSecrets = { ...this.secretsOf(id), ...stripEmpty(request.secrets ?? {}) };
    for (const name of request.clearSecrets ?? []) delete secrets[name];
    this.secrets.set(id, secrets);
    const stored: StoredProfile = { ...request.fields, id, secrets: storedFlags(secrets), createdAt: existing?.createdAt ?? now, updatedAt: now };
    this.profiles = existing ? this.profiles.map((profile) => (profile.id === id ? stored : profile)) : [...this.profiles, stored];
    this.persist();
    return this.public(stored);
  }

  delete(id: string): boolean {
    const before = this.profiles.length;
    this.profiles = this.profiles.filter((profile) => profile.id !== id);
    this.secrets.delete(id);
    if (this.profiles.length === before) return false;
    this.persist();
    return true;
  }

  export(includeSecrets: boolean, ids?: ReadonlyArray<string>): string {
    const chosen = ids ? this.profiles.filter((profile) => ids.includes(profile.id)) : this.profiles;
    return JSON.stringify({
      replscopeProfiles: 1,
      profiles: chosen.map((profile) => ({ fields: fieldsOf(profile), ...(includeSecrets ? { secrets: this.secretsOf(profile.id) } : {}) })),
    }, null, 2);
  }

  import(json: string): { imported: number; warnings: string[] } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (failure) {
      throw new Error(`not JSON: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    const file = ExportFile.safeParse(parsed);
    if (!file.success) throw new Error(`not a Replscope profile export: ${file.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const warnings: string[] = [];
    for (const entry of file.data.profiles) {
      const name = this.profiles.some((profile) => profile.name === entry.fields.name) ? `${entry.fields.name} (imported)` : entry.fields.name;
      this.save({ fields: { ...entry.fields, name }, ...(entry.secrets ? { secrets: entry.secrets } : {}) });
      if (name !== entry.fields.name) warnings.push(`"${entry.fields.name}" exists already: imported as "${name}"`);
    }
    if (!this.secretStore.available && file.data.profiles.some((entry) => entry.secrets)) warnings.push('secrets were imported into memory only: they are lost when the console stops');
    return { imported: file.data.profiles.length, warnings };
  }

  private public(profile: StoredProfile): ConnectionProfile {
    const { encryptedSecrets: _hidden, ...rest } = profile;
    return { ...rest, secrets: storedFlags(this.secretsOf(profile.id)) };
  }

  private load(): void {
    const read = readJson(this.file);
    if (read.kind === 'missing') return;
    if (read.kind === 'corrupt') {
      this.warn(`profiles.json could not be read (${read.reason}); it was kept as ${path.basename(read.backup)} and the list starts empty`);
      return;
    }
    const value = read.value as { version?: unknown; profiles?: unknown };
    if (!value || !Array.isArray(value.profiles)) {
      const backup = keepBackup(this.file, 'unreadable');
      this.warn(`profiles.json has no profile list; it was kept as ${path.basename(backup)}`);
      return;
    }
    let dropped = 0;
    for (const raw of value.profiles) {
      const parsed = StoredProfile.safeParse(raw);
      if (!parsed.success) {
        dropped++;
        continue;
      }
      this.profiles.push(parsed.data);
      if (parsed.data.encryptedSecrets && this.secretStore.available) {
        const secrets: ProfileSecrets = {};
        for (const name of SECRET_NAMES) {
          const cipher = parsed.data.encryptedSecrets[name];
          if (!cipher) continue;
          try {
            secrets[name] = this.secretStore.decrypt(cipher);
          } catch {
            this.warn(`the stored ${name} of profile "${parsed.data.name}" could not be decrypted; enter it again`);
          }
        }
        this.secrets.set(parsed.data.id, secrets);
      }
    }
    if (dropped > 0) {
      const backup = `${this.file}.before-upgrade`;
      writeJsonAtomic(backup, value);
      this.warn(`${dropped} profile(s) in profiles.json did not validate and were skipped; the original file is kept as ${path.basename(backup)}`);
    }
  }

  private persist(): void {
    const profiles = this.profiles.map((profile) => {
      const secrets = this.secretsOf(profile.id);
      const encryptedSecrets: Record<string, string> = {};
      if (this.secretStore.available) for (const name of SECRET_NAMES) if (secrets[name]) encryptedSecrets[name] = this.secretStore.encrypt(secrets[name]!);
      return { ...fieldsOf(profile), id: profile.id, createdAt: profile.createdAt, updatedAt: profile.updatedAt, secrets: storedFlags(this.secretStore.available ? secrets : {}), encryptedSecrets };
    });
    writeJsonAtomic(this.file, { version: FILE_VERSION, profiles });
  }

  private warn(message: string): void {
    this.warnings.push(message);
    this.logger.warn(message);
  }
}

function fieldsOf(profile: ConnectionProfile): z.infer<typeof ProfileFields> {
  return ProfileFields.parse(profile);
}

function storedFlags(secrets: ProfileSecrets): StoredSecrets {
  return { password: !!secrets.password, sentinelPassword: !!secrets.sentinelPassword, sshPassword: !!secrets.sshPassword, sshKeyPassphrase: !!secrets.sshKeyPassphrase };
}

function stripEmpty(secrets: ProfileSecrets): ProfileSecrets {
  const out: ProfileSecrets = {};
  for (const name of SECRET_NAMES) if (secrets[name]) out[name] = secrets[name];
  return out;
}
