/**
 * Self-made TLS material for tests (openssl): a CA, a server certificate it
 * signed for localhost / 127.0.0.1, and an unrelated CA that must not verify it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly otherCaFile: string;
  remove(): void;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

export function makeTlsFiles(): TlsFiles {
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-tls-'));
  const file = (name: string): string => path.join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '2', '-subj', '/CN=Replscope test CA']);
  openssl(['req', '-x509', ...ec, '-keyout', file('other-ca.key'), '-out', file('other-ca.crt'), '-days', '2', '-subj', '/CN=Someone else']);
  openssl(['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost']);
  writeFileSync(file('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.crt'), '-days', '2', '-extfile', file('san.ext')]);
  return { caFile: file('ca.crt'), certFile: file('server.crt'), keyFile: file('server.key'), otherCaFile: file('other-ca.crt'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
