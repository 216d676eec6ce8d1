/**
 * One ioredis connection per node, configured from the profile: ACL user and
 * password, TLS from files (verification on unless the profile says
 * otherwise), a command timeout so a hung node (SIGSTOP) reads as "hung"
 * instead of stalling the poll. Reconnection is ioredis's, with a capped
 * backoff; commands fail fast while disconnected (no offline queue), so an
 * unreachable node costs one quick error per poll.
 *
 * `via` is where the socket goes when that is not the node's own address (a
 * loopback port of an SSH tunnel); TLS then still checks the certificate
 * against the node's address, and sends it as SNI when it is a name.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { Redis } from 'ioredis';
import type { Endpoint } from '../net/node-dialer';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { NodeHealth } from '../../../shared/contract/snapshots';

export const COMMAND_TIMEOUT_MS = 2500;

export function createNodeClient(address: Endpoint, profile: Pick<ProfileFields, 'username' | 'tls'>, secrets: ProfileSecrets, via: Endpoint = address): Redis {
  const tls = profile.tls;
  const tunnelled = via.host !== address.host || via.port !== address.port;
  const client = new Redis({
    host: via.host,
    port: via.port,
    ...(profile.username ? { username: profile.username } : {}),
    ...(secrets.password ? { password: secrets.password } : {}),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    enableReadyCheck: false,
    connectionName: 'replscope',
    retryStrategy: (attempt: number) => Math.min(5000, 200 * 2 ** Math.min(attempt, 5)),
    ...(tls?.enabled
      ? {
          tls: {
            ...(tls.caFile ? { ca: readFileSync(tls.caFile) } : {}),
            ...(tls.certFile ? { cert: readFileSync(tls.certFile) } : {}),
            ...(tls.keyFile ? { key: readFileSync(tls.keyFile) } : {}),
            ...(tls.servername ? { servername: tls.servername } : tunnelled && isIP(address.host) === 0 ? { servername: address.host } : {}),
            ...(tunnelled ? { checkServerIdentity: (_host: string, certificate: PeerCertificate) => checkServerIdentity(tls.servername ?? address.host, certificate) } : {}),
            rejectUnauthorized: !tls.insecureSkipVerify,
          },
        }
      : {}),
  });
  // Errors surface through command failures; without a listener ioredis would log them.
  // The last one is kept: a failed connect only rejects with "Connection is closed."
  client.on('error', (failure: Error) => lastErrors.set(client, failure));
  return client;
}

const lastErrors = new WeakMap<Redis, Error>();

/** What a failed command says about the node, in the snapshot's terms. */
export function classifyFailure(failure: unknown, client?: Redis): { health: NodeHealth; detail: string } {
  let message = failure instanceof Error ? failure.message : String(failure);
  const underlying = client ? lastErrors.get(client) : undefined;
  if (underlying && /Connection is closed|Stream isn't writeable/i.test(message)) message = underlying.message;
  if (/timed out/i.test(message)) return { health: 'hung', detail: `no reply within ${COMMAND_TIMEOUT_MS} ms (${message})` };
  if (/^NOPERM/.test(message)) return { health: 'denied', detail: message };
  if (/WRONGPASS|NOAUTH|invalid password|invalid username-password/i.test(message)) return { health: 'auth-failed', detail: message };
  if (/^LOADING/.test(message)) return { health: 'loading', detail: message };
  return { health: 'unreachable', detail: message };
}
