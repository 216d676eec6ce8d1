/**
 * The TLS client options for a connection to a node, from the profile's TLS
 * settings: its files (read and checked by tls-files.ts), verification on
 * unless the profile turns it off, and the identity to verify. When the
 * socket goes elsewhere than the node's own address (`via`, a loopback port
 * of an SSH tunnel), the certificate is still checked against the node's
 * address (or the profile's servername), which is also sent as SNI when it
 * is a name. Shared by the console's ioredis clients and the stream tap's
 * raw replica connection, so both trust exactly the same certificates.
 */
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { TlsSettings } from '../../../shared/contract/profiles';
import { readTlsFiles } from '../monitor/tls-files';
import type { Endpoint } from './node-dialer';

/** Throws a TlsFileError when a file of the settings cannot be used. */
export function tlsClientOptions(tls: TlsSettings, address: Endpoint, via: Endpoint): ConnectionOptions {
  const tunnelled = via.host !== address.host || via.port !== address.port;
  return {
    ...readTlsFiles(tls),
    ...(tls.servername ? { servername: tls.servername } : tunnelled && isIP(address.host) === 0 ? { servername: address.host } : {}),
    ...(tunnelled ? { checkServerIdentity: (_host: string, certificate: PeerCertificate) => checkServerIdentity(tls.servername ?? address.host, certificate) } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}
