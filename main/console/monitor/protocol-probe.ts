/**
 * What a port speaks, asked only after a connection failed in a way that
 * does not say why (a reset, a timeout, a closed stream): the same address
 * is dialled once in plain TCP, sending an inline `PING`, and once as a TLS
 * client that checks nothing. The answers tell "TLS to a plain Redis port"
 * from "plain to a TLS port", a web or SSH server from Redis, and a port
 * that accepts but never answers from one that hangs up.
 *
 *   plain PING answered with  +PONG / -NOAUTH / -ERR ...   -> redis
 *                             HTTP/... or <html...          -> http
 *                             SSH-2.0-...                   -> ssh
 *                             a TLS record (0x15 / 0x16)    -> tls
 *   TLS handshake completes                                  -> tls (a plain answer wins)
 *   nothing within the deadline                              -> silent
 *   closed or reset without a byte                           -> closed
 *
 * Each probe opens one socket, reads at most the first chunk, and closes it.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Endpoint } from '../net/node-dialer';

export type SpokenProtocol = 'redis' | 'tls' | 'http' | 'ssh' | 'other' | 'silent' | 'closed' | 'unreachable';

export interface ProbeResult {
  readonly speaks: SpokenProtocol;
  /** The start of what the port sent back to a plain PING (printable), for the details. */
  readonly firstBytes: string;
}

const PROBE_TIMEOUT_MS = 1500;

/** The first line of what the port sent, at most 40 characters, bytes outside ASCII as \xNN. */
function printable(data: Buffer): string {
  const line = data.subarray(0, 40).toString('latin1').split(/\r?\n/)[0] ?? '';
  return line.replace(/[^\x20-\x7e]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`).trim();
}

function kindOf(data: Buffer): SpokenProtocol {
  const first = data[0];
  const text = data.toString('latin1');
  if (first === 0x15 || first === 0x16) return 'tls';
  if (/^HTTP\/\d/.test(text) || /^\s*</.test(text)) return 'http';
  if (text.startsWith('SSH-')) return 'ssh';
  if (/^[+\-:$*_%>,#(!=|~]/.test(text) && text.includes('\r\n')) return 'redis';
  return 'other';
}

/**
 * The first outcome of a probe socket wins: `finish` settles the result once,
 * clears the deadline and destroys the socket; the deadline settles with
 * `timedOut()`.
 */
function settleOnce<T>(socket: net.Socket, timeoutMs: number, timedOut: () => T): { result: Promise<T>; finish: (value: T) => void } {
  let finish: (value: T) => void = () => {};
  const result = new Promise<T>((resolve) => {
    let settled = false;
    const timer = setTimeout(() => finish(timedOut()), timeoutMs);
    finish = (value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
  });
  return { result, finish };
}

/** Dials `endpoint` in plain TCP and sends PING. */
export function probePlain(endpoint: Endpoint, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const socket = net.connect(endpoint.port, endpoint.host);
  const { result, finish } = settleOnce<ProbeResult>(socket, timeoutMs, () => ({ speaks: socket.connecting ? 'unreachable' : 'silent', firstBytes: '' }));
  socket.once('connect', () => socket.write('PING\r\n'));
  socket.once('data', (data: Buffer) => finish({ speaks: kindOf(data), firstBytes: printable(data) }));
  socket.once('error', () => finish({ speaks: socket.connecting ? 'unreachable' : 'closed', firstBytes: '' }));
  socket.once('close', () => finish({ speaks: 'closed', firstBytes: '' }));
  return result;
}

/** Whether a TLS handshake with `endpoint` completes (no verification: only "does it speak TLS"). */
export function probeTls(endpoint: Endpoint, servername: string | undefined, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  const socket = tls.connect({ host: endpoint.host, port: endpoint.port, rejectUnauthorized: false, ...(servername && net.isIP(servername) === 0 ? { servername } : {}) });
  const { result, finish } = settleOnce(socket, timeoutMs, () => false);
  socket.once('secureConnect', () => finish(true));
  socket.once('error', () => finish(false));
  socket.once('close', () => finish(false));
  return result;
}

/** Both probes; a plain answer says more than a completed handshake, so it wins. */
export async function probeProtocol(endpoint: Endpoint, servername?: string): Promise<ProbeResult> {
  const [plain, speaksTls] = await Promise.all([probePlain(endpoint), probeTls(endpoint, servername)]);
  if (plain.speaks === 'redis' || plain.speaks === 'http' || plain.speaks === 'ssh' || plain.speaks === 'unreachable') return plain;
  return speaksTls ? { speaks: 'tls', firstBytes: plain.firstBytes } : plain;
}
