/**
 * The TLS files of a profile (CA, client certificate, client key), read
 * before a connection is made. A path that does not exist, is a directory,
 * cannot be read, or does not hold what the field asks for (a PEM
 * certificate, a PEM private key) is a TlsFileError naming the field, so the
 * form can say so next to it; never an "Internal error ENOENT" from deep in
 * the client. Node itself would accept a CA file with no certificate in it
 * and then fail the handshake as "self-signed certificate in certificate
 * chain", which points the user at the wrong thing.
 */
import { readFileSync } from 'node:fs';
import type { TlsSettings } from '../../../shared/contract/profiles';

export type TlsFileField = 'tlsCaFile' | 'tlsCertFile' | 'tlsKeyFile';

const WHAT: Record<TlsFileField, { label: string; pem: RegExp; expected: string }> = {
  tlsCaFile: { label: 'CA file', pem: /-----BEGIN CERTIFICATE-----/, expected: 'a PEM certificate ("-----BEGIN CERTIFICATE-----")' },
  tlsCertFile: { label: 'client certificate', pem: /-----BEGIN CERTIFICATE-----/, expected: 'a PEM certificate ("-----BEGIN CERTIFICATE-----")' },
  tlsKeyFile: { label: 'client key', pem: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/, expected: 'a PEM private key ("-----BEGIN PRIVATE KEY-----")' },
};

export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';

  constructor(
    readonly field: TlsFileField,
    readonly path: string,
    /** What is wrong with the file, as a sentence fragment ("does not exist"). */
    readonly problem: string,
    /** The system's code or the check that failed (ENOENT, not-pem...). */
    readonly reason: string,
  ) {
    super(`The ${WHAT[field].label} ${path} ${problem}.`);
  }

  get label(): string {
    return WHAT[this.field].label;
  }
}

export interface TlsFileContents {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function readOne(field: TlsFileField, path: string): Buffer {
  let contents: Buffer;
  try {
    contents = readFileSync(path);
  } catch (failure) {
    const code = (failure as NodeJS.ErrnoException).code ?? 'unreadable';
    const problem =
      code === 'ENOENT' ? 'does not exist (on the machine the console runs on)'
        : code === 'EISDIR' ? 'is a directory, not a file'
          : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied'
            : `cannot be read (${code})`;
    throw new TlsFileError(field, path, problem, code);
  }
  if (!WHAT[field].pem.test(contents.toString('latin1'))) throw new TlsFileError(field, path, `is not ${WHAT[field].expected}`, 'not-pem');
  return contents;
}

/** Reads every file the TLS settings name; throws a TlsFileError for the first that is unusable. */
export function readTlsFiles(tls: Pick<TlsSettings, 'caFile' | 'certFile' | 'keyFile'>): TlsFileContents {
  return {
    ...(tls.caFile ? { ca: readOne('tlsCaFile', tls.caFile) } : {}),
    ...(tls.certFile ? { cert: readOne('tlsCertFile', tls.certFile) } : {}),
    ...(tls.keyFile ? { key: readOne('tlsKeyFile', tls.keyFile) } : {}),
  };
}
