/**
 * One ioredis connection per node, configured from the profile: ACL user and
 * password, TLS from files (verification on unless the profile says
 * otherwise), a command timeout so a hung node (SIGSTOP) reads as "hung"
 * instead of stalling the poll. Reconnection is ioredis's, with a capped
 * backoff; commands fail fast while disconnected (no offline queue), so an
 * unreachable node costs one quick error per poll.
 */
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { NodeHealth } from '../../../shared/contract/snapshots';

export const COMMAND_TIMEOUT_MS = 2500;

export function createNodeClient(host: string, port: number, profile: Pick<ProfileFields, 'username' | 'tls'>, secrets: ProfileSecrets): Redis {
  const tls = profile.tls;
  const client = new Redis({
    host,
    port,
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
            ...(tls.servername ? { servername: tls.servername } : {}),
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
