/**
 * Self-made TLS material for tests (openssl): a CA, a server certificate it
 * signed for localhost / 127.0.0.1, the same server key certified by that CA
 * for two days of 2020 (expired), and an unrelated CA that must not verify it.
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
  /** Same key and names as certFile, same CA, valid only in January 2020. */
  readonly expiredCertFile: string;
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
  // `openssl x509` cannot back-date (OpenSSL 3.0); `openssl ca` takes explicit dates.
  writeFileSync(file('ca.cnf'), ['[ca]', 'default_ca = test', '[test]', `database = ${file('index.txt')}`, `new_certs_dir = ${dir}`, `serial = ${file('serial')}`, 'default_md = sha256', 'policy = any', '[any]', 'commonName = supplied', ''].join('\n'));
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), '1000\n');
  openssl(['ca', '-batch', '-config', file('ca.cnf'), '-in', file('server.csr'), '-out', file('expired.crt'), '-cert', file('ca.crt'), '-keyfile', file('ca.key'), '-startdate', '20200101000000Z', '-enddate', '20200103000000Z', '-extfile', file('san.ext'), '-notext']);
  return {
    caFile: file('ca.crt'),
    certFile: file('server.crt'),
    keyFile: file('server.key'),
    otherCaFile: file('other-ca.crt'),
    expiredCertFile: file('expired.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
