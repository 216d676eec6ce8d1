/**
 * Checks a profile save/test request against the shared schema
 * (SaveProfileRequest, the one main validates with) and says what is wrong
 * in words, per form field: "The name is at most 120 characters (this one
 * has 130)." rather than a zod path and code.
 */
import { SaveProfileRequest } from '../api/schemas';
import type { FormField } from './profile-form';

export interface FieldError {
  readonly field: FormField;
  readonly message: string;
}

/** schema path (joined with ".", indexes dropped) -> form field and how it is named in a sentence. */
const FIELDS: Record<string, { field: FormField; label: string }> = {
  'fields.name': { field: 'name', label: 'The name' },
  'fields.seeds': { field: 'seeds', label: 'The seed list' },
  'fields.seeds.host': { field: 'seeds', label: 'A seed\'s host' },
  'fields.seeds.port': { field: 'seeds', label: 'A seed\'s port' },
  'fields.sentinelMasterName': { field: 'sentinelMasterName', label: 'The master group name' },
  'fields.username': { field: 'username', label: 'The ACL user' },
  'fields.sentinelUsername': { field: 'sentinelUsername', label: 'The Sentinel user' },
  'fields.tls.caFile': { field: 'tlsCaFile', label: 'The CA file path' },
  'fields.tls.certFile': { field: 'tlsCertFile', label: 'The client certificate path' },
  'fields.tls.keyFile': { field: 'tlsKeyFile', label: 'The client key path' },
  'fields.tls.servername': { field: 'tlsServername', label: 'The server name' },
  'fields.ssh.host': { field: 'sshHost', label: 'The SSH host' },
  'fields.ssh.port': { field: 'sshPort', label: 'The SSH port' },
  'fields.ssh.user': { field: 'sshUser', label: 'The SSH user' },
  'fields.ssh.keyFile': { field: 'sshKeyFile', label: 'The key file path' },
  'fields.ssh.hostKeyFingerprint': { field: 'sshHostKeyFingerprint', label: 'The host key' },
  'fields.notes': { field: 'notes', label: 'The notes field' },
  'secrets.password': { field: 'password', label: 'The password' },
  'secrets.sentinelPassword': { field: 'sentinelPassword', label: 'The Sentinel password' },
  'secrets.sshPassword': { field: 'sshPassword', label: 'The SSH password' },
  'secrets.sshKeyPassphrase': { field: 'sshKeyPassphrase', label: 'The key passphrase' },
};

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly origin?: string;
  readonly maximum?: number | bigint;
  readonly minimum?: number | bigint;
  readonly input?: unknown;
}

function sentence(issue: Issue, label: string): string {
  const length = typeof issue.input === 'string' || Array.isArray(issue.input) ? issue.input.length : null;
  if (issue.code === 'too_big' && issue.origin === 'string') return `${label} is at most ${String(issue.maximum)} characters${length === null ? '' : ` (this one has ${length})`}.`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `${label} holds at most ${String(issue.maximum)} entries${length === null ? '' : ` (this one has ${length})`}.`;
  if (issue.code === 'too_small' && issue.origin === 'string') return `${label} cannot be empty.`;
  if ((issue.code === 'too_big' || issue.code === 'too_small') && issue.origin === 'number') return `${label} must be a whole number from 1 to 65535.`;
  return `${label}: ${issue.message}.`;
}

/** The request's problems against the shared schema, one per field (the first found). */
export function validateAgainstSchema(request: unknown): FieldError[] {
  const parsed = SaveProfileRequest.safeParse(request, { reportInput: true });
  if (parsed.success) return [];
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues as readonly Issue[]) {
    const key = issue.path.filter((part) => typeof part === 'string').join('.');
    const known = FIELDS[key] ?? { field: 'form' as const, label: key === '' ? 'The profile' : key };
    if (errors.some((error) => error.field === known.field)) continue;
    errors.push({ field: known.field, message: sentence(issue, known.label) });
  }
  return errors;
}
