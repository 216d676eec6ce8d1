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
 *
 * Failures are explained by connection-failure.ts: each client remembers
 * what it was asked to do (address, TLS, credentials given) and the last
 * errors its socket raised, because the command that fails usually only
 * says "Connection is closed." or "Stream isn't writeable".
 */
import { Redis } from 'ioredis';
import type { Endpoint } from '../net/node-dialer';
import { tlsClientOptions } from '../net/tls-client-options';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { NodeHealth } from '../../../shared/contract/snapshots';
import { classifyConnectionFailure, failureSentence, type ClassifiedFailure, type FailureContext } from './connection-failure';
import { probeProtocol } from './protocol-probe';

export const COMMAND_TIMEOUT_MS = 2500;
/** The longest wait between two dials of a node that refuses or does not answer connections. */
const RECONNECT_MAX_MS = 1000;
/**
 * The wait before the second dial after a connection that was up closed. A
 * process killed with kill -9 closes its connections, then its listening
 * socket: a first redial that lands in between is reset ("connect
 * ECONNRESET", about 1 in 10 kills of redis-server), which says nothing of
 * the process, and the node sampler waits for the next dial to learn that
 * it is gone (refused). At the backoff's 800 ms that dial made a dead node
 * read "refused" 0.8 s late; 50 ms is enough for the dying process's
 * listener to be gone.
 */
const SECOND_DIAL_MS = 50;
export const CONNECT_TIMEOUT_MS = 3000;
/** Socket errors remembered per client (newest last), to explain a failure. */
const ERRORS_KEPT = 4;

/**
 * A client for one node (lazy: nothing is dialled until connect()). Throws a
 * TlsFileError when a TLS file of the profile cannot be used. `sentinel`
 * marks a client of a Sentinel (its failures name the Sentinel fields).
 */
export function createNodeClient(address: Endpoint, profile: Pick<ProfileFields, 'username' | 'tls'>, secrets: ProfileSecrets, via: Endpoint = address, sentinel = false): Redis {
  const tls = profile.tls;
  const tlsOptions = tls?.enabled ? tlsClientOptions(tls, address, via) : null;
  const client = new Redis({
    host: via.host,
    port: via.port,
    ...(profile.username ? { username: profile.username } : {}),
    ...(secrets.password ? { password: secrets.password } : {}),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    enableReadyCheck: false,
    connectionName: 'replscope',
    // A connection that was up and closed is dialled again at once (attempt 1: Sentinel's CLIENT KILL
    // TYPE normal cut it, and the node sampler asks once more on the new one), and once more shortly
    // after (SECOND_DIAL_MS: a first redial reset by a dying process); failures then back off to one
    // dial a second (RECONNECT_MAX_MS), the default poll's pace: a node that listens again is seen
    // within a second, not shown refusing for seconds after it came back (a 5 s cap did that).
    retryStrategy: reconnectDelayMs,
    ...(tlsOptions ? { tls: tlsOptions } : {}),
  });
  // Errors surface through command failures; without a listener ioredis would log them.
  // The last few are kept: a failed connect only rejects with "Connection is closed."
  client.on('error', (failure: Error) => {
    const seen = recentErrors.get(client) ?? [];
    seen.push(failure);
    if (seen.length > ERRORS_KEPT) seen.shift();
    recentErrors.set(client, seen);
  });
  // Errors from before the last successful connection explain nothing now.
  client.on('ready', () => recentErrors.delete(client));
  contexts.set(client, {
    address: `${address.host}:${address.port}`,
    sentinel,
    tls: tls?.enabled === true,
    tlsServername: tls?.enabled && tls.servername ? tls.servername : null,
    caFileGiven: tls?.enabled === true && !!tls.caFile,
    clientCertificateGiven: tls?.enabled === true && !!tls.certFile,
    username: profile.username ?? null,
    passwordGiven: !!secrets.password,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
  });
  return client;
}

/** ioredis's retryStrategy: the wait before dial `attempt` (1, 2, ...) since the connection was last up. */
function reconnectDelayMs(attempt: number): number {
  if (attempt === 1) return 0;
  if (attempt === 2) return SECOND_DIAL_MS;
  return Math.min(RECONNECT_MAX_MS, 200 * 2 ** Math.min(attempt, 5));
}

const recentErrors = new WeakMap<Redis, Error[]>();
const contexts = new WeakMap<Redis, FailureContext>();

/** What the classifier knows of a client's attempt; a bare one when there is no client (it could not be made). */
export function failureContextOf(client: Redis | undefined, address = 'the node'): FailureContext {
  return (client ? contexts.get(client) : undefined) ?? {
    address, sentinel: false, tls: false, tlsServername: null, caFileGiven: false, clientCertificateGiven: false, username: null, passwordGiven: false,
    connectTimeoutMs: CONNECT_TIMEOUT_MS, commandTimeoutMs: COMMAND_TIMEOUT_MS,
  };
}

/** The socket errors a client saw, newest last. */
export function errorsSeenBy(client: Redis | undefined): readonly Error[] {
  return (client ? recentErrors.get(client) : undefined) ?? [];
}

/**
 * What a failed command says about the node, in the snapshot's terms: its
 * health, a plain sentence with the likely fix (the health detail), and the
 * full classification.
 */
export function classifyFailure(failure: unknown, client?: Redis): { health: NodeHealth; detail: string; problem: ClassifiedFailure } {
  // A reply from Redis (NOAUTH, WRONGPASS, NOPERM...) says it all; socket errors explain the rest.
  const seen = isRedisReply(failure) ? [] : errorsSeenBy(client);
  const problem = classifyConnectionFailure(failure, failureContextOf(client), seen);
  return { health: problem.health, detail: failureSentence(problem), problem };
}

/** An error Redis sent (its message starts with an upper-case code: ERR, NOAUTH, WRONGPASS...). */
export function isRedisReply(failure: unknown): boolean {
  return failure instanceof Error && failure.name === 'ReplyError' && /^[A-Z]{2,}\b/.test(failure.message);
}

/** Failures whose errors do not say why: the port is probed for what it speaks. */
const AMBIGUOUS = new Set(['connection-reset', 'connection-closed', 'tls-handshake-timeout', 'no-reply', 'not-redis', 'other']);

/**
 * classifyFailure, plus a probe of the port when the errors are ambiguous
 * (a reset, a closed stream, a timeout, a reply that is not RESP): for a
 * connection test or an attach, where a second and a half more is worth a
 * precise answer ("TLS to a plain port"). Polls use classifyFailure alone.
 */
export async function explainFailure(failure: unknown, client: Redis | undefined, endpoint: Endpoint): Promise<ClassifiedFailure> {
  const first = classifyFailure(failure, client).problem;
  if (!AMBIGUOUS.has(first.kind)) return first;
  const context = failureContextOf(client);
  const probe = await probeProtocol(endpoint, context.tlsServername ?? undefined);
  return classifyConnectionFailure(failure, context, isRedisReply(failure) ? [] : errorsSeenBy(client), probe);
}
