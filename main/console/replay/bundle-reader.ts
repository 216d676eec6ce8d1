/**
 * Reads an incident bundle a user chose or uploaded: a file that is not
 * JSON, not a bundle, of another version, or damaged gets one clear
 * sentence naming the file and what is wrong (BundleError), never a partial
 * result. Reading changes nothing: the caller gets a validated bundle or an
 * error, and keeps no state either way.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_FORMAT, BUNDLE_MAX_BYTES, BUNDLE_VERSION, IncidentBundle, type OpenedBundle } from '../../../shared/contract/incident-bundle';

export class BundleError extends Error {}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseBundle(fileName: string, text: string): OpenedBundle {
  const bytes = Buffer.byteLength(text);
  if (bytes > BUNDLE_MAX_BYTES) throw new BundleError(`${fileName} is ${megabytes(bytes)}: an incident bundle may have at most ${megabytes(BUNDLE_MAX_BYTES)}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (failure) {
    throw new BundleError(`${fileName} is not a Replscope incident bundle: it is not JSON (${failure instanceof Error ? failure.message : String(failure)})`);
  }
  if (!isRecord(raw)) throw new BundleError(`${fileName} is not a Replscope incident bundle: it holds no JSON object`);
  if ('replscopeIncident' in raw) {
    throw new BundleError(`${fileName} is an incident bundle of format 1 (one snapshot, no topology states), which cannot be replayed: export the range again with this version`);
  }
  if (raw['format'] !== BUNDLE_FORMAT) throw new BundleError(`${fileName} is not a Replscope incident bundle (it has no "format": "${BUNDLE_FORMAT}")`);
  if (raw['version'] !== BUNDLE_VERSION) {
    const version = typeof raw['version'] === 'number' ? raw['version'] : JSON.stringify(raw['version'] ?? null);
    throw new BundleError(`${fileName} is an incident bundle of version ${version}; this Replscope reads version ${BUNDLE_VERSION}${typeof version === 'number' && version > BUNDLE_VERSION ? ' (it was written by a newer Replscope)' : ''}`);
  }
  const parsed = IncidentBundle.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new BundleError(`${fileName} is a damaged incident bundle: ${where}: ${issue?.message ?? 'invalid'}${parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length > 2 ? 's' : ''})` : ''}`);
  }
  return { fileName, bundle: parsed.data };
}

/** A bundle file on disk (the Electron file dialog's choice): its size is checked before it is read. */
export async function readBundleFile(file: string): Promise<OpenedBundle> {
  const fileName = path.basename(file);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (failure) {
    throw new BundleError(`${fileName} could not be read: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
  if (size > BUNDLE_MAX_BYTES) throw new BundleError(`${fileName} is ${megabytes(size)}: an incident bundle may have at most ${megabytes(BUNDLE_MAX_BYTES)}`);
  return parseBundle(fileName, await readFile(file, 'utf8'));
}
