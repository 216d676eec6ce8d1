/**
 * Every way a connection to a Redis node or Sentinel fails, as one plain
 * sentence of what happened, the likely fix, and the profile field it
 * concerns. The raw error (Redis's reply, Node's or OpenSSL's message) is
 * kept as `detail` and its code closes the summary in brackets, so an
 * operator can still search for it.
 *
 * Inputs, most specific first: a TlsFileError (a TLS file unusable before
 * any socket opened); the errors the client saw on its socket (the command
 * that failed often only says "Connection is closed."); Redis's error
 * prefixes (NOAUTH, WRONGPASS, NOPERM, LOADING, DENIED...); Node's and
 * OpenSSL's codes (ECONNREFUSED, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID,
 * alert 116 certificate required...); and, when those are ambiguous (a
 * reset, a timeout, a reply that is not RESP), what a probe of the port
 * found it speaks (protocol-probe.ts).
 */
import type { ConnectionProblem, ProfileFieldName, ServerAnswerKind } from '../../../shared/contract/sessions';
import type { NodeHealth } from '../../../shared/contract/snapshots';
import type { ProbeResult } from './protocol-probe';
import { TlsFileError } from './tls-files';

/** What the classifier knows about the attempt besides the error. */
export interface FailureContext {
  /** host:port as the profile (or discovery) names it. */
  readonly address: string;
  /** Talking to a Sentinel (its own credentials fields), not a data node. */
  readonly sentinel: boolean;
  readonly tls: boolean;
  readonly tlsServername: string | null;
  readonly caFileGiven: boolean;
  readonly clientCertificateGiven: boolean;
  /** The ACL user sent, null for the default user. */
  readonly username: string | null;
  readonly passwordGiven: boolean;
  /** How long a connect and a command may take, for the sentences. */
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
}

export interface ClassifiedFailure extends ConnectionProblem {
  readonly health: NodeHealth;
}

/** The message and the Node/OpenSSL code of every error involved. */
function facts(errors: readonly unknown[]): { messages: string[]; codes: Set<string> } {
  const messages: string[] = [];
  const codes = new Set<string>();
  for (const error of errors) {
    if (error instanceof Error) {
      messages.push(error.message);
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string') codes.add(code);
    } else if (error !== undefined && error !== null) messages.push(String(error));
  }
  return { messages, codes };
}

const firstLine = (text: string): string => text.split('\n')[0]!.trim();

/**
 * The command a NOPERM names, as the operator writes it. A subcommand
 * comes as Redis's ACL rules write it ('config|set', as in +config|set;
 * there is no such command to type in upper case); a whole command as it
 * is typed (INFO).
 */
function deniedCommandName(command: string): string {
  return command.includes('|') ? command.toLowerCase() : command.toUpperCase();
}

/**
 * Classifies a failed connection or command. `seen` are the errors the
 * client emitted on its socket, newest last; `probe` what the port turned
 * out to speak, when it was asked.
 */
export function classifyConnectionFailure(failure: unknown, context: FailureContext, seen: readonly unknown[] = [], probe: ProbeResult | null = null): ClassifiedFailure {
  const { messages, codes } = facts([failure, ...seen]);
  const detail = messages.map(firstLine).filter((message, index, all) => message !== '' && all.indexOf(message) === index).join('; ') || 'no error text';
  const has = (pattern: RegExp): boolean => messages.some((message) => pattern.test(message));
  const code = (...names: string[]): boolean => names.some((name) => codes.has(name));
  const at = context.address;
  const user = context.username ?? 'default';
  const passwordField: ProfileFieldName = context.sentinel ? 'sentinelPassword' : 'password';
  const userField: ProfileFieldName = context.sentinel ? 'sentinelUsername' : 'username';
  const make = (kind: string, health: NodeHealth, summary: string, fix: string | null, field: ProfileFieldName | null, rawText: string = detail): ClassifiedFailure => ({ kind, health, summary, fix, field, detail: rawText });
  // When Redis answered with an error, the detail is its reply alone ("WRONGPASS invalid
  // username-password pair or user is disabled."): the form shows it as what the server
  // said, without the client's "Connection is closed." that followed it.
  const serverReply = messages.map(firstLine).filter((message, index, all) => /^[A-Z][A-Z_-]+ /.test(message) && all.indexOf(message) === index).join('; ') || detail;
  const answered = (kind: ServerAnswerKind, health: NodeHealth, summary: string, fix: string | null, field: ProfileFieldName | null): ClassifiedFailure => make(kind, health, summary, fix, field, serverReply);

  if (failure instanceof TlsFileError) {
    return make('tls-file', 'unreachable', failure.message, `Give the path of the ${failure.label} on the machine the console runs on (a PEM file).`, failure.field);
  }

  // Redis answered, with an error.
  if (has(/^NOAUTH\b/)) {
    return answered('password-required', 'auth-failed', `${at} requires a password, and none was given (NOAUTH).`, `Enter the ${context.sentinel ? 'Sentinel password' : 'password'} (and the ACL user if it is not "default").`, passwordField);
  }
  if (has(/^WRONGPASS\b|invalid username-password pair|invalid password/)) {
    return answered('wrong-password', 'auth-failed', `${at} refused the ACL user "${user}" with this password (WRONGPASS): the password is wrong, or that user does not exist or is off.`, `Check the ${context.sentinel ? 'Sentinel ' : ''}user and password; ACL LIST on the server shows the users that exist and are on.`, context.passwordGiven ? passwordField : userField);
  }
  if (has(/^ERR AUTH .*without any password configured|no password is set/)) {
    return answered('password-not-needed', 'auth-failed', `${at} has no password set, but one was given.`, 'Clear the password, or check that this is the server you meant.', passwordField);
  }
  const noPermission = messages.find((message) => /^NOPERM\b/.test(message));
  if (noPermission !== undefined) {
    const command = /run the '([^']+)' command/.exec(noPermission)?.[1];
    // Redis's own line first, verbatim (7.0: "NOPERM this user has no permissions to run the 'info' command"),
    // then what it means here: which user lacks which command the console needs (at attach, or for an action).
    const means = `the ACL user "${user}" may not run ${command ? deniedCommandName(command) : 'a command'} the console needs`;
    return answered('no-permission', 'denied', `${at} answered "${firstLine(noPermission)}": ${means}.`, command ? `Grant it on the server: ACL SETUSER ${user} +${command.toLowerCase()} (the README lists a monitor-only user's rules).` : 'Grant the user the commands the README lists for a monitor-only user.', userField);
  }
  if (has(/^DENIED\b/)) {
    return answered('protected-mode', 'denied', `${at} is in protected mode: it takes connections without a password only from its own machine (DENIED).`, 'On the server, set a password (requirepass or an ACL user) and use it here, or connect through an SSH tunnel to that machine.', passwordField);
  }
  if (has(/^LOADING\b/)) return answered('loading', 'loading', `${at} is loading its dataset into memory (LOADING) and answers once it is done.`, 'Wait: the console keeps trying.', null);
  if (has(/^BUSY\b/)) return answered('busy', 'hung', `${at} is busy running a script (BUSY).`, 'Wait for the script, or stop it (SCRIPT KILL / FUNCTION KILL).', null);
  if (has(/max number of clients reached/)) return answered('max-clients', 'unreachable', `${at} refuses new connections: maxclients is reached.`, 'Close idle clients or raise maxclients on the server.', null);
  if (has(/^ERR unknown command .SENTINEL./i) || has(/^ERR Command 'SENTINEL' not found/)) {
    return answered('not-a-sentinel', 'unreachable', `${at} is a Redis data node, not a Sentinel (it does not know the SENTINEL command).`, 'Give the Sentinels\' addresses (port 26379 by default), or choose the kind Standalone for this seed.', 'seeds');
  }
  if (has(/No such master with that name/)) {
    return answered('unknown-master-group', 'unreachable', 'The Sentinels monitor no master group of that name.', 'Enter the group name exactly as in the Sentinels\' configuration ("sentinel monitor <name> ...").', 'sentinelMasterName');
  }

  // TLS: the server's certificate.
  if (code('ERR_TLS_CERT_ALTNAME_INVALID') || has(/does not match certificate's altnames/)) {
    const text = messages.find((message) => /altnames/.test(message)) ?? '';
    const names = text.includes('altnames: ') ? text.slice(text.lastIndexOf('altnames: ') + 'altnames: '.length).trim() : undefined;
    const asked = context.tlsServername ?? at.slice(0, at.lastIndexOf(':'));
    return make('tls-hostname-mismatch', 'unreachable', `The certificate of ${at} is not for "${asked}"${names ? ` (it names ${names.replace(/IP Address:/g, 'IP:')})` : ''}: hostname mismatch.`, 'Connect with a name the certificate lists, or set Server name (SNI) to one of them.', context.tlsServername !== null ? 'tlsServername' : 'seeds');
  }
  if (code('CERT_HAS_EXPIRED') || has(/certificate has expired/)) {
    return make('tls-certificate-expired', 'unreachable', `The TLS certificate of ${at} has expired (CERT_HAS_EXPIRED).`, 'Renew the server\'s certificate (tls-cert-file in its redis.conf). Until then the insecure switch connects without checking it (loudly flagged).', null);
  }
  if (code('CERT_NOT_YET_VALID') || has(/certificate is not yet valid/)) {
    return make('tls-certificate-not-yet-valid', 'unreachable', `The TLS certificate of ${at} is not valid yet (CERT_NOT_YET_VALID).`, 'Check the clocks of this machine and of the server.', null);
  }
  if (code('SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT') || has(/self[- ]signed certificate|unable to verify the first certificate|unable to get (local )?issuer certificate/)) {
    return make('tls-untrusted-certificate', 'unreachable', context.caFileGiven
      ? `The TLS certificate of ${at} is not signed by the CA in the CA file (${[...codes].find((name) => /CERT|SIGN/.test(name)) ?? 'untrusted certificate'}).`
      : `The TLS certificate of ${at} is not signed by a CA this machine trusts, and no CA file is set (${[...codes].find((name) => /CERT|SIGN/.test(name)) ?? 'untrusted certificate'}).`,
    'Set CA file to the certificate of the CA that signed the server\'s certificate (tls-ca-cert-file in its redis.conf).', 'tlsCaFile');
  }
  // TLS: the server wants a client certificate (TLS 1.3 alert 116, or 1.2 handshake failure).
  if (code('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') || has(/alert certificate required|alert number 116/)) {
    return make('tls-client-certificate-required', 'unreachable', `${at} requires a TLS client certificate (tls-auth-clients yes) and none was given.`, 'Set Client certificate and Client key (issued by a CA the server trusts).', 'tlsCertFile');
  }
  if (code('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN') || has(/alert (bad certificate|unknown ca|certificate unknown)/)) {
    return make('tls-client-certificate-refused', 'unreachable', `${at} refused the TLS client certificate.`, 'Give a client certificate issued by the CA the server trusts (its tls-ca-cert-file), with its matching key.', 'tlsCertFile');
  }
  if (code('ERR_OSSL_X509_KEY_VALUES_MISMATCH') || has(/key values mismatch/)) {
    return make('tls-key-mismatch', 'unreachable', 'The client key does not belong to the client certificate.', 'Give the key file that was made with this certificate.', 'tlsKeyFile');
  }

  // What the port speaks, when a probe was made.
  if (probe !== null) {
    if (probe.speaks === 'http') return make('not-redis', 'unreachable', `${at} answered, but not as Redis: it looks like an HTTP server ("${probe.firstBytes}").`, 'Check the port: Redis usually listens on 6379, Sentinel on 26379.', 'seeds');
    if (probe.speaks === 'ssh') return make('not-redis', 'unreachable', `${at} answered, but not as Redis: it is an SSH server ("${probe.firstBytes}").`, 'Check the port; to go through this SSH server, tick SSH tunnel and give Redis\'s own address as the seed.', 'seeds');
    if (context.tls && probe.speaks === 'redis') return make('tls-to-plain-port', 'unreachable', `TLS is on, but ${at} speaks plain Redis: it never answered the TLS handshake.`, 'Untick TLS, or use the server\'s tls-port.', 'tls');
    if (!context.tls && probe.speaks === 'tls') return make('plain-to-tls-port', 'unreachable', `${at} expects TLS: it hung up when the console spoke plain Redis.`, 'Tick TLS (and set the CA file that signed the server\'s certificate).', 'tls');
    if (context.tls && probe.speaks === 'tls' && !context.clientCertificateGiven && has(/ECONNRESET|socket hang up|Connection is closed|disconnected/)) {
      return make('tls-client-certificate-required', 'unreachable', `${at} completes the TLS handshake but then hangs up: it probably requires a TLS client certificate (tls-auth-clients yes).`, 'Set Client certificate and Client key (issued by a CA the server trusts).', 'tlsCertFile');
    }
    if (probe.speaks === 'other') return make('not-redis', 'unreachable', `${at} answered, but not as Redis ("${probe.firstBytes}").`, 'Check the host and port of the Redis server.', 'seeds');
  }
  const badReply = messages.find((message) => /Unknown RESP type (\d+)|Protocol error/.test(message));
  if (badReply !== undefined) {
    const byte = Number(/Unknown RESP type (\d+)/.exec(badReply)?.[1]);
    const what = byte === 72 || byte === 60 ? ': it looks like an HTTP server' : byte === 83 ? ': it looks like an SSH server' : '';
    return make('not-redis', 'unreachable', `${at} answered, but not as Redis${what}${Number.isFinite(byte) ? ` (its reply began with "${String.fromCharCode(byte)}")` : ''}.`, 'Check the port: Redis usually listens on 6379, Sentinel on 26379.', 'seeds');
  }

  // The network.
  if (code('ECONNREFUSED') || has(/ECONNREFUSED|connection refused/i)) {
    return make('refused', 'unreachable', `Nothing accepts connections at ${at} (ECONNREFUSED).`, 'Check the host and port, and that the server is running.', 'seeds');
  }
  if (code('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME') || has(/getaddrinfo/)) {
    const host = at.slice(0, at.lastIndexOf(':'));
    return make('host-not-found', 'unreachable', `The host name "${host}" does not resolve (${code('EAI_AGAIN') ? 'EAI_AGAIN: DNS did not answer' : 'ENOTFOUND'}).`, 'Check the spelling, or give an IP address. Through an SSH tunnel the name is resolved by the bastion.', 'seeds');
  }
  if (code('EHOSTUNREACH', 'ENETUNREACH') || has(/EHOSTUNREACH|ENETUNREACH/)) {
    return make('no-route', 'unreachable', `There is no route to ${at} (${code('EHOSTUNREACH') ? 'EHOSTUNREACH' : 'ENETUNREACH'}).`, 'Check the address, the VPN, or reach it through an SSH tunnel.', 'seeds');
  }
  if (has(/connect ETIMEDOUT/) || (code('ETIMEDOUT') && !has(/Command timed out/))) {
    if (context.tls) {
      return make('tls-handshake-timeout', 'unreachable', `${at} did not complete a TLS handshake within ${context.connectTimeoutMs / 1000} s (ETIMEDOUT).`, 'If the port speaks plain Redis, untick TLS; otherwise a firewall may be dropping the packets.', 'tls');
    }
    return make('connect-timeout', 'unreachable', `${at} did not accept a connection within ${context.connectTimeoutMs / 1000} s (ETIMEDOUT).`, 'A firewall may be dropping the packets, or the host is down: check the address, or go through an SSH tunnel.', 'seeds');
  }
  if (has(/Command timed out|timed out/i)) {
    return make('no-reply', 'hung', `${at} accepted the connection but did not answer within ${context.commandTimeoutMs / 1000} s.`, 'The server may be stopped (SIGSTOP), busy (a long script, DEBUG SLEEP) or not a Redis server; the console keeps trying.', null);
  }
  if (code('ECONNRESET', 'EPIPE') || has(/ECONNRESET|EPIPE|socket hang up|before secure TLS connection was established/)) {
    return make('connection-reset', 'unreachable', `${at} hung up during the connection (${code('EPIPE') ? 'EPIPE' : 'ECONNRESET'}).`, context.tls ? 'If the port speaks plain Redis, untick TLS; if it wants a client certificate, set one.' : 'If the port expects TLS, tick TLS; otherwise the server may be dropping clients (maxclients, a proxy).', context.tls ? 'tls' : null);
  }
  // ioredis rejects a request in flight when the connection closes with MaxRetriesPerRequestError (maxRetriesPerRequest 0).
  if (has(/Connection is closed|Stream isn't writeable|Connection closed|max retries per request/i)) {
    return make('connection-closed', 'unreachable', `The connection to ${at} is closed; the console reconnects by itself.`, null, null);
  }
  return make('other', 'unreachable', `${at}: ${detail}`, null, null);
}

/** The summary and the fix as one text (node health details, events, connect errors). */
export function failureSentence(failure: Pick<ConnectionProblem, 'summary' | 'fix'>): string {
  return failure.fix === null ? failure.summary : `${failure.summary} ${failure.fix}`;
}
